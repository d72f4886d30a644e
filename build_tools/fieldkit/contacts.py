"""Who the LO must be able to reach, as vCard 3.0 text for the phone and as the QR code on the pocket card."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
import segno

from ..compose.guest import GuestView
from ..compose.pages import ROLE_LABELS, ROLE_NAMES
from ..model import Contact, ContactRole
from ..profiles import PLACEHOLDER
from ..store import remembered
from .names import split_name

CRLF = "\r\n"


@dataclass(frozen=True)
class Reach:
    """One person or desk the LO may have to call."""

    key: str  # stable within a guest: "driver", "contact-coord-main", "hospital"
    role: str  # "พนักงานขับรถ (Driver)"
    role_en: str  # "Driver"
    name: str
    phone: str | None  # None when the profile withheld it (or none is known)
    organisation: str | None = None
    landline: bool = False  # a desk or switchboard rather than a mobile
    desk: ContactRole | None = None  # the role in the event's contacts directory, for people from it

    @property
    def withheld(self) -> bool:
        return self.phone is None


def _phone(value: str | None) -> str | None:
    return None if value is None or value == PLACEHOLDER else value


def _contact(contact: Contact) -> Reach:
    return Reach(f"contact-{contact.id}", ROLE_LABELS[contact.role], ROLE_NAMES[contact.role][1], contact.name,
                 _phone(contact.phone), contact.organisation, desk=contact.role)


def key_contacts(view: GuestView) -> list[Reach]:
    """The people on the pocket card: main and backup coordinator, driver, protective police, hotel duty manager."""
    g = view.guest
    people = [_contact(c) for role in (ContactRole.MAIN_COORDINATOR, ContactRole.BACKUP_COORDINATOR)
              for c in view.coordinators if c.role is role]
    people.append(Reach("driver", "พนักงานขับรถ (Driver)", "Driver", g.transport.driver.name, _phone(g.transport.driver.phone)))
    police = g.transport.protective_police
    people.append(Reach("protective-police", "ตำรวจอารักขา (Protective police)", "Protective police", police.name, _phone(police.phone)))
    if view.duty_manager:
        people.append(_contact(view.duty_manager))
    return people


def all_contacts(view: GuestView) -> list[Reach]:
    """Everyone the LO must reach for this guest: the card's people plus the rest of the team, hotel, hospital and desks."""
    g, event = view.guest, view.event
    people = key_contacts(view)
    if g.transport.lead_car_police:
        lead = g.transport.lead_car_police
        people.append(Reach("lead-car-police", "ตำรวจรถนำ (Lead-car police)", "Lead-car police", lead.name, _phone(lead.phone)))
    if view.backup_lo:
        people.append(Reach("backup-lo", "LO สำรอง (Backup LO)", "Backup LO", view.backup_lo.name, _phone(view.backup_lo.phone)))
    desks = [c for c in event.contacts if c.role in (ContactRole.SECRETARIAT, ContactRole.MEDICAL, ContactRole.TRANSPORT, ContactRole.POLICE)]
    for contact in desks + view.contacts:
        if f"contact-{contact.id}" not in {p.key for p in people}:
            people.append(_contact(contact))
    if view.hotel:
        hotel = view.hotel
        people.append(Reach("hotel", "โรงแรมที่พัก (Hotel)", "Hotel", f"{hotel.name.th} ({hotel.name.en})", _phone(hotel.phone), landline=True))
    if view.hospital:
        hospital = view.hospital
        people.append(Reach("hospital", "โรงพยาบาลที่กำหนด (Designated hospital)", "Designated hospital",
                            f"{hospital.name.th} ({hospital.name.en})", _phone(hospital.phone), landline=True))
    for number, person in enumerate(([g.spouse] if g.spouse else []) + list(g.entourage)):
        if person.phone:
            people.append(Reach(f"delegation-{number}", f"คณะของแขก (Delegation): {person.relation}", f"Delegation: {person.relation}",
                                person.name, _phone(person.phone)))
    return people


