"""List markers come with their items, and spaces between inline boxes are text (build_tools.pdf.reading_order).

Real WeasyPrint, read back with the five extractors of tests/thai_passages.py.  Without the fix, pypdf, PDFium,
MuPDF and pdf.js give a page's list numbers after all its text (in the middle of a paragraph that runs over a page
break), and MuPDF reads no space between two inline boxes after Thai text; the pages look the same either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdf
import pytest
import thai_passages
from weasyprint import HTML

from build_tools.pdf import reading_order, thai_text

from conftest import page_images

if missing := thai_passages.missing_tools():
    pytest.skip(f"text extractors not installed: {', '.join(missing)} (make setup)", allow_module_level=True)

CONTENT_ORDER = ("pypdf", "pdfium", "mupdf", "pdfjs")  # the extractors that read a page in content order
STYLE = ("@page { size: A5; margin: 15mm } body { font-family: Laksaman; font-size: 13pt; line-height: 1.4 }"
         "p, ol, ul { margin: 0 0 3mm }")
ITEMS = [f"ขั้นตอนที่ {n} ตรวจรายชื่อผู้ติดตามกับเจ้าหน้าที่พิธีการ" for n in range(1, 9)]
# Long enough to run from the first page onto the second after the list.
PARAGRAPH = " ".join(["ผู้ประสานงานต้องแจ้งการเปลี่ยนแปลงกำหนดการให้พนักงานขับรถและตำรวจอารักขาทราบพร้อมกัน"] * 16)


pytestmark = pytest.mark.usefixtures("thai_fix")  # conftest: the Thai text fix on, global state restored


def _render(body: str, path: Path) -> Path:
    HTML(string=f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><style>{STYLE}</style></head>'
                f'<body>{body}</body></html>').write_pdf(path)
    return path


@contextmanager
def _reading_order_as_weasyprint_draws_it() -> Iterator[None]:
    """The Thai text fix without this one."""
    reading_order.uninstall()
    try:
        yield
    finally:
        reading_order.install()


def _texts(pdf: Path) -> dict[str, str]:
    return {name: thai_passages.normalise_extracted(text[pdf])
            for name, text in thai_passages.extract_all([pdf]).items()}


LIST_THEN_PARAGRAPH = ("<ol>" + "".join(f"<li>{item}</li>" for item in ITEMS) + "</ol>"
                       "<ul><li>จุดนัดพบที่ประตูหนึ่ง</li></ul>" f"<p>{PARAGRAPH}</p>")


def test_each_list_marker_comes_just_before_its_item(tmp_path: Path) -> None:
    pdf = _render(LIST_THEN_PARAGRAPH, tmp_path / "list.pdf")
    for name, text in _texts(pdf).items():
        for number, item in enumerate(ITEMS, 1):
            assert thai_passages.found(f"{number}. {item}", text), f"{name}: {number}. not before its item"
        assert thai_passages.found("• จุดนัดพบที่ประตูหนึ่ง", text), name


def test_a_paragraph_over_a_page_break_reads_whole(tmp_path: Path) -> None:
    pdf = _render(LIST_THEN_PARAGRAPH, tmp_path / "list.pdf")
    assert len(pypdf.PdfReader(pdf).pages) == 2  # the paragraph does run onto a second page
    for name, text in _texts(pdf).items():
        assert thai_passages.found(PARAGRAPH, text), name


def test_without_the_fix_the_markers_come_after_the_page_text(tmp_path: Path) -> None:
    with _reading_order_as_weasyprint_draws_it():
        pdf = _render(LIST_THEN_PARAGRAPH, tmp_path / "unpatched.pdf")
    texts = _texts(pdf)
    for name in CONTENT_ORDER:
        assert not thai_passages.found(PARAGRAPH, texts[name]), f"{name} read the unpatched paragraph whole"
    assert thai_passages.found(PARAGRAPH, texts["pdftotext"])  # poppler orders by position: the Thai is right


def test_lists_render_exactly_as_without_the_fix(tmp_path: Path) -> None:
    body = LIST_THEN_PARAGRAPH + '<ol style="list-style: upper-roman"><li>หนึ่ง<ul><li>ย่อย</li></ul></li></ol>'
    patched = page_images(_render(body, tmp_path / "patched.pdf"), tmp_path / "patched")
    with thai_text.thai_text_fix_disabled():
        unpatched = page_images(_render(body, tmp_path / "unpatched.pdf"), tmp_path / "unpatched")
    assert len(patched) > 1 and patched == unpatched


# Bold words with a space between them (two inline boxes: WeasyPrint draws no space), and a label with a margin
# before a space (pypdf reads the margin as a space of its own when the drawn space comes after it).
INLINE_BOXES = ('<p>ทุกครั้งต้องชัดเจนเรื่อง <strong>ประเด็น</strong> <strong>ความต้องการ</strong> '
                '<strong>เวลานัดหมาย</strong> และ <strong>สถานที่</strong></p>'
                '<p><a href="#x">แขกเจ็บป่วยกะทันหัน (VIP falls ill)</a>\n'
                '<span style="margin: 0 2mm; font-size: 10pt">วิกฤต (critical)</span>\n'
                '<a href="tel:1669" style="padding: 0 1mm; border-right: 1pt solid #999">1669</a> <em>โทรทันที</em></p>')
INLINE_TEXTS = ("ทุกครั้งต้องชัดเจนเรื่อง ประเด็น ความต้องการ เวลานัดหมาย และ สถานที่",
                "แขกเจ็บป่วยกะทันหัน (VIP falls ill) วิกฤต (critical) 1669 โทรทันที")


def test_a_space_between_inline_boxes_is_read_once_by_every_extractor(tmp_path: Path) -> None:
    pdf = _render(INLINE_BOXES, tmp_path / "inline.pdf")
    for name, text in _texts(pdf).items():
        for wanted in INLINE_TEXTS:
            assert thai_passages.found(wanted, text), f"{name}: {text!r}"


def test_without_the_fix_mupdf_reads_no_space_between_thai_inline_boxes(tmp_path: Path) -> None:
    with thai_text.thai_text_fix_disabled():
        pdf = _render(INLINE_BOXES, tmp_path / "unpatched.pdf")
    assert "ประเด็นความต้องการ" in _texts(pdf)["mupdf"]


def test_inline_boxes_render_exactly_as_without_the_fix(tmp_path: Path) -> None:
    body = INLINE_BOXES + '<p style="text-decoration: underline"><b>ขีด</b> <i>เส้นใต้</i> <u>ต่อกัน</u></p>'
    patched = page_images(_render(body, tmp_path / "patched.pdf"), tmp_path / "patched")
    with thai_text.thai_text_fix_disabled():
        unpatched = page_images(_render(body, tmp_path / "unpatched.pdf"), tmp_path / "unpatched")
    assert patched and patched == unpatched
