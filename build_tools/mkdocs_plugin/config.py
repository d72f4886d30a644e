"""The plugin's options in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..pdf.render import DEFAULT_PDF_VARIANT, PDF_VARIANTS
from ..profiles import Profile


class LOBriefingConfig(Config):
    guests_dir = c.Type(str, default="guests")
    profile = c.Choice([p.value for p in Profile], default=Profile.FULL.value)
    pdf = c.Type(bool, default=True)
    # Archival PDF/A-2u (tagged) by default; "pdf/a-3u", "pdf/ua-1" (accessible) or "plain" (see pdf/render.py).
    pdf_variant = c.Choice(list(PDF_VARIANTS), default=DEFAULT_PDF_VARIANT)
    cache_dir = c.Type(str, default=".cache")
    # Processes the build may use: 0 is one per core; 1 runs everything in this process (see build_tools.workers).
    workers = c.Type(int, default=0)
    # Guest ids: build only these guests' pages and downloads (a per-LO bundle, possibly none); unset: every guest.
    guests = c.Optional(c.ListOfItems(c.Type(str)))
    # serve: while an input is broken, build the last good project and show the errors on every page (preview.py).
    preview = c.Type(bool, default=False)
