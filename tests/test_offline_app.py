"""The site as an installed offline app (issue 16): the manifest and icons, the Workbox service worker, and the
whole life of an LO's device in Debian's Chromium: install over http://127.0.0.1 under a sub-path, keep a guest's
documents, lose the network, read every page, search in Thai, open the guest's PDF and calendar — then a new build
with one guest changed arrives when the network returns, is offered, and switches on one tap with no old page left."""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools.offline_app import manifest as app_manifest
from build_tools.offline_app.rules import ALWAYS_IGNORED
from build_tools.profiles import Profile
from build_tools.project import load_project, plan_project

from app_support import PHONE, SCREENSHOTS, ServedSite, precache_urls
from browser_support import CHROMIUM, CHROMIUM_ARGS, chromium_available
from conftest import REPO, copy_project, run_cli

browser = pytest.mark.browser
GUEST = "jp-tanaka"
OLD_ROOM, NEW_ROOM = "1204", "1809"
SUB_PATH = "briefing"  # the site is served from http://127.0.0.1:port/briefing/, as behind a ministry's web server


def _build(project: Path, site: Path, *extra: str) -> Path:
    result = run_cli("build", "--site-dir", str(site), *extra, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Offline app:" in result.stderr
    return site


@pytest.fixture(scope="session")
def app_builds(tmp_path_factory: pytest.TempPathFactory, sample_site: Path) -> tuple[Path, Path, Path]:
    """The sample with its PDFs (v1), and the same project rebuilt with one guest's room changed (v2). The sample is
    built first: v1 has its inputs, so its documents come from the session's PDF cache instead of being rendered
    beside the sample's own build."""
    root = tmp_path_factory.mktemp("app")
    project = copy_project(root / "project")
    shutil.copytree(REPO / "published", project / "published")  # version 1 is published: v2 is an amendment of it
    v1 = _build(project, root / "v1")
    guest_file = project / "guests" / f"{GUEST}.yml"
    text = guest_file.read_text(encoding="utf-8")
    assert f'room: "{OLD_ROOM}"' in text
    guest_file.write_text(text.replace(f'room: "{OLD_ROOM}"', f'room: "{NEW_ROOM}"'), encoding="utf-8")
    v2 = _build(project, root / "v2")
    return project, v1, v2


@pytest.fixture(scope="module")
def pw() -> Iterator[object]:
    if not chromium_available():
        pytest.skip("Debian chromium is not installed (make test-tools)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="module")
def chrome(pw) -> Iterator[object]:  # noqa: ANN001
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


# --- the built files ----------------------------------------------------------------------------------------------


def test_manifest_names_icons_and_scope(app_builds) -> None:  # noqa: ANN001
    _, site, _ = app_builds
    data = json.loads((site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert data["name"] == app_manifest.NAME and re.search("[\u0e00-\u0e7f]", data["name"])
    assert data["short_name"] == "คู่มือ LO" and len(data["short_name"]) <= 12
    assert (data["start_url"], data["scope"], data["display"]) == ("./index.html", "./", "standalone")
    assert data["theme_color"] == app_manifest.THEME_COLOUR and data["lang"] == "th"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        width = int(icon["sizes"].split("x")[0])
        assert _png_size(site / icon["src"]) == (width, width)
    assert _png_size(site / "app/apple-touch-icon.png") == (180, 180)
    for page in ["index.html", "guests/jp-tanaka.html", "countries/jp.html"]:
        head = (site / page).read_text(encoding="utf-8").split("</head>")[0]
        prefix = "../" if "/" in page else ""
        assert f'<link rel="manifest" href="{prefix}manifest.webmanifest">' in head
        assert f'<link rel="apple-touch-icon" href="{prefix}app/apple-touch-icon.png">' in head
        assert '<meta name="apple-mobile-web-app-capable" content="yes">' in head
        assert f'<meta name="apple-mobile-web-app-title" content="{data["short_name"]}">' in head
        assert f'<meta name="theme-color" content="{data["theme_color"]}">' in head


def test_workbox_precaches_every_page_and_the_search_index_not_the_documents(app_builds) -> None:  # noqa: ANN001
    _, site, _ = app_builds
    urls = precache_urls(site)
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert pages <= urls
    assert {"search/search_index.json", "manifest.webmanifest", "app/build.js", "app/icon-512.png"} <= urls
    assert "assets/javascripts/lo-app.js" in urls and "guests/il-mizrahi.html" in urls
    assert not {u for u in urls if u.startswith(("pdf/", "kit/")) or u.endswith((".zip", ".map"))}
    # documents: kept on first open, each under its revision (the file's SHA-256)
    info = _build_info(site)
    docs = {p.relative_to(site).as_posix() for d in ("pdf", "kit") for p in (site / d).iterdir()}
    assert set(info["docs"]) == docs
    for path, doc in info["docs"].items():
        assert doc["rev"] == hashlib.sha256((site / path).read_bytes()).hexdigest()
    assert info["guests"][GUEST]["docs"] == sorted(
        ["pdf/guest-jp-tanaka.pdf", "pdf/card-jp-tanaka.pdf", "pdf/runsheet-jp-tanaka.pdf", "kit/jp-tanaka.ics", "kit/jp-tanaka.vcf"])
    # the zip for tablets carries the app too, but the app does not carry the zip
    assert (site / "lo-briefing-site.zip").is_file() and "lo-briefing-site.zip" not in urls
    assert not {u for u in urls if any(fnmatch.fnmatch(u, pattern) for pattern in ALWAYS_IGNORED)}


def test_one_guest_changed_changes_only_what_it_touches(app_builds) -> None:  # noqa: ANN001
    _, v1, v2 = app_builds
    old, new = _build_info(v1), _build_info(v2)
    changed = {g for g in new["guests"] if new["guests"][g]["rev"] != old["guests"][g]["rev"]}
    assert changed == {GUEST}
    assert new["version"] == old["version"] == 1 and new["amended"]
    assert new["label"].startswith("ข้อมูล ฉบับที่ 1 (แก้ไขหลังเผยแพร่) ณ ")
    assert any(NEW_ROOM in line and OLD_ROOM in line for line in new["guests"][GUEST]["changes"])


def test_a_rebuild_with_nothing_changed_is_the_same_app(app_builds, tmp_path: Path) -> None:  # noqa: ANN001
    """The build's moment is remembered per content: devices see no update when nothing changed."""
    project, _, v2 = app_builds
    again = _build(project, tmp_path / "again", "--no-pdf")
    first = _build(project, tmp_path / "first", "--no-pdf")
    assert (again / "sw.js").read_bytes() == (first / "sw.js").read_bytes()
    assert (again / "app/build.js").read_bytes() == (first / "app/build.js").read_bytes()
    assert (v2 / "app/build.js").read_bytes() != (first / "app/build.js").read_bytes()  # PDFs differ from placeholders


def test_a_bundle_precaches_its_documents(app_builds, tmp_path: Path) -> None:  # noqa: ANN001
    """What the per-LO bundle (issue 17) calls: the same function, every download installed with the app."""
    from build_tools.offline_app import make_offline_app

    project, v1, _ = app_builds
    loaded, diagnostics = load_project(project, project / "content", project / "guests", Profile.FULL)
    assert loaded is not None, diagnostics
    plan = plan_project(loaded, None, "2026-12-06")
    bundle = tmp_path / "bundle"
    shutil.copytree(v1, bundle, ignore=shutil.ignore_patterns("sw.js", "lo-briefing-site.zip"))
    report = make_offline_app(bundle, plan, precache_downloads=True)
    urls = precache_urls(bundle)
    assert {d.path for d in plan.downloads} <= urls
    assert report.on_demand_files == 0 and report.precached_bytes > sum((v1 / d.path).stat().st_size for d in plan.downloads)
    info = _build_info(bundle)
    assert info["precacheDocs"] is True and info["docs"] == {}


def test_without_the_workbox_runtime_the_build_says_run_make_setup(tmp_path: Path) -> None:
    """A checkout whose npm packages lack Workbox: one line saying what to do, and the last good site stays. node itself
    is not needed to build (no node on the PATH here)."""
    project = copy_project(tmp_path / "project")
    tool = tmp_path / "tool"  # the tool's own files, with the search shim but no Workbox in node_modules
    shutil.copytree(REPO / "build_tools", tool / "build_tools", ignore=shutil.ignore_patterns("__pycache__"))
    (tool / "theme").symlink_to(REPO / "theme")
    (tool / "node_modules").mkdir()
    (tool / "node_modules/iframe-worker").symlink_to(REPO / "node_modules/iframe-worker")
    site = tmp_path / "site"
    (site).mkdir()
    (site / "keep.txt").write_text("last good site", encoding="utf-8")
    bare = tmp_path / "bin"
    bare.mkdir()
    result = run_cli("build", "--no-pdf", "--site-dir", str(site), cwd=project, env={"PATH": str(bare), "PYTHONPATH": str(tool)})
    assert result.returncode == 1
    assert "the Workbox runtime is not installed (workbox-sw.js missing): run `make setup`" in result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "keep.txt").read_text(encoding="utf-8") == "last good site"


def _build_info(site: Path) -> dict:
    text = (site / "app/build.js").read_text(encoding="utf-8")
    assert text.startswith("self.LO_BUILD = ")
    return json.loads(text[len("self.LO_BUILD = ") :].rstrip().rstrip(";"))


# --- in the browser -----------------------------------------------------------------------------------------------


@browser
def test_installable_in_chromium(pw, app_builds, tmp_path: Path) -> None:  # noqa: ANN001
    """Chromium's own check (the one behind its install button), in a profile on disk: a private window never installs."""
    _, v1, _ = app_builds
    with ServedSite(tmp_path / "www", SUB_PATH, v1) as served:
        context = pw.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                        args=CHROMIUM_ARGS, viewport=PHONE, service_workers="allow")
        page = context.new_page()
        page.goto(served.url("index.html"))
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [], manifest["errors"]
        assert manifest["url"] == served.url("manifest.webmanifest")
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        context.close()
        assert errors == [], errors


@browser
def test_file_url_shows_the_version_and_registers_no_worker(chrome, app_builds) -> None:  # noqa: ANN001
    _, v1, _ = app_builds
    context = chrome.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto((v1 / "guests" / f"{GUEST}.html").resolve().as_uri())
        status = page.locator("[data-lo=status]")
        assert status.is_visible()
        assert _build_info(v1)["label"] in status.inner_text()
        assert page.locator("[data-lo=keep]").count() == 0
        assert page.evaluate("navigator.serviceWorker ? navigator.serviceWorker.controller : null") is None
    finally:
        context.close()


@browser
def test_offline_reading_then_a_safe_update(chrome, app_builds, tmp_path: Path) -> None:  # noqa: ANN001
    _, v1, v2 = app_builds
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = sorted(p.relative_to(v1).as_posix() for p in v1.rglob("*.html"))
    assert len(pages) > 40
    with ServedSite(tmp_path / "www", SUB_PATH, v1) as served:
        context = chrome.new_context(viewport=PHONE, service_workers="allow", accept_downloads=True)
        try:
            page = context.new_page()
            guest_url = served.url(f"guests/{GUEST}.html")
            # 1. the LO opens the link once on Wi-Fi: the worker installs everything and takes the page
            page.goto(served.url("index.html"))
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
            # 2. keeps the guest's documents on the device
            page.goto(guest_url)
            keep = page.locator("[data-lo=keep]")
            keep.wait_for(timeout=30_000)
            assert keep.get_attribute("data-kept") == "no"
            keep.click()
            page.wait_for_selector("[data-lo=keep][data-kept=yes]", timeout=60_000)

            # 3. no network at all: the browser is offline and the server is gone
            context.set_offline(True)
            served.down = True
            _assert_every_page_offline(page, served, pages, v1)
            status = page.locator("[data-lo=status]")
            assert "ออฟไลน์" in status.inner_text() and _build_info(v1)["label"] in status.inner_text()

            # Thai searches, answered from the cached index
            page.goto(served.url("index.html"))
            for query, expected in [("โรงแรม", None), ("ฮาลาล", "culture/religion-and-diet.html"),
                                    ("หนังสือเดินทาง", "emergencies/lost-passport.html"), ("ทานากะ", None)]:
                found = _search(page, query)
                assert found, query
                if expected:
                    assert expected in found, (query, found)

            # the guest's handbook and calendar, from the device
            page.goto(guest_url)
            handbook = _fetch_digest(page, "../pdf/guest-jp-tanaka.pdf")
            assert handbook == hashlib.sha256((v1 / "pdf/guest-jp-tanaka.pdf").read_bytes()).hexdigest()
            assert (v1 / "pdf/guest-jp-tanaka.pdf").read_bytes()[:5] == b"%PDF-"
            with page.expect_download() as download_info:
                page.locator('a[href$="kit/jp-tanaka.ics"]').first.click()
            download = download_info.value
            assert Path(download.path()).read_bytes() == (v1 / "kit/jp-tanaka.ics").read_bytes()
            # another guest's documents were not kept: a clear page, not a browser error
            response = page.goto(served.url("pdf/guest-za-mokoena.pdf"))
            assert response is not None and response.status == 503 and response.from_service_worker
            assert "ยังไม่ได้เก็บเอกสารนี้ไว้ในเครื่อง" in page.content()
            page.goto(guest_url)
            page.locator("[data-lo=status]").screenshot(path=str(SCREENSHOTS / "offline-status.png"))
            page.screenshot(path=str(SCREENSHOTS / "offline-guest-page.png"))

            # 4. a new build with one guest changed is published; the network comes back
            served.publish(v2)
            served.down = False
            context.set_offline(False)
            offer = page.locator("[data-lo=offer]")
            offer.wait_for(timeout=90_000)
            text = offer.inner_text()
            assert _build_info(v2)["label"] in text
            assert _build_info(v2)["guests"][GUEST]["name"] in text and NEW_ROOM in text
            page.screenshot(path=str(SCREENSHOTS / "update-offer.png"))
            # until the tap, the working version serves every page
            assert _fetch_text(page, guest_url).count(OLD_ROOM) and NEW_ROOM not in _fetch_text(page, guest_url)

            # 5. one tap: the new version takes over and the page reloads in it
            with page.expect_navigation(timeout=60_000):
                page.locator("[data-lo=update]").click()
            page.wait_for_function("navigator.serviceWorker.controller !== null")
            assert NEW_ROOM in page.locator("article").inner_text()
            assert _build_info(v2)["label"] in page.locator("[data-lo=status]").inner_text()

            # 6. offline again: every page is the new build's, and the kept documents are the new ones
            context.set_offline(True)
            served.down = True
            _assert_every_page_offline(page, served, pages, v2)
            page.goto(guest_url)
            for doc in ["kit/jp-tanaka.ics", "pdf/guest-jp-tanaka.pdf", "pdf/card-jp-tanaka.pdf"]:
                assert _fetch_digest(page, f"../{doc}") == hashlib.sha256((v2 / doc).read_bytes()).hexdigest(), doc
            kept = page.evaluate("""async () => (await (await caches.open('lo-docs')).keys()).map(r => r.url)""")
            revs = {p: d["rev"] for p, d in _build_info(v2)["docs"].items()}
            assert kept and all(any(url.endswith(f"{p}?lo-rev={rev}") for p, rev in revs.items()) for url in kept), kept
        finally:
            context.close()


def _search(page, query: str) -> list[str]:  # noqa: ANN001
    """Type ``query`` (Material searches on keyup: press End after Thai); the pages of the results, best first."""
    box = page.locator(".md-search__input")
    if not box.is_visible():
        page.locator("header label[for=__search]").first.click()
    box.fill("")
    box.fill(query)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    page.wait_for_function(
        "(q) => document.querySelector('.md-search-result__meta') && "
        "!document.querySelector('.md-search-result__meta').textContent.includes('กำลัง')", arg=query)
    hrefs = page.eval_on_selector_all("a.md-search-result__link", "els => els.map(a => new URL(a.href).pathname)")
    return [re.sub(rf"^.*/{SUB_PATH}/", "", href) for href in hrefs]


#: Pages opened offline as the LO opens them (a navigation), one of each kind; every other page is fetched.
OPENED_OFFLINE = ["index.html", f"guests/{GUEST}.html", "guests/index.html", "emergencies/vip-illness.html",
                  "countries/jp.html", "phases/arrival.html"]


def _assert_every_page_offline(page, served: ServedSite, pages: list[str], build: Path) -> None:  # noqa: ANN001
    """With no network, the service worker gives every page of ``build`` exactly: the pages of :data:`OPENED_OFFLINE`
    opened as the LO opens them, and every page fetched from the page (one request each, all at once: the same
    precache route answers a navigation and a fetch; opening each of 80 pages twice took a minute of the suite)."""
    answered: dict[str, bool] = {}

    def note(response) -> None:  # noqa: ANN001
        answered[response.url] = response.from_service_worker

    page.on("response", note)
    for rel in OPENED_OFFLINE:
        assert rel in pages, f"{rel}: no such page: update OPENED_OFFLINE"
        response = page.goto(served.url(rel), wait_until="commit")  # the response is what is checked
        assert response is not None and response.ok and response.from_service_worker, rel
        assert response.body() == (build / rel).read_bytes(), f"{rel}: not this build's page"
    urls = [served.url(rel) for rel in pages]
    digests = page.evaluate(
        """async (urls) => Promise.all(urls.map(async (url) => {
             const r = await fetch(url, { cache: 'no-store' }); if (!r.ok) return 'HTTP ' + r.status;
             const d = await crypto.subtle.digest('SHA-256', await r.arrayBuffer());
             return Array.from(new Uint8Array(d), b => b.toString(16).padStart(2, '0')).join(''); }))""", urls)
    expected = [hashlib.sha256((build / rel).read_bytes()).hexdigest() for rel in pages]
    wrong = [rel for rel, got, want in zip(pages, digests, expected) if got != want]
    assert not wrong, f"not this build's pages offline: {wrong[:5]}"
    not_from_worker = [rel for rel, url in zip(pages, urls) if answered.get(url) is not True]
    assert not not_from_worker, f"not answered by the service worker: {not_from_worker[:5]}"
    page.remove_listener("response", note)


def _fetch_digest(page, url: str) -> str:  # noqa: ANN001
    """SHA-256 of what the page gets for ``url`` (through the service worker)."""
    return page.evaluate(
        """async (url) => { const r = await fetch(url); if (!r.ok) return 'HTTP ' + r.status;
             const d = await crypto.subtle.digest('SHA-256', await r.arrayBuffer());
             return Array.from(new Uint8Array(d), b => b.toString(16).padStart(2, '0')).join(''); }""", url)


def _fetch_text(page, url: str) -> str:  # noqa: ANN001
    return page.evaluate("async (url) => (await fetch(url)).text()", url)



#: Ask the registration for the newest build and wait until the new worker either finished installing or gave up.
_UPDATE_AND_SETTLE = """async () => {
  const reg = await navigator.serviceWorker.getRegistration();
  await reg.update().catch(() => {});
  const worker = reg.installing || reg.waiting;
  if (!worker) return 'none';
  if (worker.state !== 'installing') return worker.state;
  await new Promise((done) => worker.addEventListener('statechange', () => { if (worker.state !== 'installing') done(); }));
  return worker.state;
}"""


@browser
def test_an_update_that_cannot_finish_leaves_the_working_version(chrome, app_builds, tmp_path: Path) -> None:  # noqa: ANN001
    """The new build's copy of a kept document cannot be fetched (the connection broke, the file is missing): the new
    version is dropped whole, nothing is offered, and the device keeps reading the old version; the next check retries."""
    _, v1, v2 = app_builds
    broken = tmp_path / "broken"
    shutil.copytree(v2, broken)
    (broken / "kit/jp-tanaka.ics").unlink()
    with ServedSite(tmp_path / "www", SUB_PATH, v1) as served:
        context = chrome.new_context(viewport=PHONE, service_workers="allow")
        try:
            page = context.new_page()
            guest_url = served.url(f"guests/{GUEST}.html")
            page.goto(guest_url)
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
            page.reload()
            page.locator("[data-lo=keep]").click()
            page.wait_for_selector("[data-lo=keep][data-kept=yes]", timeout=60_000)

            served.publish(broken)
            assert page.evaluate(_UPDATE_AND_SETTLE) == "redundant"
            assert page.locator("[data-lo=offer]").count() == 0
            served.down = True
            context.set_offline(True)
            assert _fetch_text(page, guest_url) == (v1 / f"guests/{GUEST}.html").read_text(encoding="utf-8")
            ics = hashlib.sha256((v1 / "kit/jp-tanaka.ics").read_bytes()).hexdigest()
            assert _fetch_digest(page, "../kit/jp-tanaka.ics") == ics

            served.publish(v2)  # the complete build: the next check installs it and offers it
            served.down = False
            context.set_offline(False)
            assert page.evaluate(_UPDATE_AND_SETTLE) == "installed"
            page.locator("[data-lo=offer]").wait_for(timeout=30_000)
        finally:
            context.close()
