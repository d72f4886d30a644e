"""The guest's schedule items with a stable key each (programme id, or a slug of a private item's English title)."""

from __future__ import annotations

from dataclasses import dataclass

from ..compose.guest import Item
from ..compose.guest import keyed_items as _keyed
from ..model import Event, GuestRecord, Venue


@dataclass(frozen=True)
class KeyedItem:
    key: str  # "opening", "private-bilateral-meeting-with-the-thai-minister", unique within the guest
    item: Item
    venue: Venue | None


def keyed_items(record: GuestRecord, event: Event) -> list[KeyedItem]:
    """Each schedule entry resolved exactly as the guest page resolves it, in time order, with its key."""
    out = [KeyedItem(key, item, item.venue) for key, item in _keyed(record, event)]
    return sorted(out, key=lambda k: (k.item.start, k.item.end, k.key))
