"""The guest page as a field tool: the first screen (address, now/next, the numbers an LO calls most) and the schedule.

These parts are HTML blocks inside the guest page's Markdown, rendered by a Jinja2 environment with autoescape, so
every value from YAML lands as text. The schedule the now/next card works from is embedded as JSON in a
``<script type="application/json">`` element with ``<``, ``>`` and ``&`` escaped: no value can close the element.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache

import jinja2
from markupsafe import Markup

from .. import thaidate
from ..model import ContactRole, GeoPoint, Status
from ..telephone import tel_uri
from .guest import GuestView, Item
from .markdown import TEMPLATES
from .status import STATUS_LABELS

DOCTOR = re.compile(r"physician|doctor|medical officer|แพทย์|หมอ", re.I)


@dataclass(frozen=True)
class Call:
    """One large tap target: who, their name, the number as written and its ``tel:`` URI (None: not dialable)."""

    role: str
    name: str
    number: str
    uri: str | None


@cache
def html_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "field"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(tel_uri=tel_uri, geo_uri=geo_uri, clock=thaidate.clock, status_label=lambda s: STATUS_LABELS[s])
    return env


def render_html(template: str, **context: object) -> Markup:
    """An HTML block for a Markdown page: no blank line inside (Markdown would end the block there)."""
    text = html_environment().get_template(template).render(**context)
    return Markup("\n".join(line for line in text.splitlines() if line.strip()) + "\n")


def geo_uri(geo: GeoPoint) -> str:
    """``geo:13.7236,100.5291?q=13.7236,100.5291``: opens the phone's maps app with a pin there."""
    point = f"{geo.lat:.6f}".rstrip("0").rstrip(".") + "," + f"{geo.lon:.6f}".rstrip("0").rstrip(".")
    return f"geo:{point}?q={point}"


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _item_data(key: str, item: Item) -> dict[str, object]:
    return {
        "key": key,
        "start": _ms(item.start),
        "end": _ms(item.end),
        "day": thaidate.day_heading(thaidate.local(item.start).date()),
        "time": f"{thaidate.clock(item.start)}–{thaidate.clock(item.end)}",
        "title": item.title.th,
        "title_en": item.title.en,
        "place": item.place,
        "venue": item.venue.name.th if item.venue else item.place,
        "car": item.car_departs,
        "status": item.status.value,
        "status_text": STATUS_LABELS[item.status].text,
    }


def schedule_data(view: GuestView) -> dict[str, object]:
    """What the now/next card needs, as plain values (times as epoch milliseconds and as Bangkok text)."""
    g = view.guest
    items = [item for _, day in view.days for item in day]
    checkin = g.departure.time - dt.timedelta(minutes=view.event.event.airport_checkin_minutes)
    return {
        "guest": view.id,
        "items": [_item_data(f"item-{n}", item) for n, item in enumerate(items)],
        "arrival": {
            "at": _ms(g.arrival.time),
            "when": thaidate.date_time(g.arrival.time),
            "flight": f"{g.arrival.flight} ({g.arrival.airport})",
            "where": g.arrival.terminal or "",
        },
        "departure": {
            "at": _ms(g.departure.time),
            "when": thaidate.date_time(g.departure.time),
            "flight": f"{g.departure.flight} ({g.departure.airport})",
            "where": g.departure.terminal or "",
            "checkin": thaidate.date_time(checkin),
        },
    }


def script_json(data: object) -> Markup:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` in the text at all."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)


def quick_calls(view: GuestView) -> list[Call]:
    """Driver, protective police, main coordinator, event medical team, designated hospital: in that order, if known."""
    t = view.guest.transport
    found: list[tuple[str, str, str]] = [
        ("คนขับรถ (Driver)", t.driver.name, t.driver.phone),
        ("ตำรวจอารักขา (Protective police)", t.protective_police.name, t.protective_police.phone),
    ]
    main = next((c for c in view.coordinators if c.role is ContactRole.MAIN_COORDINATOR), None)
    if main:
        found.append(("ผู้ประสานงานหลัก (Main coordinator)", main.name, main.phone))
    medical = next((c for c in view.event.contacts if c.role is ContactRole.MEDICAL), None)
    if medical:
        found.append(("ทีมแพทย์ของงาน (Event medical team)", medical.name, medical.phone))
    if view.hospital:
        found.append(("โรงพยาบาลที่กำหนด (Designated hospital)", view.hospital.name.th, view.hospital.phone))
    return [Call(role, name, number, tel_uri(number)) for role, name, number in found]


def delegation_doctors(view: GuestView) -> list[tuple[str, str | None]]:
    """(name, phone) of the delegation's own doctors: spouse or entourage members whose relation says so."""
    people = ([view.guest.spouse] if view.guest.spouse else []) + list(view.guest.entourage)
    return [(p.name, p.phone) for p in people if DOCTOR.search(p.relation)]


def first_screen(view: GuestView) -> Markup:
    return render_html("first-screen.html.j2", view=view, calls=quick_calls(view), data=script_json(schedule_data(view)))


def schedule_table(items: list[Item]) -> Markup:
    """One day of the schedule: a table on a tablet, stacked cards below tablet width (see lo-field.css)."""
    return render_html("schedule.html.j2", items=items, Status=Status)
