"""The real sample site, built by the CLI with mkdocs, read back as HTML."""

from __future__ import annotations

import zipfile
from pathlib import Path

import yaml

from conftest import REPO


def _sample_guests() -> list[tuple[str, dict]]:
    return [(f.stem, yaml.safe_load(f.read_text(encoding="utf-8"))) for f in sorted((REPO / "guests").glob("[!_]*.yml"))]


def test_home_page_is_thai_and_links_the_handbooks(sample_site: Path) -> None:
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="th"' in home
    assert "fonts.googleapis.com" not in home
    guests_index = (sample_site / "guests" / "index.html").read_text(encoding="utf-8")
    assert 'href="../pdf/orientation.pdf"' in guests_index


def test_every_guest_has_a_page_with_its_facts_and_handbook(sample_site: Path) -> None:
    guests = _sample_guests()
    assert guests, "the repo must carry sample guests"
    for guest_id, data in guests:
        page = (sample_site / "guests" / f"{guest_id}.html").read_text(encoding="utf-8")
        assert data["name"]["preferred"] in page
        assert data["arrival"]["flight"] in page
        assert data["stay"]["room"] in page
        assert data["transport"]["driver"]["phone"] in page
        assert f'href="../pdf/guest-{guest_id}.pdf"' in page
        pdf = sample_site / "pdf" / f"guest-{guest_id}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")


def test_phase_pages_render_their_checklist(sample_site: Path) -> None:
    page = (sample_site / "phases" / "arrival.html").read_text(encoding="utf-8")
    assert "รายการตรวจสอบ (Checklist)" in page
    assert 'type="checkbox"' in page


def test_zip_holds_the_whole_site_with_pdfs(sample_site: Path) -> None:
    with zipfile.ZipFile(sample_site / "lo-briefing-site.zip") as archive:
        names = set(archive.namelist())
    assert "lo-briefing/index.html" in names
    assert "lo-briefing/pdf/orientation.pdf" in names
    assert not any(name.endswith(".zip") for name in names)
