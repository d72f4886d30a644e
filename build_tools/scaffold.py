"""``new-guest`` writes a commented guest file; ``schema`` writes the JSON Schema editors use while typing."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from . import model as model_module
from .loader import GUEST_ID
from .model import Guest, sensitive_kind

SCHEMA_FILE = "guest.schema.json"
_TEMPLATE = """\
# yaml-language-server: $schema=./_schema/guest.schema.json
# Guest record for {id}. Fill in every field; the build reports anything missing or mistyped with its line.
# Times carry their UTC offset (Bangkok is +07:00). Fields marked [S] are sensitive: they never appear in
# training or handout builds.
name:
  passport: SURNAME GIVEN-NAMES        # exactly as in the passport
  preferred: Given Surname             # how the guest is named in the programme
  thai: ชื่อ นามสกุล                     # Thai transcription
  pronunciation: ชื่อ-นาม-สกุล           # syllables as an LO should say them
  title: H.E.                          # e.g. H.E., H.E. Dr., Dr., Mr., Ms.
position: Minister of Health
organisation: Ministry of Health of ...
country: XX                            # ISO code of the country page, e.g. JP, NO, SA
role: head-of-delegation               # head-of-delegation | delegate | observer | speaker
address_as:
  spoken: Your Excellency / Minister ...
  written: H.E. ...
languages: [English]
lo: lo-xxxx                            # the LO's id from los: in guests/_event.yml
# backup_lo: lo-yyyy                   # the backup LO's id
arrival:
  flight: TG 000
  airport: XXX (city)                  # where the flight comes from
  time: 2027-03-01T14:30+07:00         # landing time in Bangkok
  terminal: สุวรรณภูมิ ผู้โดยสารขาเข้า
departure:
  flight: TG 000
  airport: XXX (city)                  # where the flight goes
  time: 2027-03-04T10:45+07:00
stay:
  hotel: hotel-id                      # an id from guests/_event.yml hotels
  room: "0000"                         # [S]
  check_in: 2027-03-01
  check_out: 2027-03-04
transport:
  car: model and colour
  plate: กข 0000 กรุงเทพมหานคร           # [S]
  driver: {{name: ชื่อพนักงานขับรถ, phone: "+66 8x xxx xxxx"}}              # phone [S]
  protective_police: {{name: ยศ ชื่อ ตำรวจอารักขา, phone: "+66 8x xxx xxxx"}}  # phone [S]
health:
  diet: []                             # halal, vegetarian, vegan, kosher, no-beef, no-pork, no-alcohol, ...
  allergies: []                        # [S] - {{allergen: ..., severity: mild|moderate|severe|anaphylaxis, response: ...}}
schedule:
  - programme: opening                 # an id from the event programme
"""


def new_guest(guests_dir: Path, guest_id: str) -> int:
    target = guests_dir / f"{guest_id}.yml"
    if not GUEST_ID.fullmatch(guest_id):
        print(f"{guest_id}: expected an id of lower-case letters, digits and hyphens like jp-tanaka", file=sys.stderr)
        return 1
    if target.exists():
        print(f"{target}: already exists; nothing was written", file=sys.stderr)
        return 1
    target.write_text(_TEMPLATE.format(id=guest_id), encoding="utf-8")
    print(f"Wrote {target}; fill it in, then run `make check`.", file=sys.stderr)
    return 0


# What the loader accepts as a date-time (pydantic's parser): seconds optional, "T" or a space, an offset or Z.
# JSON Schema's ``format: date-time`` (RFC 3339) wants the seconds, so check-jsonschema and ajv rejected every
# sample file's ``2027-03-01T14:30+07:00``; the pattern says what we mean and is checked by every validator.
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|z|[+-]\d{2}:?\d{2})$"


def _datetimes_as_pattern(node: Any) -> Any:
    """Every ``{"type": "string", "format": "date-time"}`` in the schema becomes the same string with our pattern."""
    if isinstance(node, list):
        return [_datetimes_as_pattern(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _datetimes_as_pattern(value) for key, value in node.items()}
    if out.get("format") == "date-time":
        del out["format"]
        out["pattern"] = DATETIME_PATTERN
        out.setdefault("description", "a date-time with its UTC offset, like 2027-03-01T14:30+07:00")
    return out


def guest_schema() -> dict:
    schema = _datetimes_as_pattern(Guest.model_json_schema())
    _mark_free_text(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "LO Briefing guest record"
    return schema


def _mark_free_text(schema: dict) -> None:
    """Editors show ``"x-sensitive": "notes"`` on free text too: it is sensitive unless declared Public."""
    for name, definition in schema.get("$defs", {}).items():
        model = getattr(model_module, name, None)
        for field, prop in definition.get("properties", {}).items():
            if model is not None and field in getattr(model, "model_fields", {}) and "x-sensitive" not in prop:
                if kind := sensitive_kind(model, field):
                    prop["x-sensitive"] = kind


def write_schema(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SCHEMA_FILE).write_text(json.dumps(guest_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"Wrote {folder / SCHEMA_FILE}", file=sys.stderr)
    return 0
