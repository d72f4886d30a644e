"""Thai text in our WeasyPrint PDFs copies and searches exactly (build_tools.pdf.thai_text).

Real WeasyPrint, real TLWG fonts, text read back with the five extractors people copy and search
with (tests/thai_passages.py): poppler's pdftotext, pypdf, PDFium (pypdfium2), MuPDF (PyMuPDF)
and pdf.js (pdfjs-dist in node).  The unpatched renderer gets these words wrong, and which ones
depends on which glyph is drawn first, so every check runs with the words in several orders.
"""

from __future__ import annotations

import difflib
import html
import logging
import random
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pypdf
import pytest
import thai_passages
import weasyprint
import weasyprint.draw.text
from weasyprint import HTML

from build_tools.pdf import cluster_fonts, thai_text

FIXTURES = Path(__file__).parent / "fixtures" / "thai_probe"

PROBE_WORDS = ("กำหนดการ", "ต้อง", "ผู้ประสานงาน", "ทั้งหมด", "น้ำ",
               "เจ้าหน้าที่", "ที่พัก", "ญี่ปุ่น", "ปั้น", "คำนำ")
# Plain syllables sharing glyphs with the probe words.  Drawn first, they decide what the shared
# glyph ids extract as in an unpatched PDF ("กา" before "กำ", "ตู" before "ต้อง", ...).
CONFUSERS = ("กา", "ตู", "ผู", "ทัง", "นา", "น้า", "เจา", "ที", "พัก", "ญี", "ปุ", "ปัน", "คา")


# A full-width first line.  PDFium guesses a page's writing direction from its text objects: a page
# holding only short words, one to a line, whose first object is a tall cluster glyph, reads as
# vertical text, and then every font switch inside a word becomes a line break.  Handbook pages are
# never like that.
TITLE = "Programme of the official visit: read it all"


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
if missing := thai_passages.missing_tools():
    pytest.skip(f"text extractors not installed: {', '.join(missing)} (make setup)", allow_module_level=True)
if not _font_installed("Laksaman"):
    pytest.skip("Thai font Laksaman (Debian fonts-thai-tlwg) is not installed",
                allow_module_level=True)

FONTS = [
    "Laksaman",
    pytest.param("Garuda", marks=pytest.mark.skipif(
        not _font_installed("Garuda"), reason="Thai font Garuda is not installed")),
]


pytestmark = pytest.mark.usefixtures("thai_fix")  # conftest: the Thai text fix on, global state restored


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def _document(paragraphs: Iterable[str], font: str) -> str:
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return (
        '<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><style>'
        "@page { size: A4; margin: 15mm }"
        f"body {{ font-family: {font}; font-size: 13pt; line-height: 1.6 }}"
        "p { margin: 0 0 4pt }"
        "</style></head><body>" + body + "</body></html>"
    )


def _render(paragraphs: Iterable[str], font: str, path: Path) -> Path:
    HTML(string=_document(paragraphs, font)).write_pdf(path)
    return path


def _pdftotext(path: Path) -> str:
    return thai_passages.pdftotext_text(path)


EXTRACTORS = thai_passages.EXTRACTORS


def _texts(pdf: Path) -> dict[str, str]:
    """The text of ``pdf`` as each of the five extractors gives it."""
    texts = {name: extract(pdf) for name, extract in EXTRACTORS.items() if name != "pdfjs"}
    texts["pdfjs"] = thai_passages.pdfjs_text(pdf)
    return texts


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
    words = (TITLE, *ORDERS[order])
    pdf = _render(words, font, tmp_path / "probe.pdf")
    for name, text in _texts(pdf).items():
        assert _lines(text) == [_squeeze(word) for word in words], f"{name} ({font}, {order})"


@pytest.mark.parametrize("font", FONTS)
def test_prose_with_english_extracts_with_zero_differences(font: str, tmp_path: Path) -> None:
    paragraphs = _prose()
    pdf = _render(paragraphs, font, tmp_path / "prose.pdf")
    expected = _squeeze("".join(paragraphs))
    for name, text in _texts(pdf).items():
        actual = _squeeze(text)
        assert _differences(expected, actual) == 0, f"{name} ({font}):\n{actual}"


@pytest.mark.parametrize("font", FONTS)
def test_paragraphs_are_found_whole_with_their_spaces(font: str, tmp_path: Path) -> None:
    """The handbooks' measure on a small document: each paragraph exactly, spaces included, line breaks ignored."""
    words = ORDERS["confusers-first"]
    paragraphs = [*(f"{word} ข้อความ{word}ต่อ" for word in words), *_prose()]
    pdf = _render(paragraphs, font, tmp_path / "passages.pdf")
    wanted = [" ".join(paragraph.split()) for paragraph in paragraphs]
    for name, text in _texts(pdf).items():
        score = thai_passages.score(wanted, text)
        assert not score.missed, f"{name} ({font}) missed {score.missed}"


