"""Synthetic events for the benchmark: the sample event with its guests copied until there are N of them.

The copies are valid guests of the same event (same programme, hotels, country pages), each with its own id,
name, room and passport number, so every guest page and handbook differs while page counts stay those of the
sample (about 55 pages per guest handbook, most of them the shared emergency chapters and country pages).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ["mkdocs.yml", "content", "theme"]  # copied as they are; guests/ is generated

_PREFERRED = re.compile(r"^(\s+preferred:\s*)(.+?)\s*$", re.M)
_ROOM = re.compile(r'^(\s+room:\s*)"(\d+)"\s*$', re.M)
_PASSPORT = re.compile(r"^(\s+number:\s*)([A-Z]+)(\d+)\s*$", re.M)


def sample_guests(source: Path = REPO / "guests") -> list[Path]:
    """The sample guest files, in a stable order."""
    return sorted(p for p in source.glob("*.yml") if not p.name.startswith("_"))


def variant(text: str, copy: int, sample_id: str = "") -> str:
    """Guest YAML ``text`` made into its ``copy``-th synthetic twin (copy 0 is the original)."""
    if copy == 0:
        return text
    text = _PREFERRED.sub(lambda m: f"{m.group(1)}{m.group(2)} {_roman(copy + 1)}", text, count=1)
    # Room numbers a multiple of 10000 apart: no two guests of one hotel share a room (a check across guests).
    text = _ROOM.sub(lambda m: f'{m.group(1)}"{int(m.group(2)) + 10000 * copy}"', text, count=1)
    text = _PASSPORT.sub(lambda m: f"{m.group(1)}{m.group(2)}{int(m.group(3)) + 1000 * copy:0{len(m.group(3))}d}", text, count=1)
    return f"# Synthetic benchmark guest: copy {copy} of the sample guest {sample_id}.\n{text}"


def _roman(number: int) -> str:
    out = ""
    for value, letters in [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]:
        while number >= value:
            out += letters
            number -= value
    return out


def guest_ids(count: int, source: Path = REPO / "guests") -> list[tuple[str, Path, int]]:
    """(new id, sample file, copy number) for ``count`` guests: the samples first, then their copies in turn."""
    samples = sample_guests(source)
    if not samples:
        raise SystemExit(f"no sample guests in {source}")
    out = []
    for n in range(count):
        sample, copy = samples[n % len(samples)], n // len(samples)
        out.append((sample.stem if copy == 0 else f"{sample.stem}-{copy:03d}", sample, copy))
    return out


def copy_parts(source_root: Path, target: Path, parts: list[str]) -> Path:
    """Copy the named files and folders of a project into ``target`` (created if needed)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in parts:
        source = source_root / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
    return target


def generate(count: int, target: Path, source_root: Path = REPO) -> Path:
    """Write a complete project (mkdocs.yml, content/, theme/, guests/ with ``count`` guests) into ``target``."""
    if target.exists():
        shutil.rmtree(target)
    copy_parts(source_root, target, PROJECT_PARTS)
    guests_source, guests = source_root / "guests", target / "guests"
    guests.mkdir()
    for extra in guests_source.iterdir():  # the event, the schema, photos: everything that is not a guest record
        if extra.name.startswith("_") or extra.suffix not in {".yml", ".md"}:
            (shutil.copytree if extra.is_dir() else shutil.copy2)(extra, guests / extra.name)
    for guest_id, sample, copy in guest_ids(count, guests_source):
        (guests / f"{guest_id}.yml").write_text(variant(sample.read_text(encoding="utf-8"), copy, sample.stem), encoding="utf-8")
        notes = sample.with_suffix(".md")
        if notes.is_file():
            shutil.copy2(notes, guests / f"{guest_id}.md")
    return target


def edit_one_guest(project: Path) -> Path:
    """The trainer's typical change: one guest's room number. Returns the edited file."""
    path = sorted(p for p in (project / "guests").glob("*.yml") if not p.name.startswith("_"))[0]
    text = path.read_text(encoding="utf-8")
    edited, found = _ROOM.subn(lambda m: f'{m.group(1)}"{int(m.group(2)) + 1}"', text, count=1)
    if not found:
        raise SystemExit(f"{path}: no room number to change")
    path.write_text(edited, encoding="utf-8")
    return path


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="write a synthetic event with N guests (or edit one guest of it)")
    parser.add_argument("count", type=int, help="guests to write; 0 with --edit-one: leave the event as it is")
    parser.add_argument("target", type=Path)
    parser.add_argument("--edit-one", action="store_true", help="then change one guest's room, as the benchmark does")
    args = parser.parse_args()
    if args.count:
        print(generate(args.count, args.target))
    if args.edit_one:
        print(edit_one_guest(args.target))
