"""Guest records → the rows of each sheet (pure), and ``export-guests FILE`` (.xlsx or .csv)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..diagnostics import display_path, errors
from ..loader import LoadedEvent, load_event
from ..model import Event, GuestRecord
from .cells import CellValue, to_cell
from .layout import ALLERGIES, GUESTS, PEOPLE, SCHEDULE, Column, headers
from .workbook import header_rows, write_csv, write_xlsx


def _value(record: BaseModel | None, path: tuple[str, ...]) -> Any:
    value: Any = record
    for part in path:
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _row(columns: list[Column], item: BaseModel, leading: list[CellValue], text_only: bool) -> list[CellValue]:
    skip = len(leading)
    return [*leading, *(to_cell(c, _value(item, c.path), text_only=text_only) for c in columns[skip:])]


def guest_tables(records: list[GuestRecord], *, text_only: bool = False) -> dict[str, list[list[CellValue]]]:
    """Headers, then the rows of every guest in id order (``text_only``: date-times as text, for CSV)."""
    tables = {sheet.name: header_rows(sheet) for sheet in (GUESTS, SCHEDULE, PEOPLE, ALLERGIES)}
    for record in sorted(records, key=lambda r: r.id):
        g = record.guest
        tables[GUESTS.name].append(_row(headers(GUESTS), g, [record.id], text_only))
        for item in g.schedule:
            tables[SCHEDULE.name].append(_row(headers(SCHEDULE), item, [record.id], text_only))
        people = ([("spouse", g.spouse)] if g.spouse else []) + [("entourage", p) for p in g.entourage]
        for kind, person in people:
            tables[PEOPLE.name].append(_row(headers(PEOPLE), person, [record.id, kind], text_only))
        for allergy in g.health.allergies:
            tables[ALLERGIES.name].append(_row(headers(ALLERGIES), allergy, [record.id], text_only))
    return tables


def event_codes(event: Event | None) -> dict[str, list[str]]:
    """The event's own ids for the drop-downs: hotels, hospitals, venues, programme items, contacts."""
    if event is None:
        return {}
    return {
        "hotel": [h.id for h in event.hotels],
        "hospital": [h.id for h in event.hospitals],
        "venue": [v.id for v in event.venues],
        "programme": [p.id for p in event.programme],
        "contact": [c.id for c in event.contacts],
        "lo": [lo.id for lo in event.los],
    }


def write_guests(loaded: LoadedEvent, target: Path) -> list[Path]:
    if target.suffix.lower() == ".csv":
        return write_csv(target, guest_tables(loaded.guests, text_only=True))
    write_xlsx(target, guest_tables(loaded.guests), event_codes(loaded.event))
    return [target]


def export_guests(root: Path, guests_dir: Path, target: Path) -> int:
    """``export-guests FILE``: every guest of ``guests_dir`` into FILE (.xlsx, or .csv and its sibling sheets)."""
    if target.suffix.lower() not in (".xlsx", ".csv"):
        print(f"{target}: expected a file name ending in .xlsx or .csv", file=sys.stderr)
        return 1
    loaded, problems = load_event(guests_dir, root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if loaded is None or errors(problems):
        print(f"{len(errors(problems))} error(s): nothing was written.", file=sys.stderr)
        return 1
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        written = write_guests(loaded, target)
    except OSError as exc:
        print(f"{exc.filename or target}: cannot write the file: {exc.strerror}", file=sys.stderr)
        return 1
    names = ", ".join(display_path(p, root) for p in written)
    print(f"Wrote {len(loaded.guests)} guest(s) to {names}.", file=sys.stderr)
    return 0
