"""The boards as rows: pure functions from the loaded (already profile-redacted) event to tables.

Each board is a list of groups (a day, a hotel, a function) of rows, under columns that say which sensitive kind
they carry. Values come from the event after ``profiles.redact_event``, so a field marked ``Sensitive`` in the
model is a placeholder already; a column's own ``sensitive`` kind covers what a board shows beyond single fields
(diets on the catering list are health and religion: full profile only). ``redacted`` blanks those columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from .. import thaidate
from ..compose.guest import schedule_items
from ..loader import LoadedEvent
from ..model import Event, GuestRecord, Status, Transport
from ..profiles import HIDDEN_KINDS, PLACEHOLDER, Profile

NONE = "—"


@dataclass(frozen=True)
class Column:
    th: str
    en: str
    sensitive: str | None = None  # the Sensitive kind of the values in this column, or None


@dataclass(frozen=True)
class Group:
    heading: str | None  # "2027-03-01", a hotel, a function; None for a board of one group
    rows: tuple[tuple[str, ...], ...]
    times: tuple[dt.datetime | None, ...] = ()  # each row's moment, where the board is in time order


@dataclass(frozen=True)
class Board:
    slug: str  # "arrivals": guests/boards/arrivals.md, pdf/board-arrivals.pdf, guests/boards/arrivals.xlsx
    th: str
    en: str
    columns: tuple[Column, ...]
    groups: tuple[Group, ...]

    @property
    def title(self) -> str:
        return f"{self.th} ({self.en})"

    @property
    def rows(self) -> list[tuple[str, ...]]:
        return [row for group in self.groups for row in group.rows]


def _guest_name(record: GuestRecord) -> str:
    g = record.guest
    return f"{g.name.title} {g.name.preferred} ({g.country})"


def _clock(moment: dt.datetime) -> str:
    return f"{thaidate.local(moment):%H:%M}"


def _day(moment: dt.datetime) -> dt.date:
    return thaidate.local(moment).date()


def _day_heading(day: dt.date) -> str:
    return f"{day:%Y-%m-%d} ({day:%a})"


def _police(transport: Transport) -> str:
    names = [transport.protective_police.name]
    if transport.lead_car_police is not None:
        names.append(f"รถนำ (lead car): {transport.lead_car_police.name}")
    return "; ".join(names)


def _police_phones(transport: Transport) -> str:
    phones = [transport.protective_police.phone]
    if transport.lead_car_police is not None:
        phones.append(transport.lead_car_police.phone)
    return "; ".join(phones)


# --- arrivals and departures --------------------------------------------------------------------------------------

ARRIVAL_COLUMNS = (
    Column("เวลา", "Time"), Column("ขาเข้า/ขาออก", "Movement"), Column("แขก", "Guest"), Column("เที่ยวบิน", "Flight"),
    Column("ต้นทาง/ปลายทาง", "From/to"), Column("อาคาร/จุดรับ", "Terminal"), Column("ห้องรับรอง", "Lounge"),
    Column("LO", "LO"), Column("โทร LO", "LO phone", "contact"), Column("รถ", "Car"),
    Column("ทะเบียน", "Plate", "vehicle"), Column("พนักงานขับรถ", "Driver"), Column("โทรคนขับ", "Driver phone", "contact"),
    Column("ตำรวจอารักขา", "Police escort"), Column("โทรตำรวจ", "Police phone", "contact"),
)


def arrivals(loaded: LoadedEvent) -> Board:
    """Every arrival and departure flight by date and time: who meets whom, where, with which car and escort."""
    moves = []
    for record in loaded.guests:
        g = record.guest
        for label, flight in (("ขาเข้า (arrival)", g.arrival), ("ขาออก (departure)", g.departure)):
            t = g.transport
            row = (
                f"{thaidate.local(flight.time):%Y-%m-%d %H:%M}", label, _guest_name(record), flight.flight, flight.airport,
                flight.terminal or NONE, flight.lounge or NONE, *_lo(loaded, g.lo), t.car, t.plate, t.driver.name,
                t.driver.phone, _police(t), _police_phones(t),
            )
            moves.append((flight.time, record.id, row))
    moves.sort(key=lambda m: (m[0], m[1]))
    groups = []
    for day in sorted({_day(m[0]) for m in moves}):
        todays = [m for m in moves if _day(m[0]) == day]
        groups.append(Group(_day_heading(day), tuple(m[2] for m in todays), tuple(m[0] for m in todays)))
    return Board("arrivals", "เที่ยวบินขาเข้าและขาออก", "Arrivals and departures", ARRIVAL_COLUMNS, tuple(groups))


# --- rooming list -----------------------------------------------------------------------------------------------

ROOMING_COLUMNS = (
    Column("แขก", "Guest"), Column("ห้อง", "Room", "lodging"), Column("ประเภทห้อง", "Room type"),
    Column("เข้าพัก", "Check-in"), Column("ออก", "Check-out"), Column("ผู้ติดตาม", "Party"), Column("LO", "LO"),
)


def rooming(loaded: LoadedEvent) -> Board:
    """Per hotel, each guest's room and nights, with the spouse and entourage travelling with them."""
    hotels = {h.id: h for h in loaded.event.hotels}
    groups = []
    for hotel_id in sorted({r.guest.stay.hotel for r in loaded.guests}, key=lambda h: (h not in hotels, h)):
        hotel = hotels.get(hotel_id)
        heading = f"{hotel.name.th} ({hotel.name.en})" if hotel else hotel_id
        records = sorted((r for r in loaded.guests if r.guest.stay.hotel == hotel_id),
                         key=lambda r: (r.guest.stay.check_in, r.guest.name.preferred, r.id))
        rows = []
        for record in records:
            g, stay = record.guest, record.guest.stay
            party = [f"{p.name} ({p.relation})" for p in ([g.spouse] if g.spouse else []) + list(g.entourage)]
            rows.append((_guest_name(record), stay.room, stay.room_type or NONE, f"{stay.check_in}", f"{stay.check_out}",
                         "; ".join(party) or NONE, _lo(loaded, g.lo)[0]))
        groups.append(Group(heading, tuple(rows)))
    return Board("rooming", "รายชื่อห้องพัก", "Rooming list", ROOMING_COLUMNS, tuple(groups))


