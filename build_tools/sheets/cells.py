"""One cell's value, both ways: a model value written into a cell, and a cell read back into a plain value.

A cell read back is either the plain value the model validates (text, an aware date-time, a date, a list) or a
message saying what was expected, in the words of the loader's messages.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Any

import pycountry

from .. import phones, thaidate
from .layout import Column

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | None
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
_CODES_SPLIT = re.compile(r"[,;\n]")
_INTERNATIONAL = re.compile(r"^\+[1-9][0-9 ]*[0-9]$")
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")


@dataclass(frozen=True)
class Bad:
    """A cell that cannot be read: what was expected, and what was there."""

    message: str


def shown(value: CellValue) -> str:
    text = str(value).replace("\n", "\\n")
    return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'


# --- writing ---------------------------------------------------------------------------------------------------


def to_cell(column: Column, value: Any, *, text_only: bool = False) -> CellValue:
    """The cell for a model value: date-times and dates as real dates (Bangkok time) or, for CSV, as text."""
    if value is None or value == []:
        return None
    if isinstance(value, enum.Enum):
        value = value.value
    if column.kind == "datetime":
        local = thaidate.local(value)
        if text_only:
            return f"{local:%Y-%m-%d %H:%M}" + (f":{local:%S}" if local.second else "")
        return local.replace(tzinfo=None)
    if column.kind == "date":
        return value.isoformat() if text_only else value
    if column.kind in ("codes", "lines"):
        items = [item.value if isinstance(item, enum.Enum) else str(item) for item in value]
        return (", " if column.kind == "codes" else "\n").join(items)
    return str(value)


# --- reading ---------------------------------------------------------------------------------------------------


def _text(value: CellValue) -> str:
    """A number typed into a text cell (a room 1204) is its digits."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value).strip()


def _datetime(value: CellValue) -> dt.datetime | Bad:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        text = _text(value)
        try:
            moment = dt.datetime.fromisoformat(text.replace("T", " ", 1) if "T" in text else text)
        except ValueError:
            return Bad(f"expected a date-time like 2027-03-02 14:30, got {shown(value)}")
        if len(text) <= 10:  # a date alone: the time is what matters here
            return Bad(f"expected a date-time like 2027-03-02 14:30, got {shown(value)} (no time)")
    return moment if moment.tzinfo else moment.replace(tzinfo=thaidate.BANGKOK)


def _date(value: CellValue) -> dt.date | Bad:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            return Bad(f"expected a date like 2027-03-02, got {shown(value)}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_text(value))
    except ValueError:
        return Bad(f"expected a date like 2027-03-02, got {shown(value)}")


def _clock(value: CellValue) -> str | Bad:
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, dt.datetime):
        return f"{value:%H:%M}"
    if isinstance(value, float) and 0 <= value < 1:  # a time typed into a general cell: a fraction of a day
        minutes = round(value * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    match = _CLOCK.match(_text(value))
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return f"{int(match[1]):02d}:{match[2]}"
    return Bad(f"expected a time like 14:30, got {shown(value)}")


def _phone(value: CellValue) -> str | Bad:
    text = _text(value)
    if _INTERNATIONAL.match(text):  # already as the checks want it: kept as typed
        return text
    number = phones.normalised(text)
    if number is None:
        return Bad(f"expected a phone number like +66 81 234 5678, got {shown(value)}")
    return number


def from_cell(column: Column, value: CellValue) -> Any:
    """The plain value for the model, ``None`` for an empty cell, or :class:`Bad`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if column.kind == "datetime":
        return _datetime(value)
    if column.kind == "date":
        return _date(value)
    if column.kind == "clock":
        return _clock(value)
    if column.kind == "phone":
        return _phone(value)
    if column.kind == "codes":
        return [item.strip() for item in _CODES_SPLIT.split(_text(value)) if item.strip()]
    if column.kind == "lines":
        return [line.strip() for line in _text(value).splitlines() if line.strip()]
    if column.kind == "code" and column.choices == ("country",):
        code = _text(value).upper()
        if pycountry.countries.get(alpha_2=code) is None:
            return Bad(f"expected an ISO 3166 country code like JP or NO (the Codes sheet lists them), got {shown(value)}")
        return code
    return _text(value)
