"""Golden cases of the output plan (``build_tools.plan``): what a build produces, whose it is, and whether it is
sensitive — on plain data, with no site engine and no PDF renderer, so they run in a second.

Each case in ``tests/cases/plan.yml`` names a profile, the navigation, the published version (if any) and the
expected plan, written as short lines. ``UPDATE_GOLDEN=1 pytest tests/test_plan.py`` rewrites the expectations;
read the diff before committing it.
"""

from __future__ import annotations

import os

import pytest
import yaml

from build_tools.compose.provenance import HEADING as PROVENANCE_HEADING
from build_tools.fieldkit.changes import Comparison, GuestChanges
from build_tools.fieldkit.snapshot import Snapshot
from build_tools.knowledge import read_knowledge
from build_tools.loader import load_event
from build_tools.plan import CHECKLIST_HEADING, OutputPlan, compose_plan
from build_tools.profiles import Profile, redact_event
from build_tools.project import guest_views

from conftest import REPO

CASES_FILE = REPO / "tests" / "cases" / "plan.yml"
CASES = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
EVENT = REPO / "tests" / "fixtures" / "checks" / "_event.yml"
GUESTS = REPO / "tests" / "fixtures" / "plan"  # jp-x (Japan: a country page) and ke-y (Kenya: none)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - (pages, loaded event)
    guests = tmp_path_factory.mktemp("plan") / "guests"
    guests.mkdir()
    (guests / "_event.yml").write_bytes(EVENT.read_bytes())
    for source in GUESTS.glob("*.yml"):
        (guests / source.name).write_bytes(source.read_bytes())
    pages, problems = read_knowledge(REPO / "content", REPO)
    loaded, found = load_event(guests, guests.parent)
    assert loaded is not None and not [str(p) for p in found if p.severity.value == "error"]
    return pages, loaded, guests


def _comparison(published: dict | None, guest_ids: list[str]) -> Comparison:
    if not published:
        return Comparison(None, [])
    changed = set(published.get("changed", []))
    states = [GuestChanges(g, g, "changed" if g in changed else "same") for g in guest_ids]
    return Comparison(Snapshot(published["version"], published["date"], {}), states)


def _line(path: str, owner: str | None, sensitive: bool, *more: str) -> str:
    return " | ".join([path, owner or "shared", "sensitive" if sensitive else "not sensitive", *more])


def describe(plan: OutputPlan) -> dict:
    """The plan as short lines: every output, its owner and sensitivity; each handbook's chapters and shared part."""
    return {
        "pages": [_line(p.path, p.owner, p.sensitive, p.title) for p in plan.pages],
        "assets": [_line(a.path, a.owner, a.sensitive) for a in plan.assets],
        "additions": [f"{path}: {', '.join(_appended(plan.additions[path]))}" for path in sorted(plan.additions)
                      if path in {c.page for c in plan.handbooks[0].chapters}],
        "handbooks": [
            {
                "path": _line(h.path, h.owner, h.sensitive, h.stamp),
                "chapters": [c.page + (f" [{c.part}]" if c.part else "") for c in h.chapters],
                "shared": [list(run) for run in h.shared],
            }
            for h in plan.handbooks
        ],
        "pockets": [_line(p.path, p.owner, p.sensitive, p.stamp) for p in plan.pockets],
        "exports": [_line(e.path, e.owner, e.sensitive) for e in plan.exports],
    }


def _appended(markdown: str) -> list[str]:
    """What was appended to a knowledge page, by the headings it starts with."""
    names = {CHECKLIST_HEADING: "checklist", PROVENANCE_HEADING: "sources and review", "| ประเทศ (Country) |": "country table"}
    return [name for marker, name in names.items() if marker in markdown]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_plan(case: dict, inputs) -> None:  # noqa: ANN001
    pages, loaded, guests_dir = inputs
    profile = Profile(case["profile"])
    views = [v for v in guest_views(redact_event(loaded, profile), pages) if v.id in case.get("guests", [v.id])]
    comparison = _comparison(case.get("published"), [v.id for v in views])
    plan = compose_plan(pages, loaded.event, views, comparison, profile, case.get("nav"), case.get("build_date", "2027-02-21"), guests_dir)
    if os.environ.get("UPDATE_GOLDEN"):
        case["expected"] = describe(plan)
        CASES_FILE.write_text(yaml.safe_dump(CASES, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
        pytest.skip("expectation rewritten")
    assert describe(plan) == case["expected"]


def test_a_plan_names_every_download_once(inputs) -> None:  # noqa: ANN001
    pages, loaded, guests_dir = inputs
    views = guest_views(loaded, pages)
    plan = compose_plan(pages, loaded.event, views, Comparison(None, []), Profile.FULL, None, "2027-02-21", guests_dir)
    paths = [out.path for out in (*plan.pages, *plan.assets, *plan.downloads)]
    assert len(paths) == len(set(paths))
    assert {d.owner for d in plan.downloads} == {None, *(v.id for v in views)}
