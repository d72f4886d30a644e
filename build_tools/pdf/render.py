"""Handbooks to PDF files: Jinja2 print template + print CSS → WeasyPrint, cached by input hash, in parallel."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from .. import cachefiles
from ..store import cache_key
from ..workers import PER_CORE, Workers, fewer_collections, frozen_for_fork
from .handbooks import Handbook
from .joined import NotJoinable, render_joined, shared_painted_first
from .templates import PRINT_DIR, handbook_html

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    html: str
    target: Path
    key: str
    book: Handbook | None = field(default=None, compare=False, repr=False)  # set when it has shared chapters to join


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
    job = job_for_html(handbook_html(handbook), target)
    return replace(job, book=handbook) if handbook.shared_from else job


def job_for_html(html: str, target: Path) -> Job:
    """A job for any complete print document (pocket cards, run sheets…), cached by the same key as the handbooks."""
    return Job(html=html, target=target, key=cache_key(stack_fingerprint(), html))


class MissingGlyphs(Exception):
    """Text in handbooks that no installed font can draw: those PDFs would show empty boxes. One line per document."""

    def __init__(self, missing: dict[str, list[str]]):
        super().__init__("\n".join(
            f"{filename}: expected text every installed font can draw, got characters no font has: "
            + ", ".join(f'"{c}" (U+{ord(c):04X})' for c in characters)
            + "; install a font that covers them (see `make fonts`) or remove them"
            for filename, characters in sorted(missing.items())))


class _NotdefCollector(logging.Handler):
    """Collects the characters WeasyPrint had to draw as .notdef boxes."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.characters: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith(".notdef glyph rendered") and record.args:
            self.characters.add(str(record.args[0]))


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


# Join shared chapters (joined.py) only when enough handbooks share them: a worker lays them out once before it can
# reuse them, so for one or two handbooks a whole render is cheaper. Both ways give the same bytes.
JOIN_FROM = 4


def _write_pdf(html: str, target: str, key: str, book: Handbook | None = None,
               variant: str = DEFAULT_PDF_VARIANT, site_dir: str | None = None, join: bool = False) -> list[str]:
    """Runs in a worker process. Returns the characters no font could draw (the PDF is then discarded).

    With ``book`` and ``join``, its shared chapters come from the layout and painting this process keeps
    (``joined.py``); whenever that could differ from a whole render, the whole ``html`` is rendered instead. Either way
    the shared chapters are painted first: the same bytes.
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

    collector = _NotdefCollector()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(collector)
    try:
        with fewer_collections():
            document = _document(html, book, join, layout, Path(target).name)
            document.write_pdf(target, **options)
    finally:
        weasy_logger.removeHandler(collector)
    return sorted(collector.characters)


def _document(html: str, book: Handbook | None, join: bool, layout: Callable[[str], Any], name: str) -> Any:
    """The laid-out document: joined from the shared layout where it can be, else rendered whole."""
    document = None
    if join and book is not None and book.shared_from:
        try:
            document = render_joined(book, book.shared_from, layout)
        except NotJoinable as exc:
            log.debug("%s: rendered whole (%s)", name, exc)
    if document is None:
        document = layout(html)
        if book is not None and book.shared_from:
            document = shared_painted_first(document, book, book.shared_from)
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
    variant_options(variant)  # an unknown variant fails before any work
    jobs = [replace(job, key=_variant_key(job.key, variant)) for job in jobs]
    cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # A cached PDF is used only when its bytes match the hash recorded when it was written (cachefiles.restore).
    todo = [job for job in jobs if not cachefiles.restore(cache_dir / f"{job.key}.pdf", job.target)]
    show = _progress(len(jobs), len(jobs) - len(todo))
    if todo and (missing := _render(todo, cache_dir, workers.processes, show, variant, apart)):
        raise MissingGlyphs(missing)
    for job in todo:
        if not cachefiles.restore(cache_dir / f"{job.key}.pdf", job.target):
            raise OSError(f"the PDF just rendered into the cache changed before it could be used: {cache_dir / job.key}.pdf")
    return [job.target for job in jobs]


def _variant_key(key: str, variant: str) -> str:
    """The cache key of a job written as ``variant`` (the default variant keeps the job's own key)."""
    if variant == DEFAULT_PDF_VARIANT:
        return key
    return cache_key(key, variant)


def _render(todo: list[Job], cache_dir: Path, workers: int, show: Callable[[str], None],
            variant: str = DEFAULT_PDF_VARIANT, apart: bool = False) -> dict[str, list[str]]:
    """Render ``todo`` into the cache on up to ``workers`` processes. Returns, by file name, the characters no font
    could draw of every document that had some: those are not cached."""
    import weasyprint  # noqa: F401 - loaded once here, so the forked workers start with it

    join = sum(1 for job in todo if job.book is not None) >= JOIN_FROM
    todo = sorted(todo, key=lambda job: len(job.html), reverse=True)  # longest first: no big one left for the end
    # A private temporary name per build, so two builds sharing a cache never write the same file.
    scratch = {job.key: cache_dir / f"{job.key}.{os.getpid()}.tmp" for job in todo}
    missing: dict[str, list[str]] = {}

    def done(job: Job, characters: list[str]) -> None:
        if characters:
            missing[job.target.name] = characters
        else:
            cachefiles.commit(scratch[job.key], cache_dir / f"{job.key}.pdf")  # with its hash
            show(job.target.name)

    try:
        if workers <= 1 or (len(todo) == 1 and not apart):  # in this process, one after the other
            for job in todo:
                done(job, _write_pdf(job.html, str(scratch[job.key]), job.key, job.book, variant, _site_of(job), join))
            return missing
        with ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
            with frozen_for_fork():  # the first submit forks the workers
                futures = {
                    pool.submit(_write_pdf, job.html, str(scratch[job.key]), job.key, job.book, variant,
                                _site_of(job), join): job
                    for job in todo
                }
            try:
                for future in as_completed(futures):
                    done(futures[future], future.result())
            except BaseException:  # a worker failed, or Ctrl-C: the documents not started yet never will be
                pool.shutdown(cancel_futures=True)
                raise
    finally:
        for path in scratch.values():  # whatever was not moved into the cache
            path.unlink(missing_ok=True)
    return missing


def _site_of(job: Job) -> str:
    """The site a document is part of (``site/pdf/x.pdf`` → ``site``): the only folder its fetcher may read."""
    return str(job.target.parent.parent)


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
