"""A printed handbook of the output plan, with its cover and chapters, ready for the print template."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..compose.guest import GuestView
from ..memo import Memo, remember
from ..model import Event
from ..plan import HandbookPlan
from .chapters import Chapter, RenderedPage, chapter_id, chapter_key, to_chapter


@dataclass(frozen=True)
class Handbook:
    title: str
    subtitle: str
    cover: list[tuple[str, str]]  # (label, value) lines on the cover
    chapters: list[Chapter]
    as_of: str  # "valid as of" stamp
    confidential: bool = False
    keywords: list[str] = field(default_factory=list)
    # Runs of chapters other handbooks have too, as (start, end) indexes in order, the last running to the end (as the
    # plan says: the country page, the emergency procedures): the PDF stage lays out once a run many handbooks of a
    # build share, and joins it to each guest's own pages (``joined.py``).
    shared: tuple[tuple[int, int], ...] = ()


def chapters_of(pages: list[tuple[RenderedPage, str | None]], site_dir: Path, memo: Memo | None = None) -> list[Chapter]:
    """The chapters of one document's pages. Through ``memo`` a chapter is made once for every document that has the
    same page with the same links (the shared emergency chapters of every guest handbook), and in a preview once
    until its page changes."""
    in_document = {page.url: chapter_id(page.url) for page, _ in pages}
    return [remember(memo, "chapter", chapter_key(page, in_document, site_dir, part),
                     lambda page=page, part=part: to_chapter(page, in_document, site_dir, part))  # type: ignore[misc]
            for page, part in pages]


def handbook_for(book: HandbookPlan, event: Event, view: GuestView | None, chapters: list[Chapter]) -> Handbook:
    """The printed handbook of a plan entry, from its chapters as the site rendered them (each with its nav section)."""
    if book.kind == "orientation":
        return Handbook(
            title="คู่มือปฐมนิเทศเจ้าหน้าที่ประสานงาน (LO Orientation Handbook)",
            subtitle=f"{event.event.name.th} — {event.event.name.en}",
            cover=[
                ("เจ้าภาพ (Host)", event.event.host.th),
                ("ระหว่างวันที่ (Dates)", f"{event.event.starts:%d/%m/%Y} – {event.event.ends:%d/%m/%Y}"),
            ],
            chapters=chapters,
            as_of=book.stamp,
            keywords=["Liaison Officer", "LO", event.event.short_name],
        )
    assert view is not None, f"{book.path}: a guest handbook needs its guest"
    g = view.guest
    return Handbook(
        title=f"คู่มือ LO: {view.display_name}",
        subtitle=f"{g.position} — {view.country_name}",
        cover=[
            ("ประเทศ (Country)", view.country_name),
            ("ช่วงเวลา (Dates)", f"{view.facts['arrival_time']} – {view.facts['departure_time']}"),
            ("LO ผู้รับผิดชอบ (Assigned LO)", view.lo.name),
            ("การประชุม (Event)", view.event.event.name.th),
        ],
        chapters=chapters,
        as_of=book.stamp,
        confidential=True,
        keywords=["Liaison Officer", view.id, g.country],
        shared=book.shared,
    )
