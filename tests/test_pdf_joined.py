"""Shared chapters laid out and painted once, joined to each guest's pages: the same PDF as a whole render."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from thai_passages import pdftotext_text
from weasyprint import HTML

from build_tools.pdf import joined
from build_tools.pdf.chapters import Chapter
from build_tools.pdf.handbooks import Handbook
from build_tools.pdf.render import (
    BATCH,
    DEFAULT_PDF_VARIANT,
    JOIN_FROM,
    Job,
    MissingGlyphs,
    _batches,
    _in_order,
    _joins,
    job_for,
    job_for_html,
    render_all,
    variant_options,
)
from build_tools.pdf.templates import PRINT_DIR, handbook_html
from build_tools.pdf.thai_text import enable_thai_text_fix
from build_tools.workers import IN_PROCESS

from conftest import page_images

THAI = "เจ้าหน้าที่ประสานงานต้องแจ้งกำหนดการทั้งหมดให้ผู้ประสานงานทราบ น้ำดื่มและที่พักพร้อมแล้ว "


def _shared() -> list[Chapter]:
    long_part = "".join(f"<h2 id='ch-emergencies-b--s{i}'>ขั้นที่ {i} (Step {i})</h2><p>{THAI * 12}</p>" for i in range(6))
    return [
        Chapter("ch-emergencies-index", "ขั้นตอนรับมือเหตุฉุกเฉิน (Emergency procedures)",
                f'<p>{THAI}</p><p><a href="#ch-emergencies-b">ไปที่บทที่สอง</a> <a href="#ch-guests-own">กลับไปหน้าแขก</a></p>'),
        Chapter("ch-emergencies-b", "อาการแพ้รุนแรง (Allergic reaction)", long_part),  # several pages
        Chapter("ch-emergencies-c", "รถเสีย (Vehicle breakdown)", f"<h2 id='ch-emergencies-c--x'>โทร 1669</h2><p>{THAI * 3}</p>"),
    ]


def _country(code: str) -> Chapter:
    """A country page: the same in the handbook of every guest from there."""
    return Chapter(f"ch-countries-{code}", f"ประเทศ {code} (Country {code})",
                   f"<h2 id='ch-countries-{code}--a'>มารยาท (Etiquette)</h2><p>{THAI * 9}</p><p>{code} {THAI * 7}</p>")


def _book(number: int, country: str | None = None) -> Handbook:
    """A guest handbook: the guest's own chapter, the guest's country page if ``country``, the emergency chapters."""
    own = "<h2 id='ch-guests-own--a'>กำหนดการ (Schedule)</h2>" + f"<p>{THAI * 10}</p>" * (1 + number * 3)  # leads differ
    runs = [[_country(country)]] if country else []
    runs.append(_shared())
    chapters, shared = [Chapter("ch-guests-own", f"แขก {number}", own)], []
    for run in runs:
        shared.append((len(chapters), len(chapters) + len(run)))
        chapters.extend(run)
    return Handbook(
        title=f"คู่มือ LO: แขกหมายเลข {number}", subtitle="รัฐมนตรี (Minister)",
        cover=[("ประเทศ (Country)", "ญี่ปุ่น (Japan)")], chapters=chapters,
        as_of="2027-01-01", confidential=True, shared=tuple(shared),
    )


def _margins(page) -> list[tuple[str, str]]:  # noqa: ANN001 - a weasyprint Page
    """What the page's margin boxes say (running header, marking, stamp, page X of Y)."""
    return joined._margin_texts(joined._margin_boxes(page._page_box))


def _layout(source: str):  # noqa: ANN202 - a weasyprint Document
    return HTML(string=source, base_url=str(PRINT_DIR)).render()


def test_joined_layout_is_used_and_matches_the_whole_layout() -> None:
    for number in (1, 2, 1):  # the second 1 takes the shared chapters from this process's cache
        book = _book(number)
        document = joined.render_joined(book, (0,), _layout)
        whole = _layout(handbook_html(book))
        assert len(document.pages) == len(whole.pages) > 6
        assert [sorted(p.anchors) for p in document.pages] == [sorted(p.anchors) for p in whole.pages]
        assert [[b[:2] for b in p.bookmarks] for p in document.pages] == [[b[:2] for b in p.bookmarks] for p in whole.pages]
        assert [_margins(p) for p in document.pages] == [_margins(p) for p in whole.pages]


