"""The field tool on paper (real WeasyPrint PDFs of the sample event, read back with poppler and pypdf): no literal Markdown
in any PDF's text, every phone number a ``tel:`` link annotation, places ``geo:`` links, checklist boxes empty."""

from __future__ import annotations

import re
from pathlib import Path

import thai_passages
from pypdf import PdfReader

from field_support import guest_numbers, view


def _uris(pdf: Path) -> set[str]:
    found = set()
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                found.add(str(action["/URI"]))
    return found


def test_no_literal_markdown_in_any_pdf(sample_site: Path) -> None:
    pdfs = sorted((sample_site / "pdf").glob("*.pdf"))
    assert len(pdfs) > 20
    offenders = {}
    # PDFium's text (pypdf took minutes over the handbooks' Type 3 cluster fonts, poppler ten times PDFium's time, for
    # the same text), kept for the other tests that read these handbooks (thai_passages.extract_all)
    texts = thai_passages.extract_all(pdfs, names=["pdfium"])["pdfium"]
    for pdf, text in texts.items():
        found = re.findall(r".{0,20}(?:\*\*|~~).{0,20}", text)
        if found:
            offenders[pdf.name] = found[:3]
    assert offenders == {}


def test_guest_handbook_numbers_are_link_annotations(sample_site: Path) -> None:
    for guest_id in ["jp-tanaka", "no-lindvik"]:
        uris = _uris(sample_site / f"pdf/guest-{guest_id}.pdf")
        expected = guest_numbers(view(guest_id))
        assert expected <= uris, (guest_id, expected - uris)
        assert any(u.startswith("geo:") for u in uris)


def test_pocket_card_and_run_sheet_numbers_are_link_annotations(sample_site: Path) -> None:
    v = view("jp-tanaka")
    driver = "tel:" + v.guest.transport.driver.phone.replace(" ", "")
    for name in ["card-jp-tanaka.pdf", "runsheet-jp-tanaka.pdf"]:
        uris = _uris(sample_site / "pdf" / name)
        assert driver in uris and "tel:1669" in uris, (name, sorted(uris)[:8])
