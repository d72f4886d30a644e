"""``serve`` rebuilds only what an edit touched: the pages whose Markdown changed, and their part of the search index.

MkDocs renders every page on every rebuild; at 200 guests that is seconds after each save. While previewing, the engine
asks MkDocs for "dirty" builds (``engine.serve_site``) and this module decides, from the output plan of this build and
of the last one, which files count as modified:

- a generated page (a guest's page, the boards, what changed) when its Markdown differs from the last build's;
- a knowledge page when its file is newer than its HTML (MkDocs' own test) or what the build adds to it changed;
- the downloads' placeholders never: the PDFs and phone files are written over them after the pages.

Anything that shows on every page — the navigation (titles and front matter included), the error banner of a broken input, the
configuration or the theme — makes the rebuild a whole one, the site folder emptied first as a clean build does.
Pages not rebuilt keep their title and front matter from the last build (the navigation of a rebuilt page names them),
and the search index keeps their entries: the index MkDocs writes then holds only the rebuilt pages, their Thai is cut
into words (``search_hooks``), and ``merge_search_index`` puts the other pages' entries back in their place. The
compound-word parts of a rebuilt page are then found among its own words only; the next whole rebuild (or ``build``)
finds them among the whole site's.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from ..memo import file_stamp
from ..plan import OutputPlan

log = get_plugin_logger(__name__)
INDEX = Path("search") / "search_index.json"


@dataclass
class LastBuild:
    """What the last preview build was made from, to compare the next one with."""

    signature: tuple[Any, ...] = ()  # everything that shows on every page
    pages: dict[str, str] = field(default_factory=dict)  # generated page → Markdown
    extras: dict[str, str] = field(default_factory=dict)  # knowledge page → what the build adds to it
    headers: dict[str, tuple[str | None, dict[str, Any]]] = field(default_factory=dict)  # page → (title, meta)
    search_docs: list[dict[str, Any]] = field(default_factory=list)  # the whole index, Thai cut into words


class Incremental:
    def __init__(self) -> None:
        self.downloads: dict[str, bytes] = {}  # phone files and workbooks as last written
        self.last: LastBuild | None = None
        self.whole = True  # this build renders everything
        self.signature: tuple[Any, ...] = ()
        self.pages: dict[str, str] = {}
        self.extras: dict[str, str] = {}
        self.headers: dict[str, tuple[str | None, dict[str, Any]]] = {}
        self.rebuilt: set[str] = set()  # URLs of the pages rendered by this build

    def start(self, config: MkDocsConfig, plan: OutputPlan, headers: dict[str, str], banner: str, root: Path) -> None:
        """From ``on_config``: whole or partial, by what shows on every page (``headers``: each knowledge page's front
        matter, whose title and status the navigation shows)."""
        titles = sorted((page.path, page.title) for page in plan.pages)
        signature = (repr(plan.nav), titles, sorted(headers.items()), banner, file_stamp(Path(config.config_file_path)),
                     _tree_stamp(root / "theme"))
        self.whole = self.last is None or self.last.signature != signature
        self.signature = signature
        self.rebuilt = set()
        self.headers = dict(self.last.headers) if self.last is not None else {}
        if not self.whole:
            config.theme.static_templates.discard("404.html")  # names every page: the last one is still right

    def pre_build(self, config: MkDocsConfig) -> None:
        if self.whole and self.last is not None:  # MkDocs does not clean a dirty build's folder: a page may be gone
            site = Path(config.site_dir)
            for child in site.iterdir() if site.is_dir() else ():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
            self.last = None  # the folder is empty now: if this build fails, the next one is whole too

    def forget(self) -> None:
        """From ``on_build_error``: what is in the site folder is no longer known, so the next rebuild is whole."""
        self.last = None

    def mark(self, files: Files, plan: OutputPlan) -> None:
        """From ``on_files``: set what MkDocs will take as modified in this dirty build."""
        generated = {page.path: page.markdown for page in plan.pages}
        downloads = set(plan.files)
        added = extras(plan)
        for file in files:
            uri = file.src_uri
            if self.whole:
                changed = True
            elif uri in downloads:
                changed = False
            elif uri in generated:
                changed = self.last is None or self.last.pages.get(uri) != generated[uri]
            elif uri in added and self.last is not None and self.last.extras.get(uri) != added[uri]:
                changed = True
            else:
                continue  # MkDocs' own test: the source newer than its output
            file.is_modified = (lambda value: lambda: value)(changed)  # type: ignore[method-assign]
        self.pages, self.extras = generated, added

    def keep_headers(self, nav: Navigation) -> None:
        """From ``on_nav``: pages not read again keep their title and front matter from the last build."""
        if self.whole or self.last is None:
            return
        for page in nav.pages:
            if not page.file.is_modified() and page.file.src_uri in self.last.headers:
                page.title, page.meta = self.last.headers[page.file.src_uri]  # type: ignore[misc]

    def changed_download(self, site_dir: Path, path: str, content: bytes) -> bool:
        """Whether a download made after the pages must be written (new content, or not in the site folder: a whole
        rebuild leaves an empty placeholder there)."""
        written = file_stamp(site_dir / path)
        if self.downloads.get(path) == content and written is not None and written[0] == len(content):
            return False
        self.downloads[path] = content
        return True

    def rendered(self, src_uri: str, url: str, title: str | None, meta: dict[str, Any]) -> None:
        """From ``on_page_content``: a page this build rendered."""
        self.rebuilt.add(url)
        self.headers[src_uri] = (title, dict(meta))

    def merge_search_index(self, site_dir: Path) -> None:
        """From ``on_post_build``, after the Thai words are cut: the index of every page, and remember it."""
        path = site_dir / INDEX
        if not path.is_file():
            return
        index = json.loads(path.read_text(encoding="utf-8"))
        docs = index.get("docs", [])
        if not self.whole and self.last is not None:
            docs = _merged(self.last.search_docs, docs, self.rebuilt)
            index["docs"] = docs
            path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        self.last = LastBuild(self.signature, self.pages, self.extras, self.headers, docs)
        log.info("preview: %s", "every page rebuilt" if self.whole else
                 f"{len(self.rebuilt)} page(s) rebuilt: {', '.join(sorted(self.rebuilt)) or 'none'}")


def _merged(before: list[dict[str, Any]], now: list[dict[str, Any]], rebuilt: set[str]) -> list[dict[str, Any]]:
    """``before`` with the entries of the ``rebuilt`` pages replaced by ``now``'s, in the same place (new pages last)."""
    fresh: dict[str, list[dict[str, Any]]] = {}
    for doc in now:
        fresh.setdefault(page_of(doc), []).append(doc)
    out: list[dict[str, Any]] = []
    placed: set[str] = set()
    for doc in before:
        page = page_of(doc)
        if page not in rebuilt:
            out.append(doc)
        elif page not in placed:
            out.extend(fresh.get(page, []))
            placed.add(page)
    for page, docs in fresh.items():
        if page not in placed:
            out.extend(docs)
    return out


def page_of(doc: dict[str, Any]) -> str:
    """The URL of the page a search-index entry belongs to."""
    return str(doc.get("location", "")).split("#", 1)[0]


def extras(plan: OutputPlan) -> dict[str, str]:
    """Per knowledge page, what the build adds to its Markdown (before and after it)."""
    return {uri: plan.prefixes.get(uri, "") + "\0" + plan.additions.get(uri, "")
            for uri in set(plan.prefixes) | set(plan.additions)}


def _tree_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(p), *(file_stamp(p) or (0, 0))) for p in sorted(folder.rglob("*")) if p.is_file())
