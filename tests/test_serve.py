"""`serve` previews the site and rebuilds when a guest file changes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import REPO


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


def test_serve_reloads_when_a_guest_file_changes(project: Path) -> None:
    guest = next(p for p in sorted((project / "guests").glob("*.yml")) if not p.name.startswith("_"))
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "build_tools", "serve", "--no-pdf", "--addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/guests/{guest.stem}.html"
    try:
        assert _wait_for(url, "</html>", 120), "serve did not come up"
        guest.write_text(guest.read_text(encoding="utf-8").replace("position: ", "position: Changed-While-Serving ", 1), encoding="utf-8")
        assert _wait_for(url, "Changed-While-Serving", 120), "the page was not rebuilt after the guest file changed"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_serve_keeps_the_last_good_preview_and_shows_the_error_while_a_guest_file_is_broken(project: Path) -> None:
    guest = project / "guests" / "jp-tanaka.yml"
    good = guest.read_text(encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "LO_PDF": "false", "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "build_tools", "serve", "--addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/guests/jp-tanaka.html"
    try:
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
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
