"""Guest records into guest files: new files written out, existing files changed only where the data changed.

An existing file is edited in place with ruamel.yaml's round-trip mode, so its comments, key order, quoting and
flow lists stay; only the values that differ are replaced, added or removed. What the sheet does not hold (the
``<id>.md`` notes beside the file, comments) is kept. Every text is read back and must give the same record.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..diagnostics import display_path
from ..loader import load_guest, validate
from ..model import Guest
from ..yamlsource import parse_yaml

HEADER = (
    "# yaml-language-server: $schema=./_schema/guest.schema.json\n"
    "# Guest record imported from {source}. Edit here or in the workbook; `make check` validates it.\n"
)


@dataclass
class Change:
    """What an import does to one guest file."""

    path: Path
    state: str  # "new", "changed", "same"
    fields: list[str] = field(default_factory=list)  # the changed field paths, e.g. "arrival.time"
    text: str = ""  # the file's new content (empty when the same)


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # as the sample files: "  - item" under its key
    yaml.width = 4096  # no folding of long Thai lines
    yaml.allow_unicode = True
    return yaml


def plain(value: Any) -> Any:
    """A record as YAML-ready data: text for dates and times, empty and absent values left out."""
    if isinstance(value, Guest) or hasattr(value, "model_fields"):
        out = {}
        for name in type(value).model_fields:
            item = plain(getattr(value, name))
            if item not in (None, [], {}):
                out[name] = item
        return out
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes" if not value.second and not value.microsecond else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _node(value: Any) -> Any:
    """Plain data as ruamel nodes: short lists of words in flow style (``[halal, no-alcohol]``), like the samples."""
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = _node(item)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_node(item) for item in value)
        if all(isinstance(item, str) for item in value) and sum(len(item) for item in value) < 60:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and value[:1] in "+0123456789":
        return DoubleQuotedScalarString(value)  # "+66 81 000 1001", "1204": quoted like the sample files
    return value


def _merge(node: Any, old: dict[str, Any], new: dict[str, Any], path: str, changed: list[str]) -> None:
    for key, value in new.items():
        where = f"{path}.{key}" if path else key
        before = old.get(key)
        if before == value:
            continue
        current = node.get(key) if isinstance(node, dict) else None
        if isinstance(current, dict) and isinstance(value, dict) and isinstance(before, dict):
            _merge(current, before, value, where, changed)
        elif isinstance(current, list) and isinstance(value, list) and isinstance(before, list):
            _merge_list(current, before, value, where, changed)
        else:
            node[key] = _node(value)
            changed.append(where)
    for key in old:
        if key not in new and key in node:
            del node[key]
            changed.append(f"{path}.{key}" if path else key)


def _merge_list(node: list[Any], old: list[Any], new: list[Any], path: str, changed: list[str]) -> None:
    for index in range(min(len(old), len(new), len(node))):
        if old[index] == new[index]:
            continue
        if isinstance(node[index], dict) and isinstance(old[index], dict) and isinstance(new[index], dict):
            _merge(node[index], old[index], new[index], f"{path}[{index}]", changed)
        else:
            node[index] = _node(new[index])
            changed.append(f"{path}[{index}]")
    if len(new) > len(node):
        for index in range(len(node), len(new)):
            node.append(_node(new[index]))
            changed.append(f"{path}[{index}]")
    elif len(new) < len(node):
        del node[len(new):]
        changed.append(f"{path}[{len(new)}:]")


def _dump(data: Any) -> str:
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    return buffer.getvalue()


def plan(guests: dict[str, Guest], guests_dir: Path, root: Path, source: str) -> tuple[list[Change], list[str]]:
    """What importing ``guests`` into ``guests_dir`` would do to each file, or the problems that stop it."""
    changes: list[Change] = []
    problems: list[str] = []
    for guest_id, guest in sorted(guests.items()):
        path = guests_dir / f"{guest_id}.yml"
        new = plain(guest)
        if not path.exists():
            text = HEADER.format(source=source) + _dump(_node(new))
            changes.append(Change(path, "new", [], text))
        else:
            record, found = load_guest(path, root)
            if record is None:
                problems += [f"{d}" for d in found]
                problems.append(f"{display_path(path, root)}: fix this file (or move it away) before importing into it")
                continue
            old = plain(record.guest)
            if old == new:
                changes.append(Change(path, "same"))
                continue
            original = path.read_text(encoding="utf-8")
            tree = _yaml().load(original)
            changed: list[str] = []
            _merge(tree, old, new, "", changed)
            changes.append(Change(path, "changed", changed, _dump(tree)))
        doc, found = parse_yaml(changes[-1].text, display_path(path, root))
        back = validate(doc, Guest)[0] if doc is not None and not found else None
        if back != guest:  # never write a file that does not read back as the sheet's record
            problems.append(f"{display_path(path, root)}: the written YAML would not read back as the sheet's record; nothing was written")
    return changes, problems


def write(changes: list[Change]) -> None:
    """Each new or changed file through a temporary file and a rename, so none is left half written."""
    for change in changes:
        if change.state == "same":
            continue
        change.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = change.path.with_name(f".{change.path.name}.importing")
        temporary.write_text(change.text, encoding="utf-8")
        temporary.replace(change.path)
