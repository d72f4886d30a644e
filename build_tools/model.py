"""The typed records of one event: the shared event data and one record per guest.

Sensitive fields carry a :class:`Sensitive` marker in their annotation. Redaction (see ``profiles``) reads the
markers, never a list kept elsewhere, so a new field is sensitive or not by its declaration here.

Free text is sensitive unless the schema says otherwise: a text field without a pattern and without a marker is
treated as ``Sensitive("notes")`` (people write anything into a "notes" or "relation" field — "carries the second
auto-injector"). Names, titles, addresses and other labels that every profile shows are declared :class:`Public`.
Enum codes can be sensitive one by one: a diet code such as ``seafood-allergy`` is medical (``Diet.sensitive_kind``).
"""

from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, GetJsonSchemaHandler, StringConstraints, field_validator


@dataclass(frozen=True)
class Sensitive:
    """Marks a field whose value must not leave the LO's own material. ``kind`` lets profiles choose."""

    kind: Literal["contact", "medical", "identity", "lodging", "vehicle", "notes"]

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        """Editors show the marker: ``"x-sensitive": "medical"``."""
        return {**handler(schema), "x-sensitive": self.kind}


@dataclass(frozen=True)
class Public:
    """Marks a text field the schema declares not sensitive (a name, a title, an address): every profile shows it."""


FREE_TEXT_KIND = "notes"  # what an unmarked free-text field counts as


def _free_text(annotation: Any) -> bool:
    """Whether values of ``annotation`` are text of any shape (``str`` without a pattern, alone, optional or listed)."""
    if get_origin(annotation) is Annotated:
        base, *meta = get_args(annotation)
        return not any(getattr(m, "pattern", None) for m in meta) and _free_text(base)
    if annotation is str:
        return True
    if get_origin(annotation) in (list, Union, types.UnionType):
        return any(_free_text(arg) for arg in get_args(annotation))
    return False


@cache
def sensitive_kind(model: type[BaseModel], name: str) -> str | None:
    """The ``Sensitive`` kind of a field: declared (directly or inside ``X | None``), ``notes`` for free text not
    declared :class:`Public`, or None (asked per value: cached)."""
    info = model.model_fields[name]
    nested = [m for arg in get_args(info.annotation) for m in getattr(arg, "__metadata__", ())]
    marks = [*info.metadata, *nested]
    declared = next((m.kind for m in marks if isinstance(m, Sensitive)), None)
    if declared or any(isinstance(m, Public) for m in marks):
        return declared
    if any(getattr(m, "pattern", None) for m in info.metadata):
        return None
    return FREE_TEXT_KIND if _free_text(info.annotation) else None


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Label = Annotated[Text, Public()]  # a name, title, address or other short label: shown in every profile
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Phone = Annotated[Text, Sensitive("contact")]
Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Record(BaseModel):
    """Base of every record: unknown keys are errors, values are checked on assignment too."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Bilingual(Record):
    th: Label
    en: Label


class Diet(str, Enum):
    HALAL = "halal"
    VEGETARIAN = "vegetarian"
    VEGAN = "vegan"
    KOSHER = "kosher"
    NO_BEEF = "no-beef"
    NO_PORK = "no-pork"
    NO_ALCOHOL = "no-alcohol"
    GLUTEN_FREE = "gluten-free"
    LACTOSE_FREE = "lactose-free"
    SEAFOOD_ALLERGY = "seafood-allergy"
    NUT_ALLERGY = "nut-allergy"

    @property
    def sensitive_kind(self) -> str | None:
        """Allergies and intolerances are health data: they follow the medical rule wherever a code is listed."""
        return "medical" if self in _MEDICAL_DIETS else None


_MEDICAL_DIETS = {Diet.SEAFOOD_ALLERGY, Diet.NUT_ALLERGY, Diet.GLUTEN_FREE, Diet.LACTOSE_FREE}


class MenuTag(str, Enum):
    """What a meal contains; checked against guests' diets."""

    PORK = "pork"
    BEEF = "beef"
    ALCOHOL = "alcohol"
    SEAFOOD = "seafood"
    SHELLFISH = "shellfish"
    NUTS = "nuts"
    MEAT = "meat"
    FISH = "fish"
    DAIRY = "dairy"
    EGG = "egg"
    GLUTEN = "gluten"
    NON_HALAL_MEAT = "non-halal-meat"
    NON_KOSHER = "non-kosher"


