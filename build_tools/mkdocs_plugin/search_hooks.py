"""MkDocs glue for the offline site: the local iframe-worker shim and the Thai search index.

- ``add_shim`` (from ``on_files``): Material's ``offline`` plugin would load its worker shim from a CDN, and with no
  network the search box disappears when the site is opened from ``file://``. The shim is the npm package
  ``iframe-worker``, installed by ``make setup`` (``npm ci``) and copied into the site; ``extra.polyfills`` points
  at the copy.
- ``cuts_ahead`` (from ``on_files``, fed each page's HTML from ``on_page_content``): the Thai words of the pages cut on
  the spare core while MkDocs renders.
- ``segment_search_index`` (from ``on_post_build``, after Material's search plugin wrote the index and before the
  offline plugin inlines it into ``search_index.js``): Thai cut into words, see ``build_tools.search_th``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from .. import search_th
from ..memo import Memo, file_stamp, remember
from ..store import cache_key, write_atomic
from ..workers import PER_CORE, Workers

log = get_plugin_logger(__name__)

SHIM_URL = "assets/javascripts/iframe-worker/shim.js"
SHIM_PACKAGE = Path("node_modules") / "iframe-worker" / "shim" / "index.js"
TOOL_ROOT = Path(__file__).resolve().parents[2]  # where package.json and package-lock.json live
MEMORY_FILE = "search-th.json"
LAST_INDEX_FILE = "search-index-th.json"  # first line: the hash of the index it was segmented from
_SEGMENTER_CODE = hashlib.sha256(Path(search_th.__file__).read_bytes()).hexdigest()  # a kept index is only as new as this


def shim_source(root: Path) -> Path:
    """The installed shim: the project's ``node_modules``, else the tool's own (``make setup`` installs it)."""
    for base in dict.fromkeys([root, TOOL_ROOT]):
        if (base / SHIM_PACKAGE).is_file():
            return base / SHIM_PACKAGE
    raise PluginError(
        f"The iframe-worker shim ({SHIM_PACKAGE}) is not installed: run `make setup` (npm ci, with access to the npm "
        "registry). Without it the offline site loses its search box when opened from file://."
    )


def add_shim(files: Files, config: MkDocsConfig, root: Path) -> None:
    """Serve the shim from the site itself, and make sure no page refers to a CDN copy."""
    files.append(File.generated(config, SHIM_URL, abs_src_path=str(shim_source(root))))
    polyfills = [url for url in config.extra.get("polyfills", []) if "iframe-worker" not in str(url)]
    config.extra["polyfills"] = [SHIM_URL, *polyfills]


def cuts_ahead(cache_dir: Path, workers: Workers, memo: Memo | None = None,
               after: Callable[[], bool] | None = None) -> search_th.CutsAhead:
    """A helper that cuts the Thai words of pages while the rest of the site renders (see ``search_th.CutsAhead``;
    it starts once ``after()`` says so). With a ``memo`` (serve), the remembered cuts are read again only when their
    file changed."""
    path = cache_dir / MEMORY_FILE
    key = (str(path), repr(file_stamp(path))) if memo is not None else ()
    return search_th.CutsAhead(remember(memo, "word cuts", key, lambda: _load(path)), workers, after)


def segment_search_index(
    site_dir: Path, cache_dir: Path, ahead: search_th.CutsAhead | None = None, workers: Workers = PER_CORE
) -> None:
    """Rewrite ``search/search_index.json`` with Thai cut into words; remember the cuts for the next build.

    The last index segmented is kept too (``LAST_INDEX_FILE``, under the hash of the index it came from): a rebuild
    whose index did not change takes it as it is instead of joining the remembered cuts into every text again.
    """
    try:
        _segment_index_file(site_dir / "search" / "search_index.json", cache_dir, ahead, workers)
    finally:
        if ahead is not None:  # done with it whichever way: nothing to cut, the last index taken, or an error
            ahead.close()


def _segment_index_file(path: Path, cache_dir: Path, ahead: search_th.CutsAhead | None, workers: Workers) -> None:
    if not path.is_file():
        return
    source = path.read_text(encoding="utf-8")
    key = cache_key(_version(), _SEGMENTER_CODE, source)
    if (segmented := _last_index(cache_dir / LAST_INDEX_FILE, key)) is not None:
        path.write_text(segmented, encoding="utf-8")
        return
    memory_path = cache_dir / MEMORY_FILE
    memory = ahead.memory() if ahead is not None else _load(memory_path)
    index = json.loads(source)
    segmenter = search_th.ThaiSegmenter(memory=memory)
    segmented = json.dumps(search_th.segment_index(index, segmenter, workers), ensure_ascii=False, separators=(",", ":"))
    path.write_text(segmented, encoding="utf-8")
    if segmenter.misses or (ahead is not None and ahead.found_new):
        _save(memory_path, segmenter.export(search_th.thai_runs(index) | (ahead.seen if ahead is not None else set())))
    _write_atomic(cache_dir / LAST_INDEX_FILE, f"{key}\n{segmented}")


def _last_index(path: Path, key: str) -> str | None:
    """The segmented index kept in ``path`` if it was made from the index hashed as ``key``."""
    try:
        with path.open(encoding="utf-8") as kept:
            if kept.readline().rstrip("\n") == key:
                return kept.read()
    except (OSError, UnicodeDecodeError):
        pass
    return None


def _load(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == _version() else None


def _save(path: Path, memory: dict) -> None:
    _write_atomic(path, json.dumps({"version": _version(), **memory}, ensure_ascii=False, separators=(",", ":")))


def _write_atomic(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as exc:  # a cache that cannot be written only costs time
        log.debug(f"search cache not saved: {exc}")


def _version() -> str:
    from importlib.metadata import version

    return f"{search_th.CACHE_VERSION}/pythainlp {version('pythainlp')}"
