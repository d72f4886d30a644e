"""The cache folder kept private and small, and its PDFs checked before they are used.

- Private: the cache holds full-profile handbooks, so the folder is 0700 and its files 0600 whatever the umask.
- Checked: each cached PDF has a ``.sha256`` beside it, written with the PDF; a cached file whose bytes no longer
  match (replaced by another guest's handbook, cut short by a full disk) is dropped and rendered again.
- Small: files no build has used for ``UNUSED_DAYS`` days are removed (a use touches the file), and so are scratch
  files (``*.tmp``) whose build is gone.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
import time
from pathlib import Path

UNUSED_DAYS = 30
DIR_MODE, FILE_MODE = 0o700, 0o600
_SCRATCH_PID = re.compile(r"\.(\d+)\.tmp$")
SCRATCH_GRACE_SECONDS = 24 * 3600  # a scratch file without a build's pid in its name is left this long


def folder(root: Path, given: str | None) -> Path:
    """The cache folder of the project at ``root``: ``given`` (``--cache-dir``, ``LO_CACHE_DIR``), else ``.cache`` in it."""
    return Path(given) if given else root / ".cache"


def prepare(cache_dir: Path, now: float | None = None) -> None:
    """Create the cache folder if needed, make everything in it private, and prune what no build uses."""
    cache_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    now = time.time() if now is None else now
    _private(cache_dir, DIR_MODE)
    for folder, dirs, files in os.walk(cache_dir):
        for name in dirs:
            _private(Path(folder) / name, DIR_MODE)
        for name in files:
            path = Path(folder) / name
            try:
                info = path.lstat()
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode) or _unused(path, info.st_mtime, now):
                path.unlink(missing_ok=True)
            else:
                _private(path, FILE_MODE)


def _private(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.lstat().st_mode) != mode:
            path.chmod(mode)
    except OSError:
        pass


def _unused(path: Path, mtime: float, now: float) -> bool:
    if path.name.endswith(".tmp"):
        if (match := _SCRATCH_PID.search(path.name)) and not _alive(int(match.group(1))):
            return True
        return now - mtime > SCRATCH_GRACE_SECONDS
    return now - mtime > UNUSED_DAYS * 86400


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _sidecar(entry: Path) -> Path:
    return entry.with_name(entry.name + ".sha256")


def commit(scratch: Path, entry: Path) -> None:
    """Move a freshly written ``scratch`` file into the cache as ``entry``, its hash recorded beside it first."""
    scratch.chmod(FILE_MODE)
    with tempfile.NamedTemporaryFile("w", encoding="ascii", dir=entry.parent, delete=False, suffix=".tmp") as out:
        out.write(digest(scratch) + "\n")
    os.replace(out.name, _sidecar(entry))
    os.replace(scratch, entry)


def restore(entry: Path, target: Path) -> bool:
    """Copy a cached ``entry`` to ``target`` if its bytes match the hash recorded when it was written.

    The copy is checked, not the cache file, so nothing can change between the check and the use. A mismatch, a
    missing hash or a missing file: the entry is dropped and False returned (render it again).
    """
    try:
        recorded = _sidecar(entry).read_text(encoding="ascii").strip()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry, target)
    except (OSError, UnicodeDecodeError):
        return False
    if digest(target) != recorded:
        target.unlink(missing_ok=True)
        entry.unlink(missing_ok=True)
        _sidecar(entry).unlink(missing_ok=True)
        return False
    try:
        os.utime(entry)  # used now: not pruned
    except OSError:
        pass
    return True
