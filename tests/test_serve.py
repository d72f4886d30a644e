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
