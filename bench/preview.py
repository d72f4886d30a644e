"""Live-preview latency: from saving a file to the page showing the change, in ``serve`` and in bare ``mkdocs serve``.

A server is started on the project (ours: ``python -m build_tools serve``, PDFs on as ``make serve`` has them; bare:
Material's ``mkdocs serve`` of the anchor's Markdown), then each edit is written and its page polled until it shows
the edit's marker. MkDocs' server holds a request while it rebuilds, so the time is the whole way from the save to the
new page: the file watcher's delay, the rebuild, the response. Edits are spaced out so each starts from a quiet server
(the PDFs of the last guest edit are made in the background after its pages).
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SPACING_S = 10.0  # between edits: the last edit's PDFs are done
START_TIMEOUT_S = 3600.0
EDIT_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class Edit:
    file: Path
    page: str  # site path of the page that shows it
    old: str  # replaced once by old + marker (or, empty, the marker is appended as a paragraph)
    kind: str  # "guest" or "knowledge"


def latencies(command: list[str], address_option: str, cwd: Path, env: dict[str, str], edits: list[Edit],
              log: Path) -> dict[str, list[float]]:
    """Seconds from each edit's write to its page showing it, by the edit's kind (``address_option``: how
    ``command`` is told the address to serve on)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    found: dict[str, list[float]] = {}
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen([*command, address_option, f"127.0.0.1:{port}"],
                                  cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if not _wait_for(base + edits[0].page, "</html>", START_TIMEOUT_S):
            raise SystemExit(f"{' '.join(command)}: the server did not come up; see {log}")
        for number, edit in enumerate(edits):
            time.sleep(SPACING_S)
            marker = f"Bench-Preview-Edit-{number}-{time.time_ns()}"  # never on the page before
            text = edit.file.read_text(encoding="utf-8")
            changed = text.replace(edit.old, edit.old + marker + " ", 1) if edit.old else f"{text}\n\n{marker}\n"
            started = time.perf_counter()
            edit.file.write_text(changed, encoding="utf-8")
            if not _wait_for(base + edit.page, marker, EDIT_TIMEOUT_S):
                raise SystemExit(f"{edit.file}: the page {edit.page} never showed the edit; see {log}")
            found.setdefault(edit.kind, []).append(round(time.perf_counter() - started, 2))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    return found


def summary(found: dict[str, list[float]]) -> dict[str, float]:
    return {f"{kind}_edit_median_s": statistics.median(seconds) for kind, seconds in found.items()}


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=seconds) as response:
                if text in response.read().decode("utf-8", errors="replace"):
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
