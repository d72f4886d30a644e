"""build_tools.workers: work handed to the spare core comes back whole, errors included; with one worker, in-process."""

from __future__ import annotations

import gc
import os
import weakref

import pytest

from build_tools.workers import (
    FEWER_COLLECTIONS,
    IN_PROCESS,
    Background,
    Workers,
    fewer_collections,
    frozen_for_fork,
    give_back_memory,
)


def _where(value: int) -> tuple[int, int]:
    return value * 2, os.getpid()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: nothing runs in the background")
def test_the_result_is_computed_in_a_helper_process() -> None:
    big = list(range(100_000))  # inherited by the forked helper, never pickled
    job = Background(lambda: (sum(big), _where(21)))
    total, (answer, pid) = job.result()
    assert (total, answer) == (sum(big), 42)
    assert pid != os.getpid()


def test_an_error_in_the_helper_reaches_the_caller() -> None:
    def broken() -> None:
        raise ValueError("guests/x.yml is not readable")

    with pytest.raises(ValueError, match="not readable"):
        Background(broken).result()


def test_with_one_worker_it_computes_in_this_process() -> None:
    assert Background(lambda: _where(21), IN_PROCESS).result() == (42, os.getpid())
    assert not IN_PROCESS.helpers and IN_PROCESS.helper_pool() is None


def test_with_one_core_it_computes_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert Background(lambda: _where(21), Workers()).result() == (42, os.getpid())


def test_closing_before_the_result_stops_the_helper() -> None:
    job = Background(lambda: _where(1))
    job.close()
    assert job.result() == (2, os.getpid())  # nothing pending any more: computed here


def test_the_collector_settings_hold_for_the_work_only_even_when_it_fails() -> None:
    before = gc.get_threshold()
    assert before != FEWER_COLLECTIONS
    with pytest.raises(ValueError), fewer_collections():
        assert gc.get_threshold() == FEWER_COLLECTIONS
        raise ValueError("a document that fails")
    assert gc.get_threshold() == before
    with pytest.raises(ValueError), frozen_for_fork():
        assert gc.get_freeze_count() > 0
        raise ValueError("a pool that cannot start")
    assert gc.get_freeze_count() == 0  # this process collects its objects again


class _Node:
    me: _Node


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: it would freeze the test process's objects")
def test_a_worker_frees_what_a_task_left_in_cycles_and_freezes_what_is_alive() -> None:
    def task() -> tuple[bool, bool, int, int]:
        alive, garbage = _Node(), _Node()
        alive.me, garbage.me = alive, garbage  # cycles: only a collection frees the second
        gone = weakref.ref(garbage)
        del garbage
        before = gc.get_freeze_count()
        give_back_memory()
        return gone() is None, alive.me is alive, gc.get_freeze_count() - before, os.getpid()

    freed, kept, frozen, pid = Background(task).result()
    assert freed and kept and frozen > 0
    assert pid != os.getpid() and gc.get_freeze_count() == 0
