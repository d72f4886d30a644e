"""How much of a build runs beside the main process: the one seam for the speed machinery.

``workers`` (the plugin option, the CLI's ``--workers``) is the number of processes a build may use. With more than
one, the spare core works while MkDocs renders the site (single-threaded): the phone files are made in a forked
helper (``Background``), the Thai words of the search index are cut ahead (``search_th.CutsAhead``), and the PDFs are
rendered on a pool of ``workers`` processes (``pdf.render``). With ``workers: 1`` everything runs in this process,
in the same order, with the same results.

The pools' workers are forked. ``frozen_for_fork`` and ``fewer_collections`` keep Python's cyclic garbage collector
from costing them what it did, and ``give_back_memory`` keeps a PDF worker from holding what each document left: see
there.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

# A PDF worker makes millions of small objects while WeasyPrint lays out and paints a document. With CPython's default
# thresholds the collector ran 4,600 times over the sample's documents, 30 of them full collections through every box:
# 15 % of a worker's CPU. Every 10,000 allocations instead: 8 to 10 % less CPU per document and the same bytes, a
# worker's peak 40 MB higher (measured on the sample's handbooks, cards and orientation handbook).
FEWER_COLLECTIONS = (10_000, 10, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The collector at :data:`FEWER_COLLECTIONS` for one piece of work (a PDF worker's document, the site build in the
    main process); the process's own thresholds afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def frozen_for_fork() -> Iterator[None]:
    """This process's objects frozen while a pool forks its workers (``gc.freeze``, as Python's documentation advises
    before a fork): the workers' collectors leave the inherited objects alone, so their pages stay shared with this
    process instead of being written, and copied, by every worker's full collections."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def give_back_memory() -> None:
    """What a pool's forked worker calls between two tasks, never the main process: it freezes what is alive.

    A PDF worker laid a document out in a few hundred megabytes of objects that are garbage once the PDF is written, most
    of them in reference cycles (boxes and their parents), which :data:`FEWER_COLLECTIONS` leaves for a later full
    collection: meanwhile the worker lays out the next document in new memory. Here, after each task, a full collection
    frees them, and what survives it (the shared chapters' layout ``joined.py`` keeps, fonts, caches) is frozen so that
    the next collections do not go through it again. 24 guest handbooks of a 50-guest event in one process: peak 263 MB
    instead of 380, the collector's CPU the same (5.8 and 5.9 s: the collection after each document stands in for the
    ones the thresholds would have run). glibc's ``malloc_trim`` after it lowered the resident memory between two
    documents, not the peak, and cost the sample's cold build 3-5 % of CPU (the pages given back are faulted in
    again): not called. A worker lives for one build: what it froze and later dropped (a third stamp's shared chapters,
    ``_KEEP_TAILS``) is given back when it exits.
    """
    gc.collect()
    gc.freeze()


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

    def done(self) -> bool:
        """Whether ``result()`` would return at once (a helper that never started counts as done: the work is then
        ``result()``'s own)."""
        return self._pending is None or self._pending.ready()

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
