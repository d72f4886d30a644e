"""The benchmark's event generator writes valid events (the benchmark itself is a script: ``make bench``).

Driven through its command line, as ``make bench`` uses it: the tests import nothing from bench/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli


def _generate(*args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "bench.generate", *args], cwd=REPO, capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_generated_event_passes_check_and_one_edit_changes_one_file(tmp_path: Path) -> None:
    project = tmp_path / "event"
    _generate("12", str(project))
    guests = sorted(p.stem for p in (project / "guests").glob("*.yml") if not p.name.startswith("_"))
    assert len(guests) == 12 and len(set(guests)) == 12
    before = {p.name: p.read_text(encoding="utf-8") for p in (project / "guests").glob("*.yml")}
    [edited] = _generate("0", str(project), "--edit-one")
    result = run_cli("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "0 error(s)" in result.stderr
    copies = [p for p in (project / "guests").glob("*-001.yml")]
    assert copies and all("Synthetic benchmark guest" in p.read_text(encoding="utf-8") for p in copies)
    after = {p.name: p.read_text(encoding="utf-8") for p in (project / "guests").glob("*.yml")}
    assert [name for name in before if before[name] != after[name]] == [Path(edited).name]


def test_copies_differ_from_their_sample(tmp_path: Path) -> None:
    project = tmp_path / "event"
    _generate("20", str(project))
    copy = sorted((project / "guests").glob("*-001.yml"))[0]
    sample = REPO / "guests" / copy.name.replace("-001.yml", ".yml")
    copy_text = copy.read_text(encoding="utf-8")
    assert copy_text != sample.read_text(encoding="utf-8")
    assert "preferred:" in copy_text and " II\n" in copy_text
