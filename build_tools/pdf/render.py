"""Handbooks to PDF files: Jinja2 print template + print CSS → WeasyPrint, cached by input hash, in parallel."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import groupby
from pathlib import Path

import jinja2

from .. import cachefiles
from .handbooks import Handbook

log = logging.getLogger(__name__)
PRINT_DIR = Path(__file__).resolve().parents[2] / "theme" / "print"


@dataclass(frozen=True)
class Job:
    html: str
    target: Path
    key: str
    book: Handbook | None = field(default=None, compare=False, repr=False)  # set when it has shared chapters to join


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PRINT_DIR), undefined=jinja2.StrictUndefined, autoescape=True)
    env.filters["groupby_part"] = lambda chapters: [(part, list(group)) for part, group in groupby(chapters, key=lambda c: c.part)]
    return env


def handbook_html(handbook: Handbook) -> str:
    css = (PRINT_DIR / "handbook.css").read_text(encoding="utf-8")
    return _environment().get_template("handbook.html.j2").render(book=handbook, css=css)


@cache
def _stack_fingerprint() -> str:
    """Versions and fonts that change the output without changing the HTML (no weasyprint import: a build whose
    PDFs all come from the cache never loads it)."""
    from importlib.metadata import version

    code = "".join(path.read_text(encoding="utf-8") for path in sorted(Path(__file__).parent.glob("*.py")))
    fonts = ""
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=th", "file", "fontversion"], capture_output=True, text=True).stdout
    return "\n".join([version("weasyprint"), hashlib.sha256(code.encode()).hexdigest(), *sorted(fonts.splitlines())])


def job_for(handbook: Handbook, out_dir: Path) -> Job:
    job = job_for_html(handbook_html(handbook), out_dir / handbook.filename)
    return replace(job, book=handbook) if handbook.shared_from else job


def job_for_html(html: str, target: Path) -> Job:
    """A job for any complete print document (pocket cards, run sheets…), cached by the same key as the handbooks."""
    key = hashlib.sha256((_stack_fingerprint() + "\0" + html).encode()).hexdigest()
    return Job(html=html, target=target, key=key)


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


# Join shared chapters (joined.py) only when enough handbooks share them: a worker lays them out once before it can
# reuse them, so for one or two handbooks a whole render is cheaper. Both ways give the same bytes.
JOIN_FROM = 4


def _write_pdf(html: str, target: str, key: str, book: Handbook | None = None, site_dir: str | None = None) -> list[str]:
    """Runs in a worker process. Returns the characters no font could draw (the PDF is then discarded).

    With ``book``, its shared chapters come from the layout this process keeps (``joined.py``); whenever that could
    differ from a whole render, the whole ``html`` is rendered instead.
    """
    from weasyprint import HTML

    from .fetcher import own_files_fetcher
    from .joined import NotJoinable, render_joined
    from .thai_text import enable_thai_text_fix

    enable_thai_text_fix()
    options = {"pdf_identifier": key[:32].encode(), "custom_metadata": True}
    fetcher = own_files_fetcher(Path(site_dir) if site_dir else None)  # our own files only: no build machine, no network

    def layout(source: str):  # noqa: ANN202 - a weasyprint Document
        return HTML(string=source, base_url=str(PRINT_DIR), url_fetcher=fetcher).render(**options)

    collector = _NotdefCollector()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(collector)
    try:
        document = None
        if book is not None and book.shared_from:
            try:
                document = render_joined(book, book.shared_from, layout)
            except NotJoinable as exc:
                log.debug("%s: rendered whole (%s)", Path(target).name, exc)
        if document is None:
            document = layout(html)
        document.write_pdf(target, **options)
    finally:
        weasy_logger.removeHandler(collector)
    return sorted(collector.characters)


def render_all(jobs: Iterable[Job], cache_dir: Path, workers: int | None = None) -> list[Path]:
    """Write every job's PDF, taking it from the cache when its key was rendered before."""
    jobs = list(jobs)
    cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # A cached PDF is used only when its bytes match the hash recorded when it was written (cachefiles.restore).
    todo = [job for job in jobs if not cachefiles.restore(cache_dir / f"{job.key}.pdf", job.target)]
    show = _progress(len(jobs), len(jobs) - len(todo))
    if todo and (missing := _render(todo, cache_dir, workers or os.cpu_count() or 1, show)):
        raise MissingGlyphs(missing)
    for job in todo:
        if not cachefiles.restore(cache_dir / f"{job.key}.pdf", job.target):
            raise OSError(f"the PDF just rendered into the cache changed before it could be used: {cache_dir / job.key}.pdf")
    return [job.target for job in jobs]


def _render(todo: list[Job], cache_dir: Path, workers: int, show: Callable[[str], None]) -> dict[str, list[str]]:
    """Render ``todo`` into the cache on up to ``workers`` processes. Returns, by file name, the characters no font
    could draw of every document that had some: those are not cached."""
    import weasyprint  # noqa: F401 - loaded once here, so the forked workers start with it

    join = sum(1 for job in todo if job.book is not None) >= JOIN_FROM
    todo = sorted(todo, key=lambda job: len(job.html), reverse=True)  # longest first: no big one left for the end
    # A private temporary name per build, so two builds sharing a cache never write the same file.
    scratch = {job.key: cache_dir / f"{job.key}.{os.getpid()}.tmp" for job in todo}
    missing: dict[str, list[str]] = {}
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
            futures = {
                pool.submit(_write_pdf, job.html, str(scratch[job.key]), job.key, job.book if join else None,
                            str(job.target.parent.parent)): job  # the site the document is part of
                for job in todo
            }
            try:
                for future in as_completed(futures):
                    job = futures[future]
                    if characters := future.result():
                        missing[job.target.name] = characters
                        continue
                    cachefiles.commit(scratch[job.key], cache_dir / f"{job.key}.pdf")  # with its hash
                    show(job.target.name)
            except BaseException:  # a worker failed, or Ctrl-C: the documents not started yet never will be
                pool.shutdown(cancel_futures=True)
                raise
    finally:
        for path in scratch.values():  # whatever was not moved into the cache
            path.unlink(missing_ok=True)
    return missing


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
