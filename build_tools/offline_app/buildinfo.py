"""What the app knows about its own build: the data version, when it was built, each guest's revision and changes,
and each on-demand document's revision. Pure: from the plan and the files' hashes.

The site writes it as ``app/build.js`` (``self.LO_BUILD = {…}``), which pages load (the status line, the "keep
offline" button) and the service worker imports (the documents it keeps, and what a waiting version tells the page
about itself). Same file in both, so a page and the worker that serves it always agree on the version.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from .. import thaidate
from ..fieldkit.stamps import version
from ..plan import OutputPlan
from ..store import cache_key

BUILD_INFO = "app/build.js"


def html_path(source: str) -> str:
    """``guests/jp-tanaka.md`` → ``guests/jp-tanaka.html`` (the site is built with ``use_directory_urls: false``)."""
    return source[: -len(".md")] + ".html" if source.endswith(".md") else source


def build_info(
    plan: OutputPlan,
    revisions: Mapping[str, str],
    built: dt.datetime,
    on_demand: list[str],
    precache_downloads: bool,
) -> dict[str, object]:
    """``revisions``: a hash of each file of the site (relative path → hex), for every file named here."""
    comparison = plan.comparison
    snapshot = comparison.snapshot
    owners = {d.path: d.owner for d in plan.downloads}
    guests: dict[str, object] = {}
    for guest_id in plan.guests:
        page = html_path(next(p.path for p in plan.pages if p.owner == guest_id))
        own = sorted(d.path for d in plan.downloads if d.owner == guest_id and d.path in revisions)
        found = comparison.for_guest(guest_id)
        guests[guest_id] = {
            "name": next(p.title for p in plan.pages if p.owner == guest_id),
            "page": page,
            "rev": _combined(revisions, [page, *own]),
            "docs": own,
            "state": found.state if found else "unknown",
            "changes": [change.text for change in found.changes] if found else [],
        }
    amended = any(g.state != "same" for g in comparison.guests)
    info: dict[str, object] = {
        "version": version(comparison),
        "published": snapshot.date if snapshot else None,
        "amended": bool(snapshot) and amended,
        "built": built.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
        "builtText": thaidate.date_time(built),
        "precacheDocs": precache_downloads,
        "guests": guests,
        "docs": {path: {"rev": revisions[path], "owner": owners.get(path)} for path in on_demand},
    }
    info["label"] = label(info)
    return info


def label(info: Mapping[str, object]) -> str:
    """``ข้อมูล ฉบับที่ 3 ณ 6 ธ.ค. 2569 11:30 น.`` — what the status line and the update offer call a build."""
    number = f"ฉบับที่ {info['version']}" if info["version"] else "ฉบับร่าง"
    amended = " (แก้ไขหลังเผยแพร่)" if info["amended"] else ""
    return f"ข้อมูล {number}{amended} ณ {info['builtText']}"


def script(info: Mapping[str, object]) -> str:
    """``app/build.js``: one assignment, readable by a page (``window``) and the service worker (``self``)."""
    data = json.dumps(info, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"self.LO_BUILD = {data};\n"


def _combined(revisions: Mapping[str, str], paths: list[str]) -> str:
    return cache_key(*(f"{p}={revisions.get(p, '')}" for p in paths))[:16]
