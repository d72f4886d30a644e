"""Navigation as written in mkdocs.yml, with glob entries (``countries/*.md``) expanded to the pages they match."""

from __future__ import annotations

from fnmatch import fnmatch
from typing import Any

NavEntry = Any  # str | dict[str, str | list[NavEntry]], as MkDocs reads it


def expand_nav(nav: list[NavEntry], titles: dict[str, str]) -> list[NavEntry]:
    """Replace every glob with the matching pages: the folder's index first, then the rest by title."""
    out: list[NavEntry] = []
    for entry in nav:
        if isinstance(entry, dict):
            out.append({key: _expand_value(value, titles) for key, value in entry.items()})
        elif isinstance(entry, str) and "*" in entry:
            out.extend(_matches(entry, titles))
        else:
            out.append(entry)
    return out


def _expand_value(value: NavEntry, titles: dict[str, str]) -> NavEntry:
    if isinstance(value, list):
        return expand_nav(value, titles)
    if isinstance(value, str) and "*" in value:
        return _matches(value, titles)
    return value


def _matches(pattern: str, titles: dict[str, str]) -> list[str]:
    found = [uri for uri in titles if fnmatch(uri, pattern) and "/" not in uri[len(pattern.rsplit("/", 1)[0]) + 1:]]
    return sorted(found, key=lambda uri: (not uri.endswith("index.md"), titles[uri], uri))


def flatten(nav: list[NavEntry]) -> list[str]:
    """Every page path of a nav, in reading order."""
    pages: list[str] = []
    for entry in nav:
        values = entry.values() if isinstance(entry, dict) else [entry]
        for value in values:
            pages.extend(flatten(value) if isinstance(value, list) else [value])
    return [p for p in pages if p.endswith(".md")]


def sections(nav: list[NavEntry]) -> list[tuple[str, str | None]]:
    """Every page path of a nav in reading order, with the title of the top-level section it is in (None at the top)."""
    out: list[tuple[str, str | None]] = []
    for entry in nav:
        if isinstance(entry, dict):
            for title, value in entry.items():
                if isinstance(value, list):
                    out += [(path, title) for path in flatten(value)]
                elif isinstance(value, str) and value.endswith(".md"):
                    out.append((value, None))
        elif isinstance(entry, str) and entry.endswith(".md"):
            out.append((entry, None))
    return out
