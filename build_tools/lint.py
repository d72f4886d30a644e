"""Free-text lint: sensitive-looking values (phone, passport, room numbers) typed where nothing protects them —
in Markdown notes or in fields not marked sensitive — are warned about, with their position."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from .diagnostics import Diagnostic, Severity, format_field
from .model import GuestRecord, sensitive_kind

Loc = tuple[str | int, ...]
PATTERNS = {
    "a phone number": re.compile(r"(?<![\w+])\+?\d(?:[ ()-]?\d){7,}(?!\w)"),
    "a passport number": re.compile(r"\b[A-Z]{1,2}\d{6,8}\b"),
    "a room number": re.compile(r"(?i)(?:\broom|ห้อง(?:พัก)?)\s*(?:no\.?|number|หมายเลข|เลขที่)?\s*#?\d{3,5}\b"),
}

_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def findings(text: str) -> Iterator[tuple[str, str]]:
    """(what it looks like, the matched text) for every sensitive-looking value in ``text``."""
    for label, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            if not _DATE.fullmatch(match.group(0)):
                yield label, match.group(0)


def _unprotected_text(model: BaseModel, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every string under ``model`` whose field is not marked sensitive."""
    for name in type(model).model_fields:
        if sensitive_kind(type(model), name):
            continue
        value = getattr(model, name)
        values = value if isinstance(value, list) else [value]
        for index, item in enumerate(values):
            where = (*loc, name, index) if isinstance(value, list) else (*loc, name)
            if isinstance(item, BaseModel):
                yield from _unprotected_text(item, where)
            elif isinstance(item, str):
                yield where, item


def lint_guest(record: GuestRecord) -> list[Diagnostic]:
    problems = []
    for loc, text in _unprotected_text(record.guest, ()):
        for label, found in findings(text):
            line, column = record.positions.get(loc, (0, 0))
            problems.append(Diagnostic(record.source, line, column, format_field(loc),
                                       f'expected no {label[2:]} in a field that is not marked sensitive, got "{found}"; move it to a sensitive field', Severity.WARNING))
    if record.notes:
        notes_file = record.source.removesuffix(".yml") + ".md"
        for number, line_text in enumerate(record.notes.splitlines(), start=1):
            for label, found in findings(line_text):
                problems.append(Diagnostic(notes_file, number, line_text.index(found) + 1, "",
                                           f'expected no {label[2:]} in free notes (they are not protected), got "{found}"; put it in the guest file\'s sensitive fields', Severity.WARNING))
    return problems
