"""Markdown for the generated pages: one briefing page per guest and the guests index."""

from __future__ import annotations

from markupsafe import Markup

from .. import thaidate
from ..knowledge import KnowledgePage
from ..model import ContactRole, Event, GeoPoint
from ..sanitize import notes_block
from .emergency import guest_procedures
from .field import first_screen, geo_uri, schedule_table
from .guest import GuestView
from .markdown import escape_text, render
from .status import STATUS_LABELS, StatusLabel

__all__ = ["STATUS_LABELS", "StatusLabel", "ROLE_LABELS", "ROLE_NAMES", "guest_page", "guests_index"]

ROLE_NAMES: dict[ContactRole, tuple[str, str]] = {  # Thai, English
    ContactRole.MAIN_COORDINATOR: ("ผู้ประสานงานหลัก", "Main coordinator"),
    ContactRole.BACKUP_COORDINATOR: ("ผู้ประสานงานสำรอง", "Backup coordinator"),
    ContactRole.SECRETARIAT: ("ฝ่ายเลขานุการ", "Secretariat"),
    ContactRole.MEDICAL: ("ทีมแพทย์", "Medical team"),
    ContactRole.TRANSPORT: ("ฝ่ายยานพาหนะ", "Transport desk"),
    ContactRole.POLICE: ("ประสานงานตำรวจ", "Police coordination"),
    ContactRole.HOTEL_DUTY_MANAGER: ("ผู้จัดการเวรโรงแรม", "Hotel duty manager"),
    ContactRole.PROTOCOL: ("ฝ่ายพิธีการ", "Protocol"),
    ContactRole.EMBASSY: ("สถานเอกอัครราชทูต", "Embassy"),
    ContactRole.OTHER: ("อื่น ๆ", "Other"),
}
ROLE_LABELS = {role: f"{th} ({en})" for role, (th, en) in ROLE_NAMES.items()}
_HELPERS = {
    "day_heading": thaidate.day_heading,
    "clock": thaidate.clock,
    "date_time": thaidate.date_time,
    "short_date": thaidate.short_date,
    "status_label": lambda status: STATUS_LABELS[status],
    "role_label": lambda role: ROLE_LABELS[role],
}


def geo_link(label: str, geo: GeoPoint) -> Markup:
    """A place's address (as text) that opens the phone's maps app at its coordinates."""
    return Markup(f'<a class="lo-geo" href="{geo_uri(geo)}">{escape_text(label)}</a>')


def guest_page(view: GuestView, links: dict[str, Markup], procedures: list[KnowledgePage] | None = None) -> str:
    """The guest's briefing page; ``links`` to the guest's other outputs (see ``outputs.guest_links``);
    ``procedures`` (the emergency pages) are listed with this guest's facts beside them."""
    notes = notes_block(view.record.notes) if view.record.notes else None
    return render(
        "guest.md.j2",
        view=view,
        notes=notes,
        links=links,
        first_screen=first_screen(view),
        schedule_table=schedule_table,
        geo_link=geo_link,
        procedures=guest_procedures(view, procedures or []),
        **_HELPERS,
    )


def guests_index(event: Event, views: list[GuestView], links: dict[str, dict[str, Markup]], orientation: Markup) -> str:
    return render("guests-index.md.j2", event=event, views=views, links=links, orientation=orientation, **_HELPERS)
