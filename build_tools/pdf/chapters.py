"""Site pages (HTML as MkDocs rendered them) turned into chapters of one printed document.

Ids are prefixed per chapter so they stay unique in the joined document, links between pages of the same
document become in-document links, and web-only elements (buttons, form controls) are dropped.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

_ID = re.compile(r'\bid="([^"]*)"')
_HREF = re.compile(r'\bhref="([^"]*)"')
_BUTTON = re.compile(r'<a\b[^>]*class="[^"]*\bmd-button\b[^"]*"[^>]*>.*?</a>', re.S)
_FIRST_H1 = re.compile(r"\A\s*<h1\b[^>]*>.*?</h1>", re.S)
_SRC = re.compile(r'\bsrc="(?![a-z][a-z0-9+.-]*:)([^"]*)"')
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)


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
    if re.match(r"^[a-z][a-z0-9+.-]*:", href):  # http:, mailto:, tel:
        return href
    path, _, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), path))
    if target.endswith("/"):
        target += "index.html"
    if target not in in_document:
        return None
    target_id = in_document[target]
    return f"#{target_id}--{fragment}" if fragment else f"#{target_id}"


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
