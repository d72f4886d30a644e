"""``lo-briefing bundles``: one zipped offline site per LO, and one for the coordinators, locked with their passwords.

How a bundle is made, from the output plan and what the main build rendered:

1. The whole event is built once with the full profile (PDFs from the cache: nothing unchanged is rendered again).
2. Each bundle is built with the training profile for only its guests (``Options.guests``): its pages, search index,
   "what changed" and phone files show no sensitive value, and it names no other guest anywhere.
3. Each of its guest pages gets the full page's content sealed into it (unlocked in the browser with the password),
   and the full .ics/.vcf sealed beside it; its guest PDFs are the full ones, encrypted with AES-256. The orientation
   handbook (the knowledge base, nothing personal) is copied as it is.
4. The bundle is zipped into ``bundles/<lo-id>.zip`` (outside ``site/``); ``index.html`` inside opens from file://.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import outputs
from ..archive import zip_site
from ..mkdocs_plugin import engine
from ..mkdocs_plugin.engine import Options
from ..plan import OutputPlan
from ..profiles import Profile
from ..project import load_project, plan_project
from ..store import build_date
from .lock import PageKey, article, lock_page, lock_pdf, page_key, seal
from .membership import Bundle, bundles
from .secret import event_secret, nonce, owner_password, password, salt

MIME = {".ics": "text/calendar", ".vcf": "text/vcard"}


@dataclass(frozen=True)
class Request:
    root: Path
    out_dir: Path
    engine: str = "mkdocs"
    cache_dir: str | None = None
    workers: int | None = None


def build_bundles(request: Request) -> int:
    """Write every bundle; exit code as for a build. Nothing is written to ``out_dir`` unless every bundle succeeded."""
    project, diagnostics = load_project(request.root, request.root / "content", request.root / "guests", Profile.FULL)
    if project is None:
        for diagnostic in diagnostics:
            print(diagnostic, file=sys.stderr)
        print("Nothing was bundled.", file=sys.stderr)
        return 1
    secret = event_secret(request.root)
    wanted = bundles(project.loaded.event, project.loaded.guests)
    config = request.root / "mkdocs.yml"
    engine.use(request.engine)
    with tempfile.TemporaryDirectory(prefix=".bundles-", dir=request.root) as scratch:
        work = Path(scratch)
        full = work / "full"
        try:
            engine.build_site(config, full, Options(Profile.FULL.value, True, request.cache_dir, request.workers))
        except engine.BuildFailed as exc:
            print(f"{exc}\nNothing was bundled.", file=sys.stderr)
            return 1
        zips = work / "zips"
        zips.mkdir()
        for bundle in wanted:
            site = work / bundle.id
            options = Options(Profile.TRAINING.value, False, request.cache_dir, request.workers, bundle.guests)
            try:
                engine.build_site(config, site, options)
            except engine.BuildFailed as exc:
                print(f"{bundle.id}: {exc}\nNothing was bundled.", file=sys.stderr)
                return 1
            plan = plan_project(project, None, build_date(), only=bundle.guests)
            _lock(site, full, plan, bundle, secret)
            zip_site(site, zips / f"{bundle.id}.zip")
            print(f"Bundle {bundle.id}: {len(bundle.guests)} guest(s)", file=sys.stderr)
        request.out_dir.mkdir(parents=True, exist_ok=True)
        for made in sorted(zips.iterdir()):
            made.replace(request.out_dir / made.name)
    print(f"Wrote {len(wanted)} bundles to {request.out_dir}/ (passwords: `lo-briefing password-sheet`).", file=sys.stderr)
    return 0


def _lock(site: Path, full: Path, plan: OutputPlan, bundle: Bundle, secret: bytes) -> None:
    """Seal the full guest pages and phone files into the bundle ``site``, encrypt its guest PDFs."""
    user = password(secret, bundle.id)
    key = page_key(user, salt(secret, bundle.id))
    owner = owner_password(secret, bundle.id)
    for guest_id in plan.guests:
        page = outputs.guest_page(guest_id).removesuffix(".md") + ".html"
        files = {path: (MIME[Path(path).suffix], _seal(key, secret, bundle.id, path, (full / path).read_bytes()))
                 for path in (outputs.calendar(guest_id), outputs.contacts(guest_id))}
        full_article = article((full / page).read_text(encoding="utf-8"))
        sealed = _seal(key, secret, bundle.id, page, full_article.encode("utf-8"))
        shown = (site / page).read_text(encoding="utf-8")
        (site / page).write_text(lock_page(shown, sealed, files, key), encoding="utf-8")
    for download in plan.handbooks + plan.pockets:
        source, target = full / download.path, site / download.path
        if download.owner is None:
            shutil.copyfile(source, target)
        else:
            lock_pdf(source, target, user, owner)


def _seal(key: PageKey, secret: bytes, bundle_id: str, name: str, data: bytes) -> str:
    return seal(key, nonce(secret, bundle_id, name, data), data)
