"""Small results remembered across builds in the cache folder, keyed by a hash of everything they depend on."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def remembered(folder: Path | None, inputs: str, compute: Callable[[], str]) -> str:
    """``compute()``, read back from ``folder`` when the same ``inputs`` were computed before (no folder: no memory).

    ``inputs`` must name everything the result depends on (library versions and options included). A cache that
    cannot be read or written only costs time.
    """
    if folder is None:
        return compute()
    path = folder / f"{hashlib.sha256(inputs.encode('utf-8')).hexdigest()}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    value = compute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp") as out:
            out.write(value)
        os.replace(out.name, path)
    except OSError:
        pass
    return value
