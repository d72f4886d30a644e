"""Where a build's time goes, without a profiler's overhead: the CLI run in-process with timers around its parts.

Run from a project folder (for instance one written by ``python -m bench.generate 50 /tmp/event-50``)::

    PYTHONPATH=/path/to/repo python -m bench.parts build --site-dir /tmp/site [--no-pdf]

Prints the seconds spent in each part (parts nest: ``mkdocs build`` contains the plugin's parts), slowest first.
"""

from __future__ import annotations

import collections
import functools
import importlib
import sys
import time
from typing import Any

PARTS = [
    ("mkdocs.commands.build", "build", "mkdocs build (everything below but the zip)"),
    ("build_tools.project", "load_project", "load + validate + guest views"),
    ("build_tools.yamlsource", "parse_yaml", "  YAML with positions"),
    ("build_tools.checks", "check_event", "  consistency checks"),
    ("build_tools.compose.guest", "fill_checklist", "  personalised checklists"),
    ("build_tools.project", "plan_project", "output plan (generated pages' Markdown)"),
    ("build_tools.workers", "Background.result", "waiting for the spare core (field kit .ics/.vcf)"),
    ("build_tools.fieldkit.documents", "pocket_html", "field kit card/run sheet HTML (QR codes)"),
    ("build_tools.mkdocs_plugin.search_hooks", "segment_search_index", "Thai search segmentation"),
    ("build_tools.search_th", "CutsAhead.memory", "  waiting for the words cut ahead"),
    ("build_tools.search_th", "segment_index", "  cutting the index with them"),
    ("build_tools.pdf.render", "job_for", "handbook HTML + cache keys"),
    ("build_tools.pdf.render", "start_rendering", "PDF copies from the cache, workers started"),
    ("build_tools.pdf.render", "Rendering.wait", "waiting for the PDF workers"),
    ("build_tools.offline_app.workbox", "service_worker", "  service worker with its precache list"),
    ("build_tools.offline_app.app", "make_offline_app", "offline app: manifest, icons, service worker"),
    ("build_tools.archive", "zip_site", "zip of the site"),
]
# Modules that imported a part by name: the timed wrapper has to replace that name too.
ALIASES = {
    "load_project": ["build_tools.mkdocs_plugin.plugin"],
    "check_event": ["build_tools.project"],
    "job_for": ["build_tools.mkdocs_plugin.plugin"],
    "plan_project": ["build_tools.mkdocs_plugin.plugin"],
    "pocket_html": ["build_tools.mkdocs_plugin.plugin"],
    "zip_site": ["build_tools.cli"],
    "start_rendering": ["build_tools.mkdocs_plugin.plugin"],
    "make_offline_app": ["build_tools.cli"],
}


def _timed(totals: dict[str, float], label: str, function: Any) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[label] += time.perf_counter() - start

    return wrapper


def install(totals: dict[str, float]) -> None:
    for module_name, attribute, label in PARTS:
        holder: Any = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            holder = getattr(holder, part)
        wrapped = _timed(totals, label, getattr(holder, name))
        setattr(holder, name, wrapped)
        for alias in ALIASES.get(name, []):
            module = importlib.import_module(alias)
            if hasattr(module, name):
                setattr(module, name, wrapped)


def main(argv: list[str] | None = None) -> int:
    totals: dict[str, float] = collections.defaultdict(float)
    install(totals)
    from build_tools import cli

    start = time.perf_counter()
    code = cli.main(sys.argv[1:] if argv is None else argv)
    total = time.perf_counter() - start
    for label, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{seconds:8.2f} s  {label}")
    print(f"{total:8.2f} s  total (in-process)")
    return code


if __name__ == "__main__":
    sys.exit(main())
