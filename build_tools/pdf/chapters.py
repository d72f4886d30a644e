"""Site pages (HTML as MkDocs rendered them) turned into chapters of one printed document.

Ids are prefixed per chapter so they stay unique in the joined document, links between pages of the same
document become in-document links, and web-only elements (buttons, form controls) are dropped.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_ID = re.compile(r'\bid="([^"]*)"')
_HREF = re.compile(r'\bhref="([^"]*)"')
_BUTTON = re.compile(r'<a\b[^>]*class="[^"]*\bmd-button\b[^"]*"[^>]*>.*?</a>', re.S)
_FIRST_H1 = re.compile(r"\A\s*<h1\b[^>]*>.*?</h1>", re.S)
_SRC = re.compile(r'\bsrc="(?![a-z][a-z0-9+.-]*:)([^"]*)"')
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")


@dataclass(frozen=True)
class RenderedPage:
    """A page as the site shows it: its URL in the site, its title and its HTML body."""

    url: str  # e.g. "phases/arrival.html"
    title: str
    html: str
    draft: str | None = None  # the draft banner's line (build_tools.review.draft_label), None when reviewed


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    html: str
    part: str | None = None  # the section it belongs to in the table of contents
    draft: str | None = None  # shown as a banner under the chapter title when the page is a draft


def chapter_id(url: str) -> str:
    return "ch-" + re.sub(r"[^a-z0-9]+", "-", url.lower().removesuffix(".html")).strip("-")


def _rebase_link(href: str, page_url: str, in_document: dict[str, str], prefix: str) -> str | None:
    """Where a link points inside the PDF, or None when its target is not in this PDF."""
    if href.startswith("#"):
        return f"#{prefix}{href[1:]}" if href[1:] else f"#{prefix.rstrip('-')}"
    if _SCHEME.match(href):  # http:, mailto:, tel:
        return href
    path, _, fragment = href.partition("#")
    target = _site_path(page_url, path)
    if target not in in_document:
        return None
    target_id = in_document[target]
    return f"#{target_id}--{fragment}" if fragment else f"#{target_id}"


def _site_path(page_url: str, path: str) -> str:
    """The site path a relative link's path points to from ``page_url``."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), path))
    return target + "index.html" if target.endswith("/") else target


@lru_cache(maxsize=4096)
def _link_targets(page_url: str, html: str) -> tuple[str, ...]:
    """The site paths the page's relative links point to (what ``_rebase_link`` looks up in the document)."""
    return tuple(sorted({_site_path(page_url, href.partition("#")[0]) for href in _HREF.findall(html)
                         if not href.startswith("#") and not _SCHEME.match(href)}))


def chapter_key(page: RenderedPage, in_document: dict[str, str], site_dir: Path, part: str | None) -> tuple[object, ...]:
    """Everything ``to_chapter`` reads for this page: the same key, the same chapter. The document's other pages count
    only as far as the page links to them, so a chapter shared by every guest handbook has one key in all of them."""
    links = tuple(in_document.get(target) for target in _link_targets(page.url, page.html))
    return (page.url, page.title, page.html, page.draft, part, str(site_dir), in_document[page.url], *links)


def to_chapter(page: RenderedPage, in_document: dict[str, str], site_dir: Path, part: str | None = None) -> Chapter:
    """``in_document`` maps the site URLs of every page in this PDF to their chapter ids; images resolve in ``site_dir``."""
    cid = in_document[page.url]
    prefix = f"{cid}--"
    body = _HEADERLINK.sub("", _BUTTON.sub("", _FIRST_H1.sub("", page.html)))
    body = body.replace("<details", "<details open")
    body = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', body)

    def link(match: re.Match[str]) -> str:
        target = _rebase_link(match.group(1), page.url, in_document, prefix)
        return f'href="{target}"' if target else 'data-external="true"'

    def source(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page.url), match.group(1)))
        return f'src="{(site_dir / target).as_uri()}"'

    return Chapter(cid, page.title, _SRC.sub(source, _HREF.sub(link, body)), part, page.draft)
