"""``lo-briefing publish``: record the current data as the next published version (``published/snapshot.json``)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..diagnostics import errors
from ..profiles import Profile
from ..project import load_project
from .changes import compare
from .snapshot import SNAPSHOT, SnapshotError, read_snapshot, write_snapshot


def publish(root: Path, content_dir: Path, guests_dir: Path, date: str | None = None) -> int:
    """Check the data, say what changed since the last version, then write the new snapshot. Exit code as for a build."""
    if date is not None:
        try:
            date = dt.date.fromisoformat(date).isoformat()
        except ValueError:
            print(f"--date: expected a date as YYYY-MM-DD, got {date!r}; nothing was published.", file=sys.stderr)
            return 1
    project, diagnostics = load_project(root, content_dir, guests_dir, Profile.FULL)
    if project is None:
        for diagnostic in diagnostics:
            print(diagnostic, file=sys.stderr)
        print(f"{len(errors(diagnostics))} error(s): nothing was published.", file=sys.stderr)
        return 1
    try:
        previous = read_snapshot(root)
    except SnapshotError as exc:
        print(f"{exc}\nNothing was published; move the file aside to start again from version 1.", file=sys.stderr)
        return 1
    comparison = compare(root, project.views, Profile.FULL)
    if previous is not None:
        listed = [g for g in comparison.guests if g.state != "same"]
        print(f"Changes since version {previous.version} ({previous.date}): "
              f"{'none' if not listed else ', '.join(f'{g.id} ({g.state}, {len(g.changes)})' for g in listed)}", file=sys.stderr)
    snapshot = write_snapshot(root, project.loaded, previous, date)
    print(f"Published version {snapshot.version} ({snapshot.date}) of {len(project.views)} guest(s) to {SNAPSHOT}. "
          "Commit that file so every build compares with it.", file=sys.stderr)
    return 0
