"""The benchmark's event generator writes valid events (the benchmark itself is a script: ``make bench``).

Driven through its command line, as ``make bench`` uses it: the tests import nothing from bench/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, copy_project, run_cli


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


def test_the_naive_anchor_gets_every_print_document_whole(tmp_path: Path) -> None:
    """The capture records each document's complete HTML, a guest handbook's shared chapters included (a handbook job
    keeps its book, not its HTML: build_tools.pdf.render.job_for)."""
    project = copy_project(tmp_path / "project")
    out = tmp_path / "anchors"
    result = subprocess.run([sys.executable, "-m", "bench.anchors", "capture", str(project), str(out)], cwd=project,
                            env={**os.environ, "PYTHONPATH": str(REPO), "LO_CACHE_DIR": str(tmp_path / "cache")},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    jobs = [json.loads(line) for line in (out / "jobs.jsonl").read_text(encoding="utf-8").splitlines()]
    guests = [p for p in (REPO / "guests").glob("*.yml") if not p.name.startswith("_")]
    handbooks = [job for job in jobs if job["name"].startswith("guest-")]
    assert len(handbooks) == len(guests) and len(jobs) > 3 * len(guests)
    assert all(job["html"].startswith("<!DOCTYPE html>") and job["html"].rstrip().endswith("</html>") for job in jobs)
    assert all('id="ch-emergencies-index"' in job["html"] for job in handbooks)  # the shared chapters, in each


def test_a_step_the_benchmark_does_not_have_is_refused_before_any_work(tmp_path: Path) -> None:
    """``--only`` with a misspelt step would otherwise skip every step and report nothing."""
    result = subprocess.run([sys.executable, "-m", "bench", "--sizes", "2", "--only", "cold build", "naive",
                             "--out", str(tmp_path / "out")], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 2
    assert "--only: expected steps among" in result.stderr and "'naive serial'" in result.stderr
    assert "got 'naive'" in result.stderr
    assert not (tmp_path / "out" / "work").exists()


def test_the_two_halves_of_the_naive_render_make_every_document_once(tmp_path: Path) -> None:
    """The naive anchor runs in two halves, one on each side of the cold build (bench/run.py): together, each captured
    document exactly once."""
    jobs = tmp_path / "jobs.jsonl"
    names = [f"doc-{n}.pdf" for n in range(5)]
    jobs.write_text("".join(json.dumps({"name": name, "html": f"<p>เอกสาร {name}</p>", "variant": "plain"}) + "\n"
                            for name in names), encoding="utf-8")
    written = {}
    for part in ("0/2", "1/2"):
        out = tmp_path / part.replace("/", "-of-")
        result = subprocess.run([sys.executable, "-m", "bench.anchors", "naive", str(jobs), str(out), part], cwd=REPO,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        written[part] = sorted(path.name for path in out.glob("*.pdf"))
    assert written == {"0/2": ["doc-0.pdf", "doc-2.pdf", "doc-4.pdf"], "1/2": ["doc-1.pdf", "doc-3.pdf"]}
    wrong = subprocess.run([sys.executable, "-m", "bench.anchors", "naive", str(jobs), str(tmp_path / "x"), "2/2"],
                           cwd=REPO, capture_output=True, text=True)
    assert wrong.returncode == 2 and "expected a part as PART/PARTS" in wrong.stderr
