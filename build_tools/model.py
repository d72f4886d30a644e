"""The typed records of one event: the shared event data and one record per guest.

Sensitive fields carry a :class:`Sensitive` marker in their annotation. Redaction (see ``profiles``) reads the
markers, never a list kept elsewhere, so a new field is sensitive or not by its declaration here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal, get_args

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, GetJsonSchemaHandler, StringConstraints, field_validator


@dataclass(frozen=True)
class Sensitive:
    """Marks a field whose value must not leave the LO's own material. ``kind`` lets profiles choose."""

    kind: Literal["contact", "medical", "identity", "lodging", "vehicle", "notes"]

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        """Editors show the marker: ``"x-sensitive": "medical"``."""
        return {**handler(schema), "x-sensitive": self.kind}


@cache
def sensitive_kind(model: type[BaseModel], name: str) -> str | None:
    """The ``Sensitive`` kind declared on a field (directly or inside ``X | None``), or None (asked per value: cached)."""
    info = model.model_fields[name]
    nested = [m for arg in get_args(info.annotation) for m in getattr(arg, "__metadata__", ())]
    return next((m.kind for m in [*info.metadata, *nested] if isinstance(m, Sensitive)), None)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Phone = Annotated[Text, Sensitive("contact")]
Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Record(BaseModel):
    """Base of every record: unknown keys are errors, values are checked on assignment too."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Bilingual(Record):
    th: Text
    en: Text


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
    name: Text
    organisation: Text | None = None
    phone: Phone
    radio: Text | None = None
    email: Annotated[Text | None, Sensitive("contact")] = None


class GeoPoint(Record):
    """Where a place is (WGS 84 degrees): the page opens the phone's maps app on it with a ``geo:`` link."""

    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class LiaisonOfficer(Record):
    """An LO of the event. Guest files name their LO and backup LO by ``id`` (``lo``, ``backup_lo``, ``spouse.lo``);
    each LO's bundle (``make bundles``) carries only the guests they escort or back up."""

    id: Id
    name: Text
    phone: Phone


class Venue(Record):
    id: Id
    name: Bilingual
    address: Text
    geo: GeoPoint | None = None
    notes: Text | None = None
    prayer_room: Text | None = None
    medical_room: Text | None = None


class Hotel(Record):
    id: Id
    name: Bilingual
    address: Text
    geo: GeoPoint | None = None
    phone: Text
    duty_manager: Id  # a contact id
    check_in_time: Clock = "14:00"
    check_out_time: Clock = "12:00"
    breakfast: Text | None = None
    wifi: Text | None = None


class Hospital(Record):
    id: Id
    name: Bilingual
    address: Text
    geo: GeoPoint | None = None
    phone: Text
    notes: Text | None = None


class ProgrammeItem(Record):
    """An item of the shared programme (a session, a dinner, a visit) that guests attend."""

    id: Id
    title: Bilingual
    start: AwareDatetime
    end: AwareDatetime
    venue: Id
    dress: Text | None = None
    status: Status = Status.CONFIRMED
    menu: list[MenuTag] = []
    notes: Text | None = None


class EmergencyNumber(Record):
    number: Text
    th: Text
    en: Text


DEFAULT_EMERGENCY_NUMBERS = [
    EmergencyNumber(number="191", th="ตำรวจ (เหตุด่วนเหตุร้าย)", en="Police"),
    EmergencyNumber(number="1669", th="การแพทย์ฉุกเฉิน (รถพยาบาล)", en="Emergency medical services"),
    EmergencyNumber(number="199", th="ดับเพลิง", en="Fire"),
    EmergencyNumber(number="1155", th="ตำรวจท่องเที่ยว", en="Tourist police"),
    EmergencyNumber(number="1784", th="กรมป้องกันและบรรเทาสาธารณภัย (ปภ.)", en="Disaster prevention and mitigation"),
]


class EventInfo(Record):
    name: Bilingual
    short_name: Text
    host: Bilingual
    starts: dt.date
    ends: dt.date
    timezone: Literal["Asia/Bangkok"] = "Asia/Bangkok"
    airport: Text = "BKK"
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
    spoken: Text
    written: Text


class Person(Record):
    """Someone in a delegation: the spouse or a member of the entourage."""

    name: Text
    name_th: Text | None = None
    relation: Text  # e.g. "spouse", "Chief of Staff"
    address_as: AddressForm
    phone: Annotated[Text | None, Sensitive("contact")] = None
    diet: list[Diet] = []
    lo: Id | None = None  # the LO who accompanies this person: an id from the event's los
    programme: list[Id] = []  # programme ids (the spouse programme)


class Officer(Record):
    name: Text
    phone: Phone


class Name(Record):
    passport: Text
    preferred: Text
    thai: Text
    pronunciation: Text
    title: Text


class Flight(Record):
    flight: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{2}\s?\d{1,4}[A-Z]?$")]
    airport: Text  # the other end: origin on arrival, destination on departure
    time: AwareDatetime
    terminal: Text | None = None
    lounge: Text | None = None
    baggage: Text | None = None


class Billing(Record):
    host: list[Text] = []
    guest: list[Text] = []


class Stay(Record):
    hotel: Id
    room: Annotated[Text, Sensitive("lodging")]
    check_in: dt.date
    check_out: dt.date
    room_type: Text | None = None
    billing: Billing = Billing()


class Transport(Record):
    car: Text  # model and colour
    plate: Annotated[Text, Sensitive("vehicle")]
    driver: Officer
    protective_police: Officer
    lead_car_police: Officer | None = None


class Allergy(Record):
    allergen: Text
    severity: Literal["mild", "moderate", "severe", "anaphylaxis"]
    response: Text  # what to do


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
    place: Text | None = None  # a place that is not an event venue
    dress: Text | None = None
    role: Text | None = None
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
    position: Text
    organisation: Text
    country: CountryCode
    role: Literal["head-of-delegation", "delegate", "observer", "speaker"] = "head-of-delegation"
    address_as: AddressForm
    languages: list[Text]
    interpreter: Text | None = None
    photo: Text | None = None
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
