"""Files a build writes and remembers: atomic writes, cache keys, and the build's date.

One place for each, so every cache, snapshot and stamp agrees on how a file is replaced, how an input is hashed and
which day "today" is (``SOURCE_DATE_EPOCH`` when set, for reproducible builds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .thaidate import BANGKOK


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` in one rename: a reader sees the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, prefix=f".{path.name}.", suffix=".tmp") as out:
        out.write(payload)
    try:
        os.replace(out.name, path)
    except BaseException:
        Path(out.name).unlink(missing_ok=True)
        raise


def cache_key(*inputs: str) -> str:
    """The name of a remembered result: a hash of everything it depends on, each input separated by a NUL."""
    return hashlib.sha256("\0".join(inputs).encode("utf-8")).hexdigest()


def source_date() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) as a moment, when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else None


def build_moment() -> dt.datetime:
    """Now (UTC), or ``SOURCE_DATE_EPOCH`` when it is set."""
    return source_date() or dt.datetime.now(dt.timezone.utc)


def build_date() -> str:
    """The build's day in Bangkok, as YYYY-MM-DD."""
    return build_moment().astimezone(BANGKOK).date().isoformat()


def remembered(folder: Path | None, inputs: str, compute: Callable[[], str]) -> str:
    """``compute()``, read back from ``folder`` when the same ``inputs`` were computed before (no folder: no memory).

    ``inputs`` must name everything the result depends on (library versions and options included). A cache that
    cannot be read or written only costs time.
    """
    if folder is None:
        return compute()
    path = folder / f"{cache_key(inputs)}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    value = compute()
    try:
        write_atomic(path, value)
    except OSError:
        pass
    return value
