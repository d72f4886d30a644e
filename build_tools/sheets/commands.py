"""``import-guests FILE [--dry-run]``: the workbook's guests into guests/, all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

from ..diagnostics import display_path
from .importer import read_guests
from .workbook import read_tables
from .yamlwrite import plan, write


def import_guests(root: Path, guests_dir: Path, source: Path, dry_run: bool = False) -> int:
    """Read every cell, validate every guest, plan every file; write only when nothing anywhere is wrong."""
    shown = display_path(source, root) if source.is_absolute() else source.as_posix()
    tables = read_tables(source, source.name)
    if isinstance(tables, str):
        print(tables, file=sys.stderr)
        return 1
    guests, problems = read_guests(tables)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} error(s) in {source.name}: nothing was written.", file=sys.stderr)
        return 1
    changes, blockers = plan(guests, guests_dir, root, source.name)
    for blocker in blockers:
        print(blocker, file=sys.stderr)
    if blockers:
        print(f"{len(blockers)} error(s): nothing was written.", file=sys.stderr)
        return 1
    verb = "would" if dry_run else "will"
    for change in changes:
        name = display_path(change.path, root)
        if change.state == "new":
            print(f"{name}: new guest file", file=sys.stderr)
        elif change.state == "changed":
            print(f"{name}: changed {', '.join(change.fields)}", file=sys.stderr)
    untouched = sorted(p.stem for p in guests_dir.glob("*.yml") if not p.name.startswith("_") and p.stem not in guests)
    if untouched:
        print(f"Not in the sheet, left as they are: {', '.join(untouched)}", file=sys.stderr)
    counts = {state: sum(1 for c in changes if c.state == state) for state in ("new", "changed", "same")}
    summary = f"{counts['new']} new, {counts['changed']} changed, {counts['same']} unchanged guest file(s) from {shown}"
    if dry_run:
        print(f"Dry run: {summary}; nothing was written ({verb} write on a run without --dry-run).", file=sys.stderr)
        return 0
    try:
        write(changes)
    except OSError as exc:
        print(f"{exc.filename or guests_dir}: cannot write the guest file: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"Imported {summary}. Run `make check` to check them against the event and each other.", file=sys.stderr)
    return 0
