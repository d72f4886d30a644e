"""Everything from YAML and notes is text: nothing in a guest file can run script on the LO's device, read a file of
the build machine, or make the build or the site reach the network. Checked on a real build with PDFs, in headless
Chromium, with ``pdfdetach`` and ``pdftotext``, and byte by byte over every output file (the zip's members too)."""

from __future__ import annotations

import http.server
import io
import json
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import chromium, chromium_available, file_url, search, watched_context
from conftest import REPO, copy_project, replace_once, run_cli

HOSTILE_NAME = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"
HOSTILE_TITLE = "</script><script>window.__pwned = 8</script><!--"  # lands in the schedule JSON of the page
# attr_list in a table cell: autofocus + onfocus fires on load if the braces are read as attributes
ATTR_PASSPORT = "TANAKA HIROSHI { tabindex=1 autofocus onfocus=\"window.__pwned = 8\" }"
# a line break would open a heading that carries attributes of its own
NEWLINE_POSITION = "Minister\n# Head { tabindex=2 autofocus onfocus=\"window.__pwned = 9\" }\n!!! danger \"boo\""
ATTR_RELATION = "Chief of Staff {: onmouseover=\"window.__pwned = 15\" autofocus onfocus=\"window.__pwned = 16\" }"
EMOJI_ORGANISATION = "Ministry :smile: :material-account: of Health"
PASSWD_MARK = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]  # e.g. root:x:0:0:root:/root:/bin/bash


def hostile_notes(port: int) -> str:
    return f"""\ufeff# Notes heading

<script>window.__pwned = 3</script>

<img src="x" onerror="window.__pwned = 4">

[click](javascript:window.__pwned=5) and <b onmouseover="window.__pwned=6">bold</b>

![x](x){{ onerror="window.__pwned = 10" }}

A paragraph with attributes
{{: tabindex=3 autofocus onfocus="window.__pwned = 14" }}

[ref link][r], [second][s], [third][t] and <javascript:window.__pwned=11>

[r]: javascript:window.__pwned=12
[s]: JaVaScRiPt:window.__pwned=13
[t]: data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xNzwvc2NyaXB0Pg==

[leak](file:///etc/passwd){{ rel="attachment" }} and [leak2](file:///etc/passwd) and [rel](../../../../etc/passwd)

![remote](http://127.0.0.1:{port}/pixel.png) and [fetched](http://127.0.0.1:{port}/link){{ rel="attachment" }} :smile:
"""


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[int, list[str]]]:
    """A web server on this machine that records every request: the build and the pages must make none."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], _Recorder.requests
    finally:
        server.shutdown()


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, listener: tuple[int, list[str]], sample_site: Path) -> Path:
    """The sample with one guest's values and notes made hostile, built with its PDFs. With the sample's published
    version (and the sample already built), the other guests' documents are the sample's, from the session's cache:
    the hostile guest's documents (amended: its values also go through the list of what changed), the boards and the
    orientation handbook are rendered."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    shutil.copytree(REPO / "published", project / "published")
    replace_once(project / "guests" / "jp-tanaka.yml", [
        ("preferred: Hiroshi Tanaka", f"preferred: {_yaml_string(HOSTILE_NAME)}"),
        ("passport: TANAKA HIROSHI", f"passport: {_yaml_string(ATTR_PASSPORT)}"),
        ("position: Minister of Health (fictitious)", f"position: {_yaml_string(NEWLINE_POSITION)}"),
        ("organisation: Ministry of Health of Japan (sample)", f"organisation: {_yaml_string(EMOJI_ORGANISATION)}"),
        ("relation: Chief of Staff and interpreter", f"relation: {_yaml_string(ATTR_RELATION)}"),
        ("interpreter: ", "interpreter: </td><script>window.__pwned = 7</script> "),
        ("th: หารือทวิภาคีกับรัฐมนตรีสาธารณสุขไทย", f"th: {_yaml_string(HOSTILE_TITLE)}"),
    ])
    (project / "guests" / "jp-tanaka.md").write_text(hostile_notes(listener[0]), encoding="utf-8")
    # A knowledge page may use emoji: they must not come from a CDN. The page is one of its own, outside the navigation
    # (the same Markdown and emoji extension as every page), so that the orientation handbook, which prints every page
    # of the navigation, stays the sample's and is not rendered again for one line.
    front_matter = (project / "content" / "index.md").read_text(encoding="utf-8").split("---\n", 2)[1]
    (project / "content" / "emoji.md").write_text(
        f"---\n{front_matter}---\n\nEMOJI-LINE :smile: :material-account:\n", encoding="utf-8")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def _every_output(site: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of the site, and every member of its zip."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        yield path.relative_to(site).as_posix(), data
        if path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    yield f"{path.name}!{member}", archive.read(member)


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="Debian chromium is installed by `make test`")
def test_hostile_guest_data_shows_as_text_and_runs_nothing(hostile_site: Path) -> None:
    with chromium() as browser, watched_context(browser) as (context, log):
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ["guests/jp-tanaka.html", "guests/index.html"]:
            page.goto(file_url(hostile_site / path))
            page.wait_for_load_state("load")
            for _ in range(6):  # move the focus through the page: onfocus handlers would fire
                page.keyboard.press("Tab")
            page.mouse.move(300, 300)
            assert page.evaluate("window.__pwned") is None, path
            assert "<script>window.__pwned = 1</script>" in page.locator("article").inner_text(), path
        page.goto(file_url(hostile_site / "guests/jp-tanaka.html"))
        article = page.locator("article")
        text = article.inner_text()
        # no script runs from the article: its only script element is the schedule's JSON data (not executable)
        assert article.locator("script:not([type='application/json']), img[onerror], [onmouseover], [autofocus]").count() == 0
        assert article.locator("script[type='application/json']").count() == 1
        data = page.evaluate("JSON.parse(document.getElementById('lo-schedule-data').textContent)")
        assert data["guest"] == "jp-tanaka" and HOSTILE_TITLE in [i["title"] for i in data["items"]]
        handlers = article.evaluate(
            "el => [...el.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))")
        assert handlers == []
        hrefs = article.evaluate("el => [...el.querySelectorAll('a[href]')].map(a => a.href)")
        assert hrefs and all(href.split(":", 1)[0] in {"file", "http", "https", "mailto", "tel", "geo"} for href in hrefs), hrefs
        assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:", "vbscript:"))]
        assert article.locator("img").evaluate_all("imgs => imgs.map(i => i.src).filter(s => !s.startsWith('file:'))") == []
        # the values are there, as the text they are
        assert ATTR_PASSPORT in text
        assert "Minister # Head { tabindex=2" in text and "!!! danger" in text
        assert article.locator("h1, h2, h3, h4, h5, h6").filter(has_text="Head {").count() == 0
        assert "Chief of Staff {: onmouseover" in text
        assert ":smile: :material-account:" in text  # a value is text: no emoji, no icon
        # the notes are Markdown: the heading after a byte-order mark is a heading; script is text, not code
        assert article.locator("h1, h2, h3, h4, h5, h6").filter(has_text="Notes heading").count() == 1
        assert "# Notes heading" not in text
        assert "<script>window.__pwned = 3</script>" in text
        # search results show the page titles and text: still as text
        page.goto(file_url(hostile_site / "index.html"))
        page.wait_for_load_state("load")
        assert "guests/jp-tanaka.html" in search(page, "HIROSHI")
        assert page.locator(".md-search-result").inner_text().count("<script>window.__pwned = 1</script>") >= 1
        assert page.evaluate("window.__pwned") is None
        assert dialogs == []
        assert log.external == []


def test_the_build_and_its_pages_request_nothing(hostile_site: Path, listener: tuple[int, list[str]]) -> None:
    assert listener[1] == []
    for name, data in _every_output(hostile_site):
        if name.endswith(".html"):
            assert b'src="http' not in data and b"twemoji" not in data.replace(b'class="twemoji"', b""), name


def test_emoji_are_drawn_from_the_site_itself(hostile_site: Path) -> None:
    page = (hostile_site / "emoji.html").read_text(encoding="utf-8")
    line = page[page.index("EMOJI-LINE"):].split("</p>", 1)[0]
    assert "\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}" in line and "<svg" in line  # a character; the theme's icon inline
    assert "<img" not in line and "cdn" not in line


def test_no_file_of_the_build_machine_is_in_any_output_byte(hostile_site: Path) -> None:
    leaks = [name for name, data in _every_output(hostile_site)
             if PASSWD_MARK.encode() in data or b"file:///etc/passwd" in data or b"/EmbeddedFile" in data]
    assert leaks == []


def test_pdfs_have_no_attachments_and_print_values_as_text(hostile_site: Path) -> None:
    pdfs = sorted((hostile_site / "pdf").glob("*.pdf"))
    assert len(pdfs) > 3
    for pdf in pdfs:
        listing = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert listing.strip() == "0 embedded files", (pdf.name, listing)
    text = subprocess.run(["pdftotext", str(hostile_site / "pdf" / "guest-jp-tanaka.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "<script>window.__pwned = 1</script>" in text
    assert "{ tabindex=1 autofocus" in " ".join(text.split())
    assert "root:x:" not in text
