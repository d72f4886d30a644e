"""Consistency checks over a whole validated event: each finding is an error or a warning with a position.

Every check is a small pure function ``(LoadedEvent, country_codes) -> Iterable[Diagnostic]``. Messages are one
sentence, "expected X, got Y", and the diagnostic names the field path and the line of the value in its file.

How severity is chosen (what a trainer would expect):

* **error** — the record describes something that cannot happen or leaves the guest without something they need:
  a guest in two confirmed places at once, an item before the aircraft lands or after it leaves, a night without a
  hotel, pork on the guest's own plate when they eat halal, a reference to nothing, a spouse with no LO, a phone
  number that cannot be dialled from a foreign phone, a passport that expires before departure, duplicate ids.
  Errors stop the build, so the last good site stays in place until the record is fixed.
* **warning** — the record is possible but needs someone's attention: a tentative item overlapping another, an item
  inside the transfer buffer or after the airport check-in deadline but before the flight, nights booked and not
  used, a shared menu with something the guest cannot eat (the LO arranges a separate plate; once it is recorded in
  the schedule item's own ``menu`` the warning goes), fish for a seafood allergy (ask the guest where the line is),
  a spouse with no programme, a passport with less than six months left, a private item with no place.

Across guests (``double_bookings``, ``shared_rooms``: errors; ``airport_meetings``: a warning): one LO, driver, car
or police officer booked by two guests in two places at once, one hotel room given to two guests for the same
nights, one LO meeting two arrivals close together at different terminals. Within a record, a country code that is
not ISO 3166 is an error (pycountry), and phone numbers are checked against phonenumbers' metadata.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pycountry
from pydantic import BaseModel

from . import phones, thaidate
from .diagnostics import Diagnostic, Severity, format_field
from .loader import LoadedEvent
from .model import Diet, Event, GuestRecord, MenuTag, Person, Status
from .programme import programme_index, resolve

Check = Callable[[LoadedEvent, set[str]], Iterable[Diagnostic]]
Loc = tuple[str | int, ...]
Positions = dict[Loc, tuple[int, int]]

ERROR, WARNING = Severity.ERROR, Severity.WARNING


# --- helpers -------------------------------------------------------------------------------------------------


def _position(positions: Positions, loc: Loc) -> tuple[int, int]:
    """Where the value at ``loc`` stands in its file, or its nearest enclosing value; (0, 0) when unknown."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in positions:
            return positions[loc[:end]]
    return (0, 0)


def _at(
    file: str, positions: Positions, loc: Loc, message: str, severity: Severity = ERROR, *, shown: Loc | None = None
) -> Diagnostic:
    """A finding about the value at ``loc``; ``shown`` names a different field path than the one located."""
    line, column = _position(positions, loc)
    return Diagnostic(file, line, column, format_field(loc if shown is None else shown), message, severity)


def _in_guest(record: GuestRecord, loc: Loc, message: str, severity: Severity = ERROR, *, shown: Loc | None = None) -> Diagnostic:
    return _at(record.source, record.positions, loc, message, severity, shown=shown)


def _in_event(loaded: LoadedEvent, loc: Loc, message: str, severity: Severity = ERROR) -> Diagnostic:
    return _at(loaded.event_source, loaded.event_positions, loc, message, severity)


def _when(moment: dt.datetime) -> str:
    """``2027-03-02 12:30`` in Bangkok time."""
    return f"{thaidate.local(moment):%Y-%m-%d %H:%M}"


def _day(moment: dt.datetime) -> dt.date:
    return thaidate.local(moment).date()


