"""Our handbooks' Thai copies and searches exactly in the five extractors people use (issue 18).

That the same measure fails when the mapping is broken is shown on smaller documents in
test_pdf_thai_text.py.

The measure (tests/thai_passages.py): every paragraph, list item and table cell of the site pages a
handbook prints, with at least 15 Thai letters, as the print stylesheet shows it, must occur exactly
in each extractor's text of the handbook, spaces included, line breaks and the running header and
footer ignored.  Extractors: poppler (pdftotext), pypdf, PDFium (pypdfium2), MuPDF (PyMuPDF), pdf.js
(pdfjs-dist in node).

Every guest handbook ends with the same shared chapters (the emergency procedures), laid out and painted once and
replayed into each (build_tools/pdf/joined.py, replay.py). They are read in full in the first guest's handbook; in
the others the extractors read the guest's own pages, after PDFium has shown that the shared pages read the same
there as in the first (two thirds of the reading, otherwise done once per guest, for the same text).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import thai_passages

pytestmark = pytest.mark.slow

if missing := thai_passages.missing_tools():
    pytest.skip(f"text extractors not installed: {', '.join(missing)} (make setup)", allow_module_level=True)

THRESHOLD = 0.995  # every extractor, and poppler's content-stream order (pdftotext -raw) as well


def _report(scores: dict[str, dict[str, thai_passages.Score]]) -> str:
    lines = []
    for pdf, by_extractor in scores.items():
        for name, score in by_extractor.items():
            if score.share < THRESHOLD:
                lines.append(f"{pdf} {name}: {100 * score.share:.1f}% ({score.found}/{score.total}); "
                             f"first missed: {score.missed[:2]}")
    return "\n".join(lines)


def _own_pages(starts: dict[str, int], shared: set[str]) -> tuple[int, set[str]]:
    """How many pages of a guest handbook (its chapters' first pages: ``starts``) come before its trailing run of
    shared chapters, and the chapters there."""
    ordered = sorted(starts, key=starts.__getitem__)
    lead = len(ordered)
    while lead and ordered[lead - 1] in shared:
        lead -= 1
    assert lead < len(ordered), "no shared chapter at the handbook's end"
    return starts[ordered[lead]], set(ordered[:lead])


def _shared_text(text: str, first_page: int, furniture: list[list[str]]) -> str:
    """An extractor's text of the pages from ``first_page`` on, without their running header and footer."""
    pages = text.split("\f")[first_page:]
    return thai_passages.normalise_extracted("\f".join(pages), furniture[first_page:])


def test_handbooks_thai_passages_are_found_exactly_by_all_five_extractors(sample_site: Path) -> None:
    guests = sorted((sample_site / "pdf").glob("guest-*.pdf"))
    assert len(guests) > 2
    starts = {pdf: thai_passages.chapter_pages(pdf) for pdf in guests}
    shared = set.intersection(*(set(chapters) for chapters in starts.values()))
    own = {pdf: _own_pages(starts[pdf], shared) for pdf in guests[1:]}
    furniture = {pdf: thai_passages.page_furniture(pdf) for pdf in guests}

    # The premise of reading only the other guests' own pages: their shared pages read exactly as the first's (in
    # PDFium, which reads them ten times faster than poppler; test_field_pdf reads these with it too).
    pdfium = thai_passages.extract_all(guests, names=["pdfium"])["pdfium"]
    first_shared = _own_pages(starts[guests[0]], shared)[0]
    expected = _shared_text(pdfium[guests[0]], first_shared, furniture[guests[0]])
    assert len(expected) > 10_000
    for pdf, (pages, _) in own.items():
        assert _shared_text(pdfium[pdf], pages, furniture[pdf]) == expected, f"{pdf.name}: shared pages read differently"

    pdfs = [sample_site / "pdf" / "orientation.pdf", *guests]
    texts = thai_passages.extract_all(pdfs, raw=True, last={pdf: pages for pdf, (pages, _) in own.items()})
    scores: dict[str, dict[str, thai_passages.Score]] = {}
    for pdf in pdfs:
        chapters = own[pdf][1] if pdf in own else starts.get(pdf)
        wanted = thai_passages.handbook_passages(pdf, sample_site, chapters)
        assert len(wanted) > 100, f"{pdf.name}: the measure found too few passages to mean anything"
        pages = furniture.get(pdf) or thai_passages.page_furniture(pdf)
        scores[pdf.name] = {name: thai_passages.score(wanted, texts[name][pdf], pages)
                            for name in thai_passages.EXTRACTORS}
        scores[pdf.name]["pdftotext -raw"] = thai_passages.score(wanted, texts["pdftotext -raw"][pdf], pages)
    assert not _report(scores), _report(scores)
