"""Every sensitive value of an event, found by the schema's own ``Sensitive`` markers (read here independently of the
redaction code under test), for tests that scan outputs byte by byte."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import get_args

from pydantic import BaseModel

from build_tools.model import Sensitive
from build_tools.project import Project


def sensitive_kind(model: type[BaseModel], name: str) -> str | None:
    """The field's ``Sensitive`` marker, read here independently of the redaction code under test."""
    info = model.model_fields[name]
    for marker in [*info.metadata, *(m for arg in get_args(info.annotation) for m in getattr(arg, "__metadata__", ()))]:
        if isinstance(marker, Sensitive):
            return marker.kind
    return None


def sensitive_leaves(model: BaseModel) -> set[str]:
    """Every sensitive leaf value in ``model`` (four characters or more: shorter ones match by chance)."""
    found: set[str] = set()

    def leaves(value: object) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                leaves(getattr(value, name))
        elif isinstance(value, list):
            for item in value:
                leaves(item)
        elif value is not None and not isinstance(value, bool):
            found.add(str(value))

    def walk(model: BaseModel) -> None:
        for name in type(model).model_fields:
            value = getattr(model, name)
            if sensitive_kind(type(model), name):
                leaves(value)
            elif isinstance(value, BaseModel):
                walk(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, BaseModel):
                        walk(item)

    walk(model)
    generic = {"mild", "moderate", "severe", "anaphylaxis"}  # allergy severities: words, not data
    return {v for v in found if len(v) >= 4 and v not in generic}


def sensitive_values(project: Project) -> set[str]:
    """Every sensitive leaf value of the project's event and guests (full data)."""
    found = sensitive_leaves(project.loaded.event)
    for record in project.loaded.guests:
        found |= sensitive_leaves(record.guest)
    return found


def found_in(text: str, values: Iterable[str]) -> list[str]:
    """The ``values`` that ``text`` holds as values of their own, not inside a longer token (a room number inside a
    hash). Each value is looked for as a plain substring first (fast, in C), then checked at its boundaries: one
    regular expression of all values would be tried at every position of every text, minutes for a bundle folder."""
    return sorted(v for v in values if v in text and re.search(rf"(?<![0-9A-Za-z]){re.escape(v)}(?![0-9A-Za-z])", text))
