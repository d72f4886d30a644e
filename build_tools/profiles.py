"""Build profiles: which sensitive fields leave the machine. Driven by the ``Sensitive`` markers in the model."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from pydantic import BaseModel

from .loader import GuestRecord, LoadedEvent
from .memo import Memo, remember
from .model import sensitive_kind

PLACEHOLDER = "[ข้อมูลจำกัด (restricted)]"


class Profile(str, Enum):
    FULL = "full"  # the LO's own material: everything
    TRAINING = "training"  # orientation and demos: no sensitive value anywhere
    HANDOUT = "handout"  # drivers and hotel staff: logistics only

    @property
    def reveals_sensitive(self) -> bool:
        """Whether outputs of this profile can carry a sensitive value (any kind that is not hidden)."""
        return bool(SENSITIVE_KINDS - HIDDEN_KINDS[self])


SENSITIVE_KINDS = {"contact", "medical", "identity", "lodging", "vehicle", "notes"}

HIDDEN_KINDS: dict[Profile, set[str]] = {
    Profile.FULL: set(),
    Profile.TRAINING: SENSITIVE_KINDS,
    Profile.HANDOUT: {"medical", "identity", "notes"},
}


@dataclass(frozen=True)
class Withheld:
    """Stands in for a code that is itself sensitive (a medical diet code): shows as the placeholder, matches nothing."""

    value: str = PLACEHOLDER

    def __str__(self) -> str:
        return self.value


def _codes(values: list[Any], hidden: set[str]) -> list[Any]:
    """A list of codes with each code whose own kind is hidden (``Diet.sensitive_kind``) withheld, once."""
    kept = [v for v in values if getattr(v, "sensitive_kind", None) not in hidden]
    return kept + [Withheld()] if len(kept) < len(values) else values


def _blank(value: Any) -> Any:
    """A neutral placeholder of the same shape, so templates still render: every leaf becomes the placeholder."""
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: _blank(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [_blank(item) for item in value]
    if value is None or isinstance(value, bool):
        return value
    return PLACEHOLDER


def redact(model: BaseModel, hidden: set[str]) -> BaseModel:
    """A copy of ``model`` with every field whose kind is hidden replaced by a placeholder, recursively."""
    if not hidden:
        return model
    changes: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        kind = sensitive_kind(type(model), name)
        if kind in hidden:
            changes[name] = _blank(value)
        elif isinstance(value, BaseModel):
            changes[name] = redact(value, hidden)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            changes[name] = [redact(item, hidden) for item in value]
        elif isinstance(value, list) and any(hasattr(item, "sensitive_kind") for item in value):
            changes[name] = _codes(value, hidden)
    return model.model_copy(update=changes)


def redact_event(loaded: LoadedEvent, profile: Profile, memo: Memo | None = None) -> LoadedEvent:
    """``loaded`` as ``profile`` may show it. With a ``memo``, a record redacted before is the same object again (so
    what is kept by its identity, such as its view, is kept too)."""
    hidden = HIDDEN_KINDS[profile]
    if not hidden:
        return loaded

    def redacted(record: GuestRecord) -> GuestRecord:
        return replace(record, guest=redact(record.guest, hidden), notes=None if "notes" in hidden else record.notes)

    guests = [remember(memo, "redacted", (record, profile.value), lambda record=record: redacted(record))  # type: ignore[misc]
              for record in loaded.guests]
    event = remember(memo, "redacted event", (loaded.event, profile.value), lambda: redact(loaded.event, hidden))
    return LoadedEvent(event=event, guests=guests)