class Status(str, Enum):
    TENTATIVE = "tentative"
    CONFIRMED = "confirmed"
    CHANGED = "changed"
    CANCELLED = "cancelled"


class ContactRole(str, Enum):
    MAIN_COORDINATOR = "main-coordinator"
    BACKUP_COORDINATOR = "backup-coordinator"
    SECRETARIAT = "secretariat"
    MEDICAL = "medical"
    TRANSPORT = "transport"
    POLICE = "police"
    HOTEL_DUTY_MANAGER = "hotel-duty-manager"
    PROTOCOL = "protocol"
    EMBASSY = "embassy"
    OTHER = "other"


# --- the event -----------------------------------------------------------------------------------------------


class Contact(Record):
    id: Id
    role: ContactRole
    name: Label
    organisation: Label | None = None
    phone: Phone
    radio: Label | None = None
    email: Annotated[Text | None, Sensitive("contact")] = None


class GeoPoint(Record):
    """Where a place is (WGS 84 degrees): the page opens the phone's maps app on it with a ``geo:`` link."""

    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class LiaisonOfficer(Record):
    """An LO of the event. Guest files name their LO and backup LO by ``id`` (``lo``, ``backup_lo``, ``spouse.lo``);
    each LO's bundle (``make bundles``) carries only the guests they escort or back up."""

    id: Id
    name: Label
    phone: Phone


class Venue(Record):
    id: Id
    name: Bilingual
    address: Label
    geo: GeoPoint | None = None
    notes: Label | None = None  # the secretariat's own logistics about a shared place, not about a person
    prayer_room: Label | None = None
    medical_room: Label | None = None


class Hotel(Record):
    id: Id
    name: Bilingual
    address: Label
    geo: GeoPoint | None = None
    phone: Label
    duty_manager: Id  # a contact id
    check_in_time: Clock = "14:00"
    check_out_time: Clock = "12:00"
    breakfast: Label | None = None
    wifi: Label | None = None


class Hospital(Record):
    id: Id
    name: Bilingual
    address: Label
    geo: GeoPoint | None = None
    phone: Label
    notes: Label | None = None  # the secretariat's own logistics about a shared place, not about a person


class ProgrammeItem(Record):
    """An item of the shared programme (a session, a dinner, a visit) that guests attend."""

    id: Id
    title: Bilingual
    start: AwareDatetime
    end: AwareDatetime
    venue: Id
    dress: Label | None = None
    status: Status = Status.CONFIRMED
    menu: list[MenuTag] = []
    notes: Label | None = None  # the secretariat's own logistics about a shared session, not about a person


class EmergencyNumber(Record):
    number: Label
    th: Label
    en: Label


DEFAULT_EMERGENCY_NUMBERS = [
    EmergencyNumber(number="191", th="ตำรวจ (เหตุด่วนเหตุร้าย)", en="Police"),
    EmergencyNumber(number="1669", th="การแพทย์ฉุกเฉิน (รถพยาบาล)", en="Emergency medical services"),
    EmergencyNumber(number="199", th="ดับเพลิง", en="Fire"),
    EmergencyNumber(number="1155", th="ตำรวจท่องเที่ยว", en="Tourist police"),
    EmergencyNumber(number="1784", th="กรมป้องกันและบรรเทาสาธารณภัย (ปภ.)", en="Disaster prevention and mitigation"),
]


class EventInfo(Record):
    name: Bilingual
    short_name: Label
    host: Bilingual
    starts: dt.date
    ends: dt.date
    timezone: Literal["Asia/Bangkok"] = "Asia/Bangkok"
    airport: Label = "BKK"
    arrival_buffer_minutes: Annotated[int, Field(ge=0, le=600)] = 120
    airport_checkin_minutes: Annotated[int, Field(ge=30, le=600)] = 180


class EventRules(Record):
    """The host's own choices for this event, not facts from the source documents. Knowledge pages mark them as event
    rules to confirm (``*…*{.event-rule}``); guest checklists use the values set here."""

    lo_at_airport_minutes: Annotated[int, Field(ge=15, le=240)] = 60  # the LO at the airport this long before landing
    # a lost passport or a missing delegate: tell the main coordinator after this long
    escalate_after_minutes: Annotated[int, Field(ge=5, le=180)] = 30
    lo_day_max_hours: Annotated[int, Field(ge=8, le=20)] = 16  # the longest working day before a backup LO takes over


