"""A build converts only the Markdown that changed: every page's conversion is kept in the cache folder for the next.

MkDocs converts every page's Markdown to HTML on every build, and all of it before it writes the first page, which is
when the PDFs can start (they are made from the pages' HTML). At 50 guests that was 2.8 s of a one-guest edit's 15,
on its critical path: the edited guest's handbook waited for the conversion of the other 124 pages.

So a build keeps, for each page, what MkDocs' ``Page.render`` leaves on it (the HTML, the table of contents, the title
found in the text, the anchors it has and the anchors it links to in other pages) with the Markdown it came from, and
the next build takes it instead of converting that Markdown again. What it is taken for is everything a conversion
depends on besides the Markdown (``_signature``):

- every file's path and URL: links are resolved and checked against them;
- the Markdown extensions and their options, the link validation settings;
- the versions of the packages that convert, and our own code the extensions call (slugs, emoji).

A page whose conversion logged anything (a broken link warns, and strict mode fails on it) is not kept: it is
converted, and warns, on every build, as MkDocs does. The plugin then runs ``on_page_content`` as for any page.

Only whole builds use it (``build``, the site-only build): a preview and the bundles keep their pages in memory their
own way (``incremental.py``, ``shared_pages.py``). The record holds the pages' HTML, the guests' included: it stays in
the private cache folder (``cachefiles``), rewritten only when a page's conversion changed.
"""

from __future__ import annotations

import json
import logging
from importlib.metadata import version
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from ..store import cache_key, replacing

RECORD = "converted-pages.json"  # in the cache folder
_PACKAGES = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material")
_OUR_CODE = (Path(__file__).parents[1] / "slugs.py", Path(__file__).parent / "emoji.py")  # called by the extensions
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")  # Page.render keeps anchor links only above DEBUG
# Where a conversion's messages go: MkDocs' own logger (its command line stops it propagating), and the root for the
# Markdown extensions'.
_LISTENED = (logging.getLogger("mkdocs"), logging.getLogger())


class ConvertedPages:
    """One build's conversions: those kept by the last build, taken where the Markdown is the same."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / RECORD
        self.signature: str | None = None
        self.kept: dict[str, dict[str, Any]] = {}  # src_uri → the last build's conversion
        self.now: dict[str, dict[str, Any]] = {}  # src_uri → this build's

    def take_over(self, page: Page) -> None:
        """From ``on_page_markdown``: ``page`` will be converted through :meth:`render`."""
        page.render = lambda config, files: self.render(page, config, files)  # type: ignore[method-assign]

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """``Page.render``, or its result as the last build had it for the same Markdown."""
        if self.signature is None:  # at the first page: every file is known by now
            self.signature = _signature(config, files)
            self.kept = _read(self.path, self.signature)
        uri, markdown = page.file.src_uri, page.markdown or ""
        digest = cache_key(markdown)
        kept = self.kept.get(uri)
        if kept is not None and kept["markdown"] == digest and _restore(page, kept, files):
            self.now[uri] = kept
            return
        heard = _Heard()
        for logger in _LISTENED:
            logger.addHandler(heard)
        try:
            Page.render(page, config, files)
        finally:
            for logger in _LISTENED:
                logger.removeHandler(heard)
        if not heard.anything:
            self.now[uri] = _record(page, digest)

    def save(self) -> None:
        """From ``on_post_build`` of a build that succeeded: the record for the next one, if anything changed."""
        if self.signature is None or self.now == self.kept:
            return
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with replacing(self.path) as out:  # a page at a time: no copy of every page in one string
            out.write(f'{{"signature":{json.dumps(self.signature)},"pages":{{'.encode())
            for number, (uri, page) in enumerate(self.now.items()):
                out.write(f'{"," if number else ""}{json.dumps(uri)}:{json.dumps(page, ensure_ascii=False)}'.encode())
            out.write(b"}}")


class _Heard(logging.Handler):
    """Whether anything was logged (at INFO or above) while a page was converted."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.anything = False

    def emit(self, record: logging.LogRecord) -> None:
        self.anything = True


def _signature(config: MkDocsConfig, files: Files) -> str:
    def named(value: Any) -> str:  # a function named in mkdocs.yml (!!python/name): its name, not its address
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"

    markdown = json.dumps([config["markdown_extensions"], config["mdx_configs"], dict(config.validation)],
                          default=named, sort_keys=True)
    every_file = "\n".join(sorted(f"{file.src_uri}\t{file.url}" for file in files))
    return cache_key(*(version(package) for package in _PACKAGES), *(path.read_text(encoding="utf-8") for path in _OUR_CODE),
                     markdown, str(config.use_directory_urls), every_file)


def _read(path: Path, signature: str) -> dict[str, dict[str, Any]]:
    """The last build's conversions, if it converted with the same files and settings; else none."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict) or record.get("signature") != signature or not isinstance(record.get("pages"), dict):
        return {}
    return record["pages"]


def _record(page: Page, digest: str) -> dict[str, Any]:
    def token(link: AnchorLink) -> dict[str, Any]:
        return {"level": link.level, "id": link.id, "name": link.title, "children": [token(c) for c in link.children]}

    links = page.links_to_anchors
    return {
        "markdown": digest,
        "content": page.content,
        "toc": [token(link) for link in page.toc],
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()},
    }


def _restore(page: Page, kept: dict[str, Any], files: Files) -> bool:
    """``page`` as ``Page.render`` left it when the conversion was kept; False if that cannot be (a file it links to
    is gone, or its links were not kept)."""
    links = None
    if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:  # as Page.render: the links to check, or none kept
        if kept["links"] is None:
            return False
        links = {files.get_file_from_path(uri): anchors for uri, anchors in kept["links"].items()}
        if None in links:
            return False
    page.content = kept["content"]
    page.toc = get_toc(kept["toc"])
    page._title_from_render = kept["title"]
    page.present_anchor_ids = set(kept["anchors"])
    if links is not None:
        page.links_to_anchors = links  # type: ignore[assignment]
    return True
