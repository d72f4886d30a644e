"""Helper processes die with the build: a build killed midway leaves no worker rendering on for minutes.

Every process the build forks (the PDF workers, the search and download helpers) asks Linux to send it SIGKILL when
its parent dies (``prctl(PR_SET_PDEATHSIG)``). Without it, a worker of a killed build keeps its document going
and writes into the cache long after the build is gone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

PR_SET_PDEATHSIG = 1
_installed = False
_parent = 0


def _before_fork() -> None:
    global _parent
    _parent = os.getpid()


def _in_child() -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: nothing to ask for
        return
    if os.getppid() != _parent:  # the parent died before the request took effect
        os._exit(1)


def die_with_the_build() -> None:
    """From now on, every process forked by this one is killed when its parent dies (idempotent)."""
    global _installed
    if not _installed:
        os.register_at_fork(before=_before_fork, after_in_child=_in_child)
        _installed = True
