"""The output folder of a build: one build at a time, a private staging folder, and a swap that survives a kill.

- A lock (``fcntl.flock`` on the folder that holds the site: no lock file left behind) lets one build there run at a
  time; a second build waits for it instead of deleting its staging folder. The kernel drops the lock when a build
  dies.
- The swap is two renames: ``site`` → ``.site-old-<pid>``, then the staging folder → ``site``. A build killed
  between them leaves no ``site``; the next build puts the old one back before anything else, and says so.
- Messages say what happened to the last good site, never what did not.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and build again",
    errno.EDQUOT: "the disk quota is used up; free some space and build again",
    errno.EROFS: "the folder is on a read-only disk; build into a writable folder with --site-dir",
    errno.EACCES: "you may not write there; make the folder writable or build elsewhere with --site-dir",
    errno.EPERM: "you may not write there; make the folder writable or build elsewhere with --site-dir",
}


def describe(exc: OSError, fallback: Path) -> str:
    """``site/x.html: No space left on device; the disk is full; …`` for an OSError raised while writing."""
    where = exc.filename or fallback
    advice = ADVICE.get(exc.errno or 0, "check the folder and build again")
    return f"{where}: cannot write: {exc.strerror or exc}; {advice}"


@dataclass
class Output:
    site: Path  # where the finished site goes
    staging: Path  # where this build writes it
    recovered: bool  # the last good site was put back from an interrupted swap

    @property
    def last_good(self) -> str:
        """What a failed build did to the site folder, truthfully."""
        if self.site.exists():
            restored = " (put back from a build that was interrupted while replacing it)" if self.recovered else ""
            return f"The last good site in {self.site.name}/ was left untouched{restored}."
        return f"There was no earlier site in {self.site.name}/; nothing was published."


@contextmanager
def build_lock(site: Path) -> Iterator[None]:
    """Hold the site folder's lock for the duration; wait (and say so) while another build has it."""
    folder = os.open(site.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Waiting for another build of {site.name}/ in this folder to finish…", file=sys.stderr, flush=True)
            fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)  # releases the lock


def _leftovers(site: Path, kind: str) -> list[Path]:
    return sorted(site.parent.glob(f".{site.name}-{kind}-*"), key=lambda p: p.stat().st_mtime)


def recover(site: Path) -> bool:
    """Undo what a killed build left (with the lock held): put an old site back if the swap was cut between its
    renames, then remove staging and old folders. True when the old site was put back."""
    recovered = False
    olds = _leftovers(site, "old")
    if not site.exists() and olds:
        olds.pop().rename(site)  # the most recent old site is the last good one
        recovered = True
        print(f"Put the last good site back into {site.name}/: a build was interrupted while replacing it.", file=sys.stderr)
    for leftover in [*olds, *_leftovers(site, "new")]:
        shutil.rmtree(leftover, ignore_errors=True)
    return recovered


@contextmanager
def staged(site: Path) -> Iterator[Output]:
    """Lock the site folder, recover from a killed build, and give a private staging folder (removed unless swapped)."""
    site.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(site):
        recovered = recover(site)
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-new-", dir=site.parent))
        except OSError as exc:
            exc.filename = str(site.parent)  # the folder the user chose, not the random name it could not create
            raise
        output = Output(site, staging, recovered)
        try:
            yield output
        finally:
            shutil.rmtree(output.staging, ignore_errors=True)  # already gone when it was swapped in


def last_good(output: Output | None, site: Path) -> str:
    if output is not None:
        return output.last_good
    return Output(site, site, False).last_good


def swap(staging: Path, site: Path) -> None:
    """Put the new site in place with two renames; the old one is removed only afterwards."""
    old = site.with_name(f".{site.name}-old-{os.getpid()}")
    if site.exists():
        site.rename(old)
    staging.rename(site)
    shutil.rmtree(old, ignore_errors=True)