def _words(items: Sequence[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def _nights(first: dt.date, count: int) -> str:
    if count == 1:
        return f"the night of {first} without a hotel"
    last = first + dt.timedelta(days=count - 1)
    return f"{count} nights without a hotel ({first} to {last})"


def _unknown(kind: str, value: str, known: Iterable[str], where: str) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    article = "an" if kind[0] in "aeiouAEIOU" or kind == "LO" else "a"
    return f'expected {article} {kind} id from {where}, got "{value}"{hint}'


@dataclass(frozen=True)
class _Slot:
    """One item someone attends, resolved through the event's programme."""

    loc: Loc  # the schedule entry or the programme reference, e.g. ("schedule", 3) or ("spouse", "programme", 0)
    label: str  # the programme id, or the private item's English title in quotes
    programme: str | None
    start: dt.datetime
    end: dt.datetime
    status: Status
    menu: tuple[MenuTag, ...]
    own_menu: bool  # the menu is this person's own plate, not the shared programme menu
    start_loc: Loc  # the value that sets the start: the entry's own start, else its programme reference
    end_loc: Loc
    ref_loc: Loc  # the programme reference (the entry itself for a private item)

    @property
    def name(self) -> str:
        return f"{format_field(self.loc)} ({self.label})"


def _guest_slots(record: GuestRecord, event: Event) -> list[_Slot]:
    """The guest's schedule entries that resolve to a start and an end, in file order; cancelled ones left out."""
    programme = programme_index(event)
    slots = []
    for index, entry in enumerate(record.guest.schedule):
        found = resolve(entry, programme)
        if found is None or found.start is None or found.end is None or found.status is Status.CANCELLED:
            continue
        shared = found.shared
        loc: Loc = ("schedule", index)
        ref: Loc = (*loc, "programme") if shared else loc
        label = entry.programme if shared else f'"{entry.title.en}"' if entry.title else "a private item"
        slots.append(
            _Slot(
                loc, label, entry.programme, found.start, found.end, found.status,
                menu=found.menu,
                own_menu=found.own_menu,
                start_loc=(*loc, "start") if entry.start else ref,
                end_loc=(*loc, "end") if entry.end else ref,
                ref_loc=ref,
            )
        )
    return slots


def _people(record: GuestRecord) -> Iterator[tuple[Loc, Person]]:
    """The spouse and each member of the entourage, with their field path."""
    if record.guest.spouse is not None:
        yield ("spouse",), record.guest.spouse
    for index, person in enumerate(record.guest.entourage):
        yield ("entourage", index), person


def _person_slots(record: GuestRecord, event: Event) -> Iterator[tuple[Person, _Slot]]:
    """The programme items of the spouse and the entourage (their own ``programme`` lists), cancelled left out."""
    programme = programme_index(event)
    for where, person in _people(record):
        for index, wanted in enumerate(person.programme):
            shared = programme.get(wanted)
            if shared is None or shared.status is Status.CANCELLED:
                continue
            loc = (*where, "programme", index)
            menu = tuple(shared.menu)
            yield person, _Slot(loc, wanted, wanted, shared.start, shared.end, shared.status, menu, False, loc, loc, loc)


# --- the checks ----------------------------------------------------------------------------------------------


def schedule_overlaps(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """Items of one guest's schedule that overlap in time, programme items resolved through the event.

    Error when both items are confirmed (or changed): the guest cannot be in two places. Warning when either is
    tentative: a plan still being settled. Cancelled items are left out; touching items (one ends as the next
    starts) are fine. The same programme item listed twice is reported as such.
    """
    for record in loaded.guests:
        slots = sorted(_guest_slots(record, loaded.event), key=lambda s: (s.start, s.end, s.loc))
        for i, first in enumerate(slots):
            for later in slots[i + 1 :]:
                if later.start >= first.end:
                    break
                tentative = Status.TENTATIVE in (first.status, later.status)
                severity = WARNING if tentative else ERROR
                if first.programme is not None and first.programme == later.programme:
                    message = f"expected each programme item once, got {later.programme} again (also {format_field(first.loc)})"
                    yield _in_guest(record, later.ref_loc, message, severity)
                    continue
                message = f"expected a start at or after {_when(first.end)}, when {first.name} ends, got {_when(later.start)}"
                yield _in_guest(record, later.start_loc, message, severity)


def outside_stay(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """Items that start before the guest can be there or end after the guest must leave for the airport.

    The guest can be at an item from arrival + the event's ``arrival_buffer_minutes`` (the transfer), and must be
    free by departure − ``airport_checkin_minutes``. Error when the item starts before the flight lands or ends
    after it departs (impossible); warning when it only cuts into the buffer or the check-in time (tight, but the
    trainer may know better). The spouse's and entourage's programme items count too: they travel with the guest.
    """
    info = loaded.event.event
    for record in loaded.guests:
        arrival, departure = record.guest.arrival, record.guest.departure
        earliest = arrival.time + dt.timedelta(minutes=info.arrival_buffer_minutes)
        deadline = departure.time - dt.timedelta(minutes=info.airport_checkin_minutes)
        slots = [*_guest_slots(record, loaded.event), *(slot for _, slot in _person_slots(record, loaded.event))]
        for slot in slots:
            if slot.start < earliest:
                severity = ERROR if slot.start < arrival.time else WARNING
                message = (
                    f"expected a start at or after {_when(earliest)} ({arrival.flight} lands {_when(arrival.time)}, "
                    f"plus {info.arrival_buffer_minutes} minutes' transfer), got {_when(slot.start)}"
                )
                yield _in_guest(record, slot.start_loc, message, severity)
            if slot.end > deadline:
                severity = ERROR if slot.end > departure.time else WARNING
                message = (
                    f"expected an end by {_when(deadline)} (airport check-in, {info.airport_checkin_minutes} minutes "
                    f"before {departure.flight} departs {_when(departure.time)}), got {_when(slot.end)}"
                )
                yield _in_guest(record, slot.end_loc, message, severity)


def hotel_nights(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """Nights without a hotel, and check-in/check-out dates that do not match the flights.

    The guest needs a room for every night from the arrival date (Bangkok time) until the day they leave for the
    airport (the day of departure − ``airport_checkin_minutes``: an early-morning flight ends the stay the evening
    before). Error: a departure before the arrival, a check-out not after the check-in, or a night left without a
    hotel. Warning: a check-in more than a day before arrival or a check-out more than a day after departure
    (nights booked and not used).
    """
    info = loaded.event.event
    for record in loaded.guests:
        guest, stay = record.guest, record.guest.stay
        if guest.departure.time <= guest.arrival.time:
            message = f"expected a departure after the arrival ({_when(guest.arrival.time)}), got {_when(guest.departure.time)}"
            yield _in_guest(record, ("departure", "time"), message)
            continue
        if stay.check_out <= stay.check_in:
            message = f"expected a date after check_in ({stay.check_in}), got {stay.check_out}"
            yield _in_guest(record, ("stay", "check_out"), message)
            continue
        arrives, departs = _day(guest.arrival.time), _day(guest.departure.time)
        leaves = _day(guest.departure.time - dt.timedelta(minutes=info.airport_checkin_minutes))
        if stay.check_in > arrives:
            missing = (min(stay.check_in, leaves) - arrives).days
            if missing > 0:
                message = (
                    f"expected {arrives} (the arrival date) or earlier, got {stay.check_in}, "
                    f"which leaves {_nights(arrives, missing)}"
                )
                yield _in_guest(record, ("stay", "check_in"), message)
        elif (early := (arrives - stay.check_in).days) > 1:
            message = (
                f"expected {arrives} (the arrival date) or the day before, got {stay.check_in}, "
                f"which books {early} nights before the guest arrives"
            )
            yield _in_guest(record, ("stay", "check_in"), message, WARNING)
        if stay.check_out < leaves:
            first = max(stay.check_out, arrives)
            missing = (leaves - first).days
            label = "the departure date" if leaves == departs else "the day the guest leaves for the airport"
            message = f"expected {leaves} ({label}) or later, got {stay.check_out}, which leaves {_nights(first, missing)}"
            yield _in_guest(record, ("stay", "check_out"), message)
        elif (late := (stay.check_out - departs).days) > 1:
            message = (
                f"expected {departs} (the departure date) or the day after, got {stay.check_out}, "
                f"which books {late} nights after the guest leaves"
            )
            yield _in_guest(record, ("stay", "check_out"), message, WARNING)


_ANIMAL = {MenuTag.MEAT, MenuTag.FISH, MenuTag.SEAFOOD, MenuTag.SHELLFISH, MenuTag.PORK, MenuTag.BEEF, MenuTag.NON_HALAL_MEAT}

# Per diet code: the menu tags it rules out, and the tags to ask the guest about (a warning, never an error).
DIET_RULES: dict[Diet, tuple[frozenset[MenuTag], frozenset[MenuTag]]] = {
    Diet.HALAL: (frozenset({MenuTag.PORK, MenuTag.ALCOHOL, MenuTag.NON_HALAL_MEAT}), frozenset()),
    Diet.KOSHER: (frozenset({MenuTag.PORK, MenuTag.SHELLFISH, MenuTag.NON_KOSHER}), frozenset()),
    Diet.VEGETARIAN: (frozenset(_ANIMAL), frozenset()),
    Diet.VEGAN: (frozenset(_ANIMAL | {MenuTag.DAIRY, MenuTag.EGG}), frozenset()),
    Diet.NO_BEEF: (frozenset({MenuTag.BEEF}), frozenset()),
    Diet.NO_PORK: (frozenset({MenuTag.PORK}), frozenset()),
    Diet.NO_ALCOHOL: (frozenset({MenuTag.ALCOHOL}), frozenset()),
    Diet.SEAFOOD_ALLERGY: (frozenset({MenuTag.SEAFOOD, MenuTag.SHELLFISH}), frozenset({MenuTag.FISH})),
    Diet.NUT_ALLERGY: (frozenset({MenuTag.NUTS}), frozenset()),
    Diet.GLUTEN_FREE: (frozenset({MenuTag.GLUTEN}), frozenset()),
    Diet.LACTOSE_FREE: (frozenset({MenuTag.DAIRY}), frozenset()),
}
_TAG_ORDER = list(MenuTag)


def _tags(tags: Iterable[MenuTag], last: str = "and") -> str:
    return _words([tag.value for tag in sorted(tags, key=_TAG_ORDER.index)], last)


def _menu_findings(diets: Iterable[Diet], slot: _Slot) -> Iterator[tuple[str, Severity]]:
    for diet in dict.fromkeys(diets):
        banned, ask = DIET_RULES[diet]
        found_banned, found_ask = banned.intersection(slot.menu), ask.intersection(slot.menu)
        if not found_banned and not found_ask:
            continue
        rule = f"no {_tags(banned, 'or')}" + (f"; ask about {_tags(ask, 'or')}" if ask else "")
        where = "this item's own menu" if slot.own_menu else f"the shared menu of {slot.programme}"
        severity = ERROR if found_banned and slot.own_menu else WARNING
        yield f"expected a menu fit for {diet.value} ({rule}), got {_tags(found_banned | found_ask)} in {where}", severity


def menu_against_diet(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """Menu tags of the items someone attends against their diet and allergy codes (see ``DIET_RULES``).

    The guest's schedule is checked against ``health.diet``; the spouse's and each entourage member's own
    ``programme`` against their ``diet``. Error when the person's own plate (a private item's menu, or a ``menu``
    written on the schedule entry) holds something the diet rules out. Warning when it is the shared programme
    menu — the LO arranges a separate plate and records it in the entry's ``menu`` — and for tags to ask about
    (fish for a seafood allergy).
    """
    for record in loaded.guests:
        diets = record.guest.health.diet
        for slot in _guest_slots(record, loaded.event):
            located = (*slot.loc, "menu") if slot.own_menu else slot.loc
            for message, severity in _menu_findings(diets, slot):
                yield _in_guest(record, located, message, severity, shown=(*slot.loc, "menu"))
        for person, slot in _person_slots(record, loaded.event):
            for message, severity in _menu_findings(person.diet, slot):
                yield _in_guest(record, slot.loc, message, severity)


def unknown_country_page(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """A guest whose country has no page in content/countries/: a warning (the page can follow; the LO needs it)."""
    for record in loaded.guests:
        if record.guest.country not in country_codes:
            message = f'expected a country with a page in content/countries/, got "{record.guest.country}"'
            yield _in_guest(record, ("country",), message, WARNING)


def unknown_references(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """Ids that name nothing in the event file: venues, hotels, hospitals, contacts, programme items and LOs. Errors.

    In the event file: each programme item's venue and each hotel's duty manager (a contact id). In each guest
    file: schedule programme and venue, stay hotel, health hospital, contacts, the LO and backup LO, and the spouse's
    and entourage's programme lists and LOs. A close spelling is offered when there is one.
    """
    event, where = loaded.event, loaded.event_source
    venues = [v.id for v in event.venues]
    hotels = [h.id for h in event.hotels]
    hospitals = [h.id for h in event.hospitals]
    contacts = [c.id for c in event.contacts]
    programme = [p.id for p in event.programme]
    los = [lo.id for lo in event.los]
    for index, item in enumerate(event.programme):
        if item.venue not in venues:
            yield _in_event(loaded, ("programme", index, "venue"), _unknown("venue", item.venue, venues, "venues"))
    for index, hotel in enumerate(event.hotels):
        if hotel.duty_manager not in contacts:
            message = _unknown("contact", hotel.duty_manager, contacts, "contacts")
            yield _in_event(loaded, ("hotels", index, "duty_manager"), message)
    for record in loaded.guests:
        guest = record.guest
        refs: list[tuple[Loc, str | None, str, list[str]]] = [
            (("stay", "hotel"), guest.stay.hotel, "hotel", hotels),
            (("health", "hospital"), guest.health.hospital, "hospital", hospitals),
            (("lo",), guest.lo, "LO", los),
            (("backup_lo",), guest.backup_lo, "LO", los),
        ]
        for index, entry in enumerate(guest.schedule):
            refs.append((("schedule", index, "programme"), entry.programme, "programme", programme))
            refs.append((("schedule", index, "venue"), entry.venue, "venue", venues))
        refs += [(("contacts", index), wanted, "contact", contacts) for index, wanted in enumerate(guest.contacts)]
        for loc, person in _people(record):
            refs += [((*loc, "programme", i), wanted, "programme", programme) for i, wanted in enumerate(person.programme)]
            refs.append(((*loc, "lo"), person.lo, "LO", los))
        for loc, value, kind, known in refs:
            if value is not None and value not in known:
                yield _in_guest(record, loc, _unknown(kind, value, known, where))


def private_items(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """Schedule entries that are neither a programme reference nor a complete private item, or that end too early.

    Error: no programme id and no title, start or end (the item would silently drop out of the itinerary), or an
    end before the start (an end equal to the start is a warning). Warning: a private item with neither a venue nor
    a place (the LO would not know where to go).
    """
    for record in loaded.guests:
        for index, entry in enumerate(record.guest.schedule):
            loc: Loc = ("schedule", index)
            if entry.programme is None:
                missing = [name for name in ("title", "start", "end") if getattr(entry, name) is None]
                if missing:
                    missing_words = _words(missing, "or")
                    message = f"expected a programme id, or a title, start and end for a private item, got no {missing_words}"
                    yield _in_guest(record, loc, message)
                if entry.venue is None and entry.place is None:
                    message = "expected a venue id or a place for a private item, got neither"
                    yield _in_guest(record, loc, message, WARNING, shown=(*loc, "place"))
            if entry.start is not None and entry.end is not None and entry.end <= entry.start:
                severity = ERROR if entry.end < entry.start else WARNING
                message = f"expected a time after the start ({_when(entry.start)}), got {_when(entry.end)}"
                yield _in_guest(record, (*loc, "end"), message, severity)


def spouse_arrangements(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """A spouse with no LO (error: a visiting spouse is never left unaccompanied; name the LO, even the backup LO)
    or with no programme (warning: the spouse may simply go along with the guest; the trainer confirms)."""
    for record in loaded.guests:
        spouse = record.guest.spouse
        if spouse is None:
            continue
        if not spouse.lo:
            message = "expected the id of the LO who accompanies the spouse (from los in the event file), got none"
            yield _in_guest(record, ("spouse",), message, shown=("spouse", "lo"))
        if not spouse.programme:
            message = "expected the spouse's programme ids, got none"
            yield _in_guest(record, ("spouse",), message, WARNING, shown=("spouse", "programme"))


_INTERNATIONAL = re.compile(r"^\+[1-9][0-9 ]*[0-9]$")


def _phone_problem(number: str) -> str | None:
    digits = number.replace(" ", "")
    if not _INTERNATIONAL.match(number) or not 8 <= len(digits) - 1 <= 15 or "  " in number:
        example = "+66 81 234 5678 (a plus, the country code, digits and single spaces)"
        return f'expected an international number like {example}, got "{number}"'
    if digits.startswith("+660"):
        return f'expected the number after +66 without its leading 0, got "{number}"'
    if not phones.verdict(number)[0]:
        return f'expected a number of a length that can be dialled in its country, got "{number}"'
    return None


def _phone_doubt(number: str) -> str | None:
    """A number of a possible length that no operator in its country uses (phonenumbers' metadata): ask."""
    possible, valid = phones.verdict(number)
    if valid or not possible:
        return None
    return f'expected a number in use in its country\'s numbering plan, got "{number}"; check it with the delegation'


def _phone_fields(value: object, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every field named ``phone`` anywhere inside a record, with its path."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            field_value = getattr(value, name)
            if name == "phone" and isinstance(field_value, str):
                yield (*loc, name), field_value
            else:
                yield from _phone_fields(field_value, (*loc, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _phone_fields(item, (*loc, index))


def phone_format(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """Phone numbers not in international format (+<country code> digits, single spaces allowed). Errors: the
    site's tap-to-call links and the contact cards exported to the LO's phone need the full number, and the
    entourage dial from foreign phones. Every ``phone`` field is checked: contacts, hotels, hospitals, LOs, the
    spouse and entourage, the driver and the police officers. Beyond the format, the phonenumbers library's
    metadata: a length no number of that country has is an error; a number of a possible length that is not in
    use in the country's numbering plan is a warning (invented or mistyped; the delegation confirms)."""
    for loc, number in _phone_fields(loaded.event, ()):
        if (message := _phone_problem(number)) is not None:
            yield _in_event(loaded, loc, message)
        elif (doubt := _phone_doubt(number)) is not None:
            yield _in_event(loaded, loc, doubt, WARNING)
    for record in loaded.guests:
        for loc, number in _phone_fields(record.guest, ()):
            if (message := _phone_problem(number)) is not None:
                yield _in_guest(record, loc, message)
            elif (doubt := _phone_doubt(number)) is not None:
                yield _in_guest(record, loc, doubt, WARNING)


def _months_later(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def passport_validity(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """A passport that expires before the departure date (error: the guest cannot leave on it), or within six
    months after it (warning: many countries and airlines ask for six months' validity; the delegation may need
    to act)."""
    for record in loaded.guests:
        passport = record.guest.passport
        if passport is None:
            continue
        departs = _day(record.guest.departure.time)
        six_months = _months_later(departs, 6)
        if passport.expires < departs:
            message = f"expected {departs} (the departure date) or later, got {passport.expires}"
            yield _in_guest(record, ("passport", "expires"), message)
        elif passport.expires < six_months:
            message = f"expected {six_months} (six months after the departure date) or later, got {passport.expires}"
            yield _in_guest(record, ("passport", "expires"), message, WARNING)


def event_integrity(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """Duplicate ids within venues, hotels, hospitals, contacts, the programme or the LOs (error: references would be
    ambiguous), and programme items that end before they start (error; ending as they start is a warning)."""
    event = loaded.event
    lists: dict[str, Sequence] = {"venues": event.venues, "hotels": event.hotels, "hospitals": event.hospitals,
                                  "contacts": event.contacts, "programme": event.programme, "los": event.los}
    for name, items in lists.items():
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in seen:
                message = f'expected an id not used before in {name}, got "{item.id}", already the id of {name}[{seen[item.id]}]'
                yield _in_event(loaded, (name, index, "id"), message)
            else:
                seen[item.id] = index
    for index, item in enumerate(event.programme):
        if item.end <= item.start:
            severity = ERROR if item.end < item.start else WARNING
            message = f"expected a time after the start ({_when(item.start)}), got {_when(item.end)}"
            yield _in_event(loaded, ("programme", index, "end"), message, severity)


def country_codes_iso(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """A country or passport nationality that is not an ISO 3166-1 alpha-2 code (pycountry): an error, since the
    country page, the flag and the etiquette all hang on it (``ZZ`` or ``UK`` for GB would silently find nothing)."""
    for record in loaded.guests:
        wanted: list[tuple[Loc, str]] = [(("country",), record.guest.country)]
        if record.guest.passport is not None:
            wanted.append((("passport", "nationality"), record.guest.passport.nationality))
        for loc, code in wanted:
            if pycountry.countries.get(alpha_2=code) is None:
                hint = ' (the United Kingdom is "GB")' if code == "UK" else ""
                yield _in_guest(record, loc, f'expected an ISO 3166 country code like JP or NO{hint}, got "{code}"')


# --- across guests ---------------------------------------------------------------------------------------------


class _Time(NamedTuple):
    """A while somewhere: a schedule item, a programme item or an airport transfer of one guest."""

    starts: float  # timestamps, for the sweep (aware datetimes compare slowly)
    ends: float
    place: str  # the programme id, venue, place text, or "airport"
    start: dt.datetime
    end: dt.datetime
    label: str  # the item, as named in messages


def _time(start: dt.datetime, end: dt.datetime, place: str, label: str) -> _Time:
    return _Time(start.timestamp(), end.timestamp(), place, start, end, label)


class _Booking(NamedTuple):
    """Someone or something (an LO, a driver, a car, a police officer) needed by one guest for a while."""

    record: GuestRecord
    what: str  # "LO", "driver", "car", "police officer"
    key: str  # who or which: the name or the plate, spaces and case folded
    loc: Loc  # where the name or plate is written
    time: _Time


def _span(start: dt.datetime, end: dt.datetime) -> str:
    """``2027-03-01 18:30–20:30`` (the end's date only when it differs)."""
    shown = f"{thaidate.local(end):%H:%M}" if _day(start) == _day(end) else _when(end)
    return f"{_when(start)}–{shown}"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _bookings(record: GuestRecord, event: Event) -> Iterator[_Booking]:
    """The guest's LO, driver, car and police for each of the guest's items and the two airport transfers; the
    spouse's and entourage's LO for their own programme items."""
    info, g = event.event, record.guest
    slots = _guest_slots(record, event)
    places = {entry_index: _place_of(record, entry_index) for entry_index in range(len(g.schedule))}
    times = [_time(slot.start, slot.end, places[int(slot.loc[1])], slot.name) for slot in slots]
    times.append(_time(g.arrival.time, g.arrival.time + dt.timedelta(minutes=info.arrival_buffer_minutes), "airport",
                       f"arrival {g.arrival.flight}"))
    times.append(_time(g.departure.time - dt.timedelta(minutes=info.airport_checkin_minutes), g.departure.time, "airport",
                       f"departure {g.departure.flight}"))
    t = g.transport
    who: list[tuple[str, str, Loc]] = [("LO", g.lo, ("lo",)), ("driver", t.driver.name, ("transport", "driver", "name")),
                                       ("car", t.plate, ("transport", "plate")),
                                       ("police officer", t.protective_police.name, ("transport", "protective_police", "name"))]
    if t.lead_car_police is not None:
        who.append(("police officer", t.lead_car_police.name, ("transport", "lead_car_police", "name")))
    for what, name, loc in who:
        key = _fold(name)
        for time in times:
            yield _Booking(record, what, key, loc, time)
    programme = programme_index(event)
    for where, person in _people(record):
        if not person.lo:
            continue
        key = _fold(person.lo)
        for index, wanted in enumerate(person.programme):
            item = programme.get(wanted)
            if item is not None and item.status is not Status.CANCELLED:
                label = f"{format_field((*where, 'programme', index))} ({wanted})"
                yield _Booking(record, "LO", key, (*where, "lo"), _time(item.start, item.end, wanted, label))


def _place_of(record: GuestRecord, index: int) -> str:
    entry = record.guest.schedule[index]
    return entry.programme or entry.venue or entry.place or f"{record.id}:{index}"


def double_bookings(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """One LO, driver, car (by plate) or police officer booked by two guests in two places at overlapping times.

    Error: nobody can be in two places at once. A person is booked for every item the guest attends (cancelled ones
    left out), from landing until the transfer buffer ends, and from the airport check-in deadline until take-off;
    the spouse's and entourage's LO for their own programme items. Two guests at the same programme item or venue,
    or both at the airport, share the booking without conflict (one LO may escort two guests into the same
    session; two arrivals close together at different terminals are ``airport_meetings``). Names are compared with
    spaces and case folded. One finding per person and pair of guests, on the later file.
    """
    by_key: dict[tuple[str, str], list[_Booking]] = {}
    for record in loaded.guests:
        for booking in _bookings(record, loaded.event):
            by_key.setdefault((booking.what, booking.key), []).append(booking)
    for (what, _), bookings in sorted(by_key.items()):
        # Bookings of the same time and place never conflict with each other: sweep over those slots, in time order,
        # with plain timestamps (aware datetimes compare slowly). 200 guests sharing a few LOs stay quick.
        slots: dict[tuple[float, float, str], list[_Booking]] = {}
        for booking in bookings:
            slots.setdefault(booking.time[:3], []).append(booking)
        timed = sorted(slots.items())
        reported: set[tuple[str, str]] = set()
        for index, ((_, ends, place), group) in enumerate(timed):
            for (starts, _, other_place), others in timed[index + 1 :]:  # the slots starting before this one ends
                if starts >= ends:
                    break
                if other_place == place:
                    continue
                for one in group:
                    for other in others:
                        if other.record is one.record:
                            continue
                        first, later = sorted((one, other), key=lambda b: b.record.source)
                        if (first.record.id, later.record.id) in reported:
                            continue
                        reported.add((first.record.id, later.record.id))
                        yield _double_booking(what, first, later)


def _double_booking(what: str, first: _Booking, later: _Booking) -> Diagnostic:
    article = "an" if what == "LO" else "a"
    message = (
        f"expected {article} {what} free {_span(later.time.start, later.time.end)} ({later.time.label}), got one also "
        f"booked by {first.record.source} {_span(first.time.start, first.time.end)} ({first.time.label})"
    )
    return _in_guest(later.record, later.loc, message)


def shared_rooms(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """The same room of the same hotel given to two guests for overlapping nights: an error (the second delegation
    would arrive at an occupied room). Rooms are compared with spaces and case folded; one guest's spouse shares
    the guest's own record, so is never a second booking."""
    guests = sorted(loaded.guests, key=lambda r: r.source)
    for index, later in enumerate(guests):
        stay = later.guest.stay
        for first in guests[:index]:
            other = first.guest.stay
            if other.hotel != stay.hotel or _fold(other.room) != _fold(stay.room):
                continue
            if stay.check_in >= other.check_out or other.check_in >= stay.check_out:
                continue
            message = (
                f"expected a room no other guest has in {stay.hotel} from {stay.check_in} to {stay.check_out}, "
                f'got "{stay.room}", also given to {first.source} from {other.check_in} to {other.check_out}'
            )
            yield _in_guest(later, ("stay", "room"), message)
            break


def airport_meetings(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    """One LO meeting two arrivals at different terminals (or gates) less than the event's transfer buffer
    (``arrival_buffer_minutes``) apart: a warning, since the LO cannot wait at both arrival gates; the backup LO
    may take one. Arrivals at the same terminal text are fine (the LO waits there for both)."""
    buffer = dt.timedelta(minutes=loaded.event.event.arrival_buffer_minutes)
    by_lo: dict[str, list[GuestRecord]] = {}
    for record in sorted(loaded.guests, key=lambda r: (r.guest.arrival.time, r.source)):
        by_lo.setdefault(record.guest.lo, []).append(record)
    for guests in by_lo.values():
        for index, later in enumerate(guests):
            arrival = later.guest.arrival
            for first in guests[:index]:
                earlier = first.guest.arrival
                if arrival.time - earlier.time >= buffer or _fold(earlier.terminal or "") == _fold(arrival.terminal or ""):
                    continue
                message = (
                    f"expected the LO at one terminal, or arrivals at least {loaded.event.event.arrival_buffer_minutes} "
                    f'minutes apart, got {arrival.flight} at {_when(arrival.time)} at "{arrival.terminal or "no terminal"}" '
                    f'and {earlier.flight} ({first.source}) at {_when(earlier.time)} at "{earlier.terminal or "no terminal"}"'
                )
                yield _in_guest(later, ("arrival", "terminal") if arrival.terminal else ("arrival",), message, WARNING)


CHECKS: list[Check] = [
    schedule_overlaps,
    outside_stay,
    hotel_nights,
    menu_against_diet,
    unknown_country_page,
    unknown_references,
    private_items,
    spouse_arrangements,
    phone_format,
    passport_validity,
    event_integrity,
    country_codes_iso,
    double_bookings,
    shared_rooms,
    airport_meetings,
]


def check_event(loaded: LoadedEvent, country_codes: set[str]) -> list[Diagnostic]:
    """Run every check; findings sorted by file and line."""
    return sorted(d for check in CHECKS for d in check(loaded, country_codes))
