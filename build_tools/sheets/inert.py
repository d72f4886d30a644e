"""Spreadsheet cells from guest data are text: a value starting with "=" must not become a live formula."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is slow to import (numpy too, where installed): imported only where a workbook is made
    from openpyxl.worksheet.worksheet import Worksheet


def inert(sheet: Worksheet) -> None:
    """Every text cell that openpyxl took for a formula (a value starting with "=") made plain text again."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
