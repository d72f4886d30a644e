"""A build converts only the Markdown that changed: every page's conversion is kept in the cache folder for the next.

MkDocs converts every page's Markdown to HTML on every build, and all of it before it writes the first page, which is
when the PDFs can start (they are made from the pages' HTML). At 50 guests that was 2.8 s of a one-guest edit's 15,
on its critical path: the edited guest's handbook waited for the conversion of the other 124 pages.

So a build keeps, for each page, what MkDocs' ``Page.render`` leaves on it (the HTML, the table of contents, the title
found in the text, the anchors it has and the anchors it links to in other pages) with the Markdown it came from, and
the next build takes it instead of converting that Markdown again. What it is taken for is everything a conversion
depends on besides the Markdown (``_signature``):

- every file's path, URL and inclusion (excluded, draft, not in the navigation): links are resolved and checked
  against them;
- the Markdown extensions and their options, the link validation settings;
- the versions of the packages that convert, our own code the extensions call (slugs, emoji) and this module.

A page whose conversion logged anything (a broken link warns, and strict mode fails on it) is not kept: it is
converted, and warns, on every build, as MkDocs does. The plugin then runs ``on_page_content`` as for any page.

Only whole builds use it (``build``, the site-only build): a preview and the bundles keep their pages in memory their
own way (``incremental.py``, ``shared_pages.py``). The record holds the pages' HTML, the guests' included: it stays in
the private cache folder (``cachefiles``), rewritten only when a page's conversion changed.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import IO, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from ..cachefiles import DIR_MODE, FILE_MODE
from ..store import cache_key

RECORD = "converted-pages.json"  # in the cache folder
_PACKAGES = ("mkdocs", "markdown", "pymdownx", "material")  # their versions: modules the build has imported by then
# Our code a conversion depends on: this module (the record's form) and what the extensions call (slugs, emoji).
_OUR_CODE = (Path(__file__), Path(__file__).parents[1] / "slugs.py", Path(__file__).parent / "emoji.py")
log = get_plugin_logger(__name__)
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")  # Page.render keeps anchor links only above DEBUG
# Where a conversion's messages go: MkDocs' own logger (its command line stops it propagating), and the root for the
# Markdown extensions'.
_LISTENED = (logging.getLogger("mkdocs"), logging.getLogger())


class ConvertedPages:
    """One build's conversions: those kept by the last build, taken where the Markdown is the same.

    The next record is written as the build goes: each new conversion when it is made, into a scratch file beside
    the record (named with this process, as ``cachefiles`` expects of scratch files), the conversions taken at the end.
    Held until then, a cold build's conversions were another copy of every page's HTML in the main process (at 200
    guests, while the PDF workers hold the most memory they do).
    """

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / RECORD
        self.scratch = cache_dir / f"{RECORD}.{os.getpid()}.tmp"
        self.signature: str | None = None
        self.kept: dict[str, dict[str, Any]] = {}  # src_uri → the last build's conversion
        self.taken: dict[str, dict[str, Any]] = {}  # src_uri → the last build's conversion, taken by this build
        self.out: IO[bytes] | None = None  # the next record, open once a page is converted anew
        self.written = 0  # pages in it so far
        self.failed = False  # the cache folder could not be written: no record (the next build converts everything)

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
            self.taken[uri] = kept
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
            self._write(uri, _record(page, digest))

    def save(self) -> None:
        """From ``on_post_build``: the record for the next build, unless it would be the one there is."""
        if self.signature is None or (self.out is None and self.taken.keys() == self.kept.keys()):
            return
        for uri, conversion in self.taken.items():
            self._write(uri, conversion)
        if self.failed:
            return
        try:
            out = self._open()
            out.write(b"}}")
            out.close()
            self.out = None
            os.replace(self.scratch, self.path)
        except OSError as exc:
            self._give_up(exc)

    def discard(self) -> None:
        """From ``on_build_error``: no record from a build that failed before its end."""
        if self.out is not None:
            try:
                self.out.close()
            except OSError:
                pass
            self.out = None
        self.scratch.unlink(missing_ok=True)

    def _write(self, uri: str, conversion: dict[str, Any]) -> None:
        if self.failed:
            return
        separator = "," if self.written else ""
        try:
            self._open().write(f"{separator}{json.dumps(uri)}:{json.dumps(conversion, ensure_ascii=False)}".encode())
        except OSError as exc:
            self._give_up(exc)
        self.written += 1

    def _give_up(self, exc: OSError) -> None:
        """A cache folder that cannot be written (full, read-only) costs the next build its conversions, nothing more."""
        log.debug(f"{self.path}: not written: {exc}")
        self.failed = True
        self.discard()

    def _open(self) -> IO[bytes]:
        if self.out is None:
            self.scratch.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            self.out = os.fdopen(os.open(self.scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE), "wb")
            self.out.write(f'{{"signature":{json.dumps(self.signature)},"pages":{{'.encode())
        return self.out


class _Heard(logging.Handler):
    """Whether anything was logged (at INFO or above) while a page was converted."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.anything = False

    def emit(self, record: logging.LogRecord) -> None:
        self.anything = True


def _signature(config: MkDocsConfig, files: Files) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Mapping):  # a section of the configuration (validation: links: …): its values
            return dict(value)
        # a function named in mkdocs.yml (!!python/name): its name, not its address
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"

    markdown = json.dumps([config["markdown_extensions"], config["mdx_configs"], config.validation],
                          default=plain, sort_keys=True)
    every_file = "\n".join(sorted(f"{file.src_uri}\t{file.url}\t{file.inclusion.name}" for file in files))
    versions = [import_module(package).__version__ for package in _PACKAGES]
    code = [path.read_text(encoding="utf-8") for path in _OUR_CODE]
    return cache_key(*versions, *code, markdown, str(config.use_directory_urls), every_file)


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