# --- transport roster -------------------------------------------------------------------------------------------

TRANSPORT_COLUMNS = (
    Column("รถ", "Car"), Column("ทะเบียน", "Plate", "vehicle"), Column("พนักงานขับรถ", "Driver"),
    Column("โทรคนขับ", "Driver phone", "contact"), Column("แขก", "Guest"), Column("เวลารับ", "Pick-ups"),
)


def _pickups(record: GuestRecord, event: Event) -> list[tuple[dt.datetime, str]]:
    """When the car is needed: at landing, at each item's car departure, and to leave for the departure flight."""
    g, info = record.guest, event.event
    out = [(g.arrival.time, f"{_clock(g.arrival.time)} รับที่สนามบิน (airport pick-up) {g.arrival.flight}")]
    for item in schedule_items(record, event):
        if item.car_departs and item.status is not Status.CANCELLED:
            hours, minutes = map(int, item.car_departs.split(":"))
            moment = thaidate.local(item.start).replace(hour=hours, minute=minutes)
            out.append((moment, f"{item.car_departs} → {item.title.en}"))
    leave = g.departure.time - dt.timedelta(minutes=info.airport_checkin_minutes)  # as the checks: free by then
    out.append((leave, f"{_clock(leave)} ไปสนามบิน (to the airport) {g.departure.flight}"))
    return sorted(out, key=lambda p: p[0])


def transport(loaded: LoadedEvent) -> Board:
    """Per day, each car with its plate and driver, the guest it carries and the day's pick-up times in order."""
    by_day: dict[dt.date, list[tuple[dt.datetime, str, tuple[str, ...]]]] = {}
    for record in loaded.guests:
        t = record.guest.transport
        pickups = _pickups(record, loaded.event)
        for day in sorted({_day(moment) for moment, _ in pickups}):
            todays = [(moment, text) for moment, text in pickups if _day(moment) == day]
            row = (t.car, t.plate, t.driver.name, t.driver.phone, _guest_name(record), "; ".join(text for _, text in todays))
            by_day.setdefault(day, []).append((todays[0][0], record.id, row))
    groups = []
    for day in sorted(by_day):
        rows = sorted(by_day[day], key=lambda r: (r[0], r[1]))
        groups.append(Group(_day_heading(day), tuple(r[2] for r in rows), tuple(r[0] for r in rows)))
    return Board("transport", "ตารางรถรับส่ง", "Transport roster", TRANSPORT_COLUMNS, tuple(groups))


# --- catering ---------------------------------------------------------------------------------------------------

