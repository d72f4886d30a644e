"""A handbook whose text no installed font can draw fails the build with a clear message instead of printing boxes."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

NO_FONT_HAS_IT = "\U0010fffd"  # plane-16 private use: no font maps it


def test_text_without_a_font_fails_the_build_and_keeps_the_last_site(project: Path) -> None:
    guest = next(p for p in sorted((project / "guests").glob("*.yml")) if not p.name.startswith("_"))
    guest.write_text(guest.read_text(encoding="utf-8").replace("position: ", f"position: Minister {NO_FONT_HAS_IT} ", 1), encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("last good site", encoding="utf-8")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"guest-{guest.stem}.pdf: expected text every installed font can draw" in result.stderr
    assert "U+10FFFD" in result.stderr
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "last good site"
