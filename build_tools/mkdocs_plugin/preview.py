"""``serve`` keeps the last good preview while an input is broken, and shows the errors on every page.

MkDocs' live-reload server holds every request until a rebuild succeeds, so one broken guest file would hang the
browser until it is fixed. While previewing (``lo-briefing serve`` sets the plugin's ``preview`` option), a project
that does not load is answered with the last one that did, and each page carries the errors at its top; a build
(``lo-briefing build``) still fails as before. The memory is per process and per project folder.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TypeVar

P = TypeVar("P")
_last_good: dict[Path, object] = {}
_errors: dict[Path, str] = {}


def loaded(root: Path, project: P | None, report: str, previewing: bool) -> P | None:
    """The project to build: ``project`` when it loaded (remembered), else while previewing the last good one."""
    if project is not None:
        _last_good[root] = project
        _errors.pop(root, None)
        return project
    if not previewing or root not in _last_good:
        return None
    _errors[root] = report
    return _last_good[root]  # type: ignore[return-value]


def banner(root: Path) -> str:
    """HTML for the top of each page while the inputs are broken ("" when they are fine)."""
    report = _errors.get(root)
    if not report:
        return ""
    return ('<div class="admonition danger lo-preview-error"><p class="admonition-title">'
            "ข้อมูลมีข้อผิดพลาด — แสดงฉบับล่าสุดที่ถูกต้อง (The inputs have errors: this is the last good preview)</p>"
            f"<pre><code>{html.escape(report)}</code></pre></div>\n")