CATERING_COLUMNS = (
    Column("ผู้รับประทาน", "Diner"), Column("คณะ", "Delegation"), Column("อาหาร", "Diet", "medical"),
    Column("การแพ้", "Allergies", "medical"), Column("เมนูเฉพาะ", "Own plate", "medical"),  # a plate follows a diet
)


def catering(loaded: LoadedEvent) -> Board:
    """Per function with a menu (a meal of the programme), everyone attending: the guest by their schedule, the
    spouse and entourage by their own programme, with diet codes and allergies (health and religion: full only)."""
    groups = []
    meals = sorted((p for p in loaded.event.programme if p.menu and p.status is not Status.CANCELLED), key=lambda p: (p.start, p.id))
    for meal in meals:
        rows = []
        for record in sorted(loaded.guests, key=lambda r: r.id):
            g = record.guest
            entry = next((e for e in g.schedule if e.programme == meal.id and e.status is not Status.CANCELLED), None)
            if entry is not None:
                allergies = "; ".join(f"{a.allergen} ({a.severity})" if a.severity != PLACEHOLDER else a.allergen
                                      for a in g.health.allergies) or NONE
                rows.append((g.name.preferred, _guest_name(record), ", ".join(d.value for d in g.health.diet) or NONE,
                             allergies, ", ".join(t.value for t in entry.menu) or NONE))
            for person in ([g.spouse] if g.spouse else []) + list(g.entourage):
                if meal.id in person.programme:
                    rows.append((f"{person.name} ({person.relation})", _guest_name(record),
                                 ", ".join(d.value for d in person.diet) or NONE, NONE, NONE))
        heading = f"{thaidate.local(meal.start):%Y-%m-%d %H:%M} {meal.title.th} ({meal.title.en})"
        groups.append(Group(heading, tuple(rows)))
    return Board("catering", "รายการอาหารตามงานเลี้ยง", "Catering list", CATERING_COLUMNS, tuple(groups))


# --- LO roster --------------------------------------------------------------------------------------------------

LO_COLUMNS = (
    Column("LO", "LO"), Column("โทรศัพท์", "Phone", "contact"), Column("LO ของแขก", "LO of"),
    Column("LO สำรองของ", "Backup LO of"), Column("ดูแลภริยา/ผู้ติดตาม", "Spouse or entourage of"),
)


def lo_roster(loaded: LoadedEvent) -> Board:
    """Every LO of the event with the guests they escort, back up, or whose spouse or entourage they accompany."""
    rows = []
    for lo in loaded.event.los:
        escorts = [_guest_name(r) for r in sorted(loaded.guests, key=lambda r: r.id) if r.guest.lo == lo.id]
        backs_up = [_guest_name(r) for r in sorted(loaded.guests, key=lambda r: r.id) if r.guest.backup_lo == lo.id]
        party = [f"{person.name} ({_guest_name(r)})" for r in sorted(loaded.guests, key=lambda r: r.id)
                 for person in ([r.guest.spouse] if r.guest.spouse else []) + list(r.guest.entourage) if person.lo == lo.id]
        rows.append((lo.name, lo.phone, "; ".join(escorts) or NONE, "; ".join(backs_up) or NONE, "; ".join(party) or NONE))
    return Board("los", "รายชื่อ LO", "LO roster", LO_COLUMNS, (Group(None, tuple(sorted(rows))),))


def _lo(loaded: LoadedEvent, lo_id: str) -> tuple[str, str]:
    """The name and phone of the LO with ``lo_id`` (the checks make sure there is one)."""
    found = next((lo for lo in loaded.event.los if lo.id == lo_id), None)
    return (found.name, found.phone) if found else (lo_id, NONE)


# --- all boards, per profile ------------------------------------------------------------------------------------


def redacted(board: Board, profile: Profile) -> Board:
    """The board with every cell of a column whose sensitive kind the profile hides replaced by the placeholder."""
    hidden = HIDDEN_KINDS[profile]
    blank = [column.sensitive in hidden for column in board.columns]
    if not any(blank):
        return board
    groups = tuple(
        replace(group, rows=tuple(tuple(PLACEHOLDER if b and v != NONE else v for v, b in zip(row, blank)) for row in group.rows))
        for group in board.groups
    )
    return replace(board, groups=groups)


def boards(loaded: LoadedEvent, profile: Profile) -> list[Board]:
    """Every board, for ``loaded`` as redacted for ``profile`` (``project.loaded`` is)."""
    return [redacted(make(loaded), profile) for make in (arrivals, rooming, transport, catering, lo_roster)]
