"""What changed since the last published version: a stored snapshot of the data, compared with the current data.

``published/snapshot.json`` holds the event and every guest as plain data (the full records, like the YAML they came
from), with a version number and a date. A build never compares raw data: the snapshot is validated back into
records, redacted with the build's profile exactly like the current data, and both sides are reduced to the same
plain digest (schedule, flights, hotel, contacts) before comparing. So a training build can only report what its
own pages already show, and never a sensitive value from either side.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import thaidate
from ..compose.guest import GuestView, guest_view
from ..compose.markdown import escape_text, render
from ..compose.pages import STATUS_LABELS
from ..loader import LoadedEvent
from ..model import Event, Guest, GuestRecord
from ..profiles import Profile, redact_event
from .calendar import plain_status
from .contacts import all_contacts
from .items import keyed_items

SNAPSHOT = Path("published") / "snapshot.json"
FORMAT = 1
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


# --- the snapshot file ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    version: int
    date: str  # YYYY-MM-DD, Bangkok
    data: dict[str, Any]  # {"event": …, "guests": {id: …}}


class SnapshotError(Exception):
    pass


def read_snapshot(root: Path) -> Snapshot | None:
    path = root / SNAPSHOT
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Snapshot(int(raw["version"]), str(raw["date"]), {"event": raw["event"], "guests": dict(raw["guests"])})
    except (ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(f"{SNAPSHOT}: expected the JSON written by `lo-briefing publish`, got unreadable data ({exc}); "
                            "publish again to replace it") from None


def snapshot_json(loaded: LoadedEvent, version: int, date: str) -> str:
    """The full (unredacted) data as plain JSON, stable key order, so the file diffs well in git."""
    data = {
        "format": FORMAT,
        "version": version,
        "date": date,
        "event": loaded.event.model_dump(mode="json"),
        "guests": {record.id: record.guest.model_dump(mode="json") for record in sorted(loaded.guests, key=lambda r: r.id)},
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def today() -> str:
    """Today in Bangkok, or the day of ``SOURCE_DATE_EPOCH`` when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.astimezone(thaidate.BANGKOK).date().isoformat()


def write_snapshot(root: Path, loaded: LoadedEvent, previous: Snapshot | None, date: str | None = None) -> Snapshot:
    """Record ``loaded`` (which must be the full, unredacted data) as the next published version."""
    version = (previous.version if previous else 0) + 1
    date = date or today()
    path = root / SNAPSHOT
    path.parent.mkdir(parents=True, exist_ok=True)
    text = snapshot_json(loaded, version, date)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return read_snapshot(root)  # type: ignore[return-value]


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
            "status": plain_status(STATUS_LABELS[k.item.status]),
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
    contacts = {"lo": {"label": "LO", "name": g.lo.name, "phone": g.lo.phone}}
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

    @property
    def changed(self) -> bool:
        return any(g.state != "same" for g in self.guests)


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


def compare(root: Path, views: list[GuestView], profile: Profile) -> Comparison:
    """Each current guest (views already redacted for ``profile``) against the published snapshot."""
    try:
        snapshot = read_snapshot(root)
    except SnapshotError as exc:
        return Comparison(None, [], str(exc))
    if snapshot is None:
        return Comparison(None, [])
    try:
        old_views, broken = _snapshot_views(snapshot, profile)
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
            changes = diff(digest(old_views[view.id]), digest(view))
            guests.append(GuestChanges(view.id, view.display_name, "changed" if changes else "same", changes))
    current = {v.id for v in views}
    for guest_id, old in sorted(old_views.items()):
        if guest_id not in current:
            guests.append(GuestChanges(guest_id, old.display_name, "removed"))
    return Comparison(Snapshot(snapshot.version, snapshot.date, {}), guests)  # the raw data stays here


# --- Markdown -----------------------------------------------------------------------------------------------------


def admonition(comparison: Comparison, guest_id: str) -> str:
    """The block at the top of the guest page (and so of the guest handbook); empty when nothing changed."""
    found = comparison.for_guest(guest_id)
    if comparison.snapshot is None or found is None or found.state == "same":
        return ""
    n = comparison.snapshot.version
    if found.state == "new":
        return (f'!!! warning "แขกใหม่หลังฉบับที่ {n} (New since version {n})"\n'
                f"    ยังไม่มีแขกท่านนี้ในฉบับที่เผยแพร่ครั้งล่าสุด ({escape_text(comparison.snapshot.date)}) — not in the last published version.\n\n")
    if found.state == "unknown":
        return (f'!!! warning "เปลี่ยนแปลงตั้งแต่ฉบับที่ {n} (Changed since version {n})"\n'
                "    เทียบกับฉบับที่เผยแพร่ไม่ได้ (the published data no longer matches the schema): ตรวจทุกรายการ\n\n")
    lines = [f'!!! warning "เปลี่ยนแปลงตั้งแต่ฉบับที่ {n} (Changed since version {n})"',
             f"    เทียบกับฉบับที่ {n} ที่เผยแพร่เมื่อ {escape_text(comparison.snapshot.date)} (compared with version {n}):", ""]
    for label, changes in found.by_section():
        lines.append(f"    - **{escape_text(label)}**")
        lines += [f"        - {escape_text(c.text)}" for c in changes]
    return "\n".join(lines) + "\n\n"


def with_admonition(markdown: str, block: str) -> str:
    """``markdown`` with ``block`` right after its first-level title."""
    if not block:
        return markdown
    head, sep, rest = markdown.partition("\n")
    if head.startswith("# "):
        return f"{head}\n\n{block}{rest.lstrip(chr(10))}"
    return block + markdown


def changes_page(comparison: Comparison, event: Event) -> str:
    return render("changes.md.j2", comparison=comparison, event=event, sections=SECTIONS)
