"""A board as a site page (Markdown tables, every value escaped as text) and the index of the boards."""

from __future__ import annotations

from ..compose.markdown import escape_text
from .rows import Board


def _cell(value: str) -> str:
    return escape_text(value).replace("\n", " ") or " "


def board_page(board: Board, pdf_href: str, xlsx_href: str) -> str:
    head = "| " + " | ".join(f"{escape_text(c.th)} ({escape_text(c.en)})" for c in board.columns) + " |"
    rule = "|" + "|".join("---" for _ in board.columns) + "|"
    lines = [f"# {escape_text(board.title)}", "",
             f"[PDF (A4)]({pdf_href}) · [Excel (.xlsx)]({xlsx_href}) · {len(board.rows)} แถว (rows)", ""]
    for group in board.groups:
        if group.heading:
            lines += [f"## {escape_text(group.heading)}", ""]
        if not group.rows:
            lines += ["ไม่มีรายการ (nothing listed)", ""]
            continue
        lines += [head, rule, *("| " + " | ".join(_cell(v) for v in row) + " |" for row in group.rows), ""]
    return "\n".join(lines)


def boards_index(boards: list[Board]) -> str:
    lines = ["# กระดานประสานงาน (Coordinator boards)", "",
             "มุมมองรวมของแขกทุกท่านสำหรับผู้ประสานงาน (views across all guests for the coordinators).", ""]
    lines += [f"- [{escape_text(b.title)}]({b.slug}.md) — {len(b.rows)} แถว (rows)" for b in boards]
    return "\n".join(lines) + "\n"
