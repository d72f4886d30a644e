"""Thai text in our WeasyPrint PDFs copies and searches exactly (build_tools.pdf.thai_text).

Real WeasyPrint, real TLWG fonts, text read back with poppler's pdftotext and with pypdf (and
PDFium when pdfplumber's pypdfium2 is installed).  The unpatched renderer gets these words
wrong, and which ones depends on which glyph is drawn first, so every check runs with the
words in several orders.
"""

from __future__ import annotations

import difflib
import html
import logging
import random
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

import pypdf
import pytest
import weasyprint
import weasyprint.draw.text
from weasyprint import HTML

from build_tools.pdf import thai_text

FIXTURES = Path(__file__).parent / "fixtures" / "thai_probe"

PROBE_WORDS = ("กำหนดการ", "ต้อง", "ผู้ประสานงาน", "ทั้งหมด", "น้ำ",
               "เจ้าหน้าที่", "ที่พัก", "ญี่ปุ่น", "ปั้น", "คำนำ")
# Plain syllables sharing glyphs with the probe words.  Drawn first, they decide what the shared
# glyph ids extract as in an unpatched PDF ("กา" before "กำ", "ตู" before "ต้อง", ...).
CONFUSERS = ("กา", "ตู", "ผู", "ทัง", "นา", "น้า", "เจา", "ที", "พัก", "ญี", "ปุ", "ปัน", "คา")


def _shuffled(words: tuple[str, ...]) -> tuple[str, ...]:
    shuffled = list(words)
    random.Random(2841).shuffle(shuffled)
    return tuple(shuffled)


ORDERS = {
    "probes-first": PROBE_WORDS + CONFUSERS,
    "confusers-first": CONFUSERS + PROBE_WORDS,
    "reversed": tuple(reversed(PROBE_WORDS)) + tuple(reversed(CONFUSERS)),
    "shuffled": _shuffled(PROBE_WORDS + CONFUSERS),
}


# --------------------------------------------------------------------------------------------
# Environment: skip only when the tools or fonts are genuinely missing
# --------------------------------------------------------------------------------------------

def _font_file(family: str) -> Path | None:
    """The regular face of an installed font family, if any."""
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", f":family={family}:style=Regular", "file"],
                                capture_output=True, text=True, check=False).stdout
        files = sorted(line.strip().rstrip(":") for line in listed.splitlines() if line.strip())
        return Path(files[0]) if files else None
    found = sorted(Path("/usr/share/fonts").rglob(f"{family}.ttf"))
    return found[0] if found else None


def _font_installed(family: str) -> bool:
    return _font_file(family) is not None


if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
    pytest.skip("poppler-utils (pdftotext, pdftoppm) is not installed", allow_module_level=True)
if not _font_installed("Laksaman"):
    pytest.skip("Thai font Laksaman (Debian fonts-thai-tlwg) is not installed",
                allow_module_level=True)

FONTS = [
    "Laksaman",
    pytest.param("Garuda", marks=pytest.mark.skipif(
        not _font_installed("Garuda"), reason="Thai font Garuda is not installed")),
]


@pytest.fixture(autouse=True)
def thai_fix() -> Iterator[None]:
    """Every test starts with the fix installed and leaves the global state as it found it."""
    was_enabled = thai_text.thai_text_fix_enabled()
    assert thai_text.enable_thai_text_fix()
    yield
    if not was_enabled:
        thai_text.disable_thai_text_fix()


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def _document(paragraphs: Iterable[str], font: str) -> str:
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return (
        '<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><style>'
        "@page { size: A5; margin: 15mm }"
        f"body {{ font-family: {font}; font-size: 13pt; line-height: 1.6 }}"
        "p { margin: 0 0 4pt }"
        "</style></head><body>" + body + "</body></html>"
    )


def _render(paragraphs: Iterable[str], font: str, path: Path) -> Path:
    HTML(string=_document(paragraphs, font)).write_pdf(path)
    return path


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def _pypdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def _pdfium_text(path: Path) -> str:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(path)
    try:
        return "\n".join(document[i].get_textpage().get_text_range()
                         for i in range(len(document)))
    finally:
        document.close()


EXTRACTORS = {"pdftotext": _pdftotext, "pypdf": _pypdf_text}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _lines(text: str) -> list[str]:
    """Extracted lines with whitespace removed, empty ones dropped."""
    return [squeezed for line in text.splitlines() if (squeezed := _squeeze(line))]


