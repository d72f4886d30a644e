"""One function computed on the spare core while the build goes on (the site build itself is single-threaded)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_PENDING: Callable[[], Any] | None = None  # what a freshly forked helper computes (inherited, never pickled)


def _run_pending() -> Any:
    assert _PENDING is not None
    return _PENDING()


class Background(Generic[T]):
    """``compute()`` in a forked helper process, started now; ``result()`` waits for it.

    The helper inherits ``compute`` and everything it refers to by forking, so nothing but the result is pickled.
    With one core or no ``fork`` (or if the helper cannot start), ``result()`` computes it here instead. An exception
    in the helper is raised again by ``result()``.
    """

    def __init__(self, compute: Callable[[], T]) -> None:
        global _PENDING
        self._compute = compute
        self._pool: Any = None
        self._pending: Any = None
        if (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
            _PENDING = compute
            try:
                self._pool = multiprocessing.get_context("fork").Pool(1)
                self._pending = self._pool.apply_async(_run_pending)
            except (OSError, ValueError, AssertionError):  # no process to spare here, or inside a daemon process
                self.close()
            finally:
                _PENDING = None

    def result(self) -> T:
        if self._pending is None:
            return self._compute()
        try:
            return self._pending.get()
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
        self._pool = self._pending = None
