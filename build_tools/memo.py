"""Results kept from one build to the next in a long-lived process, so a build redoes only what changed since the last.

A build asks ``memo.get(kind, key, compute)``. ``key`` is a tuple whose parts are either values (text, bytes,
numbers: compared by equality — a file's bytes, a profile name) or objects (compared by identity — a guest record
that an earlier ``get`` returned). Objects are kept alive by the entry that names them, so an identity is never
mistaken for a later object's. After each build, ``sweep()`` drops what that build did not ask for: the memory holds
one build's results, whatever the number of edits.

Only pure functions of their key belong here (a file's parse from its bytes, a guest's page from its view): a hit
returns the very object computed before, which is what lets the next function's key use identity.

The theme's compiled Jinja templates are kept too (``templates``): each build makes a new Jinja environment.

Used by ``serve`` (one memo for the preview) and by ``bundles`` (one per worker process: the bundles it builds one
after the other read the same files).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from jinja2.bccache import Bucket, BytecodeCache

T = TypeVar("T")
_VALUES = (str, bytes, int, float, bool, type(None))


class CompiledTemplates(BytecodeCache):
    """Jinja templates compiled once, kept in memory (a build's environment takes them as its bytecode cache)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class Memo:
    def __init__(self) -> None:
        self.templates = CompiledTemplates()
        self._entries: dict[tuple[Hashable, ...], tuple[tuple[Any, ...], Any]] = {}
        self._used: set[tuple[Hashable, ...]] = set()
        self.hits = 0
        self.misses = 0

    def get(self, kind: str, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        slot = (kind, *(part if isinstance(part, _VALUES) else ("object", id(part)) for part in key))
        found = self._entries.get(slot)
        if found is not None and all(a is b or (isinstance(a, _VALUES) and a == b) for a, b in zip(found[0], key)):
            self.hits += 1
            self._used.add(slot)
            return found[1]  # type: ignore[no-any-return]
        self.misses += 1
        value = compute()
        self._entries[slot] = (key, value)
        self._used.add(slot)
        return value

    def sweep(self) -> None:
        """Forget what the build that just ended did not use; count the next build's hits from zero."""
        self._entries = {slot: entry for slot, entry in self._entries.items() if slot in self._used}
        self._used = set()
        self.hits = self.misses = 0


def remember(memo: Memo | None, kind: str, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` through ``memo`` when there is one (serve, a bundles worker), else directly (nothing is kept)."""
    return compute() if memo is None else memo.get(kind, key, compute)


def file_bytes(file: Path) -> bytes | None:
    """A file's bytes for a memo key, or None when it cannot be read (missing, a folder…): never an error here."""
    try:
        return file.read_bytes()
    except OSError:
        return None


def file_stamp(file: Path) -> tuple[int, int] | None:
    """A file's size and modification time for a memo key, or None when it cannot be read."""
    try:
        info = file.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns
