"""A schedule entry resolved through the event's programme: the one place where a reference becomes its values.

An entry either names a shared programme item (``programme: opening``) and may override its fields, or is a private
item written out. The guest page, the field kit and the consistency checks all read entries through ``resolve``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Bilingual, Event, MenuTag, ProgrammeItem, ScheduleItem, Status


@dataclass(frozen=True)
class Resolved:
    """What one schedule entry means once its programme reference (if any) is followed."""

    entry: ScheduleItem
    shared: ProgrammeItem | None  # None: a private item
    start: dt.datetime | None
    end: dt.datetime | None
    title: Bilingual | None
    venue: str | None  # an event venue id
    dress: str | None
    status: Status
    notes: str | None
    menu: tuple[MenuTag, ...]

    @property
    def private(self) -> bool:
        return self.shared is None

    @property
    def own_menu(self) -> bool:
        """The menu is this person's own plate, not the shared programme's."""
        return bool(self.entry.menu) or self.shared is None


def programme_index(event: Event) -> dict[str, ProgrammeItem]:
    """The programme by id; the first of duplicate ids wins (the checks report the duplicate)."""
    return {item.id: item for item in reversed(event.programme)}


def resolve(entry: ScheduleItem, programme: dict[str, ProgrammeItem]) -> Resolved | None:
    """``entry`` with its programme reference followed; None when it names an item the programme does not have."""
    shared = programme.get(entry.programme) if entry.programme else None
    if entry.programme and shared is None:
        return None
    return Resolved(
        entry=entry,
        shared=shared,
        start=entry.start or (shared.start if shared else None),
        end=entry.end or (shared.end if shared else None),
        title=entry.title or (shared.title if shared else None),
        venue=entry.venue or (shared.venue if shared else None),
        dress=entry.dress or (shared.dress if shared else None),
        status=entry.status or (shared.status if shared else Status.CONFIRMED),
        notes=entry.notes or (shared.notes if shared else None),
        menu=tuple(entry.menu or (shared.menu if shared else [])),
    )
