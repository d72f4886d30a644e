"""Which guests each bundle carries: an LO's bundle has the guests that LO escorts (as their LO or their spouse's)
or backs up; the coordinators' bundle has everyone."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Event, GuestRecord

COORDINATORS = "coordinators"


@dataclass(frozen=True)
class Bundle:
    id: str  # the LO's id, or "coordinators"
    name: str  # who it is for
    guests: tuple[str, ...]  # guest ids, in file order
    escorts: tuple[str, ...] = ()  # of those, the guests this LO escorts (the rest are backed up)


def bundles(event: Event, guests: list[GuestRecord]) -> list[Bundle]:
    """One bundle per LO of the event (in the order of ``los``), then the coordinators' bundle."""
    out = []
    for lo in event.los:
        escorts = tuple(r.id for r in guests if lo.id in (r.guest.lo, r.guest.spouse.lo if r.guest.spouse else None))
        backs_up = {r.id for r in guests if r.guest.backup_lo == lo.id}
        mine = tuple(r.id for r in guests if r.id in escorts or r.id in backs_up)
        out.append(Bundle(lo.id, lo.name, mine, escorts))
    out.append(Bundle(COORDINATORS, "ผู้ประสานงาน (Coordinators)", tuple(r.id for r in guests)))
    return out
