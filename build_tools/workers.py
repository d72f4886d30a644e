"""How much of a build runs beside the main process: the one seam for the speed machinery.

``workers`` (the plugin option, the CLI's ``--workers``) is the number of processes a build may use. With more than
one, the spare core works while MkDocs renders the site (single-threaded): the phone files are made in a forked
helper (``Background``), the Thai words of the search index are cut ahead (``search_th.CutsAhead``), and the PDFs are
rendered on a pool of ``workers`` processes (``pdf.render``). With ``workers: 1`` everything runs in this process,
in the same order, with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_PENDING: Callable[[], Any] | None = None  # what a freshly forked helper computes (inherited, never pickled)


@dataclass(frozen=True)
class Workers:
    """``count`` processes at most; 0 means one per core."""

    count: int = 0

    @property
    def processes(self) -> int:
        return self.count or os.cpu_count() or 1

    @property
    def helpers(self) -> bool:
        """Whether forked helpers may run beside this process."""
        return self.processes > 1 and "fork" in multiprocessing.get_all_start_methods()

    def helper_pool(self, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()) -> Any:
        """One forked helper process (a ``multiprocessing`` pool of one), or None where none may or can start."""
        if not self.helpers:
            return None
        try:
            return multiprocessing.get_context("fork").Pool(1, initializer=initializer, initargs=initargs)
        except (OSError, ValueError, AssertionError):  # no process to spare here, or inside a daemon process
            return None


PER_CORE = Workers()  # the default: one process per core
IN_PROCESS = Workers(1)


def _run_pending() -> Any:
    assert _PENDING is not None
    return _PENDING()


class Background(Generic[T]):
    """``compute()`` in a forked helper process, started now; ``result()`` waits for it.

    The helper inherits ``compute`` and everything it refers to by forking, so nothing but the result is pickled.
    Without helpers (``workers: 1``, one core, no ``fork``, or none could start), ``result()`` computes it here.
    An exception in the helper is raised again by ``result()``.
    """

    def __init__(self, compute: Callable[[], T], workers: Workers = PER_CORE) -> None:
        global _PENDING
        self._compute = compute
        self._pending: Any = None
        _PENDING = compute
        try:
            self._pool = workers.helper_pool()
            if self._pool is not None:
                self._pending = self._pool.apply_async(_run_pending)
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
