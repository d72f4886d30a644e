"""Adapter: workbox-build (npm, pinned by package-lock.json) run with node on a site folder.

``injectManifest`` writes the precache list — every file of the rule, each with a revision Workbox computes — into
our small template (``sw_template.js``), and the Workbox runtime (``workbox-sw`` and the prebuilt modules it loads)
is copied from ``node_modules`` into ``app/workbox/``: no bundler runs at build time (``generateSW`` bundles with
rollup and terser, about 2 s of CPU more per build), and the worker loads nothing from a CDN.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("inject_manifest.cjs")
TEMPLATE = Path(__file__).with_name("sw_template.js")
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"  # the tool's own (make setup: npm ci)
SW = "sw.js"
SW_DOCS = "app/sw-docs.js"  # our part of the worker: documents kept on demand, the build a waiting version describes
RUNTIME_DIR = "app/workbox"
RUNTIME = ("workbox-sw/build/workbox-sw.js", "workbox-core/build/workbox-core.prod.js",
           "workbox-routing/build/workbox-routing.prod.js", "workbox-strategies/build/workbox-strategies.prod.js",
           "workbox-precaching/build/workbox-precaching.prod.js")


class WorkboxMissing(Exception):
    """node or workbox-build is not installed."""


class WorkboxFailed(Exception):
    """injectManifest refused the site (its message says why)."""


@dataclass(frozen=True)
class Precache:
    count: int
    size: int
    warnings: tuple[str, ...]


def copy_runtime(site: Path) -> None:
    """The Workbox modules the worker imports, into ``site/app/workbox/`` (without their source-map comments)."""
    for module in RUNTIME:
        source = NODE_MODULES / module
        if not source.is_file():
            raise WorkboxMissing(f"workbox-build is not installed ({source.name} missing): run `make setup` (npm ci)")
        code = source.read_text(encoding="utf-8").split("\n//# sourceMappingURL=")[0].rstrip() + "\n"
        target = site / RUNTIME_DIR / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(code, encoding="utf-8")


class Ahead:
    """node with workbox-build loaded (about a second of CPU), started before the site is built so that it loads on
    the spare core meanwhile; it waits for its options on stdin. A context manager: stopped if never used."""

    def __init__(self) -> None:
        node = shutil.which("node")
        self.process = None if node is None else subprocess.Popen(
            [node, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()

    def take(self) -> subprocess.Popen[str] | None:
        """The waiting process (once), or None when node is missing or it was taken already."""
        process, self.process = self.process, None
        return process


def inject_manifest(site: Path, ignores: list[str], globs: tuple[str, ...], ahead: Ahead | None = None) -> Precache:
    """Write ``site/sw.js``: the template with a precache of every file matching ``globs`` but not ``ignores``
    (with the node process of ``ahead`` when there is one)."""
    process = ahead.take() if ahead is not None else None
    if process is None:
        if (node := shutil.which("node")) is None:
            raise WorkboxMissing("node is not installed: run `make setup` (it installs npm and workbox-build)")
        process = subprocess.Popen([node, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
    options = {
        "swSrc": str(TEMPLATE),
        "swDest": str(site / SW),
        "globDirectory": str(site),
        "globPatterns": list(globs),
        "globIgnores": ignores,
        "globFollow": False,
        "maximumFileSizeToCacheInBytes": 64 * 1024 * 1024,
    }
    stdout, stderr = process.communicate(json.dumps(options))
    if process.returncode == 3:
        raise WorkboxMissing("workbox-build is not installed: run `make setup` (npm ci)")
    if process.returncode != 0:
        raise WorkboxFailed(f"workbox-build injectManifest failed: {stderr.strip()}")
    result = json.loads(stdout)
    return Precache(int(result["count"]), int(result["size"]), tuple(str(w) for w in result["warnings"]))
