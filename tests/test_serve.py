"""`serve` previews the site and rebuilds when a guest file changes."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2
import pytest
import thai_passages

from conftest import REPO, run_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


@contextmanager
def _serving(project: Path, log: Path | None = None, env: dict[str, str] | None = None, pdf: bool = False) -> Iterator[str]:
    """``lo-briefing serve --no-pdf`` (with ``pdf``, as ``make serve`` runs it) on ``project`` (its output into ``log``);
    yields the preview's base URL."""
    port = _free_port()
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    with (log.open("w", encoding="utf-8") if log else open(os.devnull, "w")) as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "build_tools", "serve", *([] if pdf else ["--no-pdf"]), "--addr", f"127.0.0.1:{port}"],
            cwd=project, env=full_env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_serve_keeps_the_last_good_preview_and_shows_the_error_while_a_guest_file_is_broken(project: Path) -> None:
    guest = project / "guests" / "jp-tanaka.yml"
    good = guest.read_text(encoding="utf-8")
    with _serving(project) as base:
        url = f"{base}guests/jp-tanaka.html"
        assert _wait_for(url, "</html>", 120), "serve did not come up"
        guest.write_text(good.replace("country: JP", "country: JPN").replace("position: ", "position: Broken-Edit ", 1), encoding="utf-8")
        # every request is answered (within urlopen's timeout) with the last good page and the error on top of it
        assert _wait_for(url, "guests/jp-tanaka.yml:", 120), "the error never showed (or the requests hung)"
        page = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
        assert "lo-preview-error" in page and "Broken-Edit" not in page and "Minister of Health" in page
        assert "expected a two-letter ISO country code" in page
        guest.write_text(good.replace("position: ", "position: Fixed-Edit ", 1), encoding="utf-8")
        assert _wait_for(url, "Fixed-Edit", 120), "the fixed file was not previewed"
        assert "lo-preview-error" not in urllib.request.urlopen(url, timeout=5).read().decode("utf-8")


def _served(url: str) -> bytes:
    """A page as serve sends it, without what serve adds: the live-reload script before ``</body>`` and the canonical
    link to the preview's address (a build has no ``site_url`` to make one from); see :func:`_blank_lines_as_one`."""
    with urllib.request.urlopen(url, timeout=30) as response:
        page = response.read()
    body_end = page.rindex(b"</body>")
    script = page.rindex(b"<script>", 0, body_end)
    assert b"livereload(" in page[script:body_end]
    page = re.sub(rb'<link rel="canonical" href="http://127\.0\.0\.1:\d+/[^"]*">', b"", page[:script] + page[body_end:])
    return _blank_lines_as_one(page)


def _blank_lines_as_one(page: bytes) -> bytes:
    """The theme leaves blank lines around the canonical link: compare pages with runs of blank lines as one."""
    return re.sub(rb"\n(?:[ \t]*\n)+", b"\n", page)


def _search_docs(index: bytes) -> list[dict[str, str]]:
    """The index's entries without the compound-word parts (a preview finds a rebuilt page's among its own words)."""
    return [{k: v for k, v in doc.items() if not k.endswith("parts")} for doc in json.loads(index)["docs"]]


