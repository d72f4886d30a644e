"""The output plan: everything one build produces for one profile, whose it is, and whether it is sensitive.

``compose_plan`` is the one place that decides which pages are generated (with their Markdown), what is appended to
knowledge pages, which chapters each handbook has and where the chapters every guest handbook shares begin, which
pocket documents and phone files are made, and their names (through ``build_tools.outputs``). It is pure: plain data
in, plain data out — no MkDocs, no WeasyPrint, no file written. The site engine's adapter, the PDF stage, the exports
and the per-LO bundles walk the plan; a bundle's plan is the plan of its guests (``project.plan_project(only=…)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from markupsafe import Markup

from . import outputs
from .boards.page import board_page, boards_index
from .boards.rows import Board
from .compose.countries import country_table
from .compose.emergency import procedure_prefixes
from .compose.guest import GuestView
from .compose.pages import guest_page, guests_index
from .compose.provenance import provenance_markdown
from .fieldkit.changes import Comparison
from .fieldkit.changes_markdown import admonition, changes_page, with_admonition
from .fieldkit.stamps import stamp
from .knowledge import KnowledgePage, PhaseMeta, countries, procedures
from .memo import Memo, remember
from .model import Event
from .navigation import NavEntry, expand_nav, sections
from .profiles import Profile

CHANGES_TITLE = "การเปลี่ยนแปลง (What changed)"
GUESTS_TITLE = "แขก"
BOARDS_TITLE = "กระดานประสานงาน (Coordinator boards)"
CHECKLIST_HEADING = "## รายการตรวจสอบ (Checklist)"

Owner = str | None  # a guest id; None: shared by every guest (knowledge, indexes)


@dataclass(frozen=True)
class Page:
    """A generated site page: its source path (``guests/jp-tanaka.md``), title and complete Markdown."""

    path: str
    title: str
    markdown: str
    owner: Owner
    sensitive: bool


@dataclass(frozen=True)
class Asset:
    """A file copied into the site as it is (a guest's photo)."""

    path: str
    source: Path
    owner: Owner
    sensitive: bool


@dataclass(frozen=True)
class ChapterRef:
    page: str  # a page's source path, e.g. "emergencies/guest-unwell.md"
    part: str | None = None  # the navigation section it is printed under in the table of contents


@dataclass(frozen=True)
class HandbookPlan:
    """A handbook PDF: its chapters in order; ``shared``: the runs of them, as (start, end) indexes, that other guest
    handbooks have too (the country page: every guest of that country's; the emergency procedures: every guest's)."""

    path: str
    kind: Literal["orientation", "guest"]
    owner: Owner
    sensitive: bool
    stamp: str
    chapters: tuple[ChapterRef, ...]
    shared: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class PocketPlan:
    """A pocket document of one guest, laid out from its own print template: the card or the daily run sheet."""

    path: str
    kind: Literal["card", "runsheet"]
    owner: str
    sensitive: bool
    stamp: str


@dataclass(frozen=True)
class ExportPlan:
    """A file for the LO's phone: the calendar (.ics) or the contacts (.vcf) of one guest."""

    path: str
    kind: Literal["calendar", "contacts"]
    owner: str
    sensitive: bool


@dataclass(frozen=True)
class BoardPlan:
    """A coordinator board across the guests: a site page, an A4 PDF (``path``) and a workbook (``sheet``)."""

    path: str
    sheet: str
    board: Board
    sensitive: bool
    stamp: str
    owner: Owner = None


@dataclass(frozen=True)
class OutputPlan:
    profile: Profile
    nav: list[NavEntry]  # as written in mkdocs.yml, globs expanded
    pages: tuple[Page, ...]
    additions: dict[str, str]  # knowledge page → Markdown appended to it (checklists, the country table)
    assets: tuple[Asset, ...]
    handbooks: tuple[HandbookPlan, ...]
    pockets: tuple[PocketPlan, ...]
    exports: tuple[ExportPlan, ...]
    boards: tuple[BoardPlan, ...]
    comparison: Comparison  # with the published version: stamps, "what changed", the calendars' sequence
    guests: tuple[str, ...] = field(default=())
    # knowledge page → Markdown put before it: the first action box of a procedure, the procedures list of the index
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def downloads(self) -> tuple[HandbookPlan | PocketPlan | ExportPlan | BoardPlan, ...]:
        return (*self.handbooks, *self.pockets, *self.exports, *self.boards)

    @property
    def files(self) -> tuple[str, ...]:
        """Every download's path (a board has two: its PDF and its workbook)."""
        return (*(d.path for d in self.downloads), *(b.sheet for b in self.boards))


def compose_plan(
    pages: dict[str, KnowledgePage],
    event: Event,
    views: list[GuestView],
    comparison: Comparison,
    profile: Profile,
    nav: list[NavEntry] | None,
    build_date: str,
    guests_dir: Path,
    boards: Sequence[Board] = (),
    memo: Memo | None = None,
) -> OutputPlan:
    """Everything the build produces for ``views`` (already redacted for ``profile``) and the knowledge ``pages``;
    with a ``memo`` (serve), the page of a guest whose view and procedures are those of the last build is not
    composed again."""
    sensitive = profile.reveals_sensitive
    generated: list[Page] = []
    assets: list[Asset] = []
    procedure_pages = procedures(pages)
    # A guest page shows each procedure's front matter (title, first action, numbers), not its text.
    procedure_heads = tuple(f"{page.path}\0{page.meta!r}" for page in procedure_pages) if memo is not None else ()
    for view in views:
        path = outputs.guest_page(view.id)
        page_md = remember(memo, "guest page", (view, *procedure_heads),
                           lambda view=view, path=path: guest_page(view, _links(path, view.id), procedure_pages))  # type: ignore[misc]
        markdown = with_admonition(page_md, admonition(comparison, view.id))
        generated.append(Page(path, view.display_name, markdown, view.id, sensitive))
        if view.guest.photo:
            photo = outputs.guest_photo(view.guest.photo)
            assets.append(Asset(photo, guests_dir / view.guest.photo, view.id, sensitive))
    index = guests_index(event, views, {v.id: _links(outputs.GUESTS_INDEX, v.id) for v in views},
                         Markup(outputs.link(outputs.GUESTS_INDEX, outputs.ORIENTATION)))
    generated.append(Page(outputs.GUESTS_INDEX, GUESTS_TITLE, index, None, False))
    generated.append(Page(outputs.CHANGES_PAGE, CHANGES_TITLE, changes_page(comparison, event), None, sensitive))
    board_plans = tuple(BoardPlan(outputs.board_pdf(b.slug), outputs.board_sheet(b.slug), b, sensitive, stamp(comparison, build_date))
                        for b in boards)
    if board_plans:
        generated.append(Page(outputs.BOARDS_INDEX, BOARDS_TITLE, boards_index(list(boards)), None, False))
        for plan in board_plans:
            path = outputs.board_page(plan.board.slug)
            markdown = board_page(plan.board, outputs.link(path, plan.path), outputs.link(path, plan.sheet))
            generated.append(Page(path, plan.board.title, markdown, None, sensitive))

    titles = {path: page.meta.title for path, page in pages.items()} | {page.path: page.title for page in generated}
    expanded = expand_nav(nav, titles) if nav else []
    in_order = sections(expanded) or [(path, None) for path in sorted(titles)]
    knowledge = [(path, part) for path, part in in_order if path in pages and not outputs.is_guest_output(path)]
    emergencies = tuple(ChapterRef(path) for path, _ in knowledge if path.startswith(outputs.EMERGENCIES))

    handbooks = [HandbookPlan(outputs.ORIENTATION, "orientation", None, False, stamp(comparison, build_date),
                              tuple(ChapterRef(path, part) for path, part in knowledge))]
    pockets: list[PocketPlan] = []
    exports: list[ExportPlan] = []
    for view in views:
        chapters = [ChapterRef(outputs.guest_page(view.id))]
        shared = []
        for run in ([ChapterRef(outputs.country_page(view.country.path))] if view.country else [], list(emergencies)):
            if run:
                shared.append((len(chapters), len(chapters) + len(run)))
                chapters.extend(run)
        guest_stamp = stamp(comparison, build_date, view.id)
        handbooks.append(HandbookPlan(outputs.handbook(view.id), "guest", view.id, sensitive, guest_stamp,
                                      tuple(chapters), tuple(shared)))
        pockets.append(PocketPlan(outputs.card(view.id), "card", view.id, sensitive, guest_stamp))
        pockets.append(PocketPlan(outputs.runsheet(view.id), "runsheet", view.id, sensitive, guest_stamp))
        exports.append(ExportPlan(outputs.calendar(view.id), "calendar", view.id, sensitive))
        exports.append(ExportPlan(outputs.contacts(view.id), "contacts", view.id, sensitive))

    return OutputPlan(
        profile=profile,
        nav=expanded,
        pages=tuple(generated),
        additions=_additions(pages),
        assets=tuple(assets),
        handbooks=tuple(handbooks),
        pockets=tuple(pockets),
        exports=tuple(exports),
        boards=board_plans,
        comparison=comparison,
        guests=tuple(view.id for view in views),
        prefixes=procedure_prefixes(pages, event),
    )


def _links(source_page: str, guest_id: str) -> dict[str, Markup]:
    """Links from a generated page to the guest's outputs; ids are checked slugs, so the links are Markdown-safe."""
    return {name: Markup(target) for name, target in outputs.guest_links(source_page, guest_id).items()}


def _additions(pages: dict[str, KnowledgePage]) -> dict[str, str]:
    """Markdown the build appends to knowledge pages: each phase page's checklist, the table of country pages, and on
    every page its review status and sources."""
    out: dict[str, str] = {}
    for path, page in pages.items():
        added = ""
        if isinstance(page.meta, PhaseMeta):
            steps = "\n".join(f"- [ ] {step.do}" for step in page.meta.checklist)
            added += f"\n\n{CHECKLIST_HEADING}\n\n{steps}\n"
        if path == outputs.COUNTRIES_INDEX:
            added += "\n\n" + country_table(countries(pages))
        out[path] = added + provenance_markdown(page.meta)
    return out

