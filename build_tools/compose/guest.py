"""A guest's briefing: references resolved, schedule grouped by day, checklists filled in with the guest's facts."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from itertools import groupby

import jinja2

from .. import thaidate
from ..knowledge import CountryMeta, KnowledgePage, PhaseMeta
from ..model import Bilingual, Contact, ContactRole, Event, GuestRecord, Hospital, Hotel, LiaisonOfficer, Status, Venue
from ..programme import programme_index, resolve
from .markdown import escape_text

FACT_NAMES = (
    "guest_name address_spoken address_written country_name lo_name arrival_flight arrival_time arrival_terminal "
    "arrival_lounge departure_flight departure_time airport_checkin_deadline hotel room checkin_time checkout_time "
    "hotel_contact breakfast wifi billing car_plate driver protective_police lead_car_police coordinator "
    "backup_coordinator secretariat diet_summary allergy_summary religion prayer_needs hospital entourage_summary documents "
    "lo_at_airport_by lo_at_airport_minutes escalate_after_minutes lo_day_max_hours"
).split()
NOT_GIVEN = "—"


@dataclass(frozen=True)
class Item:
    """One schedule item as the LO reads it."""

    start: dt.datetime
    end: dt.datetime
    title: Bilingual
    place: str
    dress: str | None
    role: str | None
    status: Status
    private: bool
    car_departs: str | None = None
    notes: str | None = None
    menu: tuple[str, ...] = ()
    venue: Venue | None = None  # the event venue, when it is one


@dataclass(frozen=True)
class Checklist:
    title: str
    page: str  # the knowledge page it comes from, relative to content/
    steps: list[str]


@dataclass
class GuestView:
    record: GuestRecord
    event: Event
    hotel: Hotel | None
    hospital: Hospital | None
    duty_manager: Contact | None
    coordinators: list[Contact]
    contacts: list[Contact]
    lo: LiaisonOfficer
    backup_lo: LiaisonOfficer | None
    country: KnowledgePage | None
    days: list[tuple[dt.date, list[Item]]]
    facts: dict[str, str]
    checklists: list[Checklist] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def guest(self):  # noqa: ANN201 - the Guest model
        return self.record.guest

    @property
    def display_name(self) -> str:
        return f"{self.guest.name.title} {self.guest.name.preferred}"

    @property
    def country_name(self) -> str:
        if self.country and isinstance(self.country.meta, CountryMeta):
            return f"{self.country.meta.name_th} ({self.country.meta.name_en})"
        return self.guest.country


def _by_id(items, wanted):  # noqa: ANN001, ANN202 - tiny lookup over id'd records
    return next((item for item in items if item.id == wanted), None)


def schedule_items(record: GuestRecord, event: Event) -> list[Item]:
    """The guest's schedule with programme references resolved, in time order; unknown references are skipped."""
    return sorted((item for _, item in keyed_items(record, event)), key=lambda item: (item.start, item.end))


def keyed_items(record: GuestRecord, event: Event) -> list[tuple[str, Item]]:
    """Each schedule entry that resolves, in file order, with a key unique within the guest: the programme id, or a
    slug of a private item's English title (``private-bilateral-meeting``), numbered when it repeats."""
    programme, seen, out = programme_index(event), {}, []
    for entry in record.guest.schedule:
        found = resolve(entry, programme)
        if found is None or found.start is None or found.end is None or found.title is None:
            continue
        venue = _by_id(event.venues, found.venue)
        base = entry.programme or "private-" + _slug(entry.title.en if entry.title else "item")
        seen[base] = seen.get(base, 0) + 1
        item = Item(
            start=found.start,
            end=found.end,
            title=found.title,
            place=f"{venue.name.th} ({venue.name.en})" if venue else (entry.place or NOT_GIVEN),
            dress=found.dress,
            role=entry.role,
            status=found.status,
            private=found.private,
            car_departs=entry.car_departs,
            notes=found.notes,
            menu=tuple(tag.value for tag in found.menu),
            venue=venue,
        )
        out.append((base if seen[base] == 1 else f"{base}-{seen[base]}", item))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "item"


def _by_day(items: list[Item]) -> list[tuple[dt.date, list[Item]]]:
    return [(day, list(group)) for day, group in groupby(items, key=lambda i: thaidate.local(i.start).date())]


def _person(name: str | None, phone: str | None) -> str:
    if not name:
        return NOT_GIVEN
    return f"{name} {phone}" if phone else name


