"""Adapter: workbox-build's ``generateSW`` (npm, pinned by package-lock.json) run with node on a site folder."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("generate_sw.cjs")
SW = "sw.js"
#: Our part of the worker (keeping documents, telling a page about a waiting version), imported before Workbox's.
SW_DOCS = "app/sw-docs.js"


class WorkboxMissing(Exception):
    """node or workbox-build is not installed."""


class WorkboxFailed(Exception):
    """generateSW refused the site (its message says why)."""


@dataclass(frozen=True)
class Precache:
    count: int
    size: int
    warnings: tuple[str, ...]


def generate_sw(site: Path, ignores: list[str], globs: tuple[str, ...], imports: list[str]) -> Precache:
    """Write ``site/sw.js``: a precache of every file matching ``globs`` but not ``ignores``, each with a revision."""
    node = shutil.which("node")
    if node is None:
        raise WorkboxMissing("node is not installed: run `make setup` (it installs npm and workbox-build)")
    options = {
        "globDirectory": str(site),
        "globPatterns": list(globs),
        "globIgnores": ignores,
        "globFollow": False,
        "swDest": str(site / SW),
        "mode": "production",
        "sourcemap": False,
        "inlineWorkboxRuntime": True,
        "importScripts": imports,
        "skipWaiting": False,  # the new version waits for the reader's tap (a SKIP_WAITING message)
        "clientsClaim": True,  # the first install controls the open page at once
        "cleanupOutdatedCaches": True,
        "directoryIndex": "index.html",
        # ?h=… is how Material's search highlights the words on the page it opens: the same page
        "ignoreURLParametersMatching": ["^h$", "^utm_"],
        "maximumFileSizeToCacheInBytes": 64 * 1024 * 1024,
    }
    done = subprocess.run([node, str(SCRIPT)], input=json.dumps(options), capture_output=True, text=True, check=False)
    if done.returncode == 3:
        raise WorkboxMissing("workbox-build is not installed: run `make setup` (npm ci)")
    if done.returncode != 0:
        raise WorkboxFailed(f"workbox-build generateSW failed: {done.stderr.strip()}")
    result = json.loads(done.stdout)
    return Precache(int(result["count"]), int(result["size"]), tuple(str(w) for w in result["warnings"]))
