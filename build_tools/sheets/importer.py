"""The rows of a guest workbook → validated guest records, or every problem at once, each naming its cell.

``guests.xlsx:Guests!C12: arrival.time: expected a date-time like 2027-03-02 14:30, got "next tuesday"``. Cells are
read by their column key (row 2), so columns may be moved; empty rows are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..diagnostics import format_field
from ..loader import _clean_loc, _expected
from ..model import Guest
from .cells import Bad, CellValue, from_cell, shown
from .layout import ALLERGIES, GUESTS, PEOPLE, SCHEDULE, SHEETS, Column, Sheet, headers
from .workbook import HEADER_ROWS, Tables

Loc = tuple[str | int, ...]
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, order=True)
class CellProblem:
    """One problem in one cell of the spreadsheet."""

    order: tuple[int, int, int]  # sheet, row, column: problems are listed as the sheet reads
    where: str = field(compare=False)  # guests.xlsx:Guests!C12
    path: str = field(compare=False)  # the field path, e.g. arrival.time or schedule[2].start
    message: str = field(compare=False)

    def __str__(self) -> str:
        return f"{self.where}: {self.path}: {self.message}" if self.path else f"{self.where}: {self.message}"


@dataclass
class _Guest:
    """One guest's plain data being gathered from the sheets, with the cell of each value."""

    data: dict[str, Any]
    cells: dict[Loc, tuple[str, tuple[int, int, int]]]  # loc → (where, order)
    bad: set[Loc] = field(default_factory=set)


def _put(data: dict[str, Any], path: Loc, value: Any) -> None:
    """Set ``value`` at ``path``, creating the records on the way (list items exist already)."""
    node: Any = data
    for part in path[:-1]:
        node = node[part] if isinstance(part, int) else node.setdefault(part, {})
    node[path[-1]] = value


