"""The real handbooks, rendered by WeasyPrint during the sample build, read back with pypdf and pdfplumber."""

from __future__ import annotations

from pathlib import Path

import pypdf
import yaml

from conftest import REPO

A4 = (595.28, 841.89)


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
    reader = pypdf.PdfReader(sample_site / "pdf" / "orientation.pdf")
    assert len(reader.pages) > 20
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - A4[0]) < 1 and abs(float(page.mediabox.height) - A4[1]) < 1
    assert any("Laksaman" in name for name in _fonts(reader))
    assert reader.metadata.title.startswith("คู่มือปฐมนิเทศ")
    assert "บทบาท" in reader.pages[3].extract_text() or "บทบาท" in "".join(p.extract_text() for p in reader.pages[:6])


def test_guest_handbook_carries_the_guest_and_is_marked_confidential(sample_site: Path) -> None:
    guest_file = sorted((REPO / "guests").glob("[!_]*.yml"))[0]
    data = yaml.safe_load(guest_file.read_text(encoding="utf-8"))
    reader = pypdf.PdfReader(sample_site / "pdf" / f"guest-{guest_file.stem}.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert data["name"]["preferred"] in text
    assert data["arrival"]["flight"] in text
    assert "CONFIDENTIAL" in reader.pages[0].extract_text()
    assert "CONFIDENTIAL" in reader.pages[len(reader.pages) // 2].extract_text()  # the running marking
    assert reader.outline, "PDF bookmarks"
