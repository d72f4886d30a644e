"""The boards of one build, as the MkDocs plugin uses them: pages to add, .xlsx downloads, PDF jobs to render.

One object, one call site in the plugin (as ``FieldKit``), so the output plan (issue 13) can take it over whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..fieldkit.printing import render
from ..pdf.render import Job, job_for_html
from ..profiles import Profile
from ..project import Project
from .page import BOARDS_DIR, board_page, boards_index
from .rows import Board, boards

INDEX = f"{BOARDS_DIR}/index.md"


def pdf_name(board: Board) -> str:
    return f"board-{board.slug}.pdf"


def board_html(board: Board, project: Project, stamp: str) -> str:
    marking = "ลับ (CONFIDENTIAL)" if project.profile is Profile.FULL else f"โปรไฟล์ (profile): {project.profile.value}"
    return render("board.html.j2", "board.css", board=board, event=project.loaded.event, stamp=stamp, marking=marking)


@dataclass
class Boards:
    project: Project
    boards: list[Board]
    pdf_dir: str = "pdf"  # the plugin's pdf_dir, for the links on the pages

    @classmethod
    def prepare(cls, project: Project, pdf_dir: str = "pdf") -> Boards:
        return cls(project, boards(project.loaded, project.profile), pdf_dir)

    def files(self) -> list[tuple[str, str]]:
        """guests/boards/index.md and each board's page."""
        out = [(INDEX, boards_index(self.boards))]
        for board in self.boards:
            out.append((f"{BOARDS_DIR}/{board.slug}.md", board_page(board, f"../../{self.pdf_dir}/{pdf_name(board)}", f"{board.slug}.xlsx")))
        return out

    def download_names(self) -> list[str]:
        """Where ``downloads`` puts its files, known without making them."""
        return [f"{BOARDS_DIR}/{board.slug}.xlsx" for board in self.boards]

    def downloads(self) -> list[tuple[str, bytes]]:
        """Each board's .xlsx (openpyxl takes a while at hundreds of guests: the plugin makes them on the spare core)."""
        from .xlsx import board_xlsx

        return [(f"{BOARDS_DIR}/{board.slug}.xlsx", board_xlsx(board)) for board in self.boards]

    def titles(self) -> dict[str, str]:
        return {INDEX: "กระดานประสานงาน (Coordinator boards)"} | {f"{BOARDS_DIR}/{b.slug}.md": b.title for b in self.boards}

    def pdf_names(self) -> list[str]:
        return [pdf_name(board) for board in self.boards]

    def pdf_jobs(self, pdf_dir: Path, stamp: str) -> list[Job]:
        return [job_for_html(board_html(board, self.project, stamp), pdf_dir / pdf_name(board)) for board in self.boards]
