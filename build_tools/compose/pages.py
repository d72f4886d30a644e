"""Markdown for the generated pages: one briefing page per guest and the guests index."""

from __future__ import annotations

from ..model import ContactRole, Event, Status
from .. import thaidate
from .guest import GuestView
from ..sanitize import notes_block
from .markdown import render

STATUS_LABELS = {
    Status.CONFIRMED: "ยืนยันแล้ว (confirmed)",
    Status.TENTATIVE: "รอยืนยัน (tentative)",
    Status.CHANGED: "**เปลี่ยนแปลง (changed)**",
    Status.CANCELLED: "~~ยกเลิก (cancelled)~~",
}
ROLE_LABELS = {
    ContactRole.MAIN_COORDINATOR: "ผู้ประสานงานหลัก (Main coordinator)",
    ContactRole.BACKUP_COORDINATOR: "ผู้ประสานงานสำรอง (Backup coordinator)",
    ContactRole.SECRETARIAT: "ฝ่ายเลขานุการ (Secretariat)",
    ContactRole.MEDICAL: "ทีมแพทย์ (Medical team)",
    ContactRole.TRANSPORT: "ฝ่ายยานพาหนะ (Transport desk)",
    ContactRole.POLICE: "ประสานงานตำรวจ (Police coordination)",
    ContactRole.HOTEL_DUTY_MANAGER: "ผู้จัดการเวรโรงแรม (Hotel duty manager)",
    ContactRole.PROTOCOL: "ฝ่ายพิธีการ (Protocol)",
    ContactRole.EMBASSY: "สถานเอกอัครราชทูต (Embassy)",
    ContactRole.OTHER: "อื่น ๆ (Other)",
}
_HELPERS = {
    "day_heading": thaidate.day_heading,
    "clock": thaidate.clock,
    "date_time": thaidate.date_time,
    "short_date": thaidate.short_date,
    "status_label": lambda status: STATUS_LABELS[status],
    "role_label": lambda role: ROLE_LABELS[role],
}


def guest_page(view: GuestView) -> str:
    notes = notes_block(view.record.notes) if view.record.notes else None
    return render("guest.md.j2", view=view, notes=notes, **_HELPERS)


def guests_index(event: Event, views: list[GuestView]) -> str:
    return render("guests-index.md.j2", event=event, views=views, **_HELPERS)
