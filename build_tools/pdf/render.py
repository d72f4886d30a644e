"""Handbooks to PDF files: Jinja2 print template + print CSS → WeasyPrint, cached by input hash, in parallel."""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from .. import cachefiles
from ..store import cache_key
from ..workers import PER_CORE, Workers, fewer_collections, frozen_for_fork, give_back_memory
from .chapters import Chapter
from .handbooks import Handbook
from .joined import NotJoinable, render_joined, shared_painted_first
from .templates import PRINT_DIR, handbook_html

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One PDF to write: its HTML (or None for a handbook with shared chapters: see :func:`job_for`), where, and the
    cache key of its complete inputs."""

    html: str | None
    target: Path
    key: str
    size: int  # characters of its HTML (kept or not): the workers take the longest first
    book: Handbook | None = field(default=None, compare=False, repr=False)  # set when it has shared chapters to join

    def whole_html(self) -> str:
        """The complete document, as a whole render lays it out."""
        return whole_html(self.html, self.book)


def whole_html(html: str | None, book: Handbook | None) -> str:
    """``html``, or made again from ``book`` for a handbook job that kept none (:func:`job_for`)."""
    if html is not None:
        return html
    assert book is not None, "a job has its HTML or its book"
    return handbook_html(book)


@cache
def stack_fingerprint() -> str:
    """Versions and fonts that change the output without changing the HTML (no weasyprint import: a build whose
    PDFs all come from the cache never loads it)."""
    from importlib.metadata import version

    code = "".join(path.read_text(encoding="utf-8") for path in sorted(Path(__file__).parent.glob("*.py")))
    fonts = ""
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=th", "file", "fontversion"], capture_output=True, text=True).stdout
    return "\n".join([version("weasyprint"), cache_key(code), *sorted(fonts.splitlines())])


def job_for(handbook: Handbook, target: Path) -> Job:
    """A handbook's job. One with shared chapters keeps its book, not its HTML: a worker lays it out from the book
    (its own chapters, then the shared ones laid out once: ``joined.py``), and makes the HTML again only to render it
    whole. Kept, the guest handbooks' HTML, each with every shared chapter, was 84 MB of the build's main process at
    200 guests, held for the whole build and shared with every worker."""
    job = job_for_html(handbook_html(handbook), target)
    return replace(job, html=None, book=handbook) if handbook.shared else job


def job_for_html(html: str, target: Path) -> Job:
    """A job for any complete print document (pocket cards, run sheets…), cached by the same key as the handbooks."""
    return Job(html=html, target=target, key=cache_key(stack_fingerprint(), html), size=len(html))


class MissingGlyphs(Exception):
    """Text in handbooks that no installed font can draw: those PDFs would show empty boxes. One line per document."""

    def __init__(self, missing: dict[str, tuple[str, ...]]):
        super().__init__("\n".join(
            f"{filename}: expected text every installed font can draw, got characters no font has: "
            + ", ".join(f'"{c}" (U+{ord(c):04X})' for c in characters)
            + "; install a font that covers them (see `make fonts`) or remove them"
            for filename, characters in sorted(missing.items())))


@dataclass(frozen=True)
class Written:
    """What WeasyPrint warned about while writing one PDF: the characters it had to draw as .notdef boxes (the PDF is
    then discarded: :class:`MissingGlyphs`), and anything else it said (printed with the build's output)."""

    missing: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


class _Warnings(logging.Handler):
    """Collects what WeasyPrint warns about (its own logger drops it: WeasyPrint gives it a null handler)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.characters: set[str] = set()
        self.messages: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(".notdef glyph rendered") and record.args:
            self.characters.add(str(record.args[0]))
        else:
            self.messages.add(message)

    def written(self) -> Written:
        return Written(tuple(sorted(self.characters)), tuple(sorted(self.messages)))


# The kinds of PDF the build writes (mkdocs.yml: plugins: lo-briefing: pdf_variant). The default is what a ministry
# files: archival PDF/A-2u, tagged as well (structure tree, language, reading order) so it also serves screen readers.
# "pdf/ua-1" is the accessible PDF/UA-1 (tagged, not archival), "plain" WeasyPrint's untagged default.
PDF_VARIANTS: dict[str, dict[str, object]] = {
    "pdf/a-2u": {"pdf_variant": "pdf/a-2u", "pdf_tags": True},
    "pdf/a-3u": {"pdf_variant": "pdf/a-3u", "pdf_tags": True},
    "pdf/ua-1": {"pdf_variant": "pdf/ua-1"},
    "plain": {},
}
DEFAULT_PDF_VARIANT = "pdf/a-2u"


def variant_options(variant: str) -> dict[str, object]:
    """WeasyPrint options for one of :data:`PDF_VARIANTS`."""
    try:
        return dict(PDF_VARIANTS[variant])
    except KeyError:
        raise ValueError(f"expected a PDF variant among {', '.join(PDF_VARIANTS)}, got {variant!r}") from None


# Join a run of shared chapters (joined.py) only when enough handbooks of the build share it: a worker lays it out
# once before it can reuse it, so for one or two handbooks a whole render is cheaper. Both ways give the same bytes.
JOIN_FROM = 4


def _write_pdf(html: str | None, target: str, key: str, book: Handbook | None = None,
               variant: str = DEFAULT_PDF_VARIANT, site_dir: str | None = None, join: tuple[int, ...] = ()) -> Written:
    """Runs in a worker process. Returns what WeasyPrint warned about: the characters no font could draw (the PDF is
    then discarded), and anything else.

    With ``book``, the shared runs ``join`` (indexes into ``book.shared``) come from the layouts and paintings this
    process keeps (``joined.py``); whenever that could differ from a whole render, the whole ``html`` (made from
    ``book`` when None) is rendered instead. Either way the shared runs are painted first: the same bytes.
    """
    from weasyprint import HTML

    from . import pydyf_speed
    from .fetcher import own_files_fetcher
    from .thai_text import enable_thai_text_fix

    enable_thai_text_fix()
    pydyf_speed.install()
    options = {"pdf_identifier": key[:32].encode(), "custom_metadata": True, **variant_options(variant)}
    fetcher = own_files_fetcher(Path(site_dir) if site_dir else None)  # our own files only: no build machine, no network

    def layout(source: str):  # noqa: ANN202 - a weasyprint Document
        return HTML(string=source, base_url=str(PRINT_DIR), url_fetcher=fetcher).render(font_config=_fonts(), **options)

    collector = _Warnings()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(collector)
    try:
        with fewer_collections():
            document = _document(html, book, join, layout, Path(target).name)
            document.write_pdf(target, **options)
    finally:
        weasy_logger.removeHandler(collector)
    return collector.written()


_WORKER_JOBS: list[tuple[Any, ...]] = []  # in a worker process: the arguments of its build's documents (by index)


def _take_jobs(arguments: list[tuple[Any, ...]]) -> None:
    """A worker process starts with every document's arguments, inherited through the fork: a task is only an index.
    Sent with each task, the documents were pickled in the main process, and pickling keeps a UTF-8 copy of each
    Thai HTML string in the string itself: the main process grew by that copy of every document it sent (24 MB
    at 50 guests, 90 at 200), and spent the time encoding them."""
    global _WORKER_JOBS
    _WORKER_JOBS = arguments


def _write_nth_pdfs(indexes: list[int]) -> list[Written]:
    """The documents ``indexes`` (:func:`_write_pdf`, one after another) as a worker's task; after each, the worker
    gives back what it left."""
    written = []
    for index in indexes:
        try:
            written.append(_write_pdf(*_WORKER_JOBS[index]))
        finally:
            give_back_memory()
    return written


def _document(html: str | None, book: Handbook | None, join: tuple[int, ...], layout: Callable[[str], Any],
              name: str) -> Any:
    """The laid-out document: joined from the shared layouts where it can be, else rendered whole."""
    document = None
    if join and book is not None:
        try:
            document = render_joined(book, join, layout)
        except NotJoinable as exc:
            log.debug("%s: rendered whole (%s)", name, exc)
    if document is None:
        document = layout(whole_html(html, book))
        if book is not None:
            document = shared_painted_first(document, book)
    return document


_FONTS: tuple[int, Any] | None = None  # (process id, its weasyprint FontConfiguration)


def _fonts() -> Any:
    """One font configuration per process for every document it lays out: WeasyPrint otherwise loads the fonts again
    for each (a tenth of a second of a card or a run sheet; the same bytes, checked)."""
    global _FONTS
    if _FONTS is None or _FONTS[0] != os.getpid():
        from weasyprint.text.fonts import FontConfiguration

        _FONTS = (os.getpid(), FontConfiguration())
    return _FONTS[1]


def render_all(jobs: Iterable[Job], cache_dir: Path, workers: Workers = PER_CORE,
               variant: str = DEFAULT_PDF_VARIANT, apart: bool = False) -> list[Path]:
    """Write every job's PDF, taking it from the cache when its key was rendered before (as the same ``variant``).

    ``apart``: a single document too goes to a worker process, unless ``workers`` is one (a preview renders from a
    thread beside its rebuilds: in this process WeasyPrint would hold the interpreter's lock the rebuild needs)."""
    return start_rendering(jobs, cache_dir, workers, variant, apart).wait()


def start_rendering(jobs: Iterable[Job], cache_dir: Path, workers: Workers = PER_CORE,
                    variant: str = DEFAULT_PDF_VARIANT, apart: bool = False) -> Rendering:
    """:func:`render_all`, returning as soon as the PDFs not in the cache are rendering on worker processes: the build
    finishes the rest (the search index, the phone files) meanwhile, then ``wait()``. Rendered in this process (one
    worker, or one document not ``apart``), they are done when this returns."""
    variant_options(variant)  # an unknown variant fails before any work
    jobs = [replace(job, key=_variant_key(job.key, variant)) for job in jobs]
    cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # A cached PDF is used only when its bytes match the hash recorded when it was written (cachefiles.restore).
    todo = [job for job in jobs if not cachefiles.restore(cache_dir / f"{job.key}.pdf", job.target)]
    rendering = Rendering(jobs, todo, cache_dir, variant)
    try:
        rendering.start(workers.processes, apart)
    except BaseException:
        rendering.cancel()
        raise
    return rendering


def _variant_key(key: str, variant: str) -> str:
    """The cache key of a job written as ``variant`` (the default variant keeps the job's own key)."""
    if variant == DEFAULT_PDF_VARIANT:
        return key
    return cache_key(key, variant)


class Rendering:
    """The PDFs of one build being rendered into the cache (``start``), then copied to their targets (``wait``)."""

    def __init__(self, jobs: list[Job], todo: list[Job], cache_dir: Path, variant: str) -> None:
        self.jobs, self.cache_dir, self.variant = jobs, cache_dir, variant
        self.joins = _joins(todo)
        self.todo = _in_order(todo, self.joins)
        # A private temporary name per build, so two builds sharing a cache never write the same file.
        self.scratch = {job.key: cache_dir / f"{job.key}.{os.getpid()}.tmp" for job in self.todo}
        self.missing: dict[str, tuple[str, ...]] = {}  # by file name, the characters no font could draw (not cached)
        self.warned: dict[str, list[str]] = {}  # what else WeasyPrint warned about → the files it warned in
        self.show = _progress(len(jobs), len(jobs) - len(todo))
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[Any, list[Job]] = {}

    def start(self, workers: int, apart: bool) -> None:
        if not self.todo:
            return
        if workers <= 1 or (len(self.todo) == 1 and not apart):  # in this process, one after the other
            for job in self.todo:
                self._done(job, _write_pdf(*self._arguments(job)))
            return
        import weasyprint  # noqa: F401 - loaded once here: the forked workers share it instead of each loading it
        fork = "fork" if "fork" in multiprocessing.get_all_start_methods() else None  # else the arguments are pickled
        self.pool = ProcessPoolExecutor(max_workers=min(workers, len(self.todo)), mp_context=multiprocessing.get_context(fork),
                                        initializer=_take_jobs, initargs=([self._arguments(job) for job in self.todo],))
        with frozen_for_fork():  # the first submit forks the workers
            self.futures = {self.pool.submit(_write_nth_pdfs, batch): [self.todo[index] for index in batch]
                            for batch in _batches(self.todo, self.joins)}

    def wait(self) -> list[Path]:
        """Every job's PDF at its target; raises :class:`MissingGlyphs` for documents with text no font can draw."""
        try:
            for future in as_completed(self.futures):
                for job, written in zip(self.futures[future], future.result()):
                    self._done(job, written)
        except BaseException:  # a worker failed, or Ctrl-C: the documents not started yet never will be
            self.cancel()
            raise
        self._close()
        _print_warnings(self.warned)
        if self.missing:
            raise MissingGlyphs(self.missing)
        for job in self.todo:
            if not cachefiles.restore(self.cache_dir / f"{job.key}.pdf", job.target):
                raise OSError("the PDF just rendered into the cache changed before it could be used: "
                              f"{self.cache_dir / job.key}.pdf")
        return [job.target for job in self.jobs]

    def cancel(self) -> None:
        """The documents not started are dropped; those rendering finish, then their scratch files go."""
        self._close(cancel=True)

    def _arguments(self, job: Job) -> tuple[Any, ...]:
        return job.html, str(self.scratch[job.key]), job.key, job.book, self.variant, _site_of(job), self.joins.get(job.key, ())

    def _done(self, job: Job, written: Written) -> None:
        for message in written.warnings:
            self.warned.setdefault(message, []).append(job.target.name)
        if written.missing:
            self.missing[job.target.name] = written.missing
        else:
            cachefiles.commit(self.scratch[job.key], self.cache_dir / f"{job.key}.pdf")  # with its hash
            self.show(job.target.name)

    def _close(self, cancel: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=cancel)
            self.pool = None
        for path in self.scratch.values():  # whatever was not moved into the cache
            path.unlink(missing_ok=True)


def _joins(todo: list[Job]) -> dict[str, tuple[int, ...]]:
    """For each handbook to render, the shared runs it takes from a layout of its worker's (``joined.py``): those at
    least :data:`JOIN_FROM` of these handbooks share. Every guest's emergency procedures from four guests on, a country
    page from four guests of that country on."""
    shared = Counter(run for job in todo if job.book is not None for run in _runs(job.book))
    return {job.key: joined for job in todo if job.book is not None
            if (joined := tuple(index for index, run in enumerate(_runs(job.book)) if shared[run] >= JOIN_FROM))}


def _runs(book: Handbook) -> list[tuple[Chapter, ...]]:
    return [tuple(book.chapters[start:end]) for start, end in book.shared]


def _in_order(todo: list[Job], joins: dict[str, tuple[int, ...]]) -> list[Job]:
    """The order the workers take the documents in: longest first, so that no big one is left for the end.

    When handbooks are joined, the longest (the orientation handbook, the most memory a worker holds) is followed by
    the documents that need no shared layout, shortest first (cards, run sheets, then the boards), then the joined
    handbooks: neither a worker's first joined handbook, which also lays out the shared chapters, nor a long board
    (81 pages of tables at 200 guests) is laid out beside the orientation handbook. Started beside it, each made the
    build's peak memory: 486 + 371 MB in the workers and the main process's 220 at 200 guests. The joined handbooks
    go by the runs they join, the runs most of them join first (a country's guests together, the country with the
    most guests first): a worker lays out a country's page once for the handbooks it renders (:func:`_batches`), and
    the smallest tasks come last, when one worker may wait for the other to finish."""
    by_length = sorted(todo, key=lambda job: job.size, reverse=True)
    if not joins:
        return by_length
    first, rest = by_length[:1], by_length[1:]
    joined = [job for job in rest if job.key in joins]
    runs = {job.key: _joined_runs(job, joins) for job in joined}
    sharing = Counter(runs[job.key] for job in joined)
    return [*first, *sorted((job for job in rest if job.key not in joins), key=lambda job: job.size),
            *sorted(joined, key=lambda job: (-sharing[runs[job.key]], runs[job.key]))]


# A worker's task is one document, or up to this many joined handbooks that join the same runs (a country's guests):
# handed out one by one, both workers took turns at each country's handbooks, and each laid out every country's page
# for half as many handbooks to share it. Small enough that the last tasks leave neither worker waiting long.
BATCH = 8


def _batches(todo: list[Job], joins: dict[str, tuple[int, ...]]) -> list[list[int]]:
    """``todo`` (in :func:`_in_order`'s order) as the workers' tasks, each a list of indexes into it: the joined
    handbooks that follow one another and join the same runs together, in tasks of at most :data:`BATCH` (as even as
    can be), every other document alone."""
    groups: list[tuple[tuple[tuple[str, ...], ...] | None, list[int]]] = []
    for index, job in enumerate(todo):
        runs = _joined_runs(job, joins) if job.key in joins else None
        if runs is not None and groups and groups[-1][0] == runs:
            groups[-1][1].append(index)
        else:
            groups.append((runs, [index]))
    batches = []
    for _, indexes in groups:
        tasks = -(-len(indexes) // BATCH)
        batches.extend(indexes[task::tasks] for task in range(tasks))
    return batches


def _joined_runs(job: Job, joins: dict[str, tuple[int, ...]]) -> tuple[tuple[str, ...], ...]:
    """The chapter ids of the runs ``job`` joins: the same for the handbooks of the guests of one country."""
    assert job.book is not None
    runs = _runs(job.book)
    return tuple(tuple(chapter.id for chapter in runs[index]) for index in joins[job.key])


def _site_of(job: Job) -> str:
    """The site a document is part of (``site/pdf/x.pdf`` → ``site``): the only folder its fetcher may read."""
    return str(job.target.parent.parent)


def _print_warnings(warned: dict[str, list[str]]) -> None:
    """Each thing WeasyPrint warned about once, with the files it warned in. Printed, not logged: the build goes on
    (MkDocs' strict mode fails on a logged warning), and a preview's PDFs render beside its rebuilds."""
    for message, names in sorted(warned.items()):
        where = ", ".join(sorted(names)[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        print(f"PDF: WeasyPrint warned in {where}: {message}", file=sys.stderr, flush=True)


def _progress(total: int, cached: int):  # noqa: ANN202 - returns a small callback
    done = cached
    tty = sys.stderr.isatty()
    if cached:
        print(f"PDF: {cached} of {total} unchanged, taken from the cache", file=sys.stderr)

    def step(name: str) -> None:
        nonlocal done
        done += 1
        line = f"PDF {done}/{total} {name}"
        print(f"\r\033[K{line}" if tty else line, end="" if tty and done < total else "\n", file=sys.stderr, flush=True)

    return step