class Event(Record):
    event: EventInfo
    rules: EventRules = EventRules()
    venues: list[Venue]
    hotels: list[Hotel]
    hospitals: list[Hospital] = []
    contacts: list[Contact]
    programme: list[ProgrammeItem]
    los: list[LiaisonOfficer]
    emergency_numbers: list[EmergencyNumber] = DEFAULT_EMERGENCY_NUMBERS


# --- a guest -------------------------------------------------------------------------------------------------


class AddressForm(Record):
    spoken: Label
    written: Label


class Person(Record):
    """Someone in a delegation: the spouse or a member of the entourage."""

    name: Label
    name_th: Label | None = None
    relation: Text  # e.g. "spouse", "Chief of Staff"
    address_as: AddressForm
    phone: Annotated[Text | None, Sensitive("contact")] = None
    diet: list[Diet] = []
    lo: Id | None = None  # the LO who accompanies this person: an id from the event's los
    programme: list[Id] = []  # programme ids (the spouse programme)


class Officer(Record):
    name: Label
    phone: Phone


class Name(Record):
    passport: Label
    preferred: Label
    thai: Label
    pronunciation: Label
    title: Label


class Flight(Record):
    flight: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{2}\s?\d{1,4}[A-Z]?$")]
    airport: Label  # the other end: origin on arrival, destination on departure
    time: AwareDatetime
    terminal: Label | None = None
    lounge: Label | None = None
    baggage: Label | None = None


class Billing(Record):
    host: list[Label] = []
    guest: list[Label] = []


class Stay(Record):
    hotel: Id
    room: Annotated[Text, Sensitive("lodging")]
    check_in: dt.date
    check_out: dt.date
    room_type: Label | None = None
    billing: Billing = Billing()


class Transport(Record):
    car: Label  # model and colour
    plate: Annotated[Text, Sensitive("vehicle")]
    driver: Officer
    protective_police: Officer
    lead_car_police: Officer | None = None


class Allergy(Record):
    allergen: Annotated[Text, Sensitive("medical")]
    severity: Literal["mild", "moderate", "severe", "anaphylaxis"]
    response: Annotated[Text, Sensitive("medical")]  # what to do


class Health(Record):
    diet: list[Diet] = []
    allergies: Annotated[list[Allergy], Sensitive("medical")] = []
    conditions: Annotated[list[Text], Sensitive("medical")] = []
    medications: Annotated[list[Text], Sensitive("medical")] = []
    hospital: Id | None = None  # a hospital id
    notes: Annotated[Text | None, Sensitive("medical")] = None


class Faith(Record):
    religion: Text | None = None
    prayer: Text | None = None  # prayer needs: times, room, qibla
    observances: Text | None = None


class ScheduleItem(Record):
    """One item of the guest's own schedule: a shared programme item by id, or a private item written out."""

    programme: Id | None = None
    title: Bilingual | None = None
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    venue: Id | None = None
    place: Label | None = None  # a place that is not an event venue
    dress: Label | None = None
    role: Label | None = None
    status: Status | None = None
    menu: list[MenuTag] = []
    notes: Text | None = None
    car_departs: Clock | None = None


class Passport(Record):
    number: Annotated[Text, Sensitive("identity")]
    nationality: CountryCode
    expires: Annotated[dt.date, Sensitive("identity")]


class Guest(Record):
    name: Name
    position: Label
    organisation: Label
    country: CountryCode
    role: Literal["head-of-delegation", "delegate", "observer", "speaker"] = "head-of-delegation"
    address_as: AddressForm
    languages: list[Label]
    interpreter: Label | None = None
    photo: Label | None = None
    lo: Id  # the guest's LO: an id from the event's los
    backup_lo: Id | None = None
    spouse: Person | None = None
    entourage: list[Person] = []
    arrival: Flight
    departure: Flight
    stay: Stay
    transport: Transport
    health: Health = Health()
    faith: Faith = Faith()
    schedule: list[ScheduleItem]
    contacts: list[Id] = []  # extra contact ids from the event directory
    passport: Passport | None = None

    @field_validator("country", mode="before")
    @classmethod
    def _upper_country(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


@dataclass(frozen=True)
class GuestRecord:
    """A validated guest together with where it came from."""

    id: str
    guest: Guest
    source: str  # e.g. "guests/jp-tanaka.yml"
    notes: str | None = None  # the optional Markdown notes file
    # (line, column) of each value in the source file by field path such as ("schedule", 2, "venue"); lets the
    # consistency checks name the line. Not part of equality or hashing.
    positions: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)
