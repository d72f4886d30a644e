"""Which sheets and columns the guest workbook has, derived from the guest model.

Every field of ``Guest`` lands in exactly one column of one sheet: the guest's own fields flattened onto the Guests
sheet (``arrival.time``), and the lists of records on sheets of their own, one row per item, keyed by the guest id:
schedule items, the spouse and entourage (People), the LO and backup LO, and allergies. A column knows its kind
(text, date-time, code…), so cells are read and written the same way, and which codes its drop-down offers.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import AwareDatetime, BaseModel

from ..model import Allergy, Guest, Person, ScheduleItem

Loc = tuple[str | int, ...]
Kind = Literal["text", "datetime", "date", "clock", "code", "codes", "lines", "phone"]

# Thai header (row 1) by field name or full path; the English key (row 2) is the field path itself.
THAI: dict[str, str] = {
    "id": "รหัสแขก", "guest": "รหัสแขก", "as": "ประเภท",
    "name.passport": "ชื่อตามหนังสือเดินทาง", "name.preferred": "ชื่อที่ใช้เรียก", "name.thai": "ชื่อภาษาไทย",
    "name.pronunciation": "คำอ่าน", "name.title": "คำนำหน้า", "position": "ตำแหน่ง", "organisation": "หน่วยงาน",
    "country": "ประเทศ (รหัส ISO)", "role": "บทบาท", "address_as.spoken": "คำเรียกขาน (พูด)",
    "address_as.written": "คำเรียกขาน (เขียน)", "languages": "ภาษา", "interpreter": "ล่าม", "photo": "รูปถ่าย",
    "arrival.flight": "เที่ยวบินขาเข้า", "arrival.airport": "ต้นทาง", "arrival.time": "เวลาถึง",
    "arrival.terminal": "อาคาร/จุดรับ (ขาเข้า)", "arrival.lounge": "ห้องรับรอง (ขาเข้า)", "arrival.baggage": "สัมภาระ (ขาเข้า)",
    "departure.flight": "เที่ยวบินขาออก", "departure.airport": "ปลายทาง", "departure.time": "เวลาออก",
    "departure.terminal": "อาคาร/เคาน์เตอร์ (ขาออก)", "departure.lounge": "ห้องรับรอง (ขาออก)",
    "departure.baggage": "สัมภาระ (ขาออก)", "stay.hotel": "โรงแรม", "stay.room": "ห้องพัก", "stay.check_in": "วันเข้าพัก",
    "stay.check_out": "วันออก", "stay.room_type": "ประเภทห้อง", "stay.billing.host": "เจ้าภาพจ่าย",
    "stay.billing.guest": "แขกจ่ายเอง", "transport.car": "รถ (รุ่น สี)", "transport.plate": "ทะเบียนรถ",
    "transport.driver.name": "พนักงานขับรถ", "transport.driver.phone": "โทรศัพท์พนักงานขับรถ",
    "transport.protective_police.name": "ตำรวจอารักขา", "transport.protective_police.phone": "โทรศัพท์ตำรวจอารักขา",
    "transport.lead_car_police.name": "ตำรวจรถนำ", "transport.lead_car_police.phone": "โทรศัพท์ตำรวจรถนำ",
    "health.diet": "อาหาร (รหัส)", "health.conditions": "โรคประจำตัว", "health.medications": "ยาที่ใช้",
    "health.hospital": "โรงพยาบาล", "health.notes": "หมายเหตุสุขภาพ", "faith.religion": "ศาสนา",
    "faith.prayer": "การละหมาด/สวดมนต์", "faith.observances": "ข้อปฏิบัติทางศาสนา", "contacts": "ผู้ติดต่อเพิ่มเติม",
    "passport.number": "เลขหนังสือเดินทาง", "passport.nationality": "สัญชาติ", "passport.expires": "วันหมดอายุหนังสือเดินทาง",
    "programme": "รายการ (รหัส)", "title.th": "ชื่อรายการ (ไทย)", "title.en": "ชื่อรายการ (อังกฤษ)", "start": "เริ่ม",
    "end": "สิ้นสุด", "venue": "สถานที่ (รหัส)", "place": "สถานที่อื่น", "dress": "การแต่งกาย", "status": "สถานะ",
    "menu": "เมนู (รหัส)", "notes": "หมายเหตุ", "car_departs": "เวลารถออก", "name": "ชื่อ", "name_th": "ชื่อภาษาไทย",
    "relation": "ความสัมพันธ์/ตำแหน่ง", "phone": "โทรศัพท์", "diet": "อาหาร (รหัส)", "lo": "LO (รหัส)", "backup_lo": "LO สำรอง (รหัส)",
    "allergen": "สิ่งที่แพ้", "severity": "ความรุนแรง", "response": "การปฏิบัติเมื่อแพ้",
}


@dataclass(frozen=True)
class Column:
    key: str  # the field path below the sheet's record, as in row 2: "arrival.time"
    kind: Kind
    choices: tuple[str, ...] = ()  # codes for the drop-down (enums, literals); "country" for ISO codes

    @property
    def path(self) -> Loc:
        return tuple(self.key.split("."))

    @property
    def thai(self) -> str:
        return THAI.get(self.key) or THAI.get(self.key.rsplit(".", 1)[-1], self.key)


@dataclass(frozen=True)
class Sheet:
    name: str  # the tab: "Guests"
    thai: str
    columns: tuple[Column, ...]  # after the guest id (and the "as" column where there is one)
    kinds: tuple[str, ...] = ()  # values of the "as" column: which Guest field a row belongs to


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` → (X, True); Annotated kept."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _base(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """The type under ``Annotated`` and its metadata."""
    if get_origin(annotation) is typing.Annotated:
        inner, *meta = get_args(annotation)
        base, more = _base(inner)
        return base, (*meta, *more)
    return annotation, ()


def _model_of(annotation: Any) -> type[BaseModel] | None:
    annotation, _ = _strip_optional(annotation)
    base, _ = _base(annotation)
    return base if isinstance(base, type) and issubclass(base, BaseModel) else None


def _scalar(annotation: Any, name: str, declared: tuple[Any, ...] = ()) -> tuple[Kind, tuple[str, ...]]:
    """The kind of one value; ``declared`` is the field's own metadata (pydantic moves ``Annotated`` parts there)."""
    base, meta = _base(annotation)
    base, _ = _strip_optional(base)
    base, more = _base(base)
    meta = (*declared, *meta, *more)
    pattern = next((getattr(m, "pattern", None) for m in meta if getattr(m, "pattern", None)), None)
    if base is AwareDatetime or base is dt.datetime:
        return "datetime", ()
    if base is dt.date:
        return "date", ()
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return "code", tuple(m.value for m in base)
    if get_origin(base) is Literal:
        return "code", tuple(str(a) for a in get_args(base))
    if pattern == r"^([01]\d|2[0-3]):[0-5]\d$":
        return "clock", ()
    if pattern == r"^[A-Z]{2}$":
        return "code", ("country",)
    if name == "phone":
        return "phone", ()
    return "text", ()


