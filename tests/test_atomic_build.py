"""A build killed midway leaves the last good site whole; the next build cleans up after it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, run_cli


def test_killed_build_leaves_the_last_good_site_whole(project: Path) -> None:
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("last good site", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.Popen([sys.executable, "-m", "build_tools", "build"], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    staged = []
    while time.monotonic() < deadline and build.poll() is None:  # wait until the new site is half written
        staged = [p for p in project.glob(".site-new-*") if (p / "index.html").exists()]
        if staged:
            break
        time.sleep(0.2)
    assert staged and build.poll() is None, "the build finished before it could be killed"
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert (site / "index.html").read_text(encoding="utf-8") == "last good site"
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]

    result = run_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "<html" in (site / "index.html").read_text(encoding="utf-8")
    assert not list(project.glob(".site-*")), "leftovers of the killed build were removed"
