"""The field kit's documents for the entries of an output plan: pocket documents as print HTML, phone files as bytes.

Everything here works on guest views the build already redacted for its profile, so no value the profile hides
reaches a kit file.
"""

from __future__ import annotations

from pathlib import Path

from ..compose.guest import GuestView
from ..memo import Memo, remember
from ..plan import ExportPlan, OutputPlan, PocketPlan
from .calendar import calendar
from .card import card_html
from .changes import Comparison
from .contacts import vcards
from .runsheet import runsheet_html
from .stamps import calendar_moment, calendar_sequence


def pocket_html(entry: PocketPlan, view: GuestView, guests_dir: Path, qr_cache: Path | None) -> str:
    if entry.kind == "card":
        return card_html(view, entry.stamp, guests_dir, qr_cache)
    return runsheet_html(view, entry.stamp)


def export_bytes(entry: ExportPlan, view: GuestView, comparison: Comparison, memo: Memo | None = None) -> bytes:
    if entry.kind == "calendar":
        moment, sequence = calendar_moment(comparison), calendar_sequence(comparison, view.id)
        return remember(memo, "calendar", (view, moment.isoformat(), sequence), lambda: calendar(view, moment, sequence))
    return remember(memo, "contacts", (view,), lambda: vcards(view).encode("utf-8"))


def all_exports(plan: OutputPlan, views: dict[str, GuestView], memo: Memo | None = None) -> list[tuple[str, bytes]]:
    """Every phone file of the plan, as (site path, bytes); with a ``memo`` (serve), only changed guests' are made."""
    return [(entry.path, export_bytes(entry, views[entry.owner], plan.comparison, memo)) for entry in plan.exports]
