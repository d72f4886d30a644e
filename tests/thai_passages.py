"""Thai passages of the site and whether PDF text extractors give them back exactly.

A passage is a paragraph, list item or table cell of a page's article with at least
:data:`MIN_THAI_LETTERS` Thai letters, its whitespace collapsed as a browser shows it.  It is
*found* in an extractor's text when it occurs there exactly, spaces included, with line breaks
ignored: a line may wrap between any two characters or in place of a space, a page break may
fall inside a passage (the page's running header and footer, lines repeated on most pages, are
taken out first), and a hyphen that ends a line may be dropped (poppler joins ``Al-`` and
``Mutairi`` into ``AlMutairi``) or marked (PDFium's U+FFFE) the way the extractor does it.
Invisible bidi controls an extractor adds around right-to-left words are ignored.

The five extractors are those people copy and search with: poppler (``pdftotext``), pypdf,
PDFium (``pypdfium2``: Chrome, Edge, Android), MuPDF (``pymupdf``) and pdf.js (Firefox, through
``node tests/pdfjs_text.mjs`` and the ``pdfjs-dist`` devDependency).

Run as a script to print a table: ``python tests/thai_passages.py SITE_DIR [PDF…]``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PDFJS_SCRIPT = Path(__file__).with_name("pdfjs_text.mjs")
MIN_THAI_LETTERS = 15

_PASSAGE_TAGS = frozenset({"p", "li", "td", "th"})
# Blocks nested in a passage element are passages (or containers) of their own.
_NESTED_BLOCKS = frozenset({"p", "li", "ul", "ol", "table", "div", "dl", "blockquote", "pre", "details", "summary"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_THAI_LETTER = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45]")


def thai_letters(text: str) -> int:
    return len(_THAI_LETTER.findall(text))


class _Passages(HTMLParser):
    """Collects the text of passage elements inside the page's ``<article>`` (or everything, if it has none)."""

    def __init__(self, whole: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.in_article = whole
        self.article_depth = 0
        self.stack: list[list[str]] = []  # open passage elements' text pieces
        self.tags: list[str] = []
        self.hidden = 0  # depth inside elements the print version drops (headerlink anchors, script, style)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        classes = dict(attrs).get("class") or ""
        if tag == "article":
            self.in_article = True
            self.article_depth += 1
        self.tags.append(tag)
        if self.hidden or tag in ("script", "style") or "headerlink" in classes or "md-button" in classes:
            self.hidden += 1
            return
        if not self.in_article:
            return
        if tag in _NESTED_BLOCKS and self.stack and tag not in _PASSAGE_TAGS:
            self.stack.append([])  # a nested container: its text is not the outer passage's
            return
        if tag in _PASSAGE_TAGS:
            self.stack.append([])
        elif tag == "br" and self.stack:
            self.stack[-1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.tags:
            return
        while self.tags:
            open_tag = self.tags.pop()
            self._close(open_tag)
            if open_tag == tag:
                break

    def _close(self, tag: str) -> None:
        if self.hidden:
            self.hidden -= 1
            return
        if tag == "article":
            self.article_depth -= 1
            self.in_article = self.article_depth > 0
        if not self.in_article and tag != "article":
            return
        if tag in _PASSAGE_TAGS or (tag in _NESTED_BLOCKS and self.stack):
            pieces = self.stack.pop() if self.stack else []
            if tag in _PASSAGE_TAGS:
                text = " ".join("".join(pieces).split())
                if thai_letters(text) >= MIN_THAI_LETTERS:
                    self.found.append(text)

    def handle_data(self, data: str) -> None:
        if self.hidden or not self.in_article or not self.stack:
            return
        self.stack[-1].append(data)


def passages(html: str) -> list[str]:
    """The Thai passages of one HTML page, in document order (duplicates kept)."""
    parser = _Passages(whole="<article" not in html)
    parser.feed(html)
    parser.close()
    return parser.found


def chapter_id(url: str) -> str:
    """The id the handbooks give a site page's chapter (``build_tools.pdf.chapters.chapter_id``)."""
    return "ch-" + re.sub(r"[^a-z0-9]+", "-", url.lower().removesuffix(".html")).strip("-")


def site_chapters(site_dir: Path) -> dict[str, Path]:
    """Chapter id -> site page, for every page of the site."""
    return {chapter_id(path.relative_to(site_dir).as_posix()): path
            for path in site_dir.rglob("*.html") if "assets" not in path.parts}


def pdf_chapters(pdf: Path) -> list[str]:
    """Chapter ids of the site pages a handbook holds (its named destinations ``ch-…`` without a fragment)."""
    import pypdf

    return sorted(name for name in pypdf.PdfReader(pdf).named_destinations
                  if name.startswith("ch-") and "--" not in name)


def handbook_passages(pdf: Path, site_dir: Path) -> list[str]:
    """The Thai passages of the site pages printed in ``pdf``."""
    pages = site_chapters(site_dir)
    found: list[str] = []
    for chapter in pdf_chapters(pdf):
        if chapter in pages:
            found += passages(pages[chapter].read_text(encoding="utf-8"))
    return found


# --------------------------------------------------------------------------------------------
# Extractors
# --------------------------------------------------------------------------------------------

def pdftotext_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def pdftotext_raw_text(pdf: Path) -> str:
    """poppler's text in content-stream order (``-raw``): its reading of the glyphs without its layout analysis."""
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def pypdf_text(pdf: Path) -> str:
    import pypdf

    return "\f".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


def pdfium_text(pdf: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\f".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def mupdf_text(pdf: Path) -> str:
    import pymupdf

    with pymupdf.open(pdf) as document:
        return "\f".join(page.get_text() for page in document)


def pdfjs_texts(pdfs: Sequence[Path]) -> dict[Path, str]:
    """pdf.js's text of several PDFs with one node process."""
    if not pdfs:
        return {}
    result = subprocess.run(["node", str(PDFJS_SCRIPT), *map(str, pdfs)], capture_output=True, text=True,
                            check=True, cwd=REPO)
    by_name = json.loads(result.stdout)
    return {pdf: by_name[str(pdf)] for pdf in pdfs}


def pdfjs_text(pdf: Path) -> str:
    return pdfjs_texts([pdf])[pdf]


EXTRACTORS: dict[str, Callable[[Path], str]] = {
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


def extract_all(pdfs: Sequence[Path]) -> dict[str, dict[Path, str]]:
    """Extractor name -> PDF -> text."""
    texts: dict[str, dict[Path, str]] = {name: {} for name in EXTRACTORS}
    texts["pdfjs"] = pdfjs_texts(pdfs)
    for name, extract in EXTRACTORS.items():
        if name != "pdfjs":
            texts[name] = {pdf: extract(pdf) for pdf in pdfs}
    return texts


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FURNITURE_SHARE = 0.5


def _without_furniture(pages: list[str]) -> list[str]:
    """Pages without their running header and footer: lines (digits aside) on at least half of the pages."""
    if len(pages) < 4:
        return pages
    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip())
    counts: dict[str, int] = {}
    for page in pages:
        for line_key in {key(line) for line in page.splitlines() if line.strip()}:
            counts[line_key] = counts.get(line_key, 0) + 1
    furniture = {line_key for line_key, count in counts.items() if count >= _FURNITURE_SHARE * len(pages)}
    return ["\n".join(line for line in page.splitlines() if key(line) not in furniture) for page in pages]


def normalise_extracted(text: str) -> str:
    """Line and page breaks as ``\\n``, runs of breaks and blanks around them as one ``\\n``, without page
    furniture (pages are separated by form feeds), bidi controls, and with PDFium's line-end hyphen as ``-``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n")
    text = "\n".join(_without_furniture(text.split("\f")))
    text = _BIDI_CONTROLS.sub("", text)
    return re.sub(r"[ \t]*\n[\s]*", "\n", text)


@cache
def _pattern(passage: str) -> re.Pattern[str]:
    parts = []
    for char in passage:
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


def score(passages_: Iterable[str], text: str) -> Score:
    text = normalise_extracted(text)
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
        scores = {name: score(wanted, texts[name][pdf]) for name in EXTRACTORS}
        print(f"{pdf.name:34}" + "".join(f"{100 * s.share:10.1f}%" for s in scores.values()) + f"  {len(wanted)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
