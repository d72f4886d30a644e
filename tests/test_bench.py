"""The benchmark's event generator writes valid events (the benchmark itself is a script: ``make bench``)."""

from __future__ import annotations

from pathlib import Path

from bench.generate import edit_one_guest, generate, guest_ids
from conftest import run_cli


def test_generated_event_passes_check(tmp_path: Path) -> None:
    project = generate(12, tmp_path / "event")
    guests = sorted(p.stem for p in (project / "guests").glob("*.yml") if not p.name.startswith("_"))
    assert len(guests) == 12 and len(set(guests)) == 12
    before = {p.name: p.read_text(encoding="utf-8") for p in (project / "guests").glob("*.yml")}
    edited = edit_one_guest(project)
    result = run_cli("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "0 error(s)" in result.stderr
    assert "Synthetic benchmark guest" in (project / "guests" / f"{guest_ids(12)[-1][0]}.yml").read_text(encoding="utf-8")
    after = {p.name: p.read_text(encoding="utf-8") for p in (project / "guests").glob("*.yml")}
    assert [name for name in before if before[name] != after[name]] == [edited.name]


def test_copies_differ_from_their_sample(tmp_path: Path) -> None:
    project = generate(20, tmp_path / "event")
    ids = guest_ids(20)
    copy_id, sample, copy = next(item for item in ids if item[2] == 1)
    copy_text = (project / "guests" / f"{copy_id}.yml").read_text(encoding="utf-8")
    assert copy_text != sample.read_text(encoding="utf-8")
    assert "preferred:" in copy_text and " II\n" in copy_text
