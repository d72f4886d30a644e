"""``lo-briefing bundles``: one zipped offline site per LO, and one for the coordinators, locked with their passwords.

How a bundle is made, from the output plan and what the main build rendered:

1. The whole event is built once with the full profile (PDFs from the cache: nothing unchanged is rendered again),
   unless the last ``lo-briefing build`` made that very site (``full_site``): then its site is read instead.
2. Each bundle is built with the training profile for only its guests (``Options.guests``): its pages, search index,
   "what changed" and phone files show no sensitive value, and it names no other guest anywhere.
3. Each of its guest pages gets the full page's content sealed into it (unlocked in the browser with the password),
   and the full .ics/.vcf sealed beside it; its PDFs are the full ones, every one encrypted with AES-256 (even the
   orientation handbook names the event's desks and their phone numbers).
4. It becomes the installable offline app with everything precached (``offline_app``), and is zipped into
   ``bundles/<lo-id>.zip`` (outside ``site/``); ``index.html`` inside also opens from file://.

A bundle whose inputs did not change since its zip was made is kept as it is (``freshness``): a run with nothing
changed builds nothing, and an edit to one guest rebuilds the bundles that carry that guest.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import cachefiles, outputs
from ..archive import zip_site
from ..memo import Memo
from ..mkdocs_plugin import engine
from ..mkdocs_plugin.engine import Options
from ..offline_app import OfflineAppError, make_offline_app
from ..offline_app.manifest import NAME
from ..plan import HandbookPlan, OutputPlan
from ..profiles import Profile
from ..project import Project, load_project
from ..workers import Workers, fewer_collections, frozen_for_fork
from .freshness import bundle_keys, fresh, record, site_key
from .full_site import last_built
from .lock import OpenedPdfs, PageKey, article, lock_page, lock_pdf, page_key, seal
from .membership import COORDINATORS, Bundle, bundles
from .secret import event_secret, nonce, owner_password, password, salt

if TYPE_CHECKING:
    from ..mkdocs_plugin.shared_pages import SharedPages

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
    keys = bundle_keys(request.root, wanted, project.loaded.guests, secret)
    kept = fresh(request.out_dir, keys)
    todo = [bundle for bundle in wanted if bundle.id not in kept]
    if not todo:
        print(f"All {len(wanted)} bundles in {request.out_dir}/ are up to date: nothing changed since they were made.",
              file=sys.stderr)
        return 0
    config = request.root / "mkdocs.yml"
    engine.use(request.engine)
    with (tempfile.TemporaryDirectory(prefix=".bundles-", dir=request.root) as scratch,
          last_built(cachefiles.folder(request.root, request.cache_dir), site_key(request.root, request.engine)) as built):
        work = Path(scratch)
        full = built or work / "full"
        if built is not None:
            print(f"Sealing from the site built in {built}/ (nothing changed since).", file=sys.stderr)
        else:
            try:
                engine.build_site(config, full, Options(Profile.FULL.value, True, request.cache_dir, request.workers))
            except engine.BuildFailed as exc:
                print(f"{exc}\nNothing was bundled.", file=sys.stderr)
                return 1
        zips = work / "zips"
        zips.mkdir()
        job = _BundleJob(config, work, full, project, secret, request.cache_dir)
        failures = _each(job, todo, Workers(request.workers or 0).processes)
        if failures:
            print("\n".join(failures) + "\nNothing was bundled.", file=sys.stderr)
            return 1
        request.out_dir.mkdir(parents=True, exist_ok=True)
        for made in sorted(zips.iterdir()):
            made.replace(request.out_dir / made.name)
        record(request.out_dir, keys)
    unchanged = f"; {len(kept)} unchanged, kept as they were" if kept else ""
    print(f"Wrote {len(todo)} bundles to {request.out_dir}/{unchanged} (passwords: `lo-briefing password-sheet`).",
          file=sys.stderr)
    return 0


@dataclass(frozen=True)
class _BundleJob:
    """What every bundle's build shares: the engine's config, the work folder, the full build, the project."""

    config: Path
    work: Path
    full: Path
    project: Project
    secret: bytes
    cache_dir: str | None

    @property
    def app_cache(self) -> Path:
        return cachefiles.folder(self.config.parent, self.cache_dir)

    def __call__(self, bundle: Bundle) -> str | None:
        """Build, lock and zip one bundle (in a worker process); the problem as a line, or None."""
        site = self.work / bundle.id
        # The coordinators' bundle is the whole event (with the coordinator boards); an LO's has their guests only.
        guests = None if bundle.id == COORDINATORS else bundle.guests
        memo, shared, opened = _worker_state()
        options = Options(Profile.TRAINING.value, False, self.cache_dir, 1, guests, memo=memo, shared=shared)
        try:
            plan = engine.build_site(self.config, site, options)
            _lock(site, self.full, plan, bundle, self.secret, opened)
            make_offline_app(site, plan, precache_downloads=True, cache_dir=self.app_cache, name=f"{NAME} — {bundle.name}")
        except (engine.BuildFailed, OfflineAppError) as exc:
            return f"{bundle.id}: {exc}"
        zip_site(site, self.work / "zips" / f"{bundle.id}.zip")
        shutil.rmtree(site)
        print(f"Bundle {bundle.id}: {len(bundle.guests)} guest(s)", file=sys.stderr, flush=True)
        return None


_JOB: _BundleJob | None = None  # what forked workers run (inherited, never pickled: the project is large)
# Per process: the bundles a worker builds one after another read the same files, share their knowledge pages and
# lock the same orientation handbook.
_WORKER: tuple[Memo, SharedPages, OpenedPdfs] | None = None


def _worker_state() -> tuple[Memo, SharedPages, OpenedPdfs]:
    global _WORKER
    if _WORKER is None:
        from ..mkdocs_plugin.shared_pages import SharedPages  # imports MkDocs: only after engine.use

        _WORKER = (Memo(), SharedPages(), OpenedPdfs())
    return _WORKER


def _run(bundle: Bundle) -> str | None:
    assert _JOB is not None
    with fewer_collections():
        return _JOB(bundle)


def _each(job: _BundleJob, wanted: list[Bundle], processes: int) -> list[str]:
    """Run ``job`` for every bundle, on up to ``processes`` forked workers (they inherit the loaded project).

    The bundles with the most guests start first (the coordinators' takes as long as several LOs' together): started
    last, one worker would build it alone while the others sit idle. Problems are listed in the order of ``wanted``.
    """
    global _JOB
    if processes <= 1 or len(wanted) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [problem for bundle in wanted if (problem := job(bundle))]
    biggest_first = sorted(wanted, key=lambda bundle: len(bundle.guests), reverse=True)
    _JOB = job
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(processes, len(wanted)), mp_context=context) as pool:
            with frozen_for_fork():  # map submits them all: the first forks the workers
                results = pool.map(_run, biggest_first)
            problems = dict(zip([bundle.id for bundle in biggest_first], results))
    finally:
        _JOB = None
    return [problem for bundle in wanted if (problem := problems[bundle.id])]


def _lock(site: Path, full: Path, plan: OutputPlan, bundle: Bundle, secret: bytes, opened: OpenedPdfs) -> None:
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
    # Every PDF is locked: even the orientation handbook names the event's desks with their phone numbers. It is in
    # every bundle, so the worker keeps it open; a guest's documents are in two or three bundles at most.
    for download in (*plan.handbooks, *plan.pockets, *plan.boards):
        in_every_bundle = isinstance(download, HandbookPlan) and download.kind == "orientation"
        lock_pdf(full / download.path, site / download.path, user, owner, opened if in_every_bundle else None)


def _seal(key: PageKey, secret: bytes, bundle_id: str, name: str, data: bytes) -> str:
    return seal(key, nonce(secret, bundle_id, name, data), data)
