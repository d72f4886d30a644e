"""Serving a built site the way a ministry's web server does, for the offline-app tests: over http://127.0.0.1 (a
secure context, so service workers run), under a sub-path, with a switch to take the server away and a way to publish
the next build in place (one rename, as a real deployment would)."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(os.environ.get("LO_SCREENSHOTS", "/tmp/lo-briefing-screenshots"))
_PRECACHE_ENTRY = re.compile(r'"url":"([^"]+)"')


def precache_urls(site: Path) -> set[str]:
    """The URLs (site-relative) in the precache list Workbox wrote into ``sw.js``."""
    return set(_PRECACHE_ENTRY.findall((site / "sw.js").read_text(encoding="utf-8")))


class _Handler(http.server.SimpleHTTPRequestHandler):
    server: _Server

    def handle_one_request(self) -> None:
        if self.server.site.down:  # no answer at all, as with no network
            self.raw_requestline = self.rfile.readline(65537)
            self.close_connection = True
            return
        super().handle_one_request()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    site: ServedSite
    daemon_threads = True


class ServedSite:
    """``site`` served at ``http://127.0.0.1:<port>/<sub_path>/`` from ``www`` (a symbolic link to the build)."""

    def __init__(self, www: Path, sub_path: str, site: Path) -> None:
        www.mkdir(parents=True, exist_ok=True)
        self.www, self.sub_path, self.down = www, sub_path, False
        self.publish(site)
        self._server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(www)))
        self._server.site = self

    def publish(self, site: Path) -> None:
        link, swap = self.www / self.sub_path, self.www / f".{self.sub_path}.new"
        swap.unlink(missing_ok=True)
        swap.symlink_to(site.resolve(), target_is_directory=True)
        os.replace(swap, link)

    def url(self, rel: str = "") -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/{self.sub_path}/{rel}"

    def __enter__(self) -> ServedSite:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
