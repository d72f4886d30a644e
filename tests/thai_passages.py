"""Thai passages of the site and whether PDF text extractors give them back exactly.

A passage is a paragraph, list item or table cell of a page's article with at least
:data:`MIN_THAI_LETTERS` Thai letters, as the handbooks print it (:func:`passages`): styled with
the handbooks' print stylesheet through WeasyPrint's own cascade, so without what it hides
(``display: none``: the guest page's now/next card) and with the text it adds (``::before`` and
``::after`` strings: the " (กติกาของงาน)" label after an event rule), without what the handbooks
take out (heading anchors, buttons), a ``<br>`` as a space, and its whitespace collapsed as a
browser shows it.  A picture in the text (an inline icon) is a gap, which extractors give as one
space or two, or none where no space stands beside it.

It is *found* in an extractor's text when it occurs there exactly, spaces included, with line
breaks ignored: a line may wrap between any two characters or in place of a space, a page break
may fall inside a passage (the lines of the running header and footer, the text in the page's
top and bottom margins as MuPDF finds it there, are taken out first: :func:`page_furniture`),
and a hyphen that ends a line may be dropped (poppler joins ``Al-`` and ``Mutairi`` into
``AlMutairi``) or marked (PDFium's U+FFFE) the way the extractor does it.  Invisible bidi
controls an extractor adds around right-to-left words are ignored.

The five extractors are those people copy and search with: poppler (``pdftotext``), pypdf,
PDFium (``pypdfium2``: Chrome, Edge, Android), MuPDF (``pymupdf``) and pdf.js (Firefox, through
``node tests/pdfjs_text.mjs`` and the ``pdfjs-dist`` devDependency).

Run as a script to print a table: ``python tests/thai_passages.py SITE_DIR [PDF…]``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PDFJS_SCRIPT = Path(__file__).with_name("pdfjs_text.mjs")
MIN_THAI_LETTERS = 15

_PASSAGE_TAGS = frozenset({"p", "li", "td", "th"})
# Blocks nested in a passage element are passages (or containers) of their own.
_NESTED_BLOCKS = frozenset({"p", "li", "ul", "ol", "table", "div", "dl", "blockquote", "pre", "details", "summary"})
# Site-only elements the handbooks take out of a page before printing it (build_tools.pdf.chapters).
_DROPPED_CLASSES = frozenset({"headerlink", "md-button"})
# Pictures in the text (the site's inline SVG icons, images): a gap on the page, no text.
_REPLACED = frozenset({"svg", "img"})
# A picture in a passage.  Where it stands with a space beside it, the page shows a space, the picture and a space,
# and extractors give that gap as one space or two (pypdf: ``·  ใบ``); where it stands between two letters, nothing
# or a space.  :func:`_pattern` matches it so.
PICTURE = "\ufffc"
HANDBOOK_CSS = REPO / "theme" / "print" / "handbook.css"
_THAI_LETTER = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45]")


def thai_letters(text: str) -> int:
    return len(_THAI_LETTER.findall(text))


@cache
def _print_css() -> str:
    return HANDBOOK_CSS.read_text(encoding="utf-8")


def _article(html: str) -> str:
    """The page's ``<article>`` (what the site shows as the page's text), or the whole body if it has none."""
    start, end = html.find("<article"), html.rfind("</article>")
    if start < 0 or end < 0:
        return html
    return html[start:end + len("</article>")]


def _printed_tree(html: str) -> tuple[Any, Callable[..., Any]]:
    """The page's article as the handbooks print it: its element tree and WeasyPrint's computed styles from the
    handbooks' print stylesheet (theme/print/handbook.css, an author style sheet as in the handbook), so that the
    measure sees what the print version shows: not the elements it hides (``display: none``, e.g. the guest page's
    now/next card with its "กำหนดการอยู่ด้านล่าง" line) and with the text it adds (``::before`` and ``::after``,
    e.g. the " (กติกาของงาน)" label after an event rule)."""
    from weasyprint import HTML
    from weasyprint.css import get_all_computed_styles

    document = HTML(string=f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><style>{_print_css()}</style>'
                           f'</head><body><section class="chapter">{_article(html)}</section></body></html>')
    return document.etree_element, get_all_computed_styles(document, font_config=_font_config())


@cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _generated(style_for: Callable[..., Any], element: Any, pseudo: str) -> str:
    """The text a ``::before`` or ``::after`` rule adds to ``element`` on paper."""
    style = style_for(element, pseudo)
    if style is None or style["content"] in ("normal", "none") or style["display"] == ("none",):
        return ""
    text = []
    for kind, value in style["content"]:
        if kind != "string":
            raise ValueError(f"{element.tag}.{element.get('class')}::{pseudo}: generated {kind} content; "
                             "the measure only knows strings")
        text.append(value)
    return "".join(text)


class _Walker:
    """Collects the passages of a printed tree in document order."""

    def __init__(self, style_for: Callable[..., Any]) -> None:
        self.style_for = style_for
        self.found: list[str] = []

    def hidden(self, element: Any) -> bool:
        classes = set((element.get("class") or "").split())
        return (not isinstance(element.tag, str) or element.tag in ("script", "style", "head")
                or bool(classes & _DROPPED_CLASSES) or self.style_for(element)["display"] == ("none",))

    def walk(self, element: Any) -> None:
        """Finds the passages in ``element`` and in what it holds."""
        if self.hidden(element):
            return
        if element.tag in _PASSAGE_TAGS:
            text = " ".join(self.text(element).split())
            text = re.sub(rf"^[\s{PICTURE}]+|[\s{PICTURE}]+$", "", text)
            if thai_letters(text) >= MIN_THAI_LETTERS:
                self.found.append(text)
        for child in element:
            self.walk(child)

    def text(self, element: Any) -> str:
        """What ``element`` prints as its own text: its generated text, its text and that of the inline elements in
        it, without the blocks nested in it (passages or containers of their own)."""
        if element.tag == "br":
            return " "
        if element.tag.rpartition("}")[2] in _REPLACED:  # SVG's elements come with their namespace
            return PICTURE
        pieces = [_generated(self.style_for, element, "before"), element.text or ""]
        for child in element:
            if not self.hidden(child) and child.tag not in _NESTED_BLOCKS:
                pieces.append(self.text(child))
            pieces.append(child.tail or "")
        pieces.append(_generated(self.style_for, element, "after"))
        return "".join(pieces)


def passages(html: str) -> list[str]:
    """The Thai passages of one HTML page as the handbooks print them, in document order (duplicates kept)."""
    root, style_for = _printed_tree(html)
    walker = _Walker(style_for)
    walker.walk(root)
    return walker.found


def chapter_id(url: str) -> str:
    """The id the handbooks give a site page's chapter (``build_tools.pdf.chapters.chapter_id``)."""
    return "ch-" + re.sub(r"[^a-z0-9]+", "-", url.lower().removesuffix(".html")).strip("-")


