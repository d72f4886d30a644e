"""A handbook whose text no installed font can draw fails the build with a clear message instead of printing boxes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli

NO_FONT_HAS_IT = "\U0010fffd"  # plane-16 private use: no font maps it


def test_text_without_a_font_fails_the_build_and_keeps_the_last_site(project: Path, sample_site: Path) -> None:
    # With the sample's published version (and the sample built), every document that does not carry the position is
    # the sample's, from the session's PDF cache: the ones that carry it are rendered, and must fail.
    shutil.copytree(REPO / "published", project / "published")
    guest = next(p for p in sorted((project / "guests").glob("*.yml")) if not p.name.startswith("_"))
    guest.write_text(guest.read_text(encoding="utf-8").replace("position: ", f"position: Minister {NO_FONT_HAS_IT} ", 1), encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("last good site", encoding="utf-8")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # Every document that carries the position is named, whichever worker finished first (CI once saw only the pocket card).
    named = {line.split(": expected")[0].rsplit(" ", 1)[-1] for line in result.stderr.splitlines() if ": expected text every" in line}
    assert {f"guest-{guest.stem}.pdf", f"card-{guest.stem}.pdf"} <= named, result.stderr
    assert all(name.endswith(f"{guest.stem}.pdf") for name in named), named
    assert "U+10FFFD" in result.stderr
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "last good site"


def test_renderer_reports_every_document_without_a_font_and_keeps_the_good_ones(tmp_path: Path) -> None:
    """Two workers: the document with boxes is named and not cached, the good one is cached, no scratch file stays."""
    from build_tools.pdf.render import MissingGlyphs, job_for_html, render_all
    from build_tools.workers import Workers

    page = '<html lang="th"><head><meta charset="utf-8"></head><body><p>{}</p></body></html>'
    bad = job_for_html(page.format(f"รัฐมนตรี {NO_FONT_HAS_IT}"), tmp_path / "out" / "bad.pdf")
    good = job_for_html(page.format("รัฐมนตรีว่าการกระทรวงการต่างประเทศ"), tmp_path / "out" / "good.pdf")
    cache = tmp_path / "cache"
    with pytest.raises(MissingGlyphs) as failure:
        render_all([bad, good], cache, Workers(2))
    assert str(failure.value).startswith("bad.pdf: expected text every installed font can draw") and "good.pdf" not in str(failure.value)
    assert sorted(path.name for path in cache.iterdir() if path.suffix == ".pdf") == [f"{good.key}.pdf"]  # and its hash
    assert not (tmp_path / "out").exists(), "nothing is copied out of a failed render"


def test_renderer_prints_what_weasyprint_warned_and_our_print_pages_warn_nothing(tmp_path: Path,
                                                                                capfd: pytest.CaptureFixture[str]) -> None:
    """WeasyPrint's own logger drops its warnings: the build prints each, once, with the files it came from. A handbook
    in our print template warns nothing; without HarfBuzz's font subsetter (`make fonts`), every document would warn
    that its fonts were embedded with fontTools instead, several times slower."""
    from build_tools.pdf.chapters import Chapter
    from build_tools.pdf.handbooks import Handbook
    from build_tools.pdf.render import job_for, job_for_html, render_all
    from build_tools.workers import Workers

    book = Handbook(title="คู่มือ LO: ทดสอบ", subtitle="รัฐมนตรี (Minister)", cover=[("ประเทศ (Country)", "ญี่ปุ่น (Japan)")],
                    chapters=[Chapter("ch-one", "บทที่หนึ่ง (One)", "<p>เจ้าหน้าที่ประสานงาน <b>ต้อง</b> <i>รู้</i> 日本語 — Café</p>")],
                    as_of="2027-01-01", confidential=True)
    odd = '<html lang="en"><head><style>p {{ colour: red }}</style></head><body><p>{}</p></body></html>'
    jobs = [job_for(book, tmp_path / "out" / "handbook.pdf"),
            *(job_for_html(odd.format(n), tmp_path / "out" / f"odd-{n}.pdf") for n in range(5))]
    render_all(jobs, tmp_path / "cache", Workers(2))
    warned = [line for line in capfd.readouterr().err.splitlines() if "WeasyPrint" in line]
    assert warned == ["PDF: WeasyPrint warned in odd-0.pdf, odd-1.pdf, odd-2.pdf and 2 more: "
                      "Ignored `colour: red ` at 1:5, unknown property."]


def _line_width(css: str, tmp_path: Path, name: str) -> float:
    import pdfplumber
    from weasyprint import HTML

    body = "<p>ผู้ติดตามฝั่งแขก (โดยเฉพาะเจ้าหน้าที่สถานเอกอัครราชทูต) มักเป็นคนที่ LO คุยด้วย</p>"
    HTML(string=f'<html lang="th"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>').write_pdf(tmp_path / name)
    with pdfplumber.open(tmp_path / name) as pdf:
        words = pdf.pages[0].extract_words()
        return max(w["x1"] for w in words) - min(w["x0"] for w in words)


def test_handbook_font_stack_lays_thai_out_at_the_fonts_own_widths(tmp_path: Path) -> None:
    """The print CSS must give Laksaman's natural advance widths (a bad family fallback once squeezed every line)."""
    from build_tools.pdf.render import PRINT_DIR

    css = (PRINT_DIR / "handbook.css").read_text(encoding="utf-8") + "@page { size: 400mm 100mm; }"
    ours = _line_width(css, tmp_path, "ours.pdf")
    plain = _line_width(css + 'html { font-family: "Laksaman"; }', tmp_path, "plain.pdf")
    assert abs(ours - plain) / plain < 0.02
