"""Which bundles are still what a build would make: those are kept as they are, not built again.

A bundle's encrypted PDFs are never the same bytes twice (fresh random IVs), so a bundle cannot be compared with a new
build of itself; instead each zip is recorded with a hash of everything it is made from, and a later run builds
only the bundles whose hash changed. The hash covers:

- the shared inputs: every file of ``content/``, ``theme/``, ``published/``, ``mkdocs.yml`` and the event file;
- the bundle's own guests: their ``.yml``, notes and photo (an LO's bundle does not change when another LO's guest
  does; the coordinators' bundle has every guest);
- who it is for, the event secret (through a hash: a new secret means new passwords) and the build's day (the stamps
  on amended documents name it);
- the tool: our code, the offline app's pinned packages and the versions of the libraries that render.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..model import GuestRecord
from ..store import build_date, write_atomic
from .membership import Bundle

RECORD = ".bundles.json"  # in the bundles folder: bundle id → the hash its zip was made from
TOOL = Path(__file__).resolve().parents[2]
_LIBRARIES = ("mkdocs", "mkdocs-material", "weasyprint", "pikepdf", "cryptography", "pythainlp", "jinja2", "markdown")


def bundle_keys(root: Path, wanted: list[Bundle], guests: list[GuestRecord], secret: bytes) -> dict[str, str]:
    """The hash of each wanted bundle's inputs, by bundle id."""
    guests_dir = root / "guests"
    shared = _digest([*_files(root / "content", root / "theme", root / "published"), root / "mkdocs.yml",
                      guests_dir / "_event.yml"], root)
    own = {record.id: _digest(_guest_files(guests_dir, record), root) for record in guests}
    common = [shared, _tool(), hashlib.sha256(secret).hexdigest(), build_date()]
    return {bundle.id: _hash([*common, bundle.id, bundle.name, *bundle.guests, *bundle.escorts,
                              *(own[guest] for guest in bundle.guests)])
            for bundle in wanted}


def site_key(root: Path, engine: str) -> str:
    """The hash of everything the full site of the project at ``root`` is built from: every input file, the tool, the
    build's day (and ``SOURCE_DATE_EPOCH``, whose moment the offline app and the calendars carry), the site engine and
    what else changes the PDFs (fonts, WeasyPrint); and the project's folder, so that a cache folder shared by two
    copies of a project never hands one the other's site."""
    from ..pdf.render import stack_fingerprint

    inputs = _digest([*_files(root / "content", root / "theme", root / "published", root / "guests"), root / "mkdocs.yml"],
                     root)
    return _hash([str(root.resolve()), inputs, _tool(), build_date(), os.environ.get("SOURCE_DATE_EPOCH", ""), engine,
                  stack_fingerprint()])


def fresh(out_dir: Path, keys: dict[str, str]) -> set[str]:
    """The bundles whose zip in ``out_dir`` was made from exactly ``keys[id]``."""
    try:
        made = json.loads((out_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(made, dict):
        return set()
    return {bundle for bundle, key in keys.items() if made.get(bundle) == key and (out_dir / f"{bundle}.zip").is_file()}


def record(out_dir: Path, keys: dict[str, str]) -> None:
    """Remember what the zips now in ``out_dir`` were made from (after they were all moved in)."""
    write_atomic(out_dir / RECORD, json.dumps(keys, indent=1, sort_keys=True) + "\n")


def _guest_files(guests_dir: Path, record: GuestRecord) -> list[Path]:
    files = [guests_dir / f"{record.id}.yml", guests_dir / f"{record.id}.md"]
    if record.guest.photo:
        files.append(guests_dir / record.guest.photo)
    return files


def _files(*folders: Path) -> list[Path]:
    return [path for folder in folders if folder.is_dir() for path in sorted(folder.rglob("*")) if path.is_file()]


def _digest(files: Iterable[Path], root: Path) -> str:
    """A hash of the files' names and bytes (a missing file counts as missing)."""
    total = hashlib.sha256()
    for path in files:
        total.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode() + b"\0")
        try:
            total.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            total.update(b"missing")
    return total.hexdigest()


@cache
def _tool() -> str:
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name}=none")
    code = _files(TOOL / "build_tools")
    return _hash([_digest([p for p in code if p.suffix != ".pyc"] + [TOOL / "package-lock.json"], TOOL), *versions])


def _hash(parts: list[str]) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
