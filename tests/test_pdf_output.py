"""The real handbooks, rendered by WeasyPrint during the sample build, read back with pypdf and pdfplumber."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pypdf
import thai_passages
import yaml

from conftest import REPO

A4 = (595.28, 841.89)


@cache
def _reader(path: Path) -> pypdf.PdfReader:
    """pypdf's reading of a handbook, once per module: three tests read the orientation handbook, and opening it costs
    pypdf 0.6-0.9 s (its catalogue's object stream parsed; pdf/pydyf_speed.py)."""
    return pypdf.PdfReader(path)


def _fonts(reader: pypdf.PdfReader) -> set[str]:
    names: set[str] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(descendant.get_object()["/BaseFont"]))
    return names


def test_orientation_handbook_is_a4_thai_with_embedded_font(sample_site: Path) -> None:
    reader = _reader(sample_site / "pdf" / "orientation.pdf")
    assert len(reader.pages) > 20
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - A4[0]) < 1 and abs(float(page.mediabox.height) - A4[1]) < 1
    assert any("Laksaman" in name for name in _fonts(reader))
    assert reader.metadata.title.startswith("คู่มือปฐมนิเทศ")
    assert "บทบาท" in reader.pages[3].extract_text() or "บทบาท" in "".join(p.extract_text() for p in reader.pages[:6])


def test_guest_handbook_carries_the_guest_and_is_marked_confidential(sample_site: Path) -> None:
    guest_file = sorted((REPO / "guests").glob("[!_]*.yml"))[0]
    data = yaml.safe_load(guest_file.read_text(encoding="utf-8"))
    pdf = sample_site / "pdf" / f"guest-{guest_file.stem}.pdf"
    reader = _reader(pdf)
    second_chapter = sorted(thai_passages.chapter_pages(pdf).values())[1]
    own = [page.extract_text() for page in reader.pages[:second_chapter]]  # the cover, the contents, the guest's page
    text = "\n".join(own)
    assert data["name"]["preferred"] in text
    assert data["arrival"]["flight"] in text
    assert "CONFIDENTIAL" in own[0]
    assert "CONFIDENTIAL" in reader.pages[len(reader.pages) // 2].extract_text()  # the running marking
    assert reader.outline, "PDF bookmarks"


def _toc_entries(path: Path) -> list[tuple[int, int]]:
    """(printed page number, page the entry's link lands on) for every table-of-contents line."""
    import pdfplumber

    reader = _reader(path)
    page_of = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}
    destinations = {name: page_of[dest.page.idnum] for name, dest in reader.named_destinations.items()}
    entries = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages[:8], start=1):
            words = page.extract_words()
            if not any("Contents" in word["text"] for word in words):
                continue
            for annot in reader.pages[number - 1].get("/Annots", []):
                annot = annot.get_object()
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                top, bottom = page.height - max(y0, y1), page.height - min(y0, y1)
                on_line = [w for w in words if top <= (w["top"] + w["bottom"]) / 2 <= bottom]
                number = re.search(r"(\d+)$", max(on_line, key=lambda w: w["x1"])["text"]) if on_line else None
                if number:  # the number ends the line, after the leader dots
                    entries.append((int(number.group(1)), destinations[str(annot["/Dest"])]))
    return entries


def test_table_of_contents_numbers_are_the_pages_the_chapters_land_on(sample_site: Path) -> None:
    for name in ["orientation.pdf", sorted(p.name for p in (sample_site / "pdf").glob("guest-*.pdf"))[0]]:
        entries = _toc_entries(sample_site / "pdf" / name)
        assert len(entries) >= 10, name
        assert [printed for printed, _ in entries] == [landed for _, landed in entries], name
        assert all(printed > 2 for printed, _ in entries)


def test_bookmarks_follow_the_chapters(sample_site: Path) -> None:
    reader = _reader(sample_site / "pdf" / "orientation.pdf")
    titles = [item["/Title"] for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == "สารบัญ (Contents)"
    assert any("ฉุกเฉิน" in title or "Emergenc" in title for title in titles)
    assert len(titles) > 30


PROBE_WORDS = ["กำหนดการ", "ต้อง", "ผู้ประสานงาน", "ทั้งหมด", "น้ำ", "เจ้าหน้าที่", "ที่พัก", "ญี่ปุ่น", "ตำรวจอารักขา", "คำแนะนำ"]


def _pdftotext(path: Path) -> str:
    return thai_passages.extract_all([path], names=["pdftotext"])["pdftotext"][path]  # poppler's text, read once


def _thai_runs(html_text: str) -> list[str]:
    """Runs of Thai text of a page as the site shows it (tags dropped), long enough to be meaningful."""
    import html as html_module

    article = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html_text, re.S)
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", article.group(1) if article else html_text))
    return [run for run in re.findall(r"[\u0e00-\u0e7f]{12,}", text)]


def test_thai_text_of_our_handbooks_copies_exactly(sample_site: Path) -> None:
    """Every Thai run of the arrival page, and every probe word the knowledge base uses, extracts exactly from the
    orientation handbook (whitespace ignored): the WeasyPrint ToUnicode/ActualText fix at work on our own output."""
    extracted = re.sub(r"\s+", "", _pdftotext(sample_site / "pdf" / "orientation.pdf"))
    runs = _thai_runs((sample_site / "phases" / "arrival.html").read_text(encoding="utf-8"))
    assert len(runs) > 30
    missing = [run for run in runs if run not in extracted]
    assert missing == []
    source = "".join(p.read_text(encoding="utf-8") for p in (REPO / "content").rglob("*.md"))
    for word in PROBE_WORDS:
        if word in source:
            assert word in extracted, word
