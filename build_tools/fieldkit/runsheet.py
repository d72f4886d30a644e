"""The daily run sheet: one A4 page per day of the guest's stay — times, venues, dress, car departure, who to call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from .. import thaidate
from ..compose.guest import GuestView
from ..compose.pages import STATUS_LABELS
from ..model import ContactRole, EmergencyNumber, Status
from ..pdf.templates import render
from ..telephone import link_phones
from .contacts import Reach, all_contacts, key_contacts
from .items import keyed_items


@dataclass(frozen=True)
class Row:
    start: dt.datetime  # Bangkok time
    time: str  # "09:00–10:30"
    title: str
    title_en: str
    place: str
    place_en: str | None
    address: str | None
    dress: str | None
    car: str | None  # when the car leaves
    role: str | None
    status: str
    status_class: str  # confirmed, tentative, changed, cancelled, flight
    note: str | None = None


def _rows(view: GuestView) -> list[Row]:
    g = view.guest
    rows = [
        Row(
            start=thaidate.local(k.item.start),
            time=f"{thaidate.clock(k.item.start)}–{thaidate.clock(k.item.end)}",
            title=k.item.title.th,
            title_en=k.item.title.en,
            place=k.venue.name.th if k.venue else k.item.place,
            place_en=k.venue.name.en if k.venue else None,
            address=k.venue.address if k.venue else None,
            dress=k.item.dress,
            car=k.item.car_departs,
            role=k.item.role,
            status=STATUS_LABELS[k.item.status].text,
            status_class=k.item.status.value,
            note="กำหนดการส่วนตัว (private)" if k.item.private else None,
        )
        for k in keyed_items(view.record, view.event)
    ]
    airport = view.event.event.airport
    arrival, departure = g.arrival, g.departure
    rows.append(Row(
        start=thaidate.local(arrival.time), time=thaidate.clock(arrival.time),
        title=f"เที่ยวบินขาเข้า {arrival.flight}", title_en=f"Arrival from {arrival.airport}",
        place=f"{airport} {arrival.terminal or ''}".strip(), place_en=None, address=arrival.lounge, dress=None, car=None, role=None,
        status=f"สัมภาระ (baggage): {arrival.baggage}" if arrival.baggage else "", status_class="flight",
    ))
    rows.append(Row(
        start=thaidate.local(departure.time), time=thaidate.clock(departure.time),
        title=f"เที่ยวบินขาออก {departure.flight}", title_en=f"Departure to {departure.airport}",
        place=f"{airport} {departure.terminal or ''}".strip(), place_en=None, address=departure.lounge, dress=None, car=None, role=None,
        status=f"เช็คอินไม่เกิน (check in by) {view.facts['airport_checkin_deadline']}", status_class="flight",
    ))
    return sorted(rows, key=lambda r: (r.start, r.time))


def runsheet_days(view: GuestView) -> list[tuple[dt.date, list[Row]]]:
    """Every day with a schedule item or a flight, in order, with its rows."""
    return [(day, list(rows)) for day, rows in groupby(_rows(view), key=lambda r: r.start.date())]


def who_to_call(view: GuestView) -> list[Reach]:
    """The card's people, then the backup LO, lead-car police, medical team and hospital."""
    card = key_contacts(view)
    extra = [p for p in all_contacts(view) if p.key in ("backup-lo", "lead-car-police", "hospital") or p.desk is ContactRole.MEDICAL]
    return card + [p for p in extra if p.key not in {c.key for c in card}]


def public_numbers(view: GuestView) -> list[EmergencyNumber]:
    """The public emergency numbers a run sheet lists: police and ambulance, or the event's first two."""
    numbers = view.event.emergency_numbers
    return [n for n in numbers if n.number in ("1669", "191")] or numbers[:2]


@dataclass(frozen=True)
class CallLine:
    """One entry of the run sheet's "who to call": a person or desk (two lines: role and number, then the name) or a
    public emergency number (one line)."""

    role: str
    phone: str | None  # None when the profile withheld it
    name: str | None = None

    @property
    def lines(self) -> int:
        return 2 if self.name else 1


def call_columns(people: list[Reach], numbers: list[EmergencyNumber]) -> tuple[list[CallLine], list[CallLine]]:
    """The entries in two columns, read down the first, then the second: the first takes the fewest entries that give
    it half the lines or more, as CSS balances ``columns: 2``. Two plain columns lay out in a quarter of the time
    WeasyPrint's column balancing took (three quarters of a run sheet's layout, profiled): it lays the list out again
    and again to find the height."""
    lines = [CallLine(p.role, p.phone, p.name) for p in people] + [CallLine(f"{n.th} ({n.en})", n.number) for n in numbers]
    half, height = sum(line.lines for line in lines) / 2, 0
    for count, line in enumerate(lines, 1):
        height += line.lines
        if height >= half:
            return lines[:count], lines[count:]
    return lines, []


def runsheet_html(view: GuestView, stamp: str) -> str:
    return link_phones(render(  # every number a tel: link annotation in the PDF
        "runsheet.html.j2",
        "runsheet.css",
        view=view,
        g=view.guest,
        days=runsheet_days(view),
        day_heading=thaidate.day_heading,
        short_date=thaidate.short_date,
        call=call_columns(who_to_call(view), public_numbers(view)),
        stamp=stamp,
        cancelled=Status.CANCELLED.value,
    ))
