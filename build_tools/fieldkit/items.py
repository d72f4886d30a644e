"""The guest's schedule items with a stable key each (programme id, or a slug of a private item's English title)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..compose.guest import Item, schedule_items
from ..model import Event, GuestRecord, Venue


@dataclass(frozen=True)
class KeyedItem:
    key: str  # "opening", "private-bilateral-meeting-with-the-thai-minister", unique within the guest
    item: Item
    venue: Venue | None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "item"


def keyed_items(record: GuestRecord, event: Event) -> list[KeyedItem]:
    """Each schedule entry resolved exactly as the guest page resolves it, in time order, with its key."""
    out: list[KeyedItem] = []
    seen: dict[str, int] = {}
    for entry in record.guest.schedule:
        single = record.guest.model_copy(update={"schedule": [entry]})
        resolved = schedule_items(replace(record, guest=single), event)
        if not resolved:
            continue
        shared = next((p for p in event.programme if p.id == entry.programme), None) if entry.programme else None
        base = entry.programme or "private-" + _slug(entry.title.en if entry.title else "item")
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}-{seen[base]}"
        venue_id = entry.venue or (shared.venue if shared else None)
        venue = next((v for v in event.venues if v.id == venue_id), None)
        out.append(KeyedItem(key, resolved[0], venue))
    return sorted(out, key=lambda k: (k.item.start, k.item.end, k.key))