@pytest.mark.parametrize("options", [{"full_fonts": True}, {"pdf_tags": True}],
                         ids=["full-fonts", "tagged"])
def test_other_write_options_extract_exactly(options: dict[str, bool], tmp_path: Path) -> None:
    words = (TITLE, *ORDERS["confusers-first"])
    pdf = tmp_path / "options.pdf"
    HTML(string=_document(words, "Laksaman")).write_pdf(pdf, **options)
    for name, text in _texts(pdf).items():
        assert _lines(text) == [_squeeze(word) for word in words], name


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
    for name, text in _texts(pdf).items():
        assert _lines(text) != list(words), f"{name} read the unpatched PDF right"


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
    clusters = {name: font for name, font in fonts.items() if re.fullmatch(r"/[A-Z]{6}y\d+", name)}
    shadows = {name: font for name, font in fonts.items() if re.fullmatch(r"/[A-Z]{6}t\d+", name)}
    assert clusters, "the probe words are drawn with cluster glyphs"
    page_fonts = pypdf.PdfReader(pdf).pages[0]["/Resources"]["/Font"]

    original_size = _font_file("Laksaman").stat().st_size  # type: ignore[union-attr]
    programs = {}
    for name, font in fonts.items():
        assert font.get("/ToUnicode") is not None, name
        if name in clusters:
            continue
        assert font["/Subtype"] == "/Type0", name
        assert re.fullmatch(r"/[A-Z]{6}\+.+", font["/BaseFont"]), name
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        assert program is not None, f"{name} is not embedded"
        programs[name] = program.idnum
        if "Laksaman" in font["/BaseFont"]:
            assert len(program.get_object().get_data()) < original_size / 2, f"{name} not subsetted"

    for name, shadow in shadows.items():
        main = fonts[name[:7]]
        assert shadow["/DescendantFonts"][0].idnum == main["/DescendantFonts"][0].idnum
        assert shadow["/Encoding"] == main["/Encoding"]
        assert shadow.raw_get("/ToUnicode").idnum != main.raw_get("/ToUnicode").idnum
    for name, cluster in clusters.items():
        # A Type 3 font drawing with the real (embedded, subsetted) font, with a descriptor (tagged PDF).
        assert cluster["/Subtype"] == "/Type3", name
        inner = cluster["/Resources"]["/Font"].raw_get("/F")
        assert inner.idnum == page_fonts.raw_get(name[:7]).idnum
        assert cluster["/FontDescriptor"]["/Ascent"] > 0
    # One embedded program per font file, however many shadows point at it.
    assert len(set(programs.values())) == len(fonts) - len(shadows) - len(clusters)


def _cmap_values(pdf: Path) -> list[tuple[str, str]]:
    """(font name, hex Unicode value) of every ToUnicode entry of every font."""
    values = []
    for name, font in _fonts(pdf).items():
        data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
            values += [(name, value) for value in re.findall(r"<[0-9a-fA-F]+>\s*<([0-9a-fA-F]*)>", block)]
    return values


@pytest.mark.parametrize("font", FONTS)
def test_no_code_maps_to_an_empty_string_and_no_actual_text(font: str, tmp_path: Path) -> None:
    """pdf.js shows a code mapped to nothing as a junk letter, and PDF/A-u wants a value for every code;
    /ActualText is needed no more (pdf.js ignores it, and the others each read it their way)."""
    pdf = _render([*ORDERS["confusers-first"], *_prose()], font, tmp_path / "cmaps.pdf")
    values = _cmap_values(pdf)
    assert values and all(value for _, value in values), [name for name, value in values if not value]
    reader = pypdf.PdfReader(pdf)
    assert all(b"ActualText" not in page.get_contents().get_data() for page in reader.pages)


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


def test_cluster_text_is_cut_before_its_first_non_spacing_mark() -> None:
    split = cluster_fonts.split_marks
    assert split("ข้") == ("ข", "\u0e49")
    assert split("น้ำ") == ("น", "\u0e49\u0e33")
    assert split("กำ") == ("กำ", "")  # SARA AM is a spacing vowel: nothing for pdf.js to skip
    assert split("\u0e49") == ("\u0e49", "")  # a lone mark keeps its text on the drawn glyph


def test_cluster_glyph_moves_the_pen_as_the_page_would() -> None:
    widths = {0x10: 500, 0x20: 0, 0x30: 300}.__getitem__
    tokens = (("g", 0x10), ("n", "120.5"), ("g", 0x20), ("n", "-120.5"), ("r", "-1.5", "7", 0x30), ("n", "3"))
    assert cluster_fonts.advance(tokens, widths) == pytest.approx(500 - 120.5 + 120.5 - 7 + 300 - 3)
    procedure = cluster_fonts.glyph_procedure(tokens, 670.0, 15.0).decode()
    assert procedure.startswith("670 0 d0 BT /F 1000 Tf [ <0010> 120.5 <0020> -120.5 ] TJ ")
    assert "-100 Ts [ 7 <0030> ] TJ 0 Ts [ 3 ] TJ ET" in procedure  # the rise divided by the font size, x1000
    assert cluster_fonts.glyph_procedure((), 0.0, 15.0, (0, -300, 800, 1200)) == b"0 0 0 -300 20 1200 d1"


