"""How a schedule item's status reads and looks."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Status


@dataclass(frozen=True)
class StatusLabel:
    """How a schedule status reads (plain text) and how it looks (a CSS class the templates put on it)."""

    text: str
    css: str

    def __str__(self) -> str:
        return self.text


# Labels are data, not Markdown: templates render ``text`` inside an element with class ``lo-status lo-status--<css>``
# (changed items stand out, cancelled ones are struck through by the style sheets), never as ``**…**`` or ``~~…~~``.
STATUS_LABELS = {
    Status.CONFIRMED: StatusLabel("ยืนยันแล้ว (confirmed)", "confirmed"),
    Status.TENTATIVE: StatusLabel("รอยืนยัน (tentative)", "tentative"),
    Status.CHANGED: StatusLabel("เปลี่ยนแปลง (changed)", "changed"),
    Status.CANCELLED: StatusLabel("ยกเลิก (cancelled)", "cancelled"),
}
