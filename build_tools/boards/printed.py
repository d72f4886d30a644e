"""A board as an A4 landscape print document (theme/print/board.html.j2)."""

from __future__ import annotations

from ..model import Event
from ..pdf.templates import render
from ..profiles import Profile
from .rows import Board


def board_html(board: Board, event: Event, profile: Profile, stamp: str) -> str:
    marking = "ลับ (CONFIDENTIAL)" if profile is Profile.FULL else f"โปรไฟล์ (profile): {profile.value}"
    return render("board.html.j2", "board.css", board=board, event=event, stamp=stamp, marking=marking)
