"""Dates and times as a Thai LO reads them, with the English form alongside."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
_MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
_MONTHS_SHORT = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
_DAYS = ["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"]


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(BANGKOK)


def day_heading(day: dt.date) -> str:
    """``วันอังคารที่ 2 มีนาคม 2570 (Tue 2 Mar 2027)``."""
    return f"วัน{_DAYS[day.weekday()]}ที่ {day.day} {_MONTHS[day.month - 1]} {day.year + 543} ({day:%a} {day.day} {day:%b %Y})"


def short_date(day: dt.date) -> str:
    """``2 มี.ค. 2570``."""
    return f"{day.day} {_MONTHS_SHORT[day.month - 1]} {day.year + 543}"


def clock(moment: dt.datetime) -> str:
    return f"{local(moment):%H:%M}"


def date_time(moment: dt.datetime) -> str:
    """``2 มี.ค. 2570 14:30 น.`` in Bangkok time."""
    here = local(moment)
    return f"{short_date(here.date())} {here:%H:%M} น."