def guest_facts(view: GuestView) -> dict[str, str]:
    """The plain strings that personalised checklist templates may use (see FACT_NAMES)."""
    g = view.guest
    coordinator = next((c for c in view.coordinators if c.role is ContactRole.MAIN_COORDINATOR), None)
    backup = next((c for c in view.coordinators if c.role is ContactRole.BACKUP_COORDINATOR), None)
    secretariat = next((c for c in view.event.contacts if c.role is ContactRole.SECRETARIAT), None)
    checkin_deadline = g.departure.time - dt.timedelta(minutes=view.event.event.airport_checkin_minutes)
    rules = view.event.rules
    people = [g.spouse] if g.spouse else []
    facts = {
        "guest_name": view.display_name,
        "address_spoken": g.address_as.spoken,
        "address_written": g.address_as.written,
        "country_name": view.country_name,
        "lo_name": view.lo.name,
        "arrival_flight": f"{g.arrival.flight} ({g.arrival.airport})",
        "arrival_time": thaidate.date_time(g.arrival.time),
        "arrival_terminal": g.arrival.terminal or NOT_GIVEN,
        "arrival_lounge": g.arrival.lounge or NOT_GIVEN,
        "departure_flight": f"{g.departure.flight} ({g.departure.airport})",
        "departure_time": thaidate.date_time(g.departure.time),
        "airport_checkin_deadline": thaidate.date_time(checkin_deadline),
        "hotel": view.hotel.name.th if view.hotel else g.stay.hotel,
        "room": g.stay.room,
        "checkin_time": f"{thaidate.short_date(g.stay.check_in)} {view.hotel.check_in_time if view.hotel else ''}".strip(),
        "checkout_time": f"{thaidate.short_date(g.stay.check_out)} {view.hotel.check_out_time if view.hotel else ''}".strip(),
        "hotel_contact": _person(view.duty_manager.name, view.duty_manager.phone) if view.duty_manager else NOT_GIVEN,
        "breakfast": (view.hotel.breakfast if view.hotel else None) or NOT_GIVEN,
        "wifi": (view.hotel.wifi if view.hotel else None) or NOT_GIVEN,
        "billing": "เจ้าภาพ: " + (", ".join(g.stay.billing.host) or NOT_GIVEN) + " / แขก: " + (", ".join(g.stay.billing.guest) or NOT_GIVEN),
        "car_plate": f"{g.transport.car} {g.transport.plate}",
        "driver": _person(g.transport.driver.name, g.transport.driver.phone),
        "protective_police": _person(g.transport.protective_police.name, g.transport.protective_police.phone),
        "lead_car_police": _person(*(  # a guest may have no lead car
            (g.transport.lead_car_police.name, g.transport.lead_car_police.phone) if g.transport.lead_car_police else (None, None)
        )),
        "coordinator": _person(coordinator.name, coordinator.phone) if coordinator else NOT_GIVEN,
        "backup_coordinator": _person(backup.name, backup.phone) if backup else NOT_GIVEN,
        "secretariat": _person(secretariat.name, secretariat.phone) if secretariat else NOT_GIVEN,
        "diet_summary": ", ".join(d.value for d in g.health.diet) or "ไม่มีข้อจำกัด (none)",
        "allergy_summary": ", ".join(f"{a.allergen} ({a.severity})" for a in g.health.allergies) or "ไม่มี (none)",
        "religion": g.faith.religion or NOT_GIVEN,
        "prayer_needs": g.faith.prayer or "ไม่มี (none)",
        "hospital": f"{view.hospital.name.th} {view.hospital.phone}" if view.hospital else NOT_GIVEN,
        "entourage_summary": ", ".join(p.name for p in people + list(g.entourage)) or "ไม่มี (none)",
        "documents": "กำหนดการล่าสุด บัตรประจำตัวผู้เข้าร่วมประชุม และเอกสารการประชุม (programme, badge, meeting documents)",
        "lo_at_airport_by": thaidate.date_time(g.arrival.time - dt.timedelta(minutes=rules.lo_at_airport_minutes)),
        "lo_at_airport_minutes": str(rules.lo_at_airport_minutes),
        "escalate_after_minutes": str(rules.escalate_after_minutes),
        "lo_day_max_hours": str(rules.lo_day_max_hours),
    }
    assert set(facts) == set(FACT_NAMES)
    return facts


@functools.lru_cache(maxsize=1024)
def _step_template(source: str) -> jinja2.Template:
    """A checklist step's guest template, compiled once per build however many guests use it."""
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False).from_string(source)


def fill_checklist(page: KnowledgePage, inert: dict[str, str]) -> Checklist:
    """A phase page's checklist with each step's guest template filled in (or its generic text), as Markdown: the
    page's own markup (an event rule's ``*…*{.event-rule}``) is kept; ``inert`` are the guest's facts as inert text
    (:func:`inert_facts`)."""
    assert isinstance(page.meta, PhaseMeta)
    steps = [_step_template(step.guest).render(inert) if step.guest else step.do for step in page.meta.checklist]
    return Checklist(page.meta.title, page.path, steps)


def inert_facts(facts: dict[str, str]) -> dict[str, str]:
    """The guest's facts as Markdown that shows them as plain text, for :func:`fill_checklist`."""
    return {name: escape_text(value) for name, value in facts.items()}


def checklist_problems(page: KnowledgePage) -> list[str]:
    """Templates in a phase page that do not render over the known fact names."""
    dummy = {name: name for name in FACT_NAMES}
    problems = []
    assert isinstance(page.meta, PhaseMeta)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    for number, step in enumerate(page.meta.checklist):
        if step.guest:
            try:
                env.from_string(step.guest).render(dummy)
            except jinja2.TemplateError as exc:
                problems.append(f"checklist[{number}].guest: {exc}; expected only {', '.join(FACT_NAMES)}")
    return problems


def guest_view(record: GuestRecord, event: Event, countries: dict[str, KnowledgePage], phases: list[KnowledgePage]) -> GuestView:
    g = record.guest
    hotel = _by_id(event.hotels, g.stay.hotel)
    view = GuestView(
        record=record,
        event=event,
        hotel=hotel,
        hospital=_by_id(event.hospitals, g.health.hospital) if g.health.hospital else None,
        duty_manager=_by_id(event.contacts, hotel.duty_manager) if hotel else None,
        coordinators=[c for c in event.contacts if c.role in (ContactRole.MAIN_COORDINATOR, ContactRole.BACKUP_COORDINATOR)],
        contacts=[c for c in (_by_id(event.contacts, cid) for cid in g.contacts) if c is not None],
        lo=_by_id(event.los, g.lo) or LiaisonOfficer(id=g.lo, name=g.lo, phone=NOT_GIVEN),  # unknown ids fail the checks
        backup_lo=_by_id(event.los, g.backup_lo) if g.backup_lo else None,
        country=countries.get(g.country),
        days=_by_day(schedule_items(record, event)),
        facts={},
    )
    view.facts = guest_facts(view)
    inert = inert_facts(view.facts)
    view.checklists = [fill_checklist(page, inert) for page in phases]
    return view
