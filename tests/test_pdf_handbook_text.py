"""Our handbooks' Thai copies and searches exactly in the five extractors people use (issue 18).

That the same measure fails when the mapping is broken is shown on smaller documents in
test_pdf_thai_text.py.

The measure (tests/thai_passages.py): every paragraph, list item and table cell of the site pages a
handbook prints, with at least 15 Thai letters, as the print stylesheet shows it, must occur exactly
in each extractor's text of the handbook, spaces included, line breaks and the running header and
footer ignored.  Extractors: poppler (pdftotext), pypdf, PDFium (pypdfium2), MuPDF (PyMuPDF), pdf.js
(pdfjs-dist in node).

The orientation handbook prints every knowledge page, and is read whole. A guest handbook ends with chapters the
orientation prints too: the guest's country page, laid out for each guest, and the emergency procedures, laid out and
painted once and replayed into each (build_tools/pdf/joined.py, replay.py). PDFium shows that those chapters read in
every guest handbook exactly as in the orientation; the five extractors then read each guest's own pages (its cover,
contents and profile). Three quarters of the guest pages, otherwise read again in every guest handbook, are the
orientation's text. That replayed pages read, look and are structured like WeasyPrint's own painting in every
extractor is test_pdf_joined's.
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
    ``shared`` chapters, and the chapters there."""
    ordered = sorted(starts, key=starts.__getitem__)
    lead = len(ordered)
    while lead and ordered[lead - 1] in shared:
        lead -= 1
    assert lead < len(ordered), "no chapter of the orientation at the handbook's end"
    return starts[ordered[lead]], set(ordered[:lead])


def _chapter_texts(text: str, starts: dict[str, int], furniture: list[list[str]]) -> dict[str, str]:
    """An extractor's text of each chapter of a handbook (from its first page to the next chapter's), without the
    running header and footer."""
    pages = text.split("\f")
    ordered = sorted(starts, key=starts.__getitem__)
    bounds = [starts[chapter] for chapter in ordered] + [len(pages)]
    return {chapter: thai_passages.normalise_extracted("\f".join(pages[first:end]), furniture[first:end])
            for chapter, first, end in zip(ordered, bounds, bounds[1:])}


def test_handbooks_thai_passages_are_found_exactly_by_all_five_extractors(sample_site: Path) -> None:
    orientation = sample_site / "pdf" / "orientation.pdf"
    guests = sorted((sample_site / "pdf").glob("guest-*.pdf"))
    assert len(guests) > 2
    pdfs = [orientation, *guests]
    starts = {pdf: thai_passages.chapter_pages(pdf) for pdf in pdfs}
    furniture = {pdf: thai_passages.page_furniture(pdf) for pdf in pdfs}
    own = {pdf: _own_pages(starts[pdf], set(starts[orientation])) for pdf in guests}

    # The premise of reading only the guests' own pages: the chapters after them read exactly as the orientation's
    # (which may print its section's name over a section's first chapter), in PDFium, which reads them ten times
    # faster than poppler (test_field_pdf reads these with it too).
    pdfium = thai_passages.extract_all(pdfs, names=["pdfium"])["pdfium"]
    in_orientation = _chapter_texts(pdfium[orientation], starts[orientation], furniture[orientation])
    for pdf in guests:
        chapters = _chapter_texts(pdfium[pdf], starts[pdf], furniture[pdf])
        shared = sorted(set(chapters) - own[pdf][1])
        assert "ch-emergencies-index" in shared and any(chapter.startswith("ch-countries-") for chapter in shared)
        for chapter in shared:
            theirs = in_orientation[chapter]
            assert len(chapters[chapter]) > 1000 and chapters[chapter] in (theirs, theirs.partition("\n")[2]), \
                f"{pdf.name}: {chapter} reads differently from the orientation's"

    texts = thai_passages.extract_all(pdfs, raw=True, last={pdf: pages for pdf, (pages, _) in own.items()})
    scores: dict[str, dict[str, thai_passages.Score]] = {}
    for pdf in pdfs:
        wanted = thai_passages.handbook_passages(pdf, sample_site, own[pdf][1] if pdf in own else starts[pdf])
        assert len(wanted) > 100, f"{pdf.name}: the measure found too few passages to mean anything"
        scores[pdf.name] = {name: thai_passages.score(wanted, texts[name][pdf], furniture[pdf])
                            for name in [*thai_passages.EXTRACTORS, "pdftotext -raw"]}
    assert not _report(scores), _report(scores)
