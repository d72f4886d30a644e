"""The published version of the data: ``published/snapshot.json``, written by ``lo-briefing publish``.

It holds the event and every guest as plain data (the full records, like the YAML they came from), with a version
number and a date. ``changes`` compares the current data with it; nothing else reads the raw data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..loader import LoadedEvent
from ..store import build_date, write_atomic

SNAPSHOT = Path("published") / "snapshot.json"
FORMAT = 1


@dataclass(frozen=True)
class Snapshot:
    version: int
    date: str  # YYYY-MM-DD, Bangkok
    data: dict[str, Any]  # {"event": …, "guests": {id: …}}


class SnapshotError(Exception):
    pass


def read_snapshot(root: Path) -> Snapshot | None:
    path = root / SNAPSHOT
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Snapshot(int(raw["version"]), str(raw["date"]), {"event": raw["event"], "guests": dict(raw["guests"])})
    except (ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(f"{SNAPSHOT}: expected the JSON written by `lo-briefing publish`, got unreadable data ({exc}); "
                            "publish again to replace it") from None


def snapshot_json(loaded: LoadedEvent, version: int, date: str) -> str:
    """The full (unredacted) data as plain JSON, stable key order, so the file diffs well in git."""
    data = {
        "format": FORMAT,
        "version": version,
        "date": date,
        "event": loaded.event.model_dump(mode="json"),
        "guests": {record.id: record.guest.model_dump(mode="json") for record in sorted(loaded.guests, key=lambda r: r.id)},
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_snapshot(root: Path, loaded: LoadedEvent, previous: Snapshot | None, date: str | None = None) -> Snapshot:
    """Record ``loaded`` (which must be the full, unredacted data) as the next published version."""
    version = (previous.version if previous else 0) + 1
    date = date or build_date()
    write_atomic(root / SNAPSHOT, snapshot_json(loaded, version, date))
    return read_snapshot(root)  # type: ignore[return-value]
