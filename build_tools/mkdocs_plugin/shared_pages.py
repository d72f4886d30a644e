"""Bundles share their knowledge pages: a bundles worker renders them once, and every later bundle puts its own
Guests section of the navigation into them instead of rendering them again.

An LO's bundle is a whole site: the knowledge base (about 70 pages) and the pages of the guests that LO escorts. Its
knowledge pages differ from another LO's only in the navigation's Guests section, which names that LO's guests and
nobody else. So a worker (one process building bundle after bundle) keeps, from a bundle it built, each knowledge page's
HTML cut around that section, its title and front matter, and its entries in the search index as MkDocs wrote them.

A later bundle whose navigation is the same outside the Guests section is a "dirty" MkDocs build in which the kept
pages count as unmodified: MkDocs renders only the generated pages, any page whose additions differ, and one kept
page per folder depth (from which this bundle's Guests section is cut: its links are relative to the page's folder).
The kept pages' titles and front matter are restored for the navigation; after the build each is written as the kept
HTML around this bundle's section, and their search entries go back in place before the Thai words are cut. The
bundle is then byte for byte the one a whole build makes (``tests/test_bundles.py`` compares them).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .. import outputs
from ..navigation import NavEntry, flatten
from ..plan import OutputPlan
from .incremental import INDEX, extras, page_of

_LI = re.compile(r"<li[\s>]|</li>")


@dataclass(frozen=True)
class KeptPage:
    url: str
    before: str  # the page's HTML up to its Guests section
    after: str  # and after it
    extras: str  # what the build added to the page's Markdown
    header: tuple[str | None, dict[str, Any]]  # title, front matter
    docs: tuple[dict[str, Any], ...] = ()  # its search-index entries, Thai not yet cut


@dataclass
class _Build:
    section: int  # the Guests section's place in the top level of the navigation (Material's __nav_N)
    recording: bool  # this build's pages are kept (its navigation differs from the kept pages')
    extras: dict[str, str]
    generated: set[str]  # the plan's pages and downloads: never kept
    order: list[str] = field(default_factory=list)  # the documentation pages' URLs, in MkDocs' order
    skipped: dict[str, File] = field(default_factory=dict)  # src_uri → a page's file not rendered
    sample: dict[int, str] = field(default_factory=dict)  # depth → src_uri of the kept page rendered to cut a section
    sections: dict[int, str] = field(default_factory=dict)  # depth → this build's Guests section
    kept: dict[str, KeptPage] = field(default_factory=dict)  # recording: the pages kept so far


class SharedPages:
    """One per bundles worker: the knowledge pages of the last bundle it built with a new navigation."""

    def __init__(self) -> None:
        self.signature: tuple[Any, ...] | None = None
        self.kept: dict[str, KeptPage] = {}
        self.build: _Build | None = None
        self.reused = 0  # pages the last build wrote from kept ones

    def start(self, plan: OutputPlan, headers: dict[str, str]) -> None:
        """From ``on_config``: whether this build can take kept pages (``headers``: the knowledge pages' front
        matter, which the navigation shows)."""
        section = _guests_section(plan.nav)
        if section is None:
            self.build = None
            return
        outside = [entry for number, entry in enumerate(plan.nav, 1) if number != section]
        titles = sorted((page.path, page.title) for page in plan.pages if not page.path.startswith(outputs.GUESTS + "/"))
        signature = (plan.profile, repr(outside), section, titles, sorted(headers.items()))
        recording = signature != self.signature
        if recording:
            self.signature, self.kept = signature, {}
        self.build = _Build(section, recording, extras(plan), {page.path for page in plan.pages} | set(plan.files))

    def forget(self) -> None:
        """From ``on_build_error``: a build that failed while recording keeps nothing."""
        if self.build is not None and self.build.recording:
            self.signature, self.kept = None, {}
        self.build = None

    def mark(self, files: Files) -> None:
        """From ``on_files``: the kept pages MkDocs will not render (one per depth is rendered, to cut a section)."""
        build = self.build
        if build is None:
            return
        for file in files.documentation_pages():
            build.order.append(file.url)
            uri = file.src_uri
            kept = self.kept.get(uri)
            if build.recording or uri in build.generated or kept is None or kept.extras != build.extras.get(uri, ""):
                continue
            depth = file.url.count("/")
            if depth not in build.sample:
                build.sample[depth] = uri
                continue
            file.is_modified = lambda: False  # type: ignore[method-assign]
            build.skipped[uri] = file

    def restore_headers(self, nav: Navigation) -> None:
        """From ``on_nav``: the pages not read keep their title and front matter (the navigation names them)."""
        if self.build is None:
            return
        for page in nav.pages:
            if page.file.src_uri in self.build.skipped:
                page.title, page.meta = self.kept[page.file.src_uri].header  # type: ignore[misc]

    def rendered(self, html: str, page: Page) -> None:
        """From ``on_post_page``: keep a knowledge page, or cut this bundle's Guests section from a sample page."""
        build = self.build
        if build is None:
            return
        uri = page.file.src_uri
        if build.recording:
            if uri not in build.generated and (parts := _cut(html, build.section)) is not None:
                before, _, after = parts
                build.kept[uri] = KeptPage(page.url, before, after, build.extras.get(uri, ""), (page.title, dict(page.meta)))
        elif uri in build.sample.values():
            parts = _cut(html, build.section)
            if parts is None:
                raise PluginError(f"{uri}: the navigation's Guests section was not found where the kept pages had it")
            build.sections[page.url.count("/")] = parts[1]

    def finish(self, site_dir: Path) -> None:
        """From ``on_post_build``, before the Thai words are cut: write the pages not rendered, put their search
        entries back in place; or, recording, keep the pages' search entries."""
        build, self.build = self.build, None
        self.reused = len(build.skipped) if build is not None else 0
        if build is None or not (build.recording or build.skipped):  # nothing to keep, nothing to put back
            return
        path = site_dir / INDEX
        index = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        docs: dict[str, list[dict[str, Any]]] = {}
        for doc in index["docs"] if index else []:
            docs.setdefault(page_of(doc), []).append(doc)
        if build.recording:
            self.kept = {uri: replace(page, docs=tuple(docs.get(page.url, []))) for uri, page in build.kept.items()}
            return
        for uri, file in build.skipped.items():
            kept = self.kept[uri]
            target = Path(file.abs_dest_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(kept.before + build.sections[file.url.count("/")] + kept.after, encoding="utf-8")
            docs[file.url] = list(kept.docs)
        if index is not None:
            in_order = [doc for url in build.order for doc in docs.pop(url, [])]
            index["docs"] = in_order + [doc for rest in docs.values() for doc in rest]
            path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")  # as Material writes it


def _guests_section(nav: list[NavEntry]) -> int | None:
    """The 1-based place of the top-level navigation entry that holds the guests' pages."""
    for number, entry in enumerate(nav, 1):
        if outputs.GUESTS_INDEX in flatten([entry]):
            return number
    return None


def _cut(html: str, section: int) -> tuple[str, str, str] | None:
    """``html`` as (before, the Guests section, after): the section runs from the end of the navigation item before it
    (the whitespace Material's loops leave depends on the section's length) to its own ``</li>``."""
    found = re.search(rf'<input class="md-nav__toggle[^>]*id="__nav_{section}"', html)
    if found is None:
        return None
    start = html.rfind("<li", 0, found.start())
    previous = html.rfind("</li>", 0, start)
    if start < 0 or previous < 0 or html[previous + 5 : start].strip():
        return None
    depth = 0
    for tag in _LI.finditer(html, start):
        depth += -1 if tag.group(0) == "</li>" else 1
        if depth == 0:
            return html[: previous + 5], html[previous + 5 : tag.end()], html[tag.end() :]
    return None
