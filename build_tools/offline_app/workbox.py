"""Adapter: the Workbox service worker — npm's ``workbox-sw`` runtime and the prebuilt modules it loads (installed by
``make setup`` from package-lock.json) — over our template, with the precache list written in.

The template (``sw_template.js``) hands ``self.__WB_MANIFEST`` to ``workbox.precaching.precacheAndRoute``; the build
writes there what workbox-build's ``injectManifest`` would: the JSON list of ``{"revision", "url"}`` of every file
the rule keeps (``rules.precached``), in path order. The revision is the file's SHA-256, which the build computes
anyway for ``app/build.js``. Running workbox-build itself meant starting node and loading it (about 0.9 s of CPU per
build and per bundle) to glob and hash the same files again. No bundler runs at build time, and the worker loads
nothing from a CDN.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).with_name("sw_template.js")
INJECTION_POINT = "self.__WB_MANIFEST"
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"  # the tool's own (make setup: npm ci)
SW = "sw.js"
SW_DOCS = "app/sw-docs.js"  # our part of the worker: documents kept on demand, the build a waiting version describes
RUNTIME_DIR = "app/workbox"
RUNTIME = ("workbox-sw/build/workbox-sw.js", "workbox-core/build/workbox-core.prod.js",
           "workbox-routing/build/workbox-routing.prod.js", "workbox-strategies/build/workbox-strategies.prod.js",
           "workbox-precaching/build/workbox-precaching.prod.js")
#: Workbox's own default limit is 2 MB; a bundle installs its handbooks, so ours is large (as workbox-build was told).
MAX_PRECACHED_BYTES = 64 * 1024 * 1024


class WorkboxMissing(Exception):
    """The Workbox runtime is not installed (``make setup`` runs npm ci)."""


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
            raise WorkboxMissing(f"the Workbox runtime is not installed ({source.name} missing): run `make setup` (npm ci)")
        code = source.read_text(encoding="utf-8").split("\n//# sourceMappingURL=")[0].rstrip() + "\n"
        target = site / RUNTIME_DIR / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(code, encoding="utf-8")


def service_worker(entries: dict[str, str], sizes: dict[str, int]) -> tuple[str, Precache]:
    """``sw.js``: the template with the precache list of ``entries`` (site path → revision) written in, and what it
    holds. A file over ``MAX_PRECACHED_BYTES`` is left out with a warning, as workbox-build does."""
    kept = {path: revision for path, revision in sorted(entries.items()) if sizes[path] <= MAX_PRECACHED_BYTES}
    warnings = tuple(f"{path} is {sizes[path]:,} bytes, over the {MAX_PRECACHED_BYTES:,} the app installs: left out"
                     for path in sorted(entries) if path not in kept)
    listing = json.dumps([{"revision": revision, "url": path} for path, revision in kept.items()],
                         separators=(",", ":"))
    template = TEMPLATE.read_text(encoding="utf-8")
    assert template.count(INJECTION_POINT) == 1, f"{TEMPLATE.name} must name {INJECTION_POINT} exactly once"
    return (template.replace(INJECTION_POINT, listing),
            Precache(len(kept), sum(sizes[path] for path in kept), warnings))
