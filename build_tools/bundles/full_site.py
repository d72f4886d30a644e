"""The full site a bundles run seals into the bundles: the last build's, when it is the site a build would make now.

A bundles run needs the whole event built with the full profile (the guest pages it seals, the phone files, every
PDF). ``lo-briefing build`` with the full profile and its PDFs records in the cache folder the site it wrote, the hash
of the inputs it read (``freshness.site_key``, taken before the build) and each file's size and modification time. A
later bundles run whose inputs hash the same, and whose recorded files are all still there unchanged and alone, reads
that site instead of building the same one again; it holds the site folder's build lock meanwhile
(``sitedir.build_lock``), so a build started then waits for it. Anything else (no record, another day, an edited input,
a site file touched, added or removed, a build with another profile since) and the run builds its own, as before. A
build finds there, the same way, that the site it would make is already in place (``cli.cmd_build``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..memo import file_stamp
from ..sitedir import build_lock
from ..store import write_atomic

RECORD = "last-full-site.json"  # in the cache folder


def remember(cache_dir: Path, site: Path, key: str) -> None:
    """Record that ``site`` was just built, with the full profile and its PDFs, from inputs hashing to ``key``."""
    write_atomic(cache_dir / RECORD, json.dumps({"site": str(site), "key": key, "files": _stamps(site)}, sort_keys=True))


@contextmanager
def last_built(cache_dir: Path, key: str) -> Iterator[Path | None]:
    """The last full site built from inputs hashing to ``key``, unchanged since, with its build lock held while the
    block runs; None when there is no such site (then no lock is taken)."""
    try:
        made = json.loads((cache_dir / RECORD).read_text(encoding="utf-8"))
        site, files = Path(made["site"]), dict(made["files"])
        recorded_key = made["key"]
    except (OSError, ValueError, KeyError, TypeError):
        yield None
        return
    if recorded_key != key or not site.is_dir():
        yield None
        return
    with build_lock(site):
        yield site if _unchanged(site, files) else None


def _unchanged(site: Path, files: dict[str, list[int]]) -> bool:
    """Every recorded file as it was written, and no other (a file dropped into the site would be sealed into bundles,
    and a build would remove it)."""
    try:
        return bool(files) and _stamps(site) == files
    except OSError:  # the site unreadable
        return False


def _stamps(site: Path) -> dict[str, list[int]]:
    """Each file of ``site`` by its path there: its size and modification time (none for one gone meanwhile)."""
    return {str(path.relative_to(site)): list(file_stamp(path) or ()) for path in sorted(site.rglob("*")) if path.is_file()}
