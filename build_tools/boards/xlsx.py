"""A board as an .xlsx workbook: one sheet, Thai and English headers frozen, one column for the group, byte-stable."""

from __future__ import annotations

import io

from ..plan import OutputPlan
from ..sheets.inert import inert
from ..sheets.stable import FIXED, stable
from .rows import Board

HEADER_FILL = "DDEBF7"


def board_xlsx(board: Board) -> bytes:
    # openpyxl (and numpy, where it is installed) is imported where a workbook is made, not with the build: 0.3 s a
    # site build spent before MkDocs started, while a build makes the workbooks on the spare core (workers.Background).
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    header = PatternFill("solid", fgColor=HEADER_FILL)
    book = Workbook()
    book.properties.creator = "LO Briefing"
    book.properties.created = book.properties.modified = FIXED
    sheet = book.active
    sheet.title = board.en[:31]
    grouped = any(group.heading for group in board.groups)
    lead = [("กลุ่ม", "Group")] if grouped else []
    sheet.append([th for th, _ in lead] + [c.th for c in board.columns])
    sheet.append([en for _, en in lead] + [c.en for c in board.columns])
    for row in (1, 2):
        for cell in sheet[row]:
            cell.font, cell.fill = Font(bold=row == 1, italic=row == 2), header
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
    return stable(buffer.getvalue())


def board_sheets(plan: OutputPlan) -> list[tuple[str, bytes]]:
    """Every board's workbook of the plan, as (site path, bytes)."""
    return [(board.sheet, board_xlsx(board.board)) for board in plan.boards]
