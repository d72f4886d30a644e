"""build_tools.workers: work handed to the spare core comes back whole, errors included; with one worker, in-process."""

from __future__ import annotations

import os

import pytest

from build_tools.workers import IN_PROCESS, Background, Workers


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