# --- vCard 3.0 ------------------------------------------------------------------------------------------------


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF + space, never splitting a UTF-8 character (RFC 2425/6350)."""
    if len(line.encode("utf-8")) <= 75:
        return line
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return CRLF.join(parts)


def _card(lines: list[str]) -> str:
    return "".join(_fold(line) + CRLF for line in ["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"])


def vcard(person: Reach, uid: str, guest_name: str, event_name: str) -> str:
    """One contact: a person (``N`` split into family name, given names and title or rank) or, for the hotel, the
    hospital and the event's desks (a directory entry whose name has no personal title), an organisation. ``UID`` stable across builds, so a re-import updates instead of duplicating."""
    note = f"{person.role} — LO: {guest_name} — {event_name}"
    if person.withheld:
        note += f" — โทร (phone): {PLACEHOLDER}"
    lines = [f"UID:{_escape(uid)}", f"FN:{_escape(person.name)}"]
    name = split_name(person.name)
    if person.landline or (person.desk is not None and not name.prefix):  # the hotel, the hospital, a desk: no person
        lines += ["N:;;;;", f"ORG:{_escape(person.name)}", "X-ABShowAs:COMPANY"]
    else:
        lines += [f"N:{_escape(name.family)};{_escape(name.given)};;{_escape(name.prefix)};",
                  f"ORG:{_escape(person.organisation or event_name)}"]
    lines.append(f"TITLE:{_escape(person.role)}")
    if person.phone:
        lines.append(f"TEL;TYPE={phone_type(person.phone, person.landline)}:{_escape(person.phone)}")
    lines += [f"NOTE:{_escape(note)}", f"CATEGORIES:{_escape(event_name)},LO"]
    return _card(lines)


def phone_type(phone: str, landline: bool) -> str:
    """The vCard TYPE of a number: a mobile is CELL, a fixed line WORK,VOICE (phonenumbers knows which is which)."""
    try:
        kind = phonenumbers.number_type(phonenumbers.parse(phone))
    except phonenumbers.NumberParseException:
        kind = None
    if kind == phonenumbers.PhoneNumberType.MOBILE:
        return "CELL"
    if kind == phonenumbers.PhoneNumberType.FIXED_LINE or landline:
        return "WORK,VOICE"
    return "VOICE"


def vcards(view: GuestView) -> str:
    """The guest's .vcf: one vCard per person, CRLF line endings."""
    domain = re.sub(r"[^a-z0-9]+", "-", view.event.event.short_name.lower()).strip("-") + ".lo-briefing"
    return "".join(vcard(p, f"{view.id}.{p.key}@{domain}", view.display_name, view.event.event.short_name)
                   for p in all_contacts(view))


# --- the QR code on the card ------------------------------------------------------------------------------------


def qr_payload(view: GuestView) -> str:
    """One vCard carrying every key contact as a labelled mobile number (the card itself shows the names).

    Kept short on purpose, so the code stays coarse enough to scan from a pocket card: no NOTE, numbers without spaces.
    """
    lines = [f"FN:{_escape('LO ' + view.display_name)}", f"N:{_escape(view.event.event.short_name)};{_escape('LO ' + view.guest.name.preferred)};;;"]
    for number, person in enumerate((p for p in key_contacts(view) if p.phone), start=1):
        phone = re.sub(r"[\s().-]", "", person.phone or "")
        lines += [f"item{number}.TEL;TYPE=CELL:{_escape(phone)}", f"item{number}.X-ABLabel:{_escape(person.role_en)}"]
    return _card(lines)


def qr_svg(payload: str, cache: Path | None = None) -> str:
    """The QR code as inline SVG (no XML declaration, sized by CSS); remembered in ``cache`` (segno's choice of mask
    costs about 25 ms a code, for every guest at every build)."""

    def draw() -> str:
        code = segno.make(payload, error="l", micro=False)
        return code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None)

    return remembered(cache, f"qr_svg v1 segno {segno.__version__}\n{payload}", draw)