def _rebuilt(log: Path, builds: int) -> str:
    """What the preview says it rebuilt in its ``builds``-th build (waits for it)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        said = re.findall(r"preview: (.*)", log.read_text(encoding="utf-8", errors="replace"))
        if len(said) >= builds:
            return said[builds - 1]
        time.sleep(0.2)
    raise AssertionError(f"serve did not report build {builds}:\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}")


def test_serve_rebuilds_only_the_pages_an_edit_touched_and_they_equal_a_fresh_build(project: Path, tmp_path: Path) -> None:
    """A guest edit rebuilds that guest's page, a knowledge edit that page, a new title (in the navigation) every
    page; after each, every page served equals the page of a fresh ``build`` of the same files, and so does the
    search index (but for the compound-word parts, see incremental.py)."""
    log = tmp_path / "serve.log"

    def same_as_a_fresh_build(name: str) -> None:
        fresh = tmp_path / name
        result = run_cli("build", "--no-pdf", "--site-dir", str(fresh), cwd=project, env={"SOURCE_DATE_EPOCH": "1796000000"})
        assert result.returncode == 0, result.stderr
        pages = sorted(fresh.rglob("*.html"))
        assert len(pages) > 50
        differ = [str(p.relative_to(fresh)) for p in pages
                  if _served(base + p.relative_to(fresh).as_posix()) != _blank_lines_as_one(p.read_bytes())]
        assert not differ, f"{name}: served pages differ from a fresh build: {differ}"
        served_index = urllib.request.urlopen(base + "search/search_index.json", timeout=30).read()
        assert _search_docs(served_index) == _search_docs((fresh / "search" / "search_index.json").read_bytes())

    with _serving(project, log, {"SOURCE_DATE_EPOCH": "1796000000"}) as base:
        assert _wait_for(base + "guests/jp-tanaka.html", "</html>", 120), "serve did not come up"
        assert _rebuilt(log, 1) == "every page rebuilt"

        guest = project / "guests" / "jp-tanaka.yml"
        guest.write_text(guest.read_text(encoding="utf-8").replace("position: ", "position: Edited-Guest ", 1), encoding="utf-8")
        assert _wait_for(base + "guests/jp-tanaka.html", "Edited-Guest", 120)
        assert _rebuilt(log, 2) == "1 page(s) rebuilt: guests/jp-tanaka.html"
        same_as_a_fresh_build("after-guest-edit")

        phase = project / "content" / "phases" / "arrival.md"
        phase.write_text(phase.read_text(encoding="utf-8").replace("\n## ", "\nย่อหน้าที่เพิ่มระหว่างแสดงตัวอย่าง\n\n## ", 1), encoding="utf-8")
        assert _wait_for(base + "phases/arrival.html", "ย่อหน้าที่เพิ่มระหว่างแสดงตัวอย่าง", 120)
        assert _rebuilt(log, 3) == "1 page(s) rebuilt: phases/arrival.html"
        same_as_a_fresh_build("after-knowledge-edit")

        gifts = project / "content" / "culture" / "gifts.md"  # a title is in every page's navigation
        gifts.write_text(gifts.read_text(encoding="utf-8").replace("(Gifts)", "(Gifts, retitled)", 1), encoding="utf-8")
        assert _wait_for(base + "guests/jp-tanaka.html", "(Gifts, retitled)", 120)
        assert _rebuilt(log, 4) == "every page rebuilt"
        same_as_a_fresh_build("after-new-title")


def _pdf_text(url: str) -> str:
    """The text of a PDF the preview serves, as PDFium (Chrome) extracts it ("" while it is not there yet). Polled
    until the edit shows: poppler took two seconds a handbook, PDFium a fifth of one."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return thai_passages.pdfium_text(response.read())
    except (OSError, pypdfium2.PdfiumError):
        return ""


@pytest.mark.slow
def test_with_pdfs_a_guest_edit_reaches_that_guests_pdfs_and_no_other_document_is_rendered(
    project: Path, tmp_path: Path, sample_site: Path
) -> None:
    """`make serve` makes the PDFs after the pages, in the background, and keeps each document's print HTML from one
    rebuild to the next (memo): after a guest edit, that guest's handbook and card show it, and nothing else is
    rendered again."""
    shutil.copytree(REPO / "published", project / "published")  # the sample's documents: from the session's PDF cache
    log = tmp_path / "serve.log"
    with _serving(project, log, pdf=True) as base:
        assert _wait_for(base + "guests/jp-tanaka.html", "</html>", 300), "serve did not come up"
        deadline = time.monotonic() + 600
        all_made = re.compile(r"PDF: (\d+) of \1 unchanged|PDF (\d+)/\2 ")  # the first build's PDFs, all there
        while not all_made.search(log.read_text(encoding="utf-8")):
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")[-3000:]
            time.sleep(0.5)
        first = log.read_text(encoding="utf-8")
        guest = project / "guests" / "jp-tanaka.yml"
        guest.write_text(guest.read_text(encoding="utf-8").replace("position: ", "position: Edited-In-Preview ", 1), encoding="utf-8")
        assert _wait_for(base + "guests/jp-tanaka.html", "Edited-In-Preview", 300)
        for document in ("guest-jp-tanaka.pdf", "card-jp-tanaka.pdf"):  # the documents that print the position
            deadline = time.monotonic() + 600
            while "Edited-In-Preview" not in _pdf_text(base + f"pdf/{document}"):
                assert time.monotonic() < deadline, f"{document} never showed the edit:\n{log.read_text(encoding='utf-8')[-3000:]}"
                time.sleep(1)
        rendered = set(re.findall(r"^PDF \d+/\d+ (\S+)$", log.read_text(encoding="utf-8")[len(first):], re.M))
        assert rendered == {"guest-jp-tanaka.pdf", "card-jp-tanaka.pdf"}  # the run sheet does not print it
        assert "Edited-In-Preview" not in _pdf_text(base + "pdf/orientation.pdf")
