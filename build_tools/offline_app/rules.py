"""Which files of a built site the app installs up front (precache) and which it keeps on demand. Pure.

The precache list is every file of the site but those ``ignores(...)`` names (``precached``); the service worker
(``workbox``) installs each under its revision. Pages, styles, scripts, images and the search index are always
installed. The downloads of the plan (handbook PDFs, pocket cards, run sheets, .ics/.vcf) are installed up front only
in a bundle made for one LO; in the whole-event site each one is kept on the device when it is first opened, or with
the guest page's "keep offline" button, so installing the app costs the pages, not 200 guests' handbooks.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

from ..plan import OutputPlan

#: Never installed (``fnmatch`` patterns over site paths: ``*`` crosses folders): the service worker and the Workbox
#: runtime it imports (the browser keeps those), source maps, the sitemap, the tablet zip, the search index copy and
#: the word splitters only ``file://`` or other languages use (search over HTTP reads search/search_index.json).
ALWAYS_IGNORED = (
    "sw.js",
    "app/workbox/*",
    "*.map",
    "sitemap.xml",
    "sitemap.xml.gz",
    "*.zip",
    "search/search_index.js",
    "assets/javascripts/lunr/*",
)


def download_paths(plan: OutputPlan, present: Iterable[str]) -> list[str]:
    """The plan's downloads that are in the site (a ``--no-pdf`` build has its PDFs as empty placeholders: left out)."""
    there = set(present)
    return sorted(d.path for d in plan.downloads if d.path in there)


def ignores(plan: OutputPlan, present: Iterable[str], precache_downloads: bool) -> list[str]:
    """What the precache leaves out: ``ALWAYS_IGNORED`` and, unless a bundle installs them, the plan's downloads."""
    on_demand = [] if precache_downloads else download_paths(plan, present)
    return [*ALWAYS_IGNORED, *on_demand]


def precached(present: Iterable[str], ignored: Iterable[str]) -> list[str]:
    """The files of ``present`` the app installs, in path order: none that ``ignored`` names (a path of ``present``, or
    else a pattern), and no hidden file (as Workbox's globs leave them)."""
    paths, rule = list(present), list(ignored)
    exact = set(rule) & set(paths)
    patterns = re.compile("|".join(fnmatch.translate(item) for item in rule if item not in exact) or "(?!)")
    return sorted(path for path in paths
                  if path not in exact and not patterns.match(path) and not any(part.startswith(".") for part in path.split("/")))