def test_cluster_codes_skip_the_space_and_keep_each_cluster_in_one_font() -> None:
    clusters = cluster_fonts.ClusterFonts()
    first = clusters.pair([("g", 1), ("g", 2)], "ก่", 12.0)
    assert first == (1, cluster_fonts.FIRST_CODE, cluster_fonts.FIRST_CODE + 1) and first[1] > 32
    assert clusters.pair([("g", 1), ("g", 2)], "ก่", 14.0) == first  # the size matters only to raised glyphs
    assert clusters.pair([("g", 3), ("g", 2)], "ข่", 12.0)[2] == first[2]  # one marks glyph per font and text
    assert clusters.pair([("g", 4), ("g", 5)], "กำ", 12.0)[2] is None  # no non-spacing mark: one glyph
    pairs = [clusters.pair([("g", n), ("g", 2)], f"{n}\u0e48", 12.0) for n in range(10, 10 + cluster_fonts.CODES_PER_FONT)]
    assert all(drawn <= 255 and marks <= 255 for _, drawn, marks in pairs)  # type: ignore[operator]
    second = [pair for pair in pairs if pair[0] == 2]
    assert second and second[0][2] == second[0][1] + 1  # a new font gets its own marks glyph, with the cluster
    assert {marks for _, _, marks in second} == {second[0][2]}


# --------------------------------------------------------------------------------------------
# The measure fails when the mapping is broken
# --------------------------------------------------------------------------------------------

THRESHOLD = 0.995


@pytest.fixture
def guest_passages() -> list[str]:
    """Passages as the handbook measure takes them: the prose and the probe words in sentences."""
    words = ORDERS["confusers-first"]
    return [" ".join(p.split()) for p in _prose()] + [f"{word} ข้อความ{word}ต่อ" for word in words]


def _scores(passages: list[str], pdf: Path) -> dict[str, float]:
    html = ('<html lang="th"><head><meta charset="utf-8"><style>@page { size: A4; margin: 20mm }'
            'body { font-family: Laksaman; font-size: 15pt }</style></head><body>'
            + "".join(f"<p>{p.replace('&', '&amp;').replace('<', '&lt;')}</p>" for p in passages) + "</body></html>")
    HTML(string=html).write_pdf(pdf)
    texts = thai_passages.extract_all([pdf])
    return {name: thai_passages.score(passages, texts[name][pdf]).share for name in thai_passages.EXTRACTORS}


def test_a_guest_page_passes_the_measure_with_the_fix(guest_passages: list[str], tmp_path: Path) -> None:
    scores = _scores(guest_passages, tmp_path / "fixed.pdf")
    assert min(scores.values()) >= THRESHOLD, scores


def test_the_measure_fails_without_the_fix(guest_passages: list[str], tmp_path: Path) -> None:
    with thai_text.thai_text_fix_disabled():
        scores = _scores(guest_passages, tmp_path / "unpatched.pdf")
    failing = {name for name, share in scores.items() if share < THRESHOLD}
    assert {"pdfjs", "pdfium", "pypdf"} <= failing, scores


def test_the_measure_fails_when_marks_stay_on_the_drawn_glyph(
        guest_passages: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One cluster glyph carrying the whole cluster text: pdf.js takes it for a zero-width mark."""
    monkeypatch.setattr(cluster_fonts, "split_marks", lambda text: (text, ""))
    scores = _scores(guest_passages, tmp_path / "marks-on-base.pdf")
    assert scores["pdfjs"] < THRESHOLD, scores


def test_the_measure_fails_when_the_marks_glyph_maps_to_nothing(
        guest_passages: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The defect of the shadow fonts of old (``<012a> <>``): pdf.js shows the code of a glyph mapped to nothing."""
    original = cluster_fonts.to_unicode_cmap  # as the cluster fonts call it (thai_text holds its own reference)

    def without_marks(texts: dict[int, str], compress: bool, code_bytes: int = 2) -> object:
        return original({code: "" if unicodedata.category(text[0]) == "Mn" else text
                         for code, text in texts.items()}, compress, code_bytes)

    monkeypatch.setattr(cluster_fonts, "to_unicode_cmap", without_marks)
    scores = _scores(guest_passages, tmp_path / "marks-to-nothing.pdf")
    assert scores["pdfjs"] < THRESHOLD, scores
