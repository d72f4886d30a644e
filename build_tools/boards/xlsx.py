"""A board as an .xlsx workbook: one sheet, Thai and English headers frozen, one column for the group, byte-stable."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from ..sheets.inert import inert
from .rows import Board

_FIXED = dt.datetime(2020, 1, 1)
_HEADER = PatternFill("solid", fgColor="DDEBF7")


def _stable(data: bytes) -> bytes:
    """The same workbook gives the same bytes: the zip entries' dates fixed (openpyxl stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets "modified" to the time of saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def board_xlsx(board: Board) -> bytes:
    book = Workbook()
    book.properties.creator = "LO Briefing"
    book.properties.created = book.properties.modified = _FIXED
    sheet = book.active
    sheet.title = board.en[:31]
    grouped = any(group.heading for group in board.groups)
    lead = [("กลุ่ม", "Group")] if grouped else []
    sheet.append([th for th, _ in lead] + [c.th for c in board.columns])
    sheet.append([en for _, en in lead] + [c.en for c in board.columns])
    for row in (1, 2):
        for cell in sheet[row]:
            cell.font, cell.fill = Font(bold=row == 1, italic=row == 2), _HEADER
    for group in board.groups:
        for values in group.rows:
            sheet.append(([group.heading] if grouped else []) + list(values))
    inert(sheet)
    for index in range(1, sheet.max_column + 1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = 26
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{sheet.cell(2, sheet.max_column).column_letter}{max(sheet.max_row, 2)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable(buffer.getvalue())
