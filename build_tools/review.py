"""Review status of knowledge pages.

Every page says honestly where it stands: ``status: draft`` (no named reviewer has checked it yet) or ``status:
reviewed`` with ``reviewed_by`` (who) and ``reviewed`` (when). ``check`` lists every draft as a warning; the site
(``theme/overrides/main.html``) and the PDFs (``theme/print/handbook.html.j2``) show a banner on each draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol

from .diagnostics import Diagnostic, Severity
from .yamlsource import YamlDocument

DRAFT = "draft"
REVIEWED = "reviewed"


class ReviewFields(Protocol):
    status: str
    reviewed: dt.date
    reviewed_by: str | None
    review_note: str | None


def review_problems(meta: ReviewFields, doc: YamlDocument, shown: str) -> list[Diagnostic]:
    """A draft is listed (warning); a reviewed page must name its reviewer and have nothing left to check (errors)."""
    line, column = doc.key_position(("status",))
    if meta.status == DRAFT:
        still = f"; still to check: {meta.review_note}" if meta.review_note else ""
        message = f"draft, not reviewed yet (last revised {meta.reviewed}){still}"
        return [Diagnostic(shown, line, column, "status", message, Severity.WARNING)]
    problems = []
    if not meta.reviewed_by:
        expected = "expected who reviewed the page (name, position, unit) when status is reviewed; or set status: draft"
        problems.append(Diagnostic(shown, line, column, "reviewed_by", expected))
    if meta.review_note:
        note_line, note_column = doc.key_position(("review_note",))
        problems.append(Diagnostic(shown, note_line, note_column, "review_note",
                                   "expected no open review note on a reviewed page; settle it, or set status: draft"))
    return problems


def draft_label(meta: Mapping[str, object]) -> str | None:
    """The banner line for a page's front matter as MkDocs read it, or None when the page is not a draft."""
    if meta.get("status") != DRAFT:
        return None
    label = f"ฉบับร่าง ยังไม่ผ่านการตรวจทาน (DRAFT — not reviewed) · ปรับปรุงล่าสุด {meta.get('reviewed', '—')}"
    note = meta.get("review_note")
    return f"{label} · ต้องตรวจก่อนใช้: {note}" if note else label