class _Reader:
    def __init__(self, tables: Tables):
        self.tables = tables
        self.problems: list[CellProblem] = []
        self.guests: dict[str, _Guest] = {}

    def problem(self, sheet: Sheet, row: int, column: int, field_name: str, message: str) -> None:
        order = (SHEETS.index(sheet), row, column)
        self.problems.append(CellProblem(order, self.tables.where(sheet.name, row, column), field_name, message))

    def columns(self, sheet: Sheet, rows: list[list[CellValue]]) -> dict[int, Column] | None:
        """Column index (1-based) → column, read from the keys in row 2; unknown keys are problems."""
        known = {c.key: c for c in headers(sheet)}
        if len(rows) < HEADER_ROWS:
            self.problem(sheet, 1, 1, "", f"expected the two header rows of the template, got {len(rows)} row(s)")
            return None
        found: dict[int, Column] = {}
        for index, key in enumerate(rows[HEADER_ROWS - 1], start=1):
            if key is None or str(key).strip() == "":
                continue
            column = known.get(str(key).strip())
            if column is None:
                self.problem(sheet, HEADER_ROWS, index, "", f"expected a column key of the template ({', '.join(known)}), got {shown(key)}")
            elif column in found.values():
                self.problem(sheet, HEADER_ROWS, index, "", f"expected each column once, got {column.key} again")
            else:
                found[index] = column
        first = headers(sheet)[0]
        if first not in found.values():
            self.problem(sheet, HEADER_ROWS, 1, "", f"expected a column {first.key} (the guest id), got none")
            return None
        return found

    def rows(self, sheet: Sheet) -> list[tuple[int, dict[Column, tuple[int, CellValue]]]]:
        """The sheet's records: row number and, per column, (column index, raw value); empty rows skipped."""
        table = self.tables.rows.get(sheet.name)
        if table is None:
            return []
        columns = self.columns(sheet, table)
        if columns is None:
            return []
        out = []
        for number, row in enumerate(table[HEADER_ROWS:], start=HEADER_ROWS + 1):
            values = {column: (index, row[index - 1] if index - 1 < len(row) else None) for index, column in columns.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for _, v in values.values()):
                continue
            out.append((number, values))
        return out

    def fill(self, sheet: Sheet, number: int, values: dict[Column, tuple[int, CellValue]], guest: _Guest, base: Loc) -> None:
        """Read each field cell of one row into ``guest`` below ``base`` (e.g. ("schedule", 2))."""
        skip = {headers(sheet)[0].key, "as"}
        if base:
            first = values[headers(sheet)[0]][0]
            guest.cells.setdefault(base, (self.tables.where(sheet.name, number, first), (SHEETS.index(sheet), number, first)))
        for column, (index, raw) in values.items():
            if column.key in skip:
                continue
            loc = (*base, *column.path)
            order = (SHEETS.index(sheet), number, index)
            guest.cells[loc] = (self.tables.where(sheet.name, number, index), order)
            value = from_cell(column, raw)
            if isinstance(value, Bad):
                guest.bad.add(loc)
                self.problem(sheet, number, index, format_field(loc), value.message)
            elif value is not None:
                _put(guest.data, loc, value)

    def read_guests(self) -> None:
        for number, values in self.rows(GUESTS):
            index, raw = values[GUESTS.columns[0]]
            guest_id = str(raw or "").strip()
            if not _ID.match(guest_id):
                self.problem(GUESTS, number, index, "id", f"expected an id of lower-case letters, digits and hyphens like jp-tanaka, got {shown(raw)}")
                continue
            if guest_id in self.guests:
                self.problem(GUESTS, number, index, "id", f'expected each guest once, got "{guest_id}" again')
                continue
            guest = _Guest({"schedule": [], "entourage": []}, {(): (self.tables.where(GUESTS.name, number, index), (0, number, index))})
            self.guests[guest_id] = guest
            self.fill(GUESTS, number, values, guest, ())

    def owner(self, sheet: Sheet, number: int, values: dict[Column, tuple[int, CellValue]]) -> tuple[str, _Guest] | None:
        index, raw = values[headers(sheet)[0]]
        guest_id = str(raw or "").strip()
        if guest_id not in self.guests:
            self.problem(sheet, number, index, "guest", f"expected the id of a guest on the {GUESTS.name} sheet, got {shown(raw or '')}")
            return None
        return guest_id, self.guests[guest_id]

    def kind(self, sheet: Sheet, number: int, values: dict[Column, tuple[int, CellValue]], default: str | None) -> str | None:
        index, raw = values.get(headers(sheet)[1], (2, None))
        kind = str(raw).strip() if raw is not None and str(raw).strip() else default
        if kind not in sheet.kinds:
            self.problem(sheet, number, index, "as", f"expected one of {', '.join(sheet.kinds)}, got {shown(raw or '')}")
            return None
        return kind

    def read_lists(self) -> None:
        for number, values in self.rows(SCHEDULE):
            if (found := self.owner(SCHEDULE, number, values)) is not None:
                guest = found[1]
                guest.data["schedule"].append({})
                self.fill(SCHEDULE, number, values, guest, ("schedule", len(guest.data["schedule"]) - 1))
        for number, values in self.rows(PEOPLE):
            if (found := self.owner(PEOPLE, number, values)) is None:
                continue
            guest = found[1]
            if (kind := self.kind(PEOPLE, number, values, "entourage")) == "spouse":
                if "spouse" in guest.data:
                    self.problem(PEOPLE, number, values[headers(PEOPLE)[1]][0], "as", "expected one spouse per guest, got a second")
                    continue
                guest.data["spouse"] = {}
                self.fill(PEOPLE, number, values, guest, ("spouse",))
            elif kind == "entourage":
                guest.data["entourage"].append({})
                self.fill(PEOPLE, number, values, guest, ("entourage", len(guest.data["entourage"]) - 1))
        for number, values in self.rows(ALLERGIES):
            if (found := self.owner(ALLERGIES, number, values)) is not None:
                guest = found[1]
                allergies = guest.data.setdefault("health", {}).setdefault("allergies", [])
                allergies.append({})
                self.fill(ALLERGIES, number, values, guest, ("health", "allergies", len(allergies) - 1))

    def validate(self) -> dict[str, Guest]:
        out: dict[str, Guest] = {}
        for guest_id, guest in self.guests.items():
            try:
                out[guest_id] = Guest.model_validate(guest.data)
            except ValidationError as exc:
                for error in exc.errors(include_url=False):
                    loc = _clean_loc(error["loc"], guest.data)
                    if any(loc[: len(bad)] == bad for bad in guest.bad):
                        continue  # the cell's own problem is reported already
                    where, order = self.cell_of(guest, loc)
                    self.problems.append(CellProblem(order, where, format_field(loc), _expected(error, Guest)))
        return out

    @staticmethod
    def cell_of(guest: _Guest, loc: Loc) -> tuple[str, tuple[int, int, int]]:
        """The cell of ``loc``, else the first cell of a field inside it, else of the nearest enclosing record."""
        if loc in guest.cells:
            return guest.cells[loc]
        inside = [cell for known, cell in guest.cells.items() if known[: len(loc)] == loc and known]
        if inside:
            return min(inside, key=lambda c: c[1])
        for end in range(len(loc) - 1, -1, -1):
            if loc[:end] in guest.cells:
                return guest.cells[loc[:end]]
        return guest.cells[()]


def read_guests(tables: Tables) -> tuple[dict[str, Guest], list[CellProblem]]:
    """Every guest of the workbook, validated, by id; the problems sorted as the sheets read."""
    reader = _Reader(tables)
    reader.read_guests()
    reader.read_lists()
    guests = reader.validate()
    return guests, sorted(reader.problems)
