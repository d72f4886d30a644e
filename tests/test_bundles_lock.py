"""Locking one PDF for several bundles from one parse (bundles/lock.py: lock_pdfs): each copy opens only with its own
password and reads as its source does, as a copy locked alone does."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from build_tools.bundles.lock import lock_pdfs


def _source(path: Path, text: str) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("ascii"))
    pdf.save(path)
    return path


def _content(path: Path, password: str) -> bytes:
    with pikepdf.open(path, password=password) as pdf:
        return pdf.pages[0].Contents.read_bytes()


def test_one_parse_locked_for_two_bundles_reads_as_a_copy_locked_alone(tmp_path: Path) -> None:
    source = _source(tmp_path / "orientation.pdf", "shared")
    lock_pdfs(source, [(tmp_path / "alone.pdf", "u-alone", "o-alone")])
    lock_pdfs(source, [(tmp_path / f"{bundle}.pdf", f"u-{bundle}", f"o-{bundle}") for bundle in ("a", "b")])
    for name in ("alone", "a", "b"):
        assert _content(tmp_path / f"{name}.pdf", f"u-{name}") == b"BT /F1 12 Tf 20 100 Td (shared) Tj ET"
        for other in {"alone", "a", "b"} - {name}:
            with pytest.raises(pikepdf.PasswordError):
                pikepdf.open(tmp_path / f"{name}.pdf", password=f"u-{other}")