def test_a_head_with_the_margin_text_of_one_laid_out_before_takes_its_margins_and_they_say_the_same() -> None:
    first = _book(2)
    other = replace(first, title="คู่มือ LO: แขกอีกท่าน", cover=[("ประเทศ (Country)", "ไทย (Thailand)")])  # margins alike
    joined._tails.clear()
    pages = len(joined.render_joined(first, (0,), _layout).pages)
    [tail] = joined._tails.values()
    laid_out = dict(tail.margins.edges)
    footers = [key for key in laid_out if key[0][0] == "@bottom-left"]
    assert len(footers) == pages > 6  # each page of the first head has a footer of its own (page X of Y)
    document = joined.render_joined(other, (0,), _layout)
    assert tail.margins.edges.keys() == laid_out.keys(), "a page's margins were laid out again"
    whole = _layout(handbook_html(other))
    assert [_margins(p) for p in document.pages] == [_margins(p) for p in whole.pages]
    copies = [box for p in document.pages for box in joined._margin_boxes(p._page_box)]
    assert len({id(box) for box in copies}) == len(copies) > 10  # each page has boxes of its own (the tag tree)
    assert not {id(box) for box in copies} & {id(box) for boxes in laid_out.values() for box in boxes}


def test_joined_pdfs_are_byte_identical_to_whole_renders(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Joined or whole, a handbook's shared chapters are painted first (replay.py): the same bytes either way. The
    last book is the one before it with another guest's name and the same length: whichever of the two is joined
    second takes its shared pages' margins from the other's head (margins.py), and its own pages (six), with another
    chapter title, lay out their header once and then take it with the other's footers (page X of Y): copies of two
    pages' edges put together."""
    books = [_book(number) for number in range(JOIN_FROM + 1)]
    books.append(replace(books[-1], title="คู่มือ LO: แขกอีกท่าน", chapters=[replace(books[-1].chapters[0], title="แขกอีกท่าน"),
                                                                       *books[-1].chapters[1:]]))
    with caplog.at_level(logging.DEBUG, logger="build_tools.pdf.render"):
        joined_pdfs = render_all([job_for(book, tmp_path / "joined" / f"guest-{n}.pdf") for n, book in enumerate(books)],
                                 tmp_path / "cache-joined", IN_PROCESS)
    assert not [r.getMessage() for r in caplog.records if "rendered whole" in r.getMessage()]  # each one was joined
    for n, (book, joined_pdf) in enumerate(zip(books, joined_pdfs)):
        [whole_pdf] = render_all([job_for(book, tmp_path / "whole" / f"guest-{n}.pdf")], tmp_path / f"cache-{n}", IN_PROCESS)
        assert joined_pdf.read_bytes() == whole_pdf.read_bytes(), joined_pdf.name


def test_a_country_page_many_guests_share_is_joined_too_and_every_pdf_keeps_its_whole_renders_bytes(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Enough guests of one country: their country page is laid out and painted once too, after the emergency
    chapters and going on from the state their painting left. The one guest of another country has its country page
    laid out with its own pages and painted from the same state. Each PDF is the one its whole render writes."""
    books = [_book(number, "jp") for number in range(JOIN_FROM)] + [_book(JOIN_FROM, "no")]
    jobs = [job_for(book, tmp_path / "joined" / f"guest-{n}.pdf") for n, book in enumerate(books)]
    assert [_joins(jobs)[job.key] for job in jobs] == [(0, 1)] * JOIN_FROM + [(1,)]
    joined._tails.clear()
    with caplog.at_level(logging.DEBUG, logger="build_tools.pdf.render"):
        joined_pdfs = render_all(jobs, tmp_path / "cache-joined", IN_PROCESS)
    assert not [r.getMessage() for r in caplog.records if "rendered whole" in r.getMessage()]
    assert len(joined._tails) == 2  # the emergency chapters and the page of Japan
    for n in (0, JOIN_FROM - 1, JOIN_FROM):  # the first to record both runs, one replaying them, the other country's
        [whole_pdf] = render_all([job_for(books[n], tmp_path / "whole" / f"guest-{n}.pdf")], tmp_path / f"cache-{n}",
                                 IN_PROCESS)
        assert joined_pdfs[n].read_bytes() == whole_pdf.read_bytes(), joined_pdfs[n].name


def test_runs_are_joined_where_enough_handbooks_share_them_and_a_countrys_handbooks_go_one_after_another() -> None:
    books = [_book(0, "no"), _book(1, "jp"), _book(2, "no"), _book(3, "jp"), _book(4, "no"), _book(5, "jp"), _book(6, "no"),
             _book(7, "za"), _book(8, "no")]
    jobs = [job_for(book, Path(f"guest-{n}.pdf")) for n, book in enumerate(books)]
    joins = _joins(jobs)
    assert [joins[job.key] for job in jobs] == [(0, 1), (1,), (0, 1), (1,), (0, 1), (1,), (0, 1), (1,), (0, 1)]
    assert _joins(jobs[:JOIN_FROM - 1]) == {}  # too few to share even the emergency chapters
    order = [job.target.name for job in _in_order(jobs, joins)]
    countries = ["jp" if n % 2 else "no" for n in range(7)] + ["za", "no"]
    assert len({countries[int(name[6])] for name in order[:5]}) == 1  # the five guests from Norway together
    ordered = _in_order(jobs, joins)
    assert sorted(len(batch) for batch in _batches(ordered, joins)) == [4, 5]  # a task each: Norway's, the others'
    many = [job_for(_book(n % 3, "no"), Path(f"guest-{n}.pdf")) for n in range(2 * BATCH + 1)]
    sizes = [len(batch) for batch in _batches(many, _joins(many))]  # three tasks, as even as can be
    assert len(sizes) == 3 and max(sizes) - min(sizes) <= 1 and sum(sizes) == len(many)


def test_replayed_pages_look_read_and_are_structured_like_weasyprints_own_painting(tmp_path: Path) -> None:
    """The shared pages' content is painted once and replayed, only their margins painted per guest: compared with
    WeasyPrint painting every page itself, only the order glyphs were first drawn may differ (so the bytes do).
    Pixels, text, tags, links, destinations and bookmarks may not."""
    enable_thai_text_fix()
    options = {"custom_metadata": True, **variant_options(DEFAULT_PDF_VARIANT)}
    books = [_book(number) for number in range(JOIN_FROM + 1)]
    ours = render_all([job_for(book, tmp_path / "ours" / f"guest-{n}.pdf") for n, book in enumerate(books)],
                      tmp_path / "cache", IN_PROCESS)
    # The longest (its worker lays the shared chapters out and paints them) and the shortest (it replays them, from
    # another page on): the other three differ from these only in where their shared pages start.
    for book, pdf in [(books[-1], ours[-1]), (books[0], ours[0])]:
        own = tmp_path / "weasyprint" / pdf.name
        own.parent.mkdir(exist_ok=True)
        HTML(string=handbook_html(book), base_url=str(PRINT_DIR)).render(**options).write_pdf(own, **options)
        assert _structure(pdf) == _structure(own), pdf.name
        assert pdftotext_text(pdf).split("\f") == pdftotext_text(own).split("\f"), pdf.name
        assert page_images(pdf, tmp_path / f"ours-{pdf.stem}", 50) == page_images(own, tmp_path / f"own-{pdf.stem}", 50), pdf.name
        assert _last_page_drawing(pdf) != _last_page_drawing(own), "the shared pages were not replayed"


def test_a_character_no_font_has_in_the_shared_chapters_fails_every_joined_handbook(tmp_path: Path) -> None:
    """The shared pages are painted once per worker: what that painting logged (a missing glyph) counts for every PDF
    that replays them, not only the first."""
    books = [_book(number) for number in range(JOIN_FROM + 1)]
    books = [replace(book, chapters=[*book.chapters[:-1], replace(book.chapters[-1], html="<p>\ue000 โทร 1669</p>")])
             for book in books]
    jobs = [job_for(book, tmp_path / f"guest-{n}.pdf") for n, book in enumerate(books)]
    with pytest.raises(MissingGlyphs) as failure:
        render_all(jobs, tmp_path / "cache", IN_PROCESS)
    assert [line.split(":")[0] for line in str(failure.value).splitlines()] == sorted(job.target.name for job in jobs)
    assert not list((tmp_path / "cache").glob("*.pdf"))  # none of them is kept


def _last_page_drawing(pdf: Path) -> bytes:
    """The operators that draw the last page (a replayed page paints its margins after its content's last ``Q``)."""
    with pikepdf.open(pdf) as document:
        return document.pages[-1].Contents.read_bytes()


def _structure(pdf: Path) -> dict[str, object]:
    """Tag tree (element types with the page and marked-content ids they own), links, named destinations and
    bookmarks, pages by number."""
    with pikepdf.open(pdf) as document:
        number = {page.objgen: index for index, page in enumerate(document.pages)}

        def element(node: pikepdf.Object) -> object:
            if isinstance(node, int):
                return node
            if "/MCID" in node:
                return ("mcr", number[node.Pg.objgen] if "/Pg" in node else None, int(node.MCID))
            if node.get("/Type") == "/OBJR":
                return ("annotation", str(node.Obj.get("/Contents", "")))
            kids = node.get("/K", [])
            kids = kids if isinstance(kids, pikepdf.Array) else [kids]
            page = number[node.Pg.objgen] if "/Pg" in node else None
            return (str(node.S), page, [element(kid) for kid in kids])

        def outline(items: list) -> list[object]:  # noqa: ANN001 - pikepdf outline items
            return [(item.title, number[item.destination[0].objgen], outline(item.children)) for item in items]

        names = document.Root.Names.Dests.Names
        with document.open_outline() as bookmarks:
            tree = outline(bookmarks.root)
        return {
            "tags": element(document.Root.StructTreeRoot.K[0]) if "/StructTreeRoot" in document.Root else None,
            "links": [[(str(a.get("/Dest", "")), str(a.get("/Contents", "")), [round(float(v), 2) for v in a.Rect])
                       for a in page.get("/Annots", [])] for page in document.pages],
            "destinations": {str(names[i]): (number[names[i + 1][0].objgen], [round(float(v), 2) for v in names[i + 1][2:4]])
                             for i in range(0, len(names), 2)},
            "bookmarks": tree,
        }


def test_when_handbooks_are_joined_the_documents_that_need_no_shared_layout_go_before_them() -> None:
    """After the longest, shortest first: a worker's first joined handbook also lays out the shared chapters, its
    largest memory but for the orientation handbook's, and a long board comes close; neither is to run beside it."""
    def job(name: str, length: int, joined: bool = False) -> Job:
        return Job(html=None if joined else "x" * length, target=Path(name), key=name, book=_book(0) if joined else None,
                   size=length)

    todo = [job("card", 10), job("guest-a", 500, True), job("orientation", 900), job("board", 600), job("runsheet", 50),
            job("guest-b", 400, True)]
    joins = {"guest-a": (0,), "guest-b": (0,)}
    assert [j.target.name for j in _in_order(todo, joins)] == ["orientation", "card", "runsheet", "board", "guest-a",
                                                             "guest-b"]
    assert [j.target.name for j in _in_order(todo, {})] == ["orientation", "board", "guest-a", "guest-b", "runsheet",
                                                           "card"]


def test_a_handbook_with_shared_chapters_is_a_job_without_its_html(tmp_path: Path) -> None:
    """The main process keeps the book, not the HTML (every shared chapter again per guest); the key and the size are
    the whole HTML's. A worker that renders it whole makes the HTML again (the byte-identity test above renders each
    book alone, whole, from such a job)."""
    book = _book(1)
    job = job_for(book, tmp_path / "guest.pdf")
    html = handbook_html(book)
    assert job.html is None and job.book is book and job.size == len(html) > 10_000
    assert job.whole_html() == html  # what the benchmark's naive render lays out
    assert job.key == job_for_html(html, tmp_path / "guest.pdf").key
    unshared = replace(book, shared=())
    assert job_for(unshared, tmp_path / "guest.pdf").html == handbook_html(unshared)
