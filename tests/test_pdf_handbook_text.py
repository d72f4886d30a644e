"""Our handbooks' Thai copies and searches exactly in the five extractors people use (issue 18).

The measure (tests/thai_passages.py): every paragraph, list item and table cell of the site pages a
handbook prints, with at least 15 Thai letters, must occur exactly in each extractor's text of the
handbook, spaces included, line breaks ignored.  Extractors: poppler (pdftotext), pypdf, PDFium
(pypdfium2), MuPDF (PyMuPDF), pdf.js (pdfjs-dist in node).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from weasyprint import HTML

import thai_passages
from build_tools.pdf import cluster_fonts, thai_text

pytestmark = pytest.mark.slow

if missing := thai_passages.missing_tools():
    pytest.skip(f"text extractors not installed: {', '.join(missing)} (make setup)", allow_module_level=True)

THRESHOLD = 0.995


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
    texts = thai_passages.extract_all(pdfs)
    scores: dict[str, dict[str, thai_passages.Score]] = {}
    for pdf in pdfs:
        wanted = thai_passages.handbook_passages(pdf, sample_site)
        assert len(wanted) > 100, f"{pdf.name}: the measure found too few passages to mean anything"
        scores[pdf.name] = {name: thai_passages.score(wanted, texts[name][pdf]) for name in thai_passages.EXTRACTORS}
    assert not _report(scores), _report(scores)


# --------------------------------------------------------------------------------------------
# The measure fails when the mapping is broken
# --------------------------------------------------------------------------------------------

@pytest.fixture
def guest_passages(sample_site: Path) -> list[str]:
    page = sample_site / "guests" / "jp-tanaka.html"
    return thai_passages.passages(page.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def thai_fix() -> Iterator[None]:
    was_enabled = thai_text.thai_text_fix_enabled()
    assert thai_text.enable_thai_text_fix()
    yield
    if not was_enabled:
        thai_text.disable_thai_text_fix()


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


def test_the_measure_fails_when_the_marks_glyph_sits_at_the_end(
        guest_passages: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The zero-width marks glyph exactly at the end of its cluster: poppler puts it after the next letter."""
    monkeypatch.setattr(thai_text, "MARK_INSET", 0)
    scores = _scores(guest_passages, tmp_path / "marks-at-end.pdf")
    assert scores["pdftotext"] < THRESHOLD, scores
    assert cluster_fonts.MARK_INSET > 0
