"""``lo-briefing bundles``: one zipped offline site per LO, and one for the coordinators, locked with their passwords.

How a bundle is made, from the output plan and what the main build rendered:

1. The whole event is built once with the full profile (PDFs from the cache: nothing unchanged is rendered again),
   unless the last ``lo-briefing build`` made that very site (``full_site``): then its site is read instead.
2. Each bundle is built with the training profile for only its guests (``Options.guests``): its pages, search index,
   "what changed" and phone files show no sensitive value, and it names no other guest anywhere.
3. Each of its guest pages gets the full page's content sealed into it (unlocked in the browser with the password),
   and the full .ics/.vcf sealed beside it; its PDFs are the full ones, every one encrypted with AES-256 (even the
   orientation handbook names the event's desks and their phone numbers). Each PDF is read once and written locked
   into every bundle that carries it (a guest's documents are in two or three bundles, the orientation handbook in
   all): so the bundles' sites are all built first, then the PDFs locked, then each bundle finished.
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
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import cachefiles, outputs
from ..archive import zip_site
from ..memo import Memo
from ..mkdocs_plugin import engine
from ..mkdocs_plugin.engine import Options
from ..offline_app import OfflineAppError, make_offline_app
from ..offline_app.manifest import NAME
from ..plan import OutputPlan
from ..profiles import Profile
from ..project import Project, load_project
from ..workers import Workers, fewer_collections, frozen_for_fork
from .freshness import bundle_keys, fresh, record, site_key
from .full_site import last_built
from .lock import PageKey, article, lock_page, lock_pdfs, page_key, seal
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
        failures = _make(job, todo, Workers(request.workers or 0).processes)
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

    def site(self, bundle: Bundle) -> tuple[OutputPlan | None, str | None]:
        """The bundle's site, its guest pages and phone files sealed: the plan it was built from, or the problem."""
        # The coordinators' bundle is the whole event (with the coordinator boards); an LO's has their guests only.
        guests = None if bundle.id == COORDINATORS else bundle.guests
        memo, shared = _worker_state()
        options = Options(Profile.TRAINING.value, False, self.cache_dir, 1, guests, memo=memo, shared=shared)
        try:
            plan = engine.build_site(self.config, self.work / bundle.id, options)
        except engine.BuildFailed as exc:
            return None, f"{bundle.id}: {exc}"
        _seal_pages(self.work / bundle.id, self.full, plan, bundle, self.secret)
        return plan, None

    def lock_pdf(self, path: str, bundle_ids: tuple[str, ...]) -> None:
        """One PDF of the full build, encrypted into the site of every bundle that carries it, each copy with that
        bundle's passwords. Every PDF is locked: even the orientation handbook names the event's desks and their phone
        numbers."""
        lock_pdfs(self.full / path, [(self.work / bundle_id / path, password(self.secret, bundle_id),
                                      owner_password(self.secret, bundle_id)) for bundle_id in bundle_ids])

    def finish(self, bundle: Bundle, plan: OutputPlan) -> str | None:
        """The bundle's site made the offline app and zipped (its folder removed then): None, or the problem."""
        site = self.work / bundle.id
        try:
            make_offline_app(site, plan, precache_downloads=True, cache_dir=self.app_cache, name=f"{NAME} — {bundle.name}")
        except OfflineAppError as exc:
            return f"{bundle.id}: {exc}"
        zip_site(site, self.work / "zips" / f"{bundle.id}.zip")
        shutil.rmtree(site)
        print(f"Bundle {bundle.id}: {len(bundle.guests)} guest(s)", file=sys.stderr, flush=True)
        return None


_JOB: _BundleJob | None = None  # what forked workers run (inherited, never pickled: the project is large)
# Per process: the bundles a worker builds one after another read the same files and share their knowledge pages.
_WORKER: tuple[Memo, SharedPages] | None = None


def _worker_state() -> tuple[Memo, SharedPages]:
    global _WORKER
    if _WORKER is None:
        from ..mkdocs_plugin.shared_pages import SharedPages  # imports MkDocs: only after engine.use

        _WORKER = (Memo(), SharedPages())
    return _WORKER


