"""What changed since the last published version (``snapshot``): the current data compared with it.

A build never compares raw data: the snapshot is validated back into
records, redacted with the build's profile exactly like the current data, and both sides are reduced to the same
plain digest (schedule, flights, hotel, contacts) before comparing. So a training build can only report what its
own pages already show, and never a sensitive value from either side.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .. import thaidate
from ..compose.guest import GuestView, guest_view
from ..compose.pages import STATUS_LABELS
from ..loader import LoadedEvent
from ..memo import Memo, file_bytes, remember
from ..model import Event, Guest, GuestRecord
from ..profiles import Profile, redact_event
from .contacts import all_contacts
from .items import keyed_items
from .snapshot import SNAPSHOT, Snapshot, SnapshotError, read_snapshot

SECTIONS = {
    "schedule": "กำหนดการ (Schedule)",
    "flights": "เที่ยวบิน (Flights)",
    "hotel": "ที่พัก (Hotel)",
    "contacts": "ผู้ติดต่อ (Contacts)",
}
FIELDS = {
    "title": "ชื่อรายการ (title)",
    "time": "เวลา (time)",
    "place": "สถานที่ (venue)",
    "dress": "การแต่งกาย (dress)",
    "role": "บทบาท (role)",
    "status": "สถานะ (status)",
    "car_departs": "เวลารถออก (car departs)",
    "flight": "เที่ยวบิน (flight)",
    "airport": "สนามบินต้นทาง/ปลายทาง (airport)",
    "terminal": "อาคาร (terminal)",
    "lounge": "ห้องรับรอง (lounge)",
    "baggage": "สัมภาระ (baggage)",
    "hotel": "โรงแรม (hotel)",
    "room": "ห้อง (room)",
    "room_type": "ประเภทห้อง (room type)",
    "check_in": "เช็คอิน (check-in)",
    "check_out": "เช็คเอาท์ (check-out)",
    "name": "ชื่อ (name)",
    "phone": "โทร (phone)",
}
NONE = "—"

Digest = dict[str, dict[str, dict[str, str]]]  # section → entry key → {"label": …, field: shown value}


# --- digests ----------------------------------------------------------------------------------------------------


def _span(start: dt.datetime, end: dt.datetime) -> str:
    a, b = thaidate.local(start), thaidate.local(end)
    if a.date() == b.date():
        return f"{thaidate.short_date(a.date())} {a:%H:%M}–{b:%H:%M} น."
    return f"{thaidate.date_time(a)} – {thaidate.date_time(b)}"


def digest(view: GuestView) -> Digest:
    """What the LO must hear about when it changes, as the shown strings."""
    g = view.guest
    schedule = {
        k.key: {
            "label": f"{k.item.title.th} ({k.item.title.en})",
            "title": f"{k.item.title.th} ({k.item.title.en})",
            "time": _span(k.item.start, k.item.end),
            "place": k.item.place,
            "dress": k.item.dress or NONE,
            "role": k.item.role or NONE,
            "status": STATUS_LABELS[k.item.status].text,
            "car_departs": k.item.car_departs or NONE,
        }
        for k in keyed_items(view.record, view.event)
    }
    flights = {
        key: {
            "label": label,
            "flight": f.flight,
            "airport": f.airport,
            "time": thaidate.date_time(f.time),
            "terminal": f.terminal or NONE,
            "lounge": f.lounge or NONE,
            "baggage": f.baggage or NONE,
        }
        for key, label, f in (("arrival", "ขาเข้า (Arrival)", g.arrival), ("departure", "ขาออก (Departure)", g.departure))
    }
    hotel = {
        "stay": {
            "label": "ที่พัก (Stay)",
            "hotel": f"{view.hotel.name.th} ({view.hotel.name.en})" if view.hotel else g.stay.hotel,
            "room": g.stay.room,
            "room_type": g.stay.room_type or NONE,
            "check_in": thaidate.short_date(g.stay.check_in),
            "check_out": thaidate.short_date(g.stay.check_out),
        }
    }
    contacts = {"lo": {"label": "LO", "name": view.lo.name, "phone": view.lo.phone}}
    for person in all_contacts(view):
        contacts[person.key] = {"label": person.role, "name": person.name, "phone": person.phone or NONE}
    return {"schedule": schedule, "flights": flights, "hotel": hotel, "contacts": contacts}


# --- comparison -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    section: str  # a key of SECTIONS
    kind: str  # added, removed, moved, status, changed
    text: str  # plain text; escaped where it is rendered


@dataclass
class GuestChanges:
    id: str
    name: str
    state: str  # same, changed, new, removed, unknown
    changes: list[Change] = field(default_factory=list)

    def by_section(self) -> list[tuple[str, list[Change]]]:
        return [(label, [c for c in self.changes if c.section == key]) for key, label in SECTIONS.items()
                if any(c.section == key for c in self.changes)]


@dataclass
class Comparison:
    snapshot: Snapshot | None
    guests: list[GuestChanges]
    problem: str | None = None  # why nothing could be compared

    def for_guest(self, guest_id: str) -> GuestChanges | None:
        return next((g for g in self.guests if g.id == guest_id), None)


def _entry_changes(section: str, old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[Change]:
    changes: list[Change] = []
    for key, entry in new.items():
        if key not in old:
            detail = ", ".join(v for f, v in entry.items() if f in ("time", "place", "name", "phone", "flight") and v != NONE)
            changes.append(Change(section, "added", f"เพิ่ม (added): {entry['label']}" + (f" — {detail}" if detail else "")))
            continue
        before = old[key]
        for name, value in entry.items():
            if name == "label" or before.get(name, NONE) == value:
                continue
            was = before.get(name, NONE)
            if section == "schedule" and name == "time":
                changes.append(Change(section, "moved", f"เลื่อนเวลา (moved): {entry['label']}: {was} → {value}"))
            elif name == "status":
                changes.append(Change(section, "status", f"เปลี่ยนสถานะ (status): {entry['label']}: {was} → {value}"))
            else:
                changes.append(Change(section, "changed", f"แก้ไข (changed) {FIELDS.get(name, name)}: {entry['label']}: {was} → {value}"))
    for key, entry in old.items():
        if key not in new:
            detail = entry.get("time") or entry.get("name") or ""
            changes.append(Change(section, "removed", f"นำออก (removed): {entry['label']}" + (f" — {detail}" if detail else "")))
    return changes


def diff(old: Digest, new: Digest) -> list[Change]:
    return [change for section in SECTIONS for change in _entry_changes(section, old.get(section, {}), new.get(section, {}))]


def _snapshot_views(snapshot: Snapshot, profile: Profile) -> tuple[dict[str, GuestView], dict[str, str]]:
    """The snapshot's guests as views redacted for ``profile``; guests that no longer validate are named in the second map."""
    event = Event.model_validate(snapshot.data["event"])
    records, broken = [], {}
    for guest_id, data in sorted(snapshot.data["guests"].items()):
        try:
            records.append(GuestRecord(guest_id, Guest.model_validate(data), str(SNAPSHOT)))
        except ValidationError as exc:
            broken[guest_id] = f"{exc.error_count()} field(s) no longer match the schema"
    loaded = redact_event(LoadedEvent(event=event, guests=records), profile)
    return {r.id: guest_view(r, loaded.event, {}, []) for r in loaded.guests}, broken


