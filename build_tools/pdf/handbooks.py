"""What goes into each printed handbook: the orientation handbook and one handbook per guest."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..compose.guest import GuestView
from ..model import Event
from .chapters import Chapter, RenderedPage, chapter_id, to_chapter


@dataclass(frozen=True)
class Handbook:
    filename: str  # e.g. "orientation.pdf", "guest-jp-tanaka.pdf"
    title: str
    subtitle: str
    cover: list[tuple[str, str]]  # (label, value) lines on the cover
    chapters: list[Chapter]
    as_of: str  # "valid as of" stamp
    confidential: bool = False
    keywords: list[str] = field(default_factory=list)
    # Index of the first of the trailing chapters every guest handbook shares (the emergency procedures): the PDF
    # stage lays those out once and joins them to each guest's own pages (``joined.py``). None: nothing shared.
    shared_from: int | None = None


def _chapters(pages: list[tuple[RenderedPage, str | None]], site_dir: Path) -> list[Chapter]:
    in_document = {page.url: chapter_id(page.url) for page, _ in pages}
    return [to_chapter(page, in_document, site_dir, part) for page, part in pages]


def orientation_handbook(event: Event, pages: list[tuple[RenderedPage, str | None]], site_dir: Path, as_of: str) -> Handbook:
    """The whole knowledge base in navigation order; ``pages`` pairs each page with its nav section."""
    return Handbook(
        filename="orientation.pdf",
        title="คู่มือปฐมนิเทศเจ้าหน้าที่ประสานงาน (LO Orientation Handbook)",
        subtitle=f"{event.event.name.th} — {event.event.name.en}",
        cover=[
            ("เจ้าภาพ (Host)", event.event.host.th),
            ("ระหว่างวันที่ (Dates)", f"{event.event.starts:%d/%m/%Y} – {event.event.ends:%d/%m/%Y}"),
        ],
        chapters=_chapters(pages, site_dir),
        as_of=as_of,
        keywords=["Liaison Officer", "LO", event.event.short_name],
    )


def guest_handbook(view: GuestView, pages: list[RenderedPage], site_dir: Path, as_of: str) -> Handbook:
    """The guest's briefing page first, then the guest's country page and the emergency procedures."""
    g = view.guest
    return Handbook(
        filename=f"guest-{view.id}.pdf",
        title=f"คู่มือ LO: {view.display_name}",
        subtitle=f"{g.position} — {view.country_name}",
        cover=[
            ("ประเทศ (Country)", view.country_name),
            ("ช่วงเวลา (Dates)", f"{view.facts['arrival_time']} – {view.facts['departure_time']}"),
            ("LO ผู้รับผิดชอบ (Assigned LO)", g.lo.name),
            ("การประชุม (Event)", view.event.event.name.th),
        ],
        chapters=_chapters([(page, None) for page in pages], site_dir),
        as_of=as_of,
        confidential=True,
        keywords=["Liaison Officer", view.id, g.country],
        shared_from=_shared_from(pages),
    )


def _shared_from(pages: list[RenderedPage]) -> int | None:
    """Where the trailing knowledge chapters start: everything after the guest's own page and country page."""
    start = len(pages)
    while start > 1 and not pages[start - 1].url.startswith(("guests/", "countries/")):
        start -= 1
    return start if start < len(pages) else None
