"""The "valid as of" stamp of each document, and the calendars' DTSTAMP: both follow the published versions."""

from __future__ import annotations

import datetime as dt

from .. import thaidate
from ..store import source_date
from .changes import Comparison


def version(comparison: Comparison) -> int:
    return comparison.snapshot.version if comparison.snapshot else 0


def stamp(comparison: Comparison, as_of: str, guest_id: str | None = None) -> str:
    """The "valid as of" line of one document (a guest's, or with no ``guest_id`` the orientation handbook's).

    ``ฉบับที่ 3 — 2027-02-20``: as published, with the published date, so the document stays the same on every later
    day and its PDF comes from the cache. A guest whose data changed since then is marked amended with ``as_of``, the
    build's date; before the first publication every document is a draft of ``as_of``.
    """
    snapshot = comparison.snapshot
    if not snapshot:
        return f"ฉบับร่าง (draft) — {as_of}"
    found = comparison.for_guest(guest_id) if guest_id else None
    if found is not None and found.state != "same":
        return f"ฉบับที่ {snapshot.version} (แก้ไขหลังเผยแพร่ / amended) — {as_of}"
    return f"ฉบับที่ {snapshot.version} — {snapshot.date}"


def calendar_sequence(comparison: Comparison, guest_id: str) -> int:
    """The calendar's SEQUENCE: the published version, one more when the guest changed since."""
    found = comparison.for_guest(guest_id)
    return version(comparison) + (1 if found is not None and found.state != "same" else 0)


def calendar_moment(comparison: Comparison) -> dt.datetime:
    """DTSTAMP of the calendars: ``SOURCE_DATE_EPOCH``, else the published date, so the same input gives the same bytes."""
    if (fixed := source_date()) is not None:
        return fixed
    if comparison.snapshot:
        day = dt.date.fromisoformat(comparison.snapshot.date)
        return dt.datetime.combine(day, dt.time(), thaidate.BANGKOK)
    return dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