def _differences(expected: str, actual: str) -> int:
    """Characters that differ between two texts (whitespace already removed)."""
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    return sum(max(i2 - i1, j2 - j1)
               for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def _prose() -> list[str]:
    return [line for line in (FIXTURES / "prose_th.txt").read_text(encoding="utf-8").splitlines()
            if line.strip()]


# --------------------------------------------------------------------------------------------
# Extraction is exact with the fix
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("order", list(ORDERS))
def test_probe_words_extract_exactly_in_every_order(font: str, order: str, tmp_path: Path) -> None:
    words = ORDERS[order]
    pdf = _render(words, font, tmp_path / "probe.pdf")
    for name, extract in EXTRACTORS.items():
        assert _lines(extract(pdf)) == list(words), f"{name} ({font}, {order})"


@pytest.mark.parametrize("font", FONTS)
def test_prose_with_english_extracts_with_zero_differences(font: str, tmp_path: Path) -> None:
    paragraphs = _prose()
    pdf = _render(paragraphs, font, tmp_path / "prose.pdf")
    expected = _squeeze("".join(paragraphs))
    for name, extract in EXTRACTORS.items():
        actual = _squeeze(extract(pdf))
        assert _differences(expected, actual) == 0, f"{name} ({font}):\n{actual}"


@pytest.mark.parametrize("font", FONTS)
def test_pdfium_reads_probe_words_and_prose_exactly(font: str, tmp_path: Path) -> None:
    words = ORDERS["confusers-first"]
    paragraphs = _prose()
    pdf = _render([*words, *paragraphs], font, tmp_path / "pdfium.pdf")
    text = _pdfium_text(pdf)
    assert _squeeze(text) == _squeeze("".join([*words, *paragraphs]))


@pytest.mark.parametrize("options", [{"full_fonts": True}, {"pdf_tags": True}],
                         ids=["full-fonts", "tagged"])
def test_other_write_options_extract_exactly(options: dict[str, bool], tmp_path: Path) -> None:
    words = ORDERS["confusers-first"]
    pdf = tmp_path / "options.pdf"
    HTML(string=_document(words, "Laksaman")).write_pdf(pdf, **options)
    for name, extract in EXTRACTORS.items():
        assert _lines(extract(pdf)) == list(words), name


def test_words_stay_whole_where_poppler_reads_marks_by_position(tmp_path: Path) -> None:
    """Spaces as well as letters: no space inserted inside a word, none lost between words."""
    line = " ".join(PROBE_WORDS)
    pdf = _render([line], "Laksaman", tmp_path / "spaces.pdf")
    assert _pdftotext(pdf).split() == line.split()


# --------------------------------------------------------------------------------------------
# The bug is real: without the fix the same documents do not extract exactly
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("order", ["probes-first", "confusers-first"])
def test_without_the_fix_thai_does_not_extract_exactly(order: str, tmp_path: Path) -> None:
    words = ORDERS[order]
    with thai_text.thai_text_fix_disabled():
        assert not thai_text.thai_text_fix_enabled()
        pdf = _render(words, "Laksaman", tmp_path / "unpatched.pdf")
    for name, extract in EXTRACTORS.items():
        assert _lines(extract(pdf)) != list(words), f"{name} read the unpatched PDF right"


# --------------------------------------------------------------------------------------------
# Rendering does not move, fonts stay embedded and subsetted, Latin is untouched
# --------------------------------------------------------------------------------------------

def _rasterise(pdf: Path, out: Path) -> list[Path]:
    out.mkdir()
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(pdf), str(out / "page")], check=True)
    return sorted(out.glob("*.png"))


@pytest.mark.parametrize("font", FONTS)
def test_rendering_is_pixel_identical_with_and_without_the_fix(font: str, tmp_path: Path) -> None:
    from PIL import Image

    paragraphs = [*ORDERS["confusers-first"], *_prose(), *ORDERS["probes-first"]]
    patched = _render(paragraphs, font, tmp_path / "patched.pdf")
    with thai_text.thai_text_fix_disabled():
        unpatched = _render(paragraphs, font, tmp_path / "unpatched.pdf")
    assert patched.read_bytes() != unpatched.read_bytes()  # the fix did write something

    patched_pages = _rasterise(patched, tmp_path / "patched")
    unpatched_pages = _rasterise(unpatched, tmp_path / "unpatched")
    assert patched_pages and len(patched_pages) == len(unpatched_pages)
    for mine, theirs in zip(patched_pages, unpatched_pages):
        with Image.open(mine) as image_a, Image.open(theirs) as image_b:
            assert image_a.size == image_b.size
            assert image_a.tobytes() == image_b.tobytes(), mine.name


def _fonts(pdf: Path) -> dict[str, pypdf.generic.DictionaryObject]:
    fonts: dict[str, pypdf.generic.DictionaryObject] = {}
    for page in pypdf.PdfReader(pdf).pages:
        for name, font in page["/Resources"]["/Font"].items():
            fonts[name] = font.get_object()
    return fonts


