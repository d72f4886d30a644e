"""Which files of a built site the app installs up front (precache) and which it keeps on demand. Pure.

Workbox makes the precache list itself, with a revision per file, from ``PRECACHE_GLOBS`` minus ``ignores(...)``;
this module only states the rule. Pages, styles, scripts, images and the search index are always installed. The
downloads of the plan (handbook PDFs, pocket cards, run sheets, .ics/.vcf) are installed up front only in a bundle
made for one LO; in the whole-event site each one is kept on the device when it is first opened, or with the guest
page's "keep offline" button, so installing the app costs the pages, not 200 guests' handbooks.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..plan import OutputPlan

PRECACHE_GLOBS = ("**/*",)
#: Never installed: the service worker and the Workbox runtime it imports (the browser keeps those), source maps, the sitemap, the tablet zip, the search index copy and
#: the word splitters only ``file://`` or other languages use (search over HTTP reads search/search_index.json).
ALWAYS_IGNORED = (
    "sw.js",
    "app/workbox/**",
    "**/*.map",
    "sitemap.xml",
    "sitemap.xml.gz",
    "*.zip",
    "search/search_index.js",
    "assets/javascripts/lunr/**",
)


def download_paths(plan: OutputPlan, present: Iterable[str]) -> list[str]:
    """The plan's downloads that are in the site (a ``--no-pdf`` build has its PDFs as empty placeholders: left out)."""
    there = set(present)
    return sorted(d.path for d in plan.downloads if d.path in there)


def ignores(plan: OutputPlan, present: Iterable[str], precache_downloads: bool) -> list[str]:
    """Glob patterns Workbox leaves out of the precache."""
    on_demand = [] if precache_downloads else download_paths(plan, present)
    return [*ALWAYS_IGNORED, *on_demand]
