"""Load the event file and every guest file into validated records, or into diagnostics naming file:line:col."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, display_path, format_field
from .memo import Memo, file_bytes, remember
from .model import Event, Guest, GuestRecord
from .sidefiles import inside, photo_problem, read_notes
from .yamlsource import YamlDocument, read_yaml

EVENT_FILE = "_event.yml"
GUEST_ID = re.compile(r"[a-z0-9][a-z0-9-]*", re.ASCII)
M = TypeVar("M", bound=BaseModel)

_EXAMPLES = {
    "datetime": "a date-time like 2027-03-02T14:30+07:00",
    "date": "a date like 2027-03-02",
    "time": "a time like 14:30",
}


@dataclass
class LoadedEvent:
    event: Event
    guests: list[GuestRecord] = field(default_factory=list)
    event_source: str = "guests/_event.yml"  # as shown in diagnostics
    # (line, column) of each value of the event file by field path, for the consistency checks
    event_positions: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict, repr=False)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    text = str(value).replace("\n", "\\n")
    return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'


def _expected(error: dict[str, Any], model: type[BaseModel]) -> str:
    """Turn one pydantic error into 'expected X, got Y'."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    got = _shown(value)
    if kind.startswith("datetime") or kind == "timezone_aware":
        return f"expected {_EXAMPLES['datetime']} (with its UTC offset), got {got}"
    if kind.startswith("date"):
        return f"expected {_EXAMPLES['date']}, got {got}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        hints = {
            r"^([01]\d|2[0-3]):[0-5]\d$": _EXAMPLES["time"],
            r"^[A-Z]{2}$": "a two-letter ISO country code like JP or NO",
            r"^[a-z0-9][a-z0-9-]*$": "an id of lower-case letters, digits and hyphens like main-hall",
            r"^[A-Z0-9]{2}\s?\d{1,4}[A-Z]?$": "a flight number like TG 641",
        }
        return f"expected {hints.get(pattern, f'text matching {pattern}')}, got {got}"
    if kind in ("enum", "literal_error"):
        return f"expected one of {ctx.get('expected', '')}, got {got}"
    if kind == "missing":
        return "required, but missing"
    if kind in ("string_type", "string_too_short"):
        return f"expected text, got {'empty text' if value == '' else got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of fields (key: value lines), got {got}"
    if kind == "list_type":
        return f'expected a list (lines starting with "- "), got {got}'
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, got {got}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {got}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        side = "at least" if kind == "greater_than_equal" else "at most"
        return f"expected a number {side} {bound}, got {got}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']}, got {got}"


def _fields_of(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed at ``loc`` (for unknown-key messages)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[str | int, ...]:
    """Drop pydantic's union-branch and enum labels (``function-after[…]``, ``literal[…]``) from an error location.
    A part that is a key or an index of ``data`` there is the user's, whatever it holds (a key ``c[ountry``)."""
    clean: list[str | int] = []
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and "[" in part:
            continue  # a label, not a place in the data
        else:
            data = None  # a field the data lacks (missing)
        clean.append(part)
    return tuple(clean)


def validate(doc: YamlDocument, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    """Validate plain YAML data against ``model``; every error becomes a positioned diagnostic."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = _clean_loc(error["loc"], doc.data)
            if error["type"] == "extra_forbidden":
                allowed = _fields_of(model, loc[:-1])
                close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
                hint = f'; did you mean "{close[0]}"?' if close else (f"; expected one of {', '.join(allowed)}" if allowed else "")
                line, col = doc.key_position(loc)
                message = f"unknown field{hint}"
            elif error["type"] == "missing":
                line, col = doc.position(loc[:-1])
                message = _expected(error, model)
            else:
                line, col = doc.position(loc)
                message = _expected(error, model)
            problems.append(Diagnostic(doc.path, line, col, format_field(loc), message))
        return None, problems


def load_event(guests_dir: Path, root: Path, memo: Memo | None = None) -> tuple[LoadedEvent | None, list[Diagnostic]]:
    """Read ``_event.yml`` and every ``<id>.yml`` guest file in ``guests_dir``; report every problem at once.

    With a ``memo`` (serve), a file whose bytes (and side files) did not change since the last build is not read again:
    its record is the very object of the last build.
    """
    problems: list[Diagnostic] = []
    event_file = guests_dir / EVENT_FILE
    shown = display_path(event_file, root)
    event: Event | None = None
    event_positions: dict[tuple[str | int, ...], tuple[int, int]] = {}
    if not event_file.exists():
        problems.append(Diagnostic(shown, 0, 0, "", "expected the event file with venues, hotels, contacts and programme; it is missing"))
    else:
        key = (str(event_file), file_bytes(event_file)) if memo is not None else ()
        event, event_positions, found = remember(memo, "event", key, lambda: _load_event_file(event_file, shown))
        problems += found
    guests: list[GuestRecord] = []
    side_files = _side_files(guests_dir) if memo is not None else ""
    for file in sorted(guests_dir.glob("*.yml")):
        if file.name.startswith("_"):
            continue
        key = (str(file), file.is_symlink(), file_bytes(file), file_bytes(file.with_suffix(".md")), side_files) if memo is not None else ()
        record, found = remember(memo, "guest", key, lambda file=file: load_guest(file, root))  # type: ignore[misc]
        problems += found
        if record is not None:
            guests.append(record)
    if event is None:
        return None, problems
    return LoadedEvent(event, guests, event_source=shown, event_positions=event_positions), problems


def _load_event_file(event_file: Path, shown: str) -> tuple[Event | None, dict[tuple[str | int, ...], tuple[int, int]], list[Diagnostic]]:
    doc, problems = read_yaml(event_file, shown)
    if doc is None or problems:
        return None, {}, problems
    event, problems = validate(doc, Event)
    return event, doc.values, problems


def _side_files(guests_dir: Path) -> str:
    """Every other file under ``guests_dir`` (photos) by size and time: a guest's photo check depends on them."""
    found = []
    for path in sorted(guests_dir.rglob("*")):
        if path.suffix not in (".yml", ".md"):
            try:
                info = path.lstat()
            except OSError:
                continue
            found.append(f"{path}\t{info.st_size}\t{info.st_mtime_ns}\t{info.st_mode}")
    return "\n".join(found)


def load_guest(file: Path, root: Path) -> tuple[GuestRecord | None, list[Diagnostic]]:
    shown = display_path(file, root)
    guest_id = file.stem
    if not GUEST_ID.fullmatch(guest_id):
        lookalike = "; it has characters that only look like ASCII" if any(ord(c) > 127 for c in guest_id) else ""
        return None, [Diagnostic(shown, 0, 0, "", "expected a file name of lower-case ASCII letters, digits and hyphens "
                                 f"like jp-tanaka.yml{lookalike}")]
    if not inside(file, file.parent):
        return None, [Diagnostic(shown, 0, 0, "", "expected a guest file inside guests/, got a link to a file outside it")]
    doc, problems = read_yaml(file, shown)
    if doc is None or problems:
        return None, problems
    guest, problems = validate(doc, Guest)
    if guest is None:
        return None, problems
    if guest.photo and (problem := photo_problem(guest.photo, file.parent)):
        line, column = doc.position(("photo",))
        problems.append(Diagnostic(shown, line, column, "photo", problem))
    notes, found = read_notes(file.with_suffix(".md"), file.parent, shown.removesuffix(".yml") + ".md")
    problems += found
    if problems:
        return None, problems
    return GuestRecord(id=guest_id, guest=guest, source=shown, notes=notes, positions=doc.values), []
