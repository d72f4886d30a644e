"""A build converts only the Markdown that changed since the last one (build_tools/mkdocs_plugin/converted.py).

Real site-only builds of a copy of the sample, each with the cache folder it is given: the site a build makes from the
last build's conversions is byte for byte the one a build with an empty cache makes, and the record is what the next
build takes (a page altered in it shows altered) for exactly the pages whose Markdown did not change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from build_tools.mkdocs_plugin.converted import RECORD

from conftest import copy_project, replace_once, run_cli

MARK = "<p>taken-from-the-record</p>"
MOMENT = {"SOURCE_DATE_EPOCH": "1803340800"}  # every build at the same moment: the offline app names it
KNOWLEDGE = "phases/arrival.md"


def _build(project: Path, cache: Path, site: str) -> Path:
    result = run_cli("build", "--no-pdf", "--site-dir", site, cwd=project, env={**MOMENT, "LO_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    return project / site


def _files(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def _first_guest(project: Path) -> tuple[Path, str]:
    guest = sorted(path for path in (project / "guests").glob("*.yml") if not path.name.startswith("_"))[0]
    return guest, f"guests/{guest.stem}.md"


def _edit_room(guest: Path) -> str:
    """Another room number for the guest; the number it now has."""
    text = guest.read_text(encoding="utf-8")
    found = re.search(r'(\broom:\s*)"?(\d+)"?', text)
    assert found, f"{guest}: no room number"
    room = str(int(found.group(2)) + 1)
    replace_once(guest, [(found.group(0), f'{found.group(1)}"{room}"')])
    return room


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The sample built, one guest's room changed, built again from the same cache: (project, cache, new room)."""
    project = copy_project(tmp_path_factory.mktemp("converted") / "project")
    cache = project.parent / "cache"
    _build(project, cache, "site-first")
    room = _edit_room(_first_guest(project)[0])
    _build(project, cache, "site-again")
    return project, cache, room


def test_a_site_from_kept_conversions_is_the_site_an_empty_cache_builds(edited: tuple[Path, Path, str]) -> None:
    project, _, room = edited
    fresh = _files(_build(project, project.parent / "empty-cache", "site-fresh"))
    again = _files(project / "site-again")
    assert again.keys() == fresh.keys()
    assert [name for name in fresh if again[name] != fresh[name]] == []
    guest_page = f"guests/{_first_guest(project)[0].stem}.html"
    assert room in again[guest_page].decode()
    assert again[guest_page] != _files(project / "site-first")[guest_page]


def test_the_next_build_takes_the_record_for_unchanged_markdown_only(edited: tuple[Path, Path, str]) -> None:
    project, cache, _ = edited
    guest, guest_uri = _first_guest(project)
    record = json.loads((cache / RECORD).read_text(encoding="utf-8"))
    assert {KNOWLEDGE, guest_uri} <= record["pages"].keys()
    for uri in (KNOWLEDGE, guest_uri):  # what the next build will show, if it takes the record
        record["pages"][uri]["content"] += MARK
    (cache / RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    room = _edit_room(guest)
    site = _build(project, cache, "site-marked")
    assert MARK in (site / "phases/arrival.html").read_text(encoding="utf-8")  # its Markdown unchanged: taken
    guest_page = (site / f"guests/{guest.stem}.html").read_text(encoding="utf-8")
    assert MARK not in guest_page and room in guest_page  # its Markdown changed: converted again

    (project / "content/phases/copy-of-departure.md").write_bytes((project / "content/phases/departure.md").read_bytes())
    site = _build(project, cache, "site-new-file")  # another file: links may resolve otherwise, nothing is taken
    assert MARK not in (site / "phases/arrival.html").read_text(encoding="utf-8")
    assert not list(cache.glob(f"{RECORD}.*"))  # no scratch file left


def test_a_record_that_cannot_be_written_costs_nothing_but_time(tmp_path: Path) -> None:
    """The cache folder's record cannot be replaced (here a folder stands in its place; a full disk, a read-only
    folder): the build succeeds, and leaves no scratch file behind."""
    project = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    (cache / RECORD).mkdir(parents=True)
    site = _build(project, cache, "site")
    assert (site / "phases/arrival.html").is_file()
    assert (cache / RECORD).is_dir() and not list(cache.glob(f"{RECORD}.*"))


def test_a_page_kept_while_its_broken_link_was_ignored_warns_once_links_are_checked_and_at_every_build(
    tmp_path: Path,
) -> None:
    """The link validation settings are part of what a conversion is kept for: a page kept while its broken link was
    ignored (nothing logged) is converted again, and warns, once mkdocs.yml checks links. A page whose conversion
    logged something is not kept: its warning comes again at the next build, and strict mode fails again."""
    project = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    page = project / "content" / KNOWLEDGE
    page.write_text(page.read_text(encoding="utf-8") + "\n\nดู [หน้าที่ไม่มี](no-such-page.md)\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    checked = config.read_text(encoding="utf-8")
    config.write_text(checked + "\nvalidation:\n  links:\n    not_found: ignore\n", encoding="utf-8")
    _build(project, cache, "site-ignored")
    assert KNOWLEDGE in json.loads((cache / RECORD).read_text(encoding="utf-8"))["pages"]
    config.write_text(checked, encoding="utf-8")
    for site in ("site-checked", "site-checked-again"):
        result = run_cli("build", "--no-pdf", "--site-dir", site, cwd=project, env={**MOMENT, "LO_CACHE_DIR": str(cache)})
        assert result.returncode != 0
        assert "no-such-page.md" in result.stderr
        kept = json.loads((cache / RECORD).read_text(encoding="utf-8"))["pages"]  # written before strict mode stopped it
        assert KNOWLEDGE not in kept and "phases/departure.md" in kept
