"""How the CLI starts the site engine: MkDocs 1.6, or ProperDocs, its maintained fork, with our plugin either way.

The engine is an adapter: pages are decided by the output plan (``build_tools.plan``), so switching the engine
changes who renders them, not what they are. ProperDocs runs MkDocs plugins and themes (Material) through its alias
of the ``mkdocs`` package (``properdocs.replacement``), which must be in place before anything imports ``mkdocs``.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..workers import fewer_collections

if TYPE_CHECKING:
    from ..memo import Memo
    from ..plan import OutputPlan
    from .shared_pages import SharedPages

ENGINES = ("mkdocs", "properdocs")
PLUGIN = "lo-briefing"


class BuildFailed(Exception):
    """The engine stopped on bad input (a guest file, a broken link…): the message says what, nothing was written."""


@dataclass(frozen=True)
class Options:
    """What the CLI asks of a build; each field overrides the plugin's option of the same name in mkdocs.yml."""

    profile: str
    pdf: bool = True
    cache_dir: str | None = None
    workers: int | None = None
    guests: tuple[str, ...] | None = None  # only these guests (a bundle, possibly none); None: all
    preview: bool = False  # serve: while an input is broken, the last good project with the errors on every page
    memo: Memo | None = field(default=None, compare=False)  # results kept across the builds of one process (bundles)
    shared: SharedPages | None = field(default=None, compare=False)  # knowledge pages kept across bundles (shared_pages)


def use(engine: str) -> None:
    """Select the engine for this process; call it before anything imports ``mkdocs``."""
    if engine not in ENGINES:
        raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
    if engine == "properdocs":
        import properdocs.replacement  # noqa: F401 - aliases mkdocs.* to properdocs.* from here on
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # MkDocs' end-of-life banner: the README states the policy
    _quiet_logging()


def _quiet_logging() -> None:
    """The engine's warnings (and ours) as one line each on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    for name in ("mkdocs", "properdocs"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def configure(config, options: Options):  # noqa: ANN001, ANN202 - the engine's config object
    """``config`` with the plugin's options set from ``options``."""
    plugin = config.plugins[PLUGIN]
    plugin.config["profile"] = options.profile
    plugin.config["pdf"] = options.pdf
    if options.cache_dir is not None:
        plugin.config["cache_dir"] = options.cache_dir
    if options.workers is not None:
        plugin.config["workers"] = options.workers
    plugin.config["guests"] = None if options.guests is None else list(options.guests)
    plugin.config["preview"] = options.preview
    if options.memo is not None:
        plugin.memo = options.memo
    plugin.shared = options.shared
    return config


def build_site(config_file: Path, site_dir: Path, options: Options) -> OutputPlan:
    """Build the site (and, with ``options.pdf``, its PDFs) into ``site_dir``; the plan it was built from."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config = configure(load_config(str(config_file), site_dir=str(site_dir)), options)
    dirty = options.shared is not None  # a bundle: the pages it shares with an earlier one count as unmodified
    if dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_warning)
    try:
        # MkDocs holds every page while it builds, and the collector's default thresholds went through them all again
        # and again: 0.22-0.32 s of a 50-guest site build's main process, 0.12-0.17 s with these.
        with fewer_collections():
            build(config, dirty=dirty)
    except MkDocsException as exc:
        raise BuildFailed(str(exc)) from None
    plan = config.plugins[PLUGIN].plan
    if plan is None:
        raise BuildFailed("the lo-briefing plugin made no output plan")
    return plan


def serve_site(config_file: Path, address: str, options: Options) -> None:
    """Preview with live reload; ``options`` apply to every rebuild (the engine loads its config again for each).

    Every rebuild is a "dirty" one: our plugin, kept from one rebuild to the next, says which pages an edit touched
    (``incremental.py``) and makes a rebuild whole, site folder emptied, when something on every page changed.
    """
    from mkdocs.commands import serve

    load, build = serve.load_config, serve.build
    serve.load_config = lambda **kwargs: configure(load(**kwargs), options)  # type: ignore[assignment]
    serve.build = lambda config, **kwargs: build(config, **{**kwargs, "dirty": True})  # type: ignore[assignment]
    logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_warning)
    for handler in logging.getLogger("mkdocs").handlers:  # the address to open, and what each rebuild did
        handler.setLevel(logging.INFO)
    serve.serve(str(config_file), dev_addr=address)


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may leave navigation stale: ours rebuilds whole whenever it would (a preview),
    and a bundle's unmodified pages are written with their navigation (shared_pages)."""
    return "'dirty' build" not in record.getMessage()
