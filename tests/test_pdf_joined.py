"""Shared chapters laid out once and joined to each guest's pages give the very same PDF as a whole render."""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

from build_tools.pdf import joined
from build_tools.pdf.chapters import Chapter
from build_tools.pdf.handbooks import Handbook
from build_tools.pdf.render import JOIN_FROM, job_for, render_all
from build_tools.pdf.templates import PRINT_DIR, handbook_html
from build_tools.workers import IN_PROCESS

THAI = "เจ้าหน้าที่ประสานงานต้องแจ้งกำหนดการทั้งหมดให้ผู้ประสานงานทราบ น้ำดื่มและที่พักพร้อมแล้ว "


def _shared() -> list[Chapter]:
    long_part = "".join(f"<h2 id='ch-emergencies-b--s{i}'>ขั้นที่ {i} (Step {i})</h2><p>{THAI * 12}</p>" for i in range(6))
    return [
        Chapter("ch-emergencies-index", "ขั้นตอนรับมือเหตุฉุกเฉิน (Emergency procedures)",
                f'<p>{THAI}</p><p><a href="#ch-emergencies-b">ไปที่บทที่สอง</a> <a href="#ch-guests-own">กลับไปหน้าแขก</a></p>'),
        Chapter("ch-emergencies-b", "อาการแพ้รุนแรง (Allergic reaction)", long_part),  # several pages
        Chapter("ch-emergencies-c", "รถเสีย (Vehicle breakdown)", f"<h2 id='ch-emergencies-c--x'>โทร 1669</h2><p>{THAI * 3}</p>"),
    ]


def _book(number: int) -> Handbook:
    own = "<h2 id='ch-guests-own--a'>กำหนดการ (Schedule)</h2>" + f"<p>{THAI * 10}</p>" * (1 + number * 3)  # leads differ
    return Handbook(
        title=f"คู่มือ LO: แขกหมายเลข {number}", subtitle="รัฐมนตรี (Minister)",
        cover=[("ประเทศ (Country)", "ญี่ปุ่น (Japan)")], chapters=[Chapter("ch-guests-own", f"แขก {number}", own), *_shared()],
        as_of="2027-01-01", confidential=True, shared_from=1,
    )


def _margins(page) -> list[tuple[str, str]]:  # noqa: ANN001 - a weasyprint Page
    """What the page's margin boxes say (running header, marking, stamp, page X of Y)."""
    return joined._margin_texts(joined._margin_boxes(page._page_box))


def test_joined_layout_is_used_and_matches_the_whole_layout() -> None:
    def layout(source: str):  # noqa: ANN202
        return HTML(string=source, base_url=str(PRINT_DIR)).render()

    for number in (1, 2, 1):  # the second 1 takes the shared chapters from this process's cache
        book = _book(number)
        document = joined.render_joined(book, 1, layout)
        whole = layout(handbook_html(book))
        assert len(document.pages) == len(whole.pages) > 6
        assert [sorted(p.anchors) for p in document.pages] == [sorted(p.anchors) for p in whole.pages]
        assert [[b[:2] for b in p.bookmarks] for p in document.pages] == [[b[:2] for b in p.bookmarks] for p in whole.pages]
        assert [_margins(p) for p in document.pages] == [_margins(p) for p in whole.pages]


def test_joined_pdfs_are_byte_identical_to_whole_renders(tmp_path: Path) -> None:
    books = [_book(number) for number in range(JOIN_FROM + 1)]
    joined_pdfs = render_all([job_for(book, tmp_path / "joined" / f"guest-{n}.pdf") for n, book in enumerate(books)],
                             tmp_path / "cache-joined", IN_PROCESS)
    for n, (book, joined_pdf) in enumerate(zip(books, joined_pdfs)):
        [whole_pdf] = render_all([job_for(book, tmp_path / "whole" / f"guest-{n}.pdf")], tmp_path / f"cache-{n}", IN_PROCESS)
        assert joined_pdf.read_bytes() == whole_pdf.read_bytes(), joined_pdf.name