def _site(bundle: Bundle) -> tuple[OutputPlan | None, str | None]:
    assert _JOB is not None
    with fewer_collections():
        return _JOB.site(bundle)


def _lock_pdf(carried: tuple[str, tuple[str, ...]]) -> None:
    assert _JOB is not None
    _JOB.lock_pdf(*carried)


def _finish(built: tuple[Bundle, OutputPlan]) -> str | None:
    assert _JOB is not None
    return _JOB.finish(*built)


def _make(job: _BundleJob, wanted: list[Bundle], processes: int) -> list[str]:
    """Every bundle of ``wanted``, in three steps each spread over up to ``processes`` forked workers (they inherit
    the loaded project): the bundles' sites with their pages sealed; every PDF of the full build locked into each
    bundle that carries it, parsed once for all of them; each bundle made the offline app and zipped. Problems, in the
    order of ``wanted``; after a site that failed, nothing more is made.

    The bundles with the most guests go first (the coordinators' takes as long as several LOs' together: started
    last, one worker would build it alone while the others sit idle), and so do the PDFs with the most to write."""
    biggest_first = sorted(wanted, key=lambda bundle: len(bundle.guests), reverse=True)
    with _workers(job, processes, len(wanted)) as run:
        sites = dict(zip([bundle.id for bundle in biggest_first], run(_site, biggest_first)))
        problems = {bundle_id: problem for bundle_id, (_, problem) in sites.items() if problem}
        if not problems:
            plans = {bundle_id: plan for bundle_id, (plan, _) in sites.items() if plan is not None}
            carriers: dict[str, list[str]] = {}
            for bundle in biggest_first:
                for path in _pdfs(plans[bundle.id]):
                    carriers.setdefault(path, []).append(bundle.id)
            run(_lock_pdf, sorted(((path, tuple(ids)) for path, ids in carriers.items()),
                                  key=lambda carried: len(carried[1]) * (job.full / carried[0]).stat().st_size, reverse=True))
            finished = run(_finish, [(bundle, plans[bundle.id]) for bundle in biggest_first])
            problems = {bundle.id: problem for bundle, problem in zip(biggest_first, finished) if problem}
    return [problems[bundle.id] for bundle in wanted if bundle.id in problems]


@contextmanager
def _workers(job: _BundleJob, processes: int, bundle_count: int) -> Iterator[Callable[[Callable[[Any], Any], list[Any]], list[Any]]]:
    """``run(function, items)``: ``function`` of every item, on the workers (forked at the first run, kept for the
    next), or in this process when there is one worker or one bundle."""
    global _JOB
    _JOB = job
    try:
        if processes <= 1 or bundle_count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            yield lambda function, items: [function(item) for item in items]
            return
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(processes, bundle_count), mp_context=context) as pool:

            def run(function: Callable[[Any], Any], items: list[Any]) -> list[Any]:
                with frozen_for_fork():  # the first map forks the workers
                    return list(pool.map(function, items))

            yield run
    finally:
        _JOB = None


def _pdfs(plan: OutputPlan) -> list[str]:
    """The site paths of a bundle's PDFs."""
    return [download.path for download in (*plan.handbooks, *plan.pockets, *plan.boards)]


def _seal_pages(site: Path, full: Path, plan: OutputPlan, bundle: Bundle, secret: bytes) -> None:
    """Seal the full guest pages and phone files into the bundle ``site``."""
    user = password(secret, bundle.id)
    key = page_key(user, salt(secret, bundle.id))
    for guest_id in plan.guests:
        page = outputs.guest_page(guest_id).removesuffix(".md") + ".html"
        files = {path: (MIME[Path(path).suffix], _seal(key, secret, bundle.id, path, (full / path).read_bytes()))
                 for path in (outputs.calendar(guest_id), outputs.contacts(guest_id))}
        full_article = article((full / page).read_text(encoding="utf-8"))
        sealed = _seal(key, secret, bundle.id, page, full_article.encode("utf-8"))
        shown = (site / page).read_text(encoding="utf-8")
        (site / page).write_text(lock_page(shown, sealed, files, key), encoding="utf-8")


def _seal(key: PageKey, secret: bytes, bundle_id: str, name: str, data: bytes) -> str:
    return seal(key, nonce(secret, bundle_id, name, data), data)
