"""Tables in and out of files: an .xlsx workbook (openpyxl) with headers, drop-downs and a frozen header, or CSV.

A table is the rows of one sheet: row 1 the Thai headers, row 2 the English field keys, then one row per record.
CSV holds the Guests sheet in FILE.csv and each other sheet beside it in FILE.<sheet>.csv.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import DATE_FORMAT, DATETIME_FORMAT, CellValue
from .inert import inert
from .layout import CODES_SHEET, README_SHEET, SHEETS, Column, Sheet, headers
from .stable import FIXED, stable

HEADER_ROWS = 2
VALIDATED_ROWS = 500  # drop-downs reach this far below the headers
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_KEY_FILL = PatternFill("solid", fgColor="F2F2F2")

README = [
    ["รายชื่อแขก (Guests workbook) — LO Briefing"],
    ["แถวที่ 1 คือหัวข้อภาษาไทย แถวที่ 2 คือชื่อช่องภาษาอังกฤษ (ห้ามแก้แถวที่ 2) ข้อมูลเริ่มแถวที่ 3"],
    ["Row 1: Thai headers. Row 2: the English field keys the import reads (do not change them). Data from row 3."],
    ["Guests: one row per guest (id = the file name, e.g. jp-tanaka); lo and backup_lo are LO ids from guests/_event.yml (los:, a drop-down here). Schedule, Entourage, Allergies: one row per item, with the guest id in column A."],
    ["Date-times: 2027-03-02 14:30 (Bangkok time). Dates: 2027-03-02. Times: 14:30. Phones: +66 81 234 5678."],
    ["Lists (languages, billing, conditions): one item per line in the cell. Codes (diet, menu, contacts, programme): separated by commas."],
    ["Drop-down lists come from the Codes sheet. Import: make import-guests FILE=guests.xlsx (make import-guests FILE=… DRY_RUN=1 shows what would change)."],
]


@dataclass
class Tables:
    """The rows of each sheet by sheet name, and where they came from (for messages)."""

    source: str  # the file as the user named it
    rows: dict[str, list[list[CellValue]]] = field(default_factory=dict)
    csv: bool = False

    def where(self, sheet: str, row: int, column: int) -> str:
        """``guests.xlsx:Guests!C12``, or for CSV ``guests.schedule.csv:C12`` (1-based row and column)."""
        cell = f"{get_column_letter(column)}{row}"
        if self.csv:
            return f"{csv_path(Path(self.source), sheet).name if sheet != SHEETS[0].name else Path(self.source).name}:{cell}"
        return f"{self.source}:{sheet}!{cell}"


def csv_path(base: Path, sheet: str) -> Path:
    return base if sheet == SHEETS[0].name else base.with_name(f"{base.stem}.{sheet.lower()}{base.suffix}")


def header_rows(sheet: Sheet) -> list[list[CellValue]]:
    columns = headers(sheet)
    return [[c.thai for c in columns], [c.key for c in columns]]


# --- writing ---------------------------------------------------------------------------------------------------


def _codes(codes: dict[str, list[str]]) -> dict[str, list[str]]:
    lists = {"country": sorted(c.alpha_2 for c in pycountry.countries)}
    for sheet in SHEETS:
        for column in headers(sheet):
            if column.choices and column.choices != ("country",):
                lists.setdefault(column.key.rsplit(".", 1)[-1], list(column.choices))
        if sheet.kinds:
            lists[f"as ({sheet.name})"] = list(sheet.kinds)
    return {**lists, **codes}


def _list_name(sheet: Sheet, column: Column) -> str | None:
    if column.key == "as":
        return f"as ({sheet.name})"
    if column.choices == ("country",):
        return "country"
    if column.choices:
        return column.key.rsplit(".", 1)[-1]
    return {"stay.hotel": "hotel", "health.hospital": "hospital", "venue": "venue", "programme": "programme",
            "contacts": "contact", "lo": "lo", "backup_lo": "lo"}.get(column.key)


def write_xlsx(target: Path, tables: dict[str, list[list[CellValue]]], codes: dict[str, list[str]]) -> None:
    """The workbook: README, one tab per sheet (headers styled and frozen, drop-downs for codes), and the Codes tab."""
    book = Workbook()
    readme = book.active
    readme.title = README_SHEET
    for line in README:
        readme.append(line)
    readme.append([" · ".join(f"{sheet.name} = {sheet.thai}" for sheet in SHEETS)])
    readme.column_dimensions["A"].width = 140
    lists = _codes(codes)
    code_tab = book.create_sheet(CODES_SHEET)
    ranges: dict[str, str] = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        code_tab.cell(1, index, name).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            code_tab.cell(row, index, value)
        ranges[name] = f"{CODES_SHEET}!${letter}$2:${letter}${max(len(values), 1) + 1}"
    for sheet in SHEETS:
        tab = book.create_sheet(sheet.name, index=len(book.sheetnames) - 1)
        columns = headers(sheet)
        for row in tables.get(sheet.name, header_rows(sheet)):
            tab.append(row)
        inert(tab)
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            tab.column_dimensions[letter].width = 34 if column.kind in ("lines", "text") else 18
            tab.cell(1, index).fill, tab.cell(1, index).font = _HEADER_FILL, Font(bold=True)
            tab.cell(2, index).fill, tab.cell(2, index).font = _KEY_FILL, Font(italic=True, color="555555")
            number_format = {"datetime": DATETIME_FORMAT, "date": DATE_FORMAT}.get(column.kind, "@")
            for cells in tab.iter_rows(min_row=HEADER_ROWS + 1, min_col=index, max_col=index, max_row=max(tab.max_row, HEADER_ROWS + 1)):
                for cell in cells:
                    cell.number_format = number_format
                    if column.kind == "lines":
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
            name = _list_name(sheet, column)
            if name and name in ranges:
                strict = column.kind not in ("codes", "lines")  # a list of codes in one cell cannot be checked by Excel
                # OOXML stores formulas without the leading "=" that Excel shows.
                validation = DataValidation(type="list", formula1=ranges[name], allow_blank=True,
                                            showErrorMessage=strict, errorTitle="รหัสไม่ถูกต้อง (unknown code)",
                                            error=f"เลือกจากรายการ (choose from the list): {name}")
                validation.add(f"{letter}{HEADER_ROWS + 1}:{letter}{VALIDATED_ROWS}")
                tab.add_data_validation(validation)
        tab.freeze_panes = tab.cell(HEADER_ROWS + 1, 2 if sheet is SHEETS[0] else 1)
    book.active = 1
    book.properties.creator = "LO Briefing"
    book.properties.created = book.properties.modified = FIXED
    buffer = io.BytesIO()
    book.save(buffer)
    target.write_bytes(stable(buffer.getvalue()))


def write_csv(target: Path, tables: dict[str, list[list[CellValue]]]) -> list[Path]:
    written = []
    for sheet in SHEETS:
        path = csv_path(target, sheet.name)
        with path.open("w", encoding="utf-8-sig", newline="") as handle:  # the BOM lets Excel read Thai
            csv.writer(handle).writerows(["" if v is None else v for v in row] for row in tables.get(sheet.name, header_rows(sheet)))
        written.append(path)
    return written


# --- reading ---------------------------------------------------------------------------------------------------


def read_tables(source: Path, shown: str) -> Tables | str:
    """Every sheet's rows, or one sentence saying why the file cannot be read."""
    if source.suffix.lower() == ".csv":
        tables = Tables(shown, csv=True)
        for sheet in SHEETS:
            path = csv_path(source, sheet.name)
            if not path.exists():
                if sheet is SHEETS[0]:
                    return f"{shown}: cannot read the file: it does not exist"
                continue
            try:
                with path.open(encoding="utf-8-sig", newline="") as handle:
                    tables.rows[sheet.name] = [list(row) for row in csv.reader(handle)]
            except (OSError, UnicodeDecodeError, csv.Error) as exc:
                return f"{path.name}: cannot read the file as UTF-8 CSV: {exc}"
        return tables
    tables = Tables(shown)
    try:
        book = load_workbook(source, data_only=True)
        for sheet in SHEETS:
            if sheet.name in book.sheetnames:
                tables.rows[sheet.name] = [list(row) for row in book[sheet.name].iter_rows(values_only=True)]
    except FileNotFoundError:
        return f"{shown}: cannot read the file: it does not exist"
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, OverflowError, TypeError) as exc:
        return f"{shown}: expected an .xlsx workbook (or a .csv file), got a file openpyxl cannot read ({exc})"
    if SHEETS[0].name not in tables.rows:
        return f"{shown}: expected a sheet named {SHEETS[0].name}, got {', '.join(book.sheetnames) or 'none'}"
    return tables
