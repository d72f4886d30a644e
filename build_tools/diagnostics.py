"""Errors and warnings as values: each names a file, a position and a field path until the CLI prints it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one input file, e.g. ``guests/x.yml:12:5: arrival.time: expected …``."""

    file: str
    line: int  # 1-based; 0 when the whole file is meant
    column: int  # 1-based; 0 when the whole line is meant
    field: str  # dotted path such as ``arrival.time`` or ``schedule[2].venue``; "" for the file itself
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        label = "" if self.severity is Severity.ERROR else "warning: "
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {label}{field}{self.message}"


def display_path(path: Path, root: Path) -> str:
    """The path as the user typed it: relative to the project root where possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def format_field(loc: tuple[str | int, ...]) -> str:
    """``('schedule', 2, 'venue')`` → ``schedule[2].venue``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if re.fullmatch(r"[\w-]+", part) else json.dumps(part, ensure_ascii=False)  # keys typed oddly
            out += f".{name}" if out else name
    return out


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def utf8_text(raw: bytes, shown: str, kind: str = "file") -> tuple[str | None, list[Diagnostic]]:
    """``raw`` decoded as UTF-8, or the position of the first byte that is not (``kind``: what to save again)."""
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"expected UTF-8 text, got the byte 0x{raw[exc.start]:02x}; save the {kind} as UTF-8"
        return None, [Diagnostic(shown, line, column, "", message)]
