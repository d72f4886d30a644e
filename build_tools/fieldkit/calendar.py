"""The guest's itinerary as an iCalendar file (RFC 5545) for the LO's phone: one event per schedule item and flight."""

from __future__ import annotations

import datetime as dt
import functools
import re

import icalendar

from .. import thaidate
from ..compose.guest import GuestView
from ..compose.pages import STATUS_LABELS
from ..model import Flight, Status
from .items import KeyedItem, keyed_items

ICS_STATUS = {Status.CONFIRMED: "CONFIRMED", Status.TENTATIVE: "TENTATIVE", Status.CHANGED: "CONFIRMED", Status.CANCELLED: "CANCELLED"}
PRODID = "-//LO Briefing//Field kit//TH"


def _domain(view: GuestView) -> str:
    return re.sub(r"[^a-z0-9]+", "-", view.event.event.short_name.lower()).strip("-") + ".lo-briefing"


def _uid(view: GuestView, key: str) -> str:
    """Stable across builds and across time changes of the item, so a re-import updates instead of duplicating."""
    return f"{view.id}.{key}@{_domain(view)}"


def _item_event(view: GuestView, keyed: KeyedItem, stamp: dt.datetime, sequence: int) -> icalendar.Event:
    item = keyed.item
    status = STATUS_LABELS[item.status].text
    summary = f"{item.title.th} ({item.title.en})"
    if item.status is not Status.CONFIRMED:
        summary += f" [{status}]"
    location = item.place + (f", {keyed.venue.address}" if keyed.venue else "")
    lines = [
        f"การแต่งกาย (Dress): {item.dress or '—'}",
        f"สถานะ (Status): {status}",
    ]
    if item.role:
        lines.append(f"บทบาท (Role): {item.role}")
    if item.car_departs:
        lines.append(f"รถออก (Car departs): {item.car_departs} น.")
    if item.private:
        lines.append("กำหนดการส่วนตัว (private item)")
    if item.notes:
        lines.append(item.notes)
    event = icalendar.Event()
    event.add("uid", _uid(view, keyed.key))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", thaidate.local(item.start))
    event.add("dtend", thaidate.local(item.end))
    event.add("summary", summary)
    event.add("location", location)
    if item.venue and item.venue.geo:  # the phone's calendar can open the maps app at the venue
        event.add("geo", (item.venue.geo.lat, item.venue.geo.lon))
    event.add("description", "\n".join(lines))
    event.add("status", ICS_STATUS[item.status])
    event.add("categories", [view.event.event.short_name, "LO"])
    return event


def _flight_event(view: GuestView, key: str, flight: Flight, arriving: bool, stamp: dt.datetime, sequence: int) -> icalendar.Event:
    airport = view.event.event.airport
    if arriving:
        summary = f"เที่ยวบินขาเข้า (Arrival) {flight.flight} จาก (from) {flight.airport}"
        start, end = flight.time, flight.time + dt.timedelta(hours=1)
        lines = [f"รับแขกที่ (Meet at): {flight.terminal or '—'}", f"ห้องรับรอง (Lounge): {flight.lounge or '—'}",
                 f"สัมภาระ (Baggage): {flight.baggage or '—'}"]
    else:
        summary = f"เที่ยวบินขาออก (Departure) {flight.flight} ไป (to) {flight.airport}"
        start, end = flight.time - dt.timedelta(minutes=30), flight.time
        lines = [f"เวลาเครื่องออก (Departs): {thaidate.date_time(flight.time)}",
                 f"เช็คอินไม่เกิน (Check in by): {view.facts['airport_checkin_deadline']}",
                 f"อาคาร (Terminal): {flight.terminal or '—'}", f"ห้องรับรอง (Lounge): {flight.lounge or '—'}"]
    event = icalendar.Event()
    event.add("uid", _uid(view, key))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", thaidate.local(start))
    event.add("dtend", thaidate.local(end))
    event.add("summary", summary)
    event.add("location", f"{airport} — {flight.terminal}" if flight.terminal else airport)
    event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED")
    event.add("categories", [view.event.event.short_name, "LO"])
    return event


def calendar(view: GuestView, stamp: dt.datetime, sequence: int = 0) -> bytes:
    """The .ics file: an Asia/Bangkok VTIMEZONE, then flights and schedule items in time order. ``stamp`` is DTSTAMP
    (fixed per build input, so two builds give the same bytes); ``sequence`` is the published version."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{view.event.event.short_name}: {view.display_name}")
    cal.add("x-wr-timezone", view.event.event.timezone)
    stamp = stamp.astimezone(dt.timezone.utc)
    events = [(thaidate.local(k.item.start), _item_event(view, k, stamp, sequence)) for k in keyed_items(view.record, view.event)]
    g = view.guest
    events.append((g.arrival.time, _flight_event(view, "flight-arrival", g.arrival, True, stamp, sequence)))
    events.append((g.departure.time, _flight_event(view, "flight-departure", g.departure, False, stamp, sequence)))
    for _, event in sorted(events, key=lambda pair: (pair[0], str(pair[1]["uid"]))):
        cal.add_component(event)
    _add_timezones(cal)
    return cal.to_ical()


def _add_timezones(cal: icalendar.Calendar) -> None:
    """``cal.add_missing_timezones()``, with each VTIMEZONE built once per process (it was most of a calendar's cost)."""
    known = len(cal.timezones)
    for tzid in sorted(cal.get_missing_tzids()):
        timezone = _timezone(tzid)
        if timezone is not None:
            cal.subcomponents.insert(known, timezone)
            known += 1


@functools.lru_cache(maxsize=16)
def _timezone(tzid: str) -> icalendar.Timezone | None:
    try:
        return icalendar.Timezone.from_tzid(tzid)
    except ValueError:
        return None