def site_chapters(site_dir: Path) -> dict[str, Path]:
    """Chapter id -> site page, for every page of the site."""
    return {chapter_id(path.relative_to(site_dir).as_posix()): path
            for path in site_dir.rglob("*.html") if "assets" not in path.parts}


def chapter_pages(pdf: Path) -> dict[str, int]:
    """Chapter id -> the index of the page it starts on, for the site pages a handbook holds (its named destinations
    ``ch-…`` without a fragment), read with qpdf (pikepdf): pypdf parsed every object of a handbook to find them."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        names = document.Root.get("/Names")
        if names is None or "/Dests" not in names:
            return {}
        pages = {page.objgen: index for index, page in enumerate(document.pages)}
        found = {}
        for name, target in pikepdf.NameTree(names.Dests).items():
            if name.startswith("ch-") and "--" not in name:
                target = target.get("/D", target) if isinstance(target, pikepdf.Dictionary) else target
                found[str(name)] = pages[target[0].objgen]
        return found


def pdf_chapters(pdf: Path) -> list[str]:
    """Chapter ids of the site pages a handbook holds."""
    return sorted(chapter_pages(pdf))


def handbook_passages(pdf: Path, site_dir: Path, chapters: Iterable[str] | None = None) -> list[str]:
    """The Thai passages of the site pages printed in ``pdf`` (of those among ``chapters`` when given)."""
    pages = site_chapters(site_dir)
    found: list[str] = []
    for chapter in pdf_chapters(pdf) if chapters is None else sorted(chapters):
        if chapter in pages:
            found += _page_passages(pages[chapter].read_text(encoding="utf-8"))
    return found


@cache
def _page_passages(html: str) -> tuple[str, ...]:
    """:func:`passages` of a page, worked out once: the guest handbooks print most knowledge pages again (WeasyPrint's
    cascade of each page took 23 s over the sample's eleven handbooks)."""
    return tuple(passages(html))


# --------------------------------------------------------------------------------------------
# Extractors
# --------------------------------------------------------------------------------------------

# Each takes the PDF and, optionally, how many of its first pages to read (``last``: pages 1 to ``last``).

def _poppler_pages(last: int | None) -> list[str]:
    return [] if last is None else ["-l", str(last)]


def pdftotext_text(pdf: Path, last: int | None = None) -> str:
    return subprocess.run(["pdftotext", *_poppler_pages(last), "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def pdftotext_raw_text(pdf: Path, last: int | None = None) -> str:
    """poppler's text in content-stream order (``-raw``): its reading of the glyphs without its layout analysis."""
    return subprocess.run(["pdftotext", "-raw", *_poppler_pages(last), "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def pypdf_text(pdf: Path, last: int | None = None) -> str:
    import pypdf

    return "\f".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages[:last])


def pdfium_text(pdf: Path | bytes, last: int | None = None, password: str | None = None) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf, password=password)
    try:
        count = len(document) if last is None else min(last, len(document))
        return "\f".join(document[i].get_textpage().get_text_range() for i in range(count))
    finally:
        document.close()


def mupdf_text(pdf: Path, last: int | None = None) -> str:
    import pymupdf

    with pymupdf.open(pdf) as document:
        return "\f".join(page.get_text() for page in document.pages(0, last))


def pdfjs_texts(pdfs: Sequence[Path], last: dict[Path, int] | None = None) -> dict[Path, str]:
    """pdf.js's text of several PDFs with one node process (of the first ``last[pdf]`` pages of those it names)."""
    if not pdfs:
        return {}
    last = last or {}
    arguments = [f"{pdf}::{last[pdf]}" if pdf in last else str(pdf) for pdf in pdfs]
    result = subprocess.run(["node", str(PDFJS_SCRIPT), *arguments], capture_output=True, text=True,
                            check=True, cwd=REPO)
    by_argument = json.loads(result.stdout)
    return {pdf: by_argument[argument] for pdf, argument in zip(pdfs, arguments)}


def pdfjs_text(pdf: Path, last: int | None = None) -> str:
    return pdfjs_texts([pdf], None if last is None else {pdf: last})[pdf]


EXTRACTORS: dict[str, Callable[[Path, int | None], str]] = {
    "pdftotext": pdftotext_text,
    "pypdf": pypdf_text,
    "pdfium": pdfium_text,
    "mupdf": mupdf_text,
    "pdfjs": pdfjs_text,
}


def missing_tools() -> list[str]:
    """What is not installed of the five extractors."""
    missing = []
    if shutil.which("pdftotext") is None:
        missing.append("pdftotext (poppler-utils)")
    for module in ("pypdf", "pypdfium2", "pymupdf"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if shutil.which("node") is None or not (REPO / "node_modules" / "pdfjs-dist").is_dir():
        missing.append("pdfjs-dist (npm ci)")
    return missing


class _Extracted:
    """Texts already extracted: (extractor, SHA-256 of the PDF's bytes) -> text. The same handbook is read by several
    tests (this measure, the literal-Markdown scan, the orientation checks); the extractors are deterministic, so the
    same bytes give the same text, and each is read once a run. Kept in memory and, when the test session names a
    folder (``LO_TEST_TEXTS``, conftest), also there: pytest-xdist's workers are processes of their own."""

    def __init__(self) -> None:
        self._texts: dict[tuple[str, str], str] = {}

    def _file(self, key: tuple[str, str]) -> Path | None:
        folder = os.environ.get("LO_TEST_TEXTS")
        return Path(folder) / f"{key[1]}.{re.sub(r'[^a-z-]', '_', key[0])}.txt" if folder else None

    def __contains__(self, key: tuple[str, str]) -> bool:
        if key in self._texts:
            return True
        file = self._file(key)
        if file is not None and file.is_file():
            with file.open(encoding="utf-8", errors="surrogatepass", newline="") as kept:  # exactly as it was read
                self._texts[key] = kept.read()
            return True
        return False

    def __getitem__(self, key: tuple[str, str]) -> str:
        if key not in self:
            raise KeyError(key)
        return self._texts[key]

    def __setitem__(self, key: tuple[str, str], text: str) -> None:
        self._texts[key] = text
        file = self._file(key)
        if file is not None:
            scratch = file.with_name(f"{file.name}.{os.getpid()}")
            scratch.write_text(text, encoding="utf-8", errors="surrogatepass", newline="")
            scratch.replace(file)  # whole or not at all, for a worker reading it at the same time


_EXTRACTED = _Extracted()


def _digest(pdf: Path) -> str:
    return hashlib.sha256(pdf.read_bytes()).hexdigest()


def extract_all(pdfs: Sequence[Path], raw: bool = False, names: Sequence[str] | None = None,
                last: dict[Path, int] | None = None) -> dict[str, dict[Path, str]]:
    """Extractor name -> PDF -> text, for the five extractors (with ``raw``, also ``"pdftotext -raw"``) or the ``names``
    given; of the first ``last[pdf]`` pages only, for the PDFs ``last`` names. Every (extractor, PDF) pair not read
    before is a task of its own on every core, pdf.js (one node process for all) beside them: one after another they
    took three minutes."""
    wanted = list(names) if names is not None else [*EXTRACTORS, *(["pdftotext -raw"] if raw else [])]
    last = last or {}
    digests = {pdf: _digest(pdf) + (f".first{last[pdf]}" if pdf in last else "") for pdf in pdfs}
    jobs = sorted({(name, pdf) for name in wanted if name != "pdfjs" for pdf in pdfs
                   if (name, digests[pdf]) not in _EXTRACTED}, key=lambda job: (job[0] != "pypdf", str(job[1]), job[0]))
    for_pdfjs = list(dict.fromkeys(pdf for pdf in pdfs if "pdfjs" in wanted and ("pdfjs", digests[pdf]) not in _EXTRACTED))
    if jobs or for_pdfjs:
        # Spawned, not forked: a process forked while the thread running node holds a lock can wait on it forever.
        spawn = multiprocessing.get_context("spawn")
        with ThreadPoolExecutor(max_workers=1) as node, \
                ProcessPoolExecutor(min(os.cpu_count() or 1, max(len(jobs), 1)), mp_context=spawn) as pool:
            from_pdfjs = node.submit(pdfjs_texts, for_pdfjs, last)
            done = {(name, pdf): pool.submit(_extract, name, pdf, last.get(pdf)) for name, pdf in jobs}
            for (name, pdf), future in done.items():
                _EXTRACTED[name, digests[pdf]] = future.result()
            for pdf, text in from_pdfjs.result().items():
                _EXTRACTED["pdfjs", digests[pdf]] = text
    return {name: {pdf: _EXTRACTED[name, digests[pdf]] for pdf in pdfs} for name in wanted}


def pdfium_of(documents: Sequence[bytes]) -> list[str]:
    """PDFium's text of each PDF given as bytes (from a zip, or to scan with the files of a folder), kept as
    :func:`extract_all` keeps it. PDFium reads these handbooks ten times faster than poppler: the whole-output scans use
    it."""
    digests = [hashlib.sha256(data).hexdigest() for data in documents]
    for digest, data in zip(digests, documents):
        if ("pdfium", digest) not in _EXTRACTED:
            _EXTRACTED["pdfium", digest] = pdfium_text(data)
    return [_EXTRACTED["pdfium", digest] for digest in digests]


def _extract(name: str, pdf: Path, last: int | None = None) -> str:
    return pdftotext_raw_text(pdf, last) if name == "pdftotext -raw" else EXTRACTORS[name](pdf, last)


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MM = 72 / 25.4


@cache
def _page_margins() -> tuple[float, float]:
    """The handbooks' top and bottom page margins in points (the ``margin`` of their ``@page`` rule)."""
    rule = re.search(r"@page\s*\{[^}]*?\bmargin:\s*([^;}]+)", _print_css())
    values = [float(value.removesuffix("mm")) * _MM for value in rule.group(1).split()] if rule else []
    if not values or len(values) > 4:
        raise ValueError(f"{HANDBOOK_CSS}: no @page margin in mm")
    return values[0], values[2] if len(values) > 2 else values[0]  # margin: top [right [bottom [left]]]


def page_furniture(pdf: Path) -> list[list[str]]:
    """The running header and footer of each page of a handbook: the lines MuPDF finds in the page's top and bottom
    margins (the chapter's title, the marking, the as-of date, the page number)."""
    import pymupdf

    top, bottom = _page_margins()
    furniture = []
    with pymupdf.open(pdf) as document:
        for page in document:
            pieces = []
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    middle = (line["bbox"][1] + line["bbox"][3]) / 2
                    if middle < top or middle > page.rect.height - bottom:
                        text = " ".join("".join(span["text"] for span in line["spans"]).split())
                        if text:
                            pieces.append(text)
            furniture.append(sorted(pieces, key=len, reverse=True))
    return furniture


def _only_furniture(line: str, pieces: Sequence[str]) -> bool:
    """Whether an extracted line is made of running header and footer text only (extractors put a page's header
    pieces on one line or two, or next to the footer)."""
    rest = " ".join(line.split())
    while rest:
        piece = next((piece for piece in pieces if rest.startswith(piece)), None)
        if piece is None:
            return False
        rest = rest[len(piece):].lstrip()
    return True


def _without_furniture(page: str, pieces: Sequence[str]) -> str:
    return "\n".join(line for line in page.splitlines() if not (line.strip() and _only_furniture(line, pieces)))


def normalise_extracted(text: str, furniture: Sequence[Sequence[str]] | None = None) -> str:
    """Line and page breaks as ``\\n``, runs of breaks and blanks around them as one ``\\n``, without bidi controls,
    with PDFium's line-end hyphen as ``-``, and, given the pages' ``furniture`` (:func:`page_furniture`; pages are
    separated by form feeds), without the lines of running header and footer, which a page break puts in the middle
    of a passage."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n")
    pages = text.split("\f")
    if furniture is not None:
        pages = [_without_furniture(page, furniture[number] if number < len(furniture) else ())
                 for number, page in enumerate(pages)]
    text = "\n".join(pages)
    text = _BIDI_CONTROLS.sub("", text)
    return re.sub(r"[ \t]*\n[\s]*", "\n", text)


@cache
def _pattern(passage: str) -> re.Pattern[str]:
    parts = []
    for piece in re.split(f"((?: ?{PICTURE} ?)+)", passage):
        if PICTURE in piece:
            parts.append("[ \n]+" if " " in piece else "[ \n]*")  # a picture's gap (PICTURE)
            continue
        for char in piece:
            if char == " ":
                parts.append("[ \n]")
            elif char == "-":
                parts.append("-?\n?")  # a hyphen ending a line may be dropped with the line break (poppler)
            else:
                parts.append(re.escape(char) + "\n?")
    return re.compile("".join(parts))


def found(passage: str, text: str) -> bool:
    """Whether ``passage`` is in normalised extracted ``text``, line breaks ignored, spaces kept."""
    return _pattern(passage).search(text) is not None


@dataclass(frozen=True)
class Score:
    found: int
    total: int
    missed: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.found / self.total if self.total else 1.0


def score(passages_: Iterable[str], text: str, furniture: Sequence[Sequence[str]] | None = None) -> Score:
    text = normalise_extracted(text, furniture)
    items = list(passages_)
    missed = tuple(p for p in items if not found(p, text))
    return Score(len(items) - len(missed), len(items), missed)


def main(argv: list[str]) -> int:
    site_dir = Path(argv[0])
    pdfs = [Path(a) for a in argv[1:]] or sorted((site_dir / "pdf").glob("*.pdf"))
    pdfs = [pdf for pdf in pdfs if pdf_chapters(pdf)]
    texts = extract_all(pdfs)
    print(f"{'handbook':34}" + "".join(f"{name:>11}" for name in EXTRACTORS) + "  passages")
    for pdf in pdfs:
        wanted = handbook_passages(pdf, site_dir)
        furniture = page_furniture(pdf)
        scores = {name: score(wanted, texts[name][pdf], furniture) for name in EXTRACTORS}
        print(f"{pdf.name:34}" + "".join(f"{100 * s.share:10.1f}%" for s in scores.values()) + f"  {len(wanted)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
