"""What changed since the last published version: `publish`, edit a guest, build, read the pages; publish again.

The end-to-end part runs the real CLI in a copy of the project (site only, no PDFs, to stay quick); the rest calls
the comparison directly on records loaded from that copy.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from build_tools import outputs
from build_tools.fieldkit.calendar import calendar
from build_tools.fieldkit.changes import compare
from build_tools.fieldkit.changes_markdown import admonition, changes_page, with_admonition
from build_tools.fieldkit.documents import pocket_html
from build_tools.fieldkit.snapshot import SNAPSHOT, read_snapshot
from build_tools.fieldkit.stamps import calendar_moment, stamp, version
from build_tools.profiles import PLACEHOLDER, Profile
from build_tools.project import Project, load_project, plan_project

from conftest import REPO, copy_project, run_cli

GUEST = "jp-tanaka"
CHANGED = "เปลี่ยนแปลงตั้งแต่ฉบับที่"


def _load(root: Path, profile: Profile = Profile.FULL) -> Project:
    project, diagnostics = load_project(root, root / "content", root / "guests", profile)
    assert project is not None, "\n".join(map(str, diagnostics))
    return project


def _guest_file(root: Path) -> Path:
    path = root / "guests" / f"{GUEST}.yml"
    return path if path.exists() else sorted((root / "guests").glob("[!_]*.yml"))[0]


def _edit(root: Path) -> dict[str, str]:
    """Remove the guest's first programme item, move the next one into its slot, mark a third as changed, give the
    driver a new phone. Returns what to look for."""
    path = _guest_file(root)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    event = yaml.safe_load((root / "guests" / "_event.yml").read_text(encoding="utf-8"))
    programme = {item["id"]: item for item in event["programme"]}
    shared = [i for i, entry in enumerate(data["schedule"]) if entry.get("programme")]
    removed, moved, restated = (data["schedule"][i] for i in shared[:3])
    slot = programme[removed["programme"]]
    moved.update(start=str(slot["start"]), end=str(slot["end"]))
    moved.pop("car_departs", None)
    restated["status"] = "changed"
    data["schedule"].remove(removed)
    data["transport"]["driver"]["phone"] = "+66 82 999 0000"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {
        "removed": programme[removed["programme"]]["title"]["en"],
        "moved": programme[moved["programme"]]["title"]["en"],
        "restated": programme[restated["programme"]]["title"]["en"],
        "phone": "+66 82 999 0000",
        "guest": path.stem,
    }


def _page(site: Path, name: str) -> str:
    return (site / "guests" / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """publish → edit → build (pages A) → publish → build (pages B), all through the CLI in a copy of the project."""
    root = copy_project(tmp_path_factory.mktemp("changes") / "project")
    env = {"SOURCE_DATE_EPOCH": "1803340800"}  # 2027-02-23
    first = run_cli("publish", cwd=root, env=env)
    assert first.returncode == 0, first.stderr
    snapshot_v1 = (root / SNAPSHOT).read_text(encoding="utf-8")
    wanted = _edit(root)
    built = run_cli("build", "--no-pdf", "--site-dir", str(root / "site-a"), cwd=root, env=env)
    assert built.returncode == 0, built.stderr
    pages_a = {name: _page(root / "site-a", name) for name in (f"{wanted['guest']}.html", "changes.html", "index.html")}
    other = next(v.id for v in _load(root).views if v.id != wanted["guest"])
    pages_a["other"] = _page(root / "site-a", f"{other}.html")
    second = run_cli("publish", cwd=root, env=env)
    assert second.returncode == 0, second.stderr
    built = run_cli("build", "--no-pdf", "--site-dir", str(root / "site-b"), cwd=root, env=env)
    assert built.returncode == 0, built.stderr
    pages_b = {name: _page(root / "site-b", name) for name in (f"{wanted['guest']}.html", "changes.html")}
    return {"root": root, "wanted": wanted, "a": pages_a, "b": pages_b, "v1": snapshot_v1, "publish": second.stderr}


def test_publish_writes_a_versioned_snapshot_of_plain_data(story: dict) -> None:
    v1 = json.loads(story["v1"])
    assert v1["version"] == 1 and v1["date"] == "2027-02-23"
    assert story["wanted"]["guest"] in v1["guests"] and v1["event"]["event"]["short_name"]
    v2 = read_snapshot(story["root"])
    assert v2 is not None and v2.version == 2
    assert "Published version 2" in story["publish"] and "Changes since version 1" in story["publish"]


def test_the_guest_page_lists_what_changed(story: dict) -> None:
    page, wanted = story["a"][f"{story['wanted']['guest']}.html"], story["wanted"]
    assert f"{CHANGED} 1 (Changed since version 1)" in page
    body = page[page.index("<h1"):]
    assert body.index(CHANGED) < body.index("ข้อมูลโดยย่อ")  # at the top, before the guest's facts
    for what in ("removed", "moved", "status"):
        assert f"({what})" in page
    for title in (wanted["removed"], wanted["moved"], wanted["restated"]):
        assert title in page
    assert wanted["phone"] in page  # contacts: the driver's new number, with the old one
    assert CHANGED not in story["a"]["other"]


def test_the_changes_page_lists_every_changed_guest(story: dict) -> None:
    page, wanted = story["a"]["changes.html"], story["wanted"]
    assert "ฉบับที่ 1" in page
    assert wanted["moved"] in page and wanted["removed"] in page and "(moved)" in page
    assert f'href="{wanted["guest"]}.html"' in page
    assert 'href="changes.html"' in story["a"]["index.html"]  # in the navigation


def test_after_publishing_nothing_is_listed(story: dict) -> None:
    assert CHANGED not in story["b"][f"{story['wanted']['guest']}.html"]
    page = story["b"]["changes.html"]
    assert "ฉบับที่ 2" in page and "ไม่มีการเปลี่ยนแปลง (No changes)" in page
    assert story["wanted"]["moved"] not in page


# --- the comparison itself ---------------------------------------------------------------------------------------


@pytest.fixture
def published(project: Path) -> Path:
    result = run_cli("publish", "--date", "2027-02-20", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def _move_room(root: Path, room: str) -> None:
    path = _guest_file(root)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["stay"]["room"] = room
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_training_comparison_never_shows_a_sensitive_value(published: Path) -> None:
    old_room = yaml.safe_load(_guest_file(published).read_text(encoding="utf-8"))["stay"]["room"]
    _move_room(published, "4321")
    full = _load(published)
    shown = compare(published, full.views, Profile.FULL)
    found = shown.for_guest(_guest_file(published).stem)
    assert found is not None and any("4321" in c.text and str(old_room) in c.text for c in found.changes)
    training = _load(published, Profile.TRAINING)
    redacted = compare(published, training.views, Profile.TRAINING)
    text = changes_page(redacted, training.loaded.event) + repr(redacted)
    text += "".join(with_admonition("# x\n", admonition(redacted, view.id)) for view in training.views)
    assert "4321" not in text and str(old_room) not in text
    assert all(g.state == "same" for g in redacted.guests)  # a room change is invisible in training


def test_new_and_removed_guests_and_a_broken_snapshot(published: Path) -> None:
    data = json.loads((published / SNAPSHOT).read_text(encoding="utf-8"))
    gone = sorted(data["guests"])[0]
    data["guests"]["zz-former"] = data["guests"].pop(gone)
    (published / SNAPSHOT).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    project = _load(published)
    comparison = compare(published, project.views, Profile.FULL)
    assert comparison.for_guest(gone).state == "new"
    assert comparison.for_guest("zz-former").state == "removed"
    assert "แขกใหม่หลังฉบับที่ 1" in with_admonition("# Guest\n\nbody\n", admonition(comparison, gone))
    assert stamp(comparison, "2027-02-21", gone) == "ฉบับที่ 1 (แก้ไขหลังเผยแพร่ / amended) — 2027-02-21"
    (published / SNAPSHOT).write_text("{not json", encoding="utf-8")
    broken = compare(published, project.views, Profile.FULL)
    assert broken.problem and "publish again" in broken.problem
    assert "Cannot compare" in changes_page(broken, project.loaded.event)


def test_stamp_and_calendar_are_stable_for_the_same_input(published: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project = _load(published)
    comparison = compare(published, project.views, Profile.FULL)
    assert stamp(comparison, "2027-02-21") == stamp(comparison, "2027-02-22", project.views[0].id) == "ฉบับที่ 1 — 2027-02-20"
    view, again = project.views[0], compare(published, _load(published).views, Profile.FULL)
    assert calendar(view, calendar_moment(comparison), version(comparison)) == calendar(view, calendar_moment(again), version(again))
    assert b"DTSTAMP:20270219T170000Z" in calendar(view, calendar_moment(comparison), 1)  # the published day, Bangkok midnight
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1803340800")
    assert b"DTSTAMP:20270223T000000Z" in calendar(view, calendar_moment(comparison), 1)
    assert PLACEHOLDER not in calendar(view, calendar_moment(comparison)).decode()


def test_an_edit_after_publishing_amends_only_that_guests_documents(published: Path) -> None:
    """Documents whose data is as published keep the published date, so later builds, on any day, take their PDFs
    from the cache; the edited guest's handbook, card and run sheet say amended, with the build's date."""

    def keys(project: Project, day: str) -> dict[str, str]:
        plan, views = plan_project(project, None, day), {view.id: view for view in project.views}
        return {pocket.path: pocket_html(pocket, views[pocket.owner], project.guests_dir, None) for pocket in plan.pockets}

    before = keys(_load(published), "2027-02-21")
    assert before == keys(_load(published), "2027-03-05"), "nothing changed: the same documents on another day"
    _move_room(published, "4321")
    project = _load(published)
    comparison, edited = compare(published, project.views, Profile.FULL), _guest_file(published).stem
    assert stamp(comparison, "2027-03-05", edited) == "ฉบับที่ 1 (แก้ไขหลังเผยแพร่ / amended) — 2027-03-05"
    assert stamp(comparison, "2027-03-05") == "ฉบับที่ 1 — 2027-02-20"
    after = keys(project, "2027-03-05")
    redone = {name for name in after if after[name] != before[name]}
    assert redone == {outputs.card(edited), outputs.runsheet(edited)}


def test_repo_handbooks_carry_the_published_version(sample_site: Path) -> None:
    """When the repo has a published snapshot, the handbook's "valid as of" stamp names its version."""
    snapshot = read_snapshot(REPO)
    if snapshot is None:
        pytest.skip("nothing published in the repo")
    import pypdf

    guest = sorted((REPO / "guests").glob("[!_]*.yml"))[0].stem
    cover = pypdf.PdfReader(sample_site / "pdf" / f"guest-{guest}.pdf").pages[0].extract_text()
    assert f"ฉบับที่ {snapshot.version}" in cover
    card = pypdf.PdfReader(sample_site / "pdf" / f"card-{guest}.pdf").pages[0].extract_text()
    assert f"ฉบับที่ {snapshot.version}" in card
    assert os.path.getsize(sample_site / "kit" / f"{guest}.ics") > 0
