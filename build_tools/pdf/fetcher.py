"""What WeasyPrint may read while it lays out a document: our own files and inline ``data:`` URLs, nothing else.

WeasyPrint's default fetcher opens any URL — ``file:///etc/passwd`` behind a ``rel="attachment"`` link would be
embedded in the PDF, an ``http://`` image would be requested from the build machine. This fetcher serves
``data:`` URLs and ``file:`` URLs whose path, links followed, lies inside one of the folders it was given (the
site being built and the theme); everything else fails the way a missing image fails: WeasyPrint leaves it out.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

THEME_DIR = Path(__file__).resolve().parents[2] / "theme"


class Refused(ValueError):
    """A URL outside what the document may use."""


class OwnFilesFetcher(URLFetcher):
    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise Refused(f"not one of the build's own files: {url}")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise Refused(f"not one of the build's own files: {url}")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), status=200)


def own_files_fetcher(site_dir: Path | None) -> OwnFilesFetcher:
    """The fetcher for a document of the site being built in ``site_dir``: that site and the theme."""
    return OwnFilesFetcher([THEME_DIR, *([site_dir] if site_dir else [])])
