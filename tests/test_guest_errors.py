"""Every class of bad guest input answers with one exact line naming file:line:col, the field and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from build_tools.loader import load_guest

from conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "guest.yml"
CASES = yaml.safe_load((REPO / "tests" / "cases" / "guest_errors.yml").read_text(encoding="utf-8"))


def _case_text(case: dict) -> str:
    if "text" in case:
        return case["text"]
    old, new = case["replace"]
    original = FIXTURE.read_text(encoding="utf-8")
    assert old in original, f"case {case['name']!r} no longer matches the fixture"
    return original.replace(old, new, 1)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_guest_error_message(case: dict, tmp_path: Path) -> None:
    guests = tmp_path / "guests"
    guests.mkdir()
    (guests / "x.yml").write_text(_case_text(case), encoding="utf-8")
    record, problems = load_guest(guests / "x.yml", tmp_path)
    assert [str(p) for p in problems] == case["expect"]
    assert (record is None) == bool(case["expect"])


def test_invalid_utf8_names_the_byte_and_line(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_bytes("name:\n  passport: ".encode() + b"TAN\xe9KA\n")
    _, problems = load_guest(tmp_path / "x.yml", tmp_path)
    assert [str(p) for p in problems] == ["x.yml:2:16: expected UTF-8 text, got the byte 0xe9; save the file as UTF-8"]


def test_check_reports_every_error_of_every_file_at_once_without_traceback(project: Path) -> None:
    text = (project / "guests" / "jp-tanaka.yml").read_text(encoding="utf-8")
    (project / "guests" / "zz-broken-one.yml").write_text(text.replace("flight: JL 031", "flight: not a flight"), encoding="utf-8")
    (project / "guests" / "zz-broken-two.yml").write_text(text.replace("check_in: 2027-03-01", "check_in: soon"), encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "guests/zz-broken-one.yml:" in result.stderr and "arrival.flight: expected a flight number like TG 641" in result.stderr
    assert "guests/zz-broken-two.yml:" in result.stderr and 'stay.check_in: expected a date like 2027-03-02, got "soon"' in result.stderr


def test_failed_build_leaves_the_last_good_site_untouched(project: Path) -> None:
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("last good site", encoding="utf-8")
    (project / "guests" / "zz-broken.yml").write_text("name: [unclosed\n", encoding="utf-8")
    result = run_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "guests/zz-broken.yml:2:1:" in result.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "last good site"
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []
