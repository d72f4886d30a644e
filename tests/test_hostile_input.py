"""Everything from YAML is text: a guest named <script>…</script> shows those characters and runs nothing,
and Markdown notes render without raw HTML or script links — checked in real Chromium and in the PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from browser_support import chromium, chromium_available, file_url, watched_context
from conftest import run_cli

HOSTILE_NAME = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"
HOSTILE_TITLE = "</script><script>window.__pwned = 8</script><!--"  # lands in the schedule JSON of the page
HOSTILE_NOTES = """# Notes

<script>window.__pwned = 3</script>

<img src="x" onerror="window.__pwned = 4">

[click](javascript:window.__pwned=5) and <b onmouseover="window.__pwned=6">bold</b>
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    guest = project / "guests" / "jp-tanaka.yml"
    text = guest.read_text(encoding="utf-8").replace("preferred: Hiroshi Tanaka", f"preferred: '{HOSTILE_NAME}'", 1)
    text = text.replace("th: หารือทวิภาคีกับรัฐมนตรีสาธารณสุขไทย", f"th: '{HOSTILE_TITLE}'", 1)
    guest.write_text(text.replace("position: ", "position: </td><script>window.__pwned = 7</script> ", 1), encoding="utf-8")
    (project / "guests" / "jp-tanaka.md").write_text(HOSTILE_NOTES, encoding="utf-8")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


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
            assert page.evaluate("window.__pwned") is None, path
            assert "<script>window.__pwned = 1</script>" in page.locator("article").inner_text(), path
        article = page.locator("article")
        page.goto(file_url(hostile_site / "guests/jp-tanaka.html"))
        # no script runs from the article: its only script element is the schedule's JSON data (not executable)
        assert article.locator("script:not([type='application/json'])").count() == 0
        assert article.locator("script[type='application/json']").count() == 1
        data = page.evaluate("JSON.parse(document.getElementById('lo-schedule-data').textContent)")
        assert data["guest"] == "jp-tanaka" and HOSTILE_TITLE in [i["title"] for i in data["items"]]
        assert article.locator("img[onerror], [onmouseover]").count() == 0
        assert article.locator("a[href^='javascript:']").count() == 0
        assert "<script>window.__pwned = 3</script>" in article.inner_text()
        assert dialogs == []
        assert log.external == []


def test_hostile_guest_data_prints_as_text_in_the_pdf(hostile_site: Path) -> None:
    text = subprocess.run(["pdftotext", str(hostile_site / "pdf" / "guest-jp-tanaka.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "<script>window.__pwned = 1</script>" in text