def test_fonts_stay_embedded_and_subsetted_and_shadows_share_them(tmp_path: Path) -> None:
    pdf = _render([*ORDERS["confusers-first"], *_prose()], "Laksaman", tmp_path / "fonts.pdf")
    fonts = _fonts(pdf)
    shadows = {name: font for name, font in fonts.items() if re.fullmatch(r"/[A-Z]{6}t\d+", name)}
    assert shadows, "the probe words need at least one shadow font"

    original_size = _font_file("Laksaman").stat().st_size  # type: ignore[union-attr]
    programs = {}
    for name, font in fonts.items():
        assert font["/Subtype"] == "/Type0", name
        assert re.fullmatch(r"/[A-Z]{6}\+.+", font["/BaseFont"]), name
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        assert program is not None, f"{name} is not embedded"
        programs[name] = program.idnum
        if "Laksaman" in font["/BaseFont"]:
            assert len(program.get_object().get_data()) < original_size / 2, f"{name} not subsetted"
        assert font.get("/ToUnicode") is not None, name

    for name, shadow in shadows.items():
        main = fonts[name[:7]]
        assert shadow["/DescendantFonts"][0].idnum == main["/DescendantFonts"][0].idnum
        assert shadow["/Encoding"] == main["/Encoding"]
        assert shadow.raw_get("/ToUnicode").idnum != main.raw_get("/ToUnicode").idnum
    # One embedded program per font file, however many shadows point at it.
    assert len(set(programs.values())) == len(fonts) - len(shadows)


def test_output_is_deterministic(tmp_path: Path) -> None:
    document = _document([*ORDERS["shuffled"], *_prose()], "Laksaman")
    assert HTML(string=document).write_pdf() == HTML(string=document).write_pdf()


def test_latin_only_output_is_byte_identical(tmp_path: Path) -> None:
    paragraphs = ["Liaison officers meet the minister at gate 7 and escort him to the car.",
                  "Café, naïve, façade: precomposed accents — and a dash."]
    document = _document(paragraphs, "DejaVu Sans")
    patched = HTML(string=document).write_pdf()
    with thai_text.thai_text_fix_disabled():
        unpatched = HTML(string=document).write_pdf()
    assert patched == unpatched


def test_missing_glyph_warning_is_still_logged(caplog: pytest.LogCaptureFixture,
                                               tmp_path: Path) -> None:
    """render.py turns WeasyPrint's .notdef warning into a build error: keep it intact."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        _render(["ทดสอบ \U0010fffd"], "Laksaman", tmp_path / "notdef.pdf")
    records = [r for r in caplog.records if r.getMessage().startswith(".notdef glyph rendered")]
    assert records and records[0].args[0] == "\U0010fffd"


# --------------------------------------------------------------------------------------------
# Installing and removing the fix
# --------------------------------------------------------------------------------------------

def test_enable_is_idempotent_and_disable_restores_weasyprint() -> None:
    patched = weasyprint.draw.text.draw_first_line
    assert thai_text.enable_thai_text_fix() is True
    assert weasyprint.draw.text.draw_first_line is patched
    with thai_text.thai_text_fix_disabled():
        assert weasyprint.draw.text.draw_first_line is not patched
        assert weasyprint.draw.text.draw_first_line.__module__ == "weasyprint.draw.text"
    assert thai_text.thai_text_fix_enabled()
    assert weasyprint.draw.text.draw_first_line is patched


def test_other_weasyprint_version_is_refused_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    with thai_text.thai_text_fix_disabled():
        original = weasyprint.draw.text.draw_first_line
        monkeypatch.setattr(weasyprint, "__version__", "99.1")
        with pytest.warns(UserWarning, match=r"WeasyPrint 70\.0 but WeasyPrint 99\.1"):
            assert thai_text.enable_thai_text_fix() is False
        assert not thai_text.thai_text_fix_enabled()
        assert weasyprint.draw.text.draw_first_line is original
        monkeypatch.undo()


# --------------------------------------------------------------------------------------------
# The pure pieces
# --------------------------------------------------------------------------------------------

def test_text_split_keeps_glyphs_on_their_own_characters() -> None:
    # น้ำ is drawn น, NIKHAHIT, MAI THO, SARA AA: only the first and third can keep their
    # own character; the split still concatenates to the text.
    pieces = thai_text._split_text("น้ำ", ("น", "\u0e4d", "\u0e49", "า"))
    assert "".join(pieces) == "น้ำ"
    assert pieces[0] == "น" and pieces[2] == "\u0e49"
    # A variant glyph with no character of its own takes what the others cannot.
    assert thai_text._split_text("ผู้", ("ผ", None, "\u0e39")) == ("ผ", "\u0e39\u0e49", "")


def test_lone_space_between_spans_joins_the_next_span() -> None:
    group = thai_text._Group
    groups = [group("ที่", [0, 1, 2]), group(" ", [3]), group("น้ำ", [4, 5, 6, 7]), group("ก", [8])]
    assert thai_text._span_ranges(groups, lambda g: False) == [range(0, 1), range(1, 3)]
    # A moved mark at the end of a span pulls the next group in.
    assert thai_text._span_ranges(groups, lambda g: g.text == "น้ำ") == [range(0, 1), range(1, 4)]


def test_actual_text_is_utf16_with_bom() -> None:
    assert thai_text._actual_text_property("ต้") == b"<</ActualText <feff0e150e49>>>"
