"""The offline app's pure parts, on the sample's plan: what the manifest says, what is installed up front and what on
demand, and what a build tells the devices about itself. No build, no browser."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest

from build_tools import outputs
from build_tools.offline_app import buildinfo, manifest, rules
from build_tools.plan import OutputPlan
from build_tools.profiles import Profile
from build_tools.project import load_project, plan_project

from conftest import REPO

BUILT = dt.datetime(2027, 3, 1, 7, 5, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def plan() -> OutputPlan:
    project, diagnostics = load_project(REPO, REPO / "content", REPO / "guests", Profile.FULL)
    assert project is not None, diagnostics
    return plan_project(project, None, "2027-03-01")


def test_every_manifest_url_is_relative_so_any_sub_path_works() -> None:
    data = manifest.web_manifest()
    for url in [data["start_url"], data["scope"], data["id"], *(icon["src"] for icon in data["icons"])]:
        parts = urlsplit(str(url))
        assert not parts.scheme and not parts.netloc and not str(url).startswith("/"), url
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_downloads_wait_for_first_open_unless_the_bundle_installs_them(plan: OutputPlan) -> None:
    present = [d.path for d in plan.downloads] + ["index.html", "guests/jp-tanaka.html"]
    site_rule = rules.ignores(plan, present, precache_downloads=False)
    bundle_rule = rules.ignores(plan, present, precache_downloads=True)
    assert {outputs.handbook("jp-tanaka"), outputs.calendar("jp-tanaka"), outputs.ORIENTATION} <= set(site_rule)
    assert bundle_rule == list(rules.ALWAYS_IGNORED)
    assert not {"index.html", "guests/jp-tanaka.html"} & set(site_rule)
    # a download the build did not write (a --no-pdf build's missing file) is not listed
    assert outputs.handbook("jp-tanaka") not in rules.download_paths(plan, ["index.html"])


def test_the_precache_is_every_file_but_the_ignored_and_hidden_ones(plan: OutputPlan) -> None:
    handbook = outputs.handbook("jp-tanaka")
    present = ["index.html", "guests/jp-tanaka.html", "search/search_index.json", "search/search_index.js", "sw.js",
               "app/workbox/workbox-sw.js", "assets/stylesheets/main.css", "assets/stylesheets/main.css.map",
               "lo-briefing-site.zip", "assets/javascripts/lunr/min/lunr.th.min.js", ".well-known/x.txt", "a/.hidden",
               handbook, "sitemap.xml"]
    site = rules.precached(present, rules.ignores(plan, present, precache_downloads=False))
    assert site == ["assets/stylesheets/main.css", "guests/jp-tanaka.html", "index.html", "search/search_index.json"]
    bundle = rules.precached(present, rules.ignores(plan, present, precache_downloads=True))
    assert bundle == sorted([*site, handbook])
    assert rules.precached(["a[1].html", "b.html"], ["a[1].html"]) == ["b.html"]  # a path is a path, not a pattern


def test_build_info_names_each_guests_page_documents_and_changes(plan: OutputPlan) -> None:
    on_demand = [d.path for d in plan.downloads]
    revisions = {path: f"rev-{path}" for path in on_demand} | {buildinfo.html_path(p.path): f"rev-{p.path}" for p in plan.pages}
    info = buildinfo.build_info(plan, revisions, BUILT, on_demand, precache_downloads=False)
    guest = info["guests"]["jp-tanaka"]
    assert guest["page"] == "guests/jp-tanaka.html" and guest["name"] == "H.E. Dr. Hiroshi Tanaka"
    assert outputs.handbook("jp-tanaka") in guest["docs"] and outputs.ORIENTATION not in guest["docs"]
    assert info["docs"][outputs.ORIENTATION] == {"rev": f"rev-{outputs.ORIENTATION}", "owner": None}
    assert info["builtText"] == "1 มี.ค. 2570 14:05 น." and info["built"] == "2027-03-01T07:05:00+00:00"
    assert info["label"] == buildinfo.label(info) and info["label"].startswith("ข้อมูล ฉบับที่ 1")
    # a guest's revision follows their own files only
    changed = dict(revisions, **{outputs.calendar("jp-tanaka"): "other"})
    again = buildinfo.build_info(plan, changed, BUILT, on_demand, precache_downloads=False)
    moved = {g for g in info["guests"] if info["guests"][g]["rev"] != again["guests"][g]["rev"]}
    assert moved == {"jp-tanaka"}
    assert buildinfo.script(info).startswith("self.LO_BUILD = {") and buildinfo.script(info).endswith("};\n")


def test_labels() -> None:
    base = {"version": 3, "amended": False, "builtText": "1 มี.ค. 2570 14:05 น."}
    assert buildinfo.label(base) == "ข้อมูล ฉบับที่ 3 ณ 1 มี.ค. 2570 14:05 น."
    assert buildinfo.label(base | {"amended": True}) == "ข้อมูล ฉบับที่ 3 (แก้ไขหลังเผยแพร่) ณ 1 มี.ค. 2570 14:05 น."
    assert buildinfo.label(base | {"version": 0}) == "ข้อมูล ฉบับร่าง ณ 1 มี.ค. 2570 14:05 น."