def compare(root: Path, views: list[GuestView], profile: Profile, memo: Memo | None = None) -> Comparison:
    """Each current guest (views already redacted for ``profile``) against the published snapshot. With a ``memo``
    (serve), the snapshot is read again only when its file changed, and an unchanged guest is not compared again."""
    try:
        key = (str(root / SNAPSHOT), file_bytes(root / SNAPSHOT)) if memo is not None else ()
        snapshot = remember(memo, "snapshot", key, lambda: read_snapshot(root))
    except SnapshotError as exc:
        return Comparison(None, [], str(exc))
    if snapshot is None:
        return Comparison(None, [])
    try:
        old_views, broken = remember(memo, "snapshot views", (snapshot, profile.value), lambda: _snapshot_views(snapshot, profile))
    except ValidationError as exc:
        problem = f"{SNAPSHOT}: the published event data no longer matches the schema ({exc.error_count()} field(s)); publish again"
        return Comparison(snapshot, [], problem)
    guests: list[GuestChanges] = []
    for view in views:
        if view.id in broken:
            guests.append(GuestChanges(view.id, view.display_name, "unknown"))
        elif view.id not in old_views:
            guests.append(GuestChanges(view.id, view.display_name, "new"))
        else:
            old = old_views[view.id]
            changes = remember(memo, "changes", (old, view), lambda old=old, view=view: diff(digest(old), digest(view)))  # type: ignore[misc]
            guests.append(GuestChanges(view.id, view.display_name, "changed" if changes else "same", changes))
    current = {v.id for v in views}
    for guest_id, old in sorted(old_views.items()):
        if guest_id not in current:
            guests.append(GuestChanges(guest_id, old.display_name, "removed"))
    return Comparison(Snapshot(snapshot.version, snapshot.date, {}), guests)  # the raw data stays here