def _columns(model: type[BaseModel], prefix: str = "", skip: frozenset[str] = frozenset()) -> list[Column]:
    out: list[Column] = []
    for name, info in model.model_fields.items():
        key = f"{prefix}{name}"
        if key in skip:
            continue
        nested = _model_of(info.annotation)
        if nested is not None:
            out += _columns(nested, f"{key}.", skip)
            continue
        annotation, _ = _strip_optional(info.annotation)
        base, _ = _base(annotation)
        if get_origin(base) is list:
            (item,) = get_args(base)
            kind, choices = _scalar(item, name)
            list_kind: Kind = "codes" if kind == "code" or name in ("contacts", "programme") else "lines"
            out.append(Column(key, list_kind, choices))
            continue
        kind, choices = _scalar(info.annotation, name, tuple(info.metadata))
        out.append(Column(key, kind, choices))
    return out


ID = Column("id", "text")
GUEST_REF = Column("guest", "text")
AS = Column("as", "code")

GUESTS = Sheet(
    "Guests", "แขก",
    (ID, *_columns(Guest, skip=frozenset({"spouse", "entourage", "schedule", "health.allergies"}))),
)
SCHEDULE = Sheet("Schedule", "กำหนดการ", tuple(_columns(ScheduleItem)))
PEOPLE = Sheet("Entourage", "ภริยาและผู้ติดตาม", tuple(_columns(Person)), ("spouse", "entourage"))
ALLERGIES = Sheet("Allergies", "การแพ้", tuple(_columns(Allergy)))
SHEETS: tuple[Sheet, ...] = (GUESTS, SCHEDULE, PEOPLE, ALLERGIES)
CODES_SHEET = "Codes"
README_SHEET = "README"


def headers(sheet: Sheet) -> list[Column]:
    """The sheet's columns in order: the guest id (or the guest's own id), the "as" column, the fields."""
    if sheet is GUESTS:
        return list(sheet.columns)
    return [GUEST_REF, *([AS] if sheet.kinds else []), *sheet.columns]
