"""The site as an installable offline app: a web app manifest, icons, and a Workbox service worker.

A post-build step over a built site folder. ``make_offline_app(site_dir, plan)`` is the one entry point: the CLI calls it
after the engine built the site (and before the zip); a per-LO bundle calls it on its own folder with its own plan and
``precache_downloads=True``. The pure parts say what the app is (``manifest``, ``rules``, ``buildinfo``); ``icons``
draws the icons; ``workbox`` writes the service worker: our template with the precache list, over Workbox's runtime.
"""

from __future__ import annotations

from .app import AppReport, OfflineAppError, make_offline_app

__all__ = ["AppReport", "OfflineAppError", "make_offline_app"]
