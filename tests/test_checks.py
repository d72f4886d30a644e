"""Consistency checks over a whole event: each check, triggered and not, with its exact message and position."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from build_tools import checks
from build_tools.diagnostics import Severity, errors
from build_tools.knowledge import countries, read_knowledge
from build_tools.loader import LoadedEvent, load_event

from conftest import REPO, run_cli

EVENT = REPO / "tests" / "fixtures" / "checks" / "_event.yml"  # a snapshot of guests/_event.yml: stable line numbers
GUEST = REPO / "tests" / "fixtures" / "guest.yml"
CASES = yaml.safe_load((REPO / "tests" / "cases" / "checks.yml").read_text(encoding="utf-8"))
KNOWN_COUNTRIES = {"JP"}


def _edited(source: Path, edits: list[list[str]], case: str) -> str:
    text = source.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, f"case {case!r}: {old!r} no longer matches {source.name}"
        text = text.replace(old, new, 1)
    return text


# A second guest (guests/y.yml) for the checks across guests: the fixture guest with its own LO, spouse's LO,
# driver, car, police officers and room, so that only a case's own edits make the two share anything.
DISTINCT = [
    ["lo: lo-somchai", "lo: lo-wichai"],
    ["  lo: lo-somying", "  lo: lo-malee"],
    ["name: นายขับดี ปลอดภัย (Mr. Khapdee Plodphai)", "name: นายขับเก่ง ระวัง (Mr. Khapkeng Rawang)"],
    ["plate: กข 1234 กรุงเทพมหานคร", "plate: กค 5678 กรุงเทพมหานคร"],
    ["name: ร.ต.อ. อารักษ์ มั่นคง (Pol. Capt. Arak Mankhong)", "name: ร.ต.ท. ปกป้อง ดูแล (Pol. Lt. Pokpong Doolae)"],
    ["name: ด.ต. นำทาง ฉับไว (Pol. Sen. Sgt. Maj. Namthang Chapwai)", "name: ด.ต. เปิดทาง เร็วไว (Pol. Sen. Sgt. Maj. Poetthang Reowai)"],
    ['room: "1204"', 'room: "1206"'],
]


def _load(
    tmp_path: Path,
    event_edits: list[list[str]] = (),
    guest_edits: list[list[str]] = (),
    case: str = "",
    second_edits: list[list[str]] | None = None,
) -> LoadedEvent:
    """The fixture event and guest, edited as text, written to ``tmp_path/guests`` and loaded as the build would;
    with ``second_edits`` also guests/y.yml: the fixture guest made ``DISTINCT``, then edited."""
    guests = tmp_path / "guests"
    guests.mkdir()
    (guests / "_event.yml").write_text(_edited(EVENT, list(event_edits), case), encoding="utf-8")
    (guests / "x.yml").write_text(_edited(GUEST, list(guest_edits), case), encoding="utf-8")
    if second_edits is not None:
        distinct = _edited(GUEST, DISTINCT, case)
        for old, new in second_edits:
            assert old in distinct, f"case {case!r}: {old!r} no longer matches the second guest"
            distinct = distinct.replace(old, new, 1)
        (guests / "y.yml").write_text(distinct, encoding="utf-8")
    loaded, problems = load_event(guests, tmp_path)
    assert not problems, [str(p) for p in problems]
    assert loaded is not None and len(loaded.guests) == (1 if second_edits is None else 2)
    return loaded


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_check_case(case: dict, tmp_path: Path) -> None:
    loaded = _load(tmp_path, case.get("event", []), case.get("guest", []), case["name"], case.get("second"))
    check = getattr(checks, case["check"])
    assert [str(d) for d in sorted(check(loaded, KNOWN_COUNTRIES))] == case["expect"]


def test_every_check_has_a_case_that_triggers_it_and_one_that_does_not() -> None:
    for check in checks.CHECKS:
        outcomes = {bool(c["expect"]) for c in CASES if c["check"] == check.__name__}
        assert outcomes == {True, False}, f"{check.__name__} needs a triggering and a quiet case in tests/cases/checks.yml"
        assert check.__doc__, f"{check.__name__} should say what it finds and why at that severity"


def test_check_event_runs_every_check_and_sorts_by_position(tmp_path: Path) -> None:
    loaded = _load(
        tmp_path,
        guest_edits=[["check_in: 2027-03-01", "check_in: 2027-03-02"], ['phone: "+66 82 000 1001"', 'phone: "082 000 1001"']],
    )
    found = checks.check_event(loaded, KNOWN_COUNTRIES)
    assert [(d.line, d.field, d.severity) for d in found] == [
        (50, "stay.check_in", Severity.ERROR),
        (61, "transport.driver.phone", Severity.ERROR),
        (80, "schedule[0].menu", Severity.WARNING),
        (86, "schedule[3].menu", Severity.WARNING),
    ]


def test_the_repo_sample_event_has_no_errors() -> None:
    pages, _ = read_knowledge(REPO / "content", REPO)  # only for the country codes; content has its own tests
    loaded, problems = load_event(REPO / "guests", REPO)
    assert loaded is not None and not errors(problems), [str(p) for p in problems]
    found = checks.check_event(loaded, set(countries(pages)))
    assert [str(d) for d in errors(found)] == []


def test_cli_check_fails_on_a_check_error_and_passes_with_warnings(project: Path) -> None:
    for old in (project / "guests").glob("*.yml"):
        old.unlink()
    (project / "guests" / "_event.yml").write_text(EVENT.read_text(encoding="utf-8"), encoding="utf-8")
    guest, text = project / "guests" / "x.yml", GUEST.read_text(encoding="utf-8")
    guest.write_text(text.replace("check_out: 2027-03-04", "check_out: 2027-03-06"), encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "guests/x.yml:51:14: warning: stay.check_out: expected 2027-03-04 (the departure date) or the day after" in result.stderr
    guest.write_text(text.replace("check_out: 2027-03-04", "check_out: 2027-03-02"), encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "guests/x.yml:51:14: stay.check_out: expected 2027-03-04 (the departure date) or later, got 2027-03-02" in result.stderr


def test_a_memo_runs_the_checks_again_only_when_the_event_or_a_guest_changed(tmp_path: Path, monkeypatch) -> None:
    """serve and the bundles' workers load the project through a memo: the checks across guests are kept while
    nothing they read changed, and run again after any guest's edit (here the second guest takes the first's room)."""
    from build_tools import project
    from build_tools.memo import Memo
    from build_tools.profiles import Profile

    _load(tmp_path, second_edits=[])
    runs = []
    monkeypatch.setattr(project, "check_event", lambda loaded, codes: runs.append(1) or checks.check_event(loaded, codes))
    memo = Memo()

    def findings() -> list[str]:
        loaded, problems = project.load_project(tmp_path, REPO / "content", tmp_path / "guests", Profile.FULL, memo)
        return [str(problem) for problem in problems]

    before = findings()
    assert findings() == before and len(runs) == 1, "nothing changed: the checks' findings are the ones kept"
    second = tmp_path / "guests" / "y.yml"
    second.write_text(second.read_text(encoding="utf-8").replace('room: "1206"', 'room: "1204"'), encoding="utf-8")
    after = findings()
    assert len(runs) == 2
    assert [line for line in after if line not in before and "1204" in line], after
