"""Our handbooks' Thai copies and searches exactly in the five extractors people use (issue 18).

That the same measure fails when the mapping is broken is shown on smaller documents in
test_pdf_thai_text.py.

The measure (tests/thai_passages.py): every paragraph, list item and table cell of the site pages a
handbook prints, with at least 15 Thai letters, as the print stylesheet shows it, must occur exactly
in each extractor's text of the handbook, spaces included, line breaks and the running header and
footer ignored.  Extractors: poppler (pdftotext), pypdf, PDFium (pypdfium2), MuPDF (PyMuPDF), pdf.js
(pdfjs-dist in node).
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


def test_handbooks_thai_passages_are_found_exactly_by_all_five_extractors(sample_site: Path) -> None:
    pdfs = [sample_site / "pdf" / "orientation.pdf", *sorted((sample_site / "pdf").glob("guest-*.pdf"))]
    texts = thai_passages.extract_all(pdfs, raw=True)
    scores: dict[str, dict[str, thai_passages.Score]] = {}
    for pdf in pdfs:
        wanted = thai_passages.handbook_passages(pdf, sample_site)
        assert len(wanted) > 100, f"{pdf.name}: the measure found too few passages to mean anything"
        furniture = thai_passages.page_furniture(pdf)
        scores[pdf.name] = {name: thai_passages.score(wanted, texts[name][pdf], furniture)
                            for name in thai_passages.EXTRACTORS}
        scores[pdf.name]["pdftotext -raw"] = thai_passages.score(wanted, texts["pdftotext -raw"][pdf], furniture)
    assert not _report(scores), _report(scores)
