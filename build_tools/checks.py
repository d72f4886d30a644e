"""Consistency checks over a whole validated event: each finding is an error or a warning with a position."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .diagnostics import Diagnostic, Severity
from .loader import LoadedEvent

Check = Callable[[LoadedEvent, set[str]], Iterable[Diagnostic]]


def unknown_country_page(loaded: LoadedEvent, country_codes: set[str]) -> Iterable[Diagnostic]:
    for record in loaded.guests:
        if record.guest.country not in country_codes:
            yield Diagnostic(record.source, 0, 0, "country", f'expected a country with a page in content/countries/, got "{record.guest.country}"', Severity.WARNING)


CHECKS: list[Check] = [unknown_country_page]


def check_event(loaded: LoadedEvent, country_codes: set[str]) -> list[Diagnostic]:
    """Run every check; findings sorted by file and line."""
    return sorted(d for check in CHECKS for d in check(loaded, country_codes))
