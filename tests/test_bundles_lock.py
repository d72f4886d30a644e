"""Locking PDFs from sources a process keeps open (bundles/lock.py: OpenedPdfs): each file opens only with its own
password, reads as its source does, and a source rewritten in between is read anew."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from build_tools.bundles.lock import OpenedPdfs, lock_pdf


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


def test_one_open_source_locked_for_two_bundles_reads_as_a_fresh_lock(tmp_path: Path) -> None:
    source, opened = _source(tmp_path / "orientation.pdf", "shared"), OpenedPdfs()
    lock_pdf(source, tmp_path / "fresh.pdf", "u-fresh", "o-fresh")
    for bundle in ("a", "b"):
        lock_pdf(source, tmp_path / f"{bundle}.pdf", f"u-{bundle}", f"o-{bundle}", opened)
    for name in ("fresh", "a", "b"):
        assert _content(tmp_path / f"{name}.pdf", f"u-{name}") == b"BT /F1 12 Tf 20 100 Td (shared) Tj ET"
        with pytest.raises(pikepdf.PasswordError):
            pikepdf.open(tmp_path / f"{name}.pdf", password="u-" + ("b" if name == "a" else "a"))


def test_a_source_rewritten_between_two_locks_is_read_anew(tmp_path: Path) -> None:
    source, opened = tmp_path / "guest.pdf", OpenedPdfs()
    _source(source, "before")
    lock_pdf(source, tmp_path / "1.pdf", "u", "o", opened)
    _source(source, "after, longer")  # another size, another time
    lock_pdf(source, tmp_path / "2.pdf", "u", "o", opened)
    assert b"(before)" in _content(tmp_path / "1.pdf", "u")
    assert b"(after, longer)" in _content(tmp_path / "2.pdf", "u")
