"""Free text written into one guest's record (jp-tanaka): a schedule item's notes, an entourage member's and the
spouse's relation, a prayer, and medical diet codes for the spouse. Each marker is added beside what the sample says
(nothing of the sample is taken away), so a build of the marked sample still carries every sample value to look for."""

from __future__ import annotations

from pathlib import Path

from conftest import replace_once

GUEST = "jp-tanaka"
ITEM_NOTE = "assistant carries adrenaline QZXNOTE"
RELATION = "Chief of Staff and interpreter; carries the second auto-injector QZXRELATION"
SPOUSE_RELATION = "spouse QZXSPOUSE"
PRAYER = "prays at dawn QZXPRAYER"
MARKERS = [ITEM_NOTE, RELATION, SPOUSE_RELATION, PRAYER]


def mark(project: Path) -> Path:
    """Write the markers into ``project``'s copy of the guest's record."""
    replace_once(project / "guests" / f"{GUEST}.yml", [
        ("  - programme: plenary-1\n", f"  - programme: plenary-1\n    notes: {ITEM_NOTE}\n"),
        ("relation: Chief of Staff and interpreter", f"relation: {RELATION}"),
        ("relation: spouse", f"relation: {SPOUSE_RELATION}\n  diet: [nut-allergy, halal]"),
        ("  religion: ชินโตและพุทธ (Shinto and Buddhism)", f"  religion: ชินโตและพุทธ (Shinto and Buddhism)\n  prayer: {PRAYER}"),
    ])
    return project
