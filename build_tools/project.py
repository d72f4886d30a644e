"""Everything one build needs, read and checked once: the knowledge base, the event, and each guest's view."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from .boards.rows import boards
from .checks import check_event
from .compose.guest import GuestView, checklist_problems, guest_view
from .diagnostics import Diagnostic, display_path, errors
from .fieldkit.changes import compare
from .knowledge import KnowledgePage, PhaseMeta, countries, phases, read_knowledge
from .lint import lint_guest
from .loader import LoadedEvent, load_event
from .memo import Memo, remember
from .model import GuestRecord
from .navigation import NavEntry
from .plan import OutputPlan, compose_plan
from .profiles import Profile, redact_event


@dataclass
class Project:
    root: Path
    content_dir: Path
    guests_dir: Path
    profile: Profile
    pages: dict[str, KnowledgePage]
    loaded: LoadedEvent
    views: list[GuestView]
    warnings: list[Diagnostic]


def load_project(root: Path, content_dir: Path, guests_dir: Path, profile: Profile,
                 memo: Memo | None = None) -> tuple[Project | None, list[Diagnostic]]:
    """Read and check all inputs. Returns the project only when there is no error; diagnostics either way.

    ``memo`` (serve, a bundles worker) keeps each file's reading, each redacted record and each guest's view from
    the last build: an edit recomputes the files it changed and what depends on them (the checks across guests run
    again when the event file or any guest changed: 0.3 s a build at 200 guests, in every bundle).
    """
    pages, problems = read_knowledge(content_dir, root, memo)
    for page in pages.values():
        if isinstance(page.meta, PhaseMeta):
            shown = display_path(content_dir / page.path, root)
            found = remember(memo, "checklist problems", (page,), lambda page=page: checklist_problems(page))  # type: ignore[misc]
            problems += [Diagnostic(shown, 1, 1, "", message) for message in found]
    loaded, found = load_event(guests_dir, root, memo)
    problems += found
    if loaded is not None and not errors(problems):
        codes = sorted(countries(pages))
        problems += remember(memo, "event checks", (loaded.event, loaded.event_source, loaded.event_positions, *loaded.guests, *codes),
                             lambda: check_event(loaded, set(codes)))
        problems += [finding for record in loaded.guests
                     for finding in remember(memo, "lint", (record,), lambda record=record: lint_guest(record))]  # type: ignore[misc]
    if loaded is None or errors(problems):
        return None, sorted(problems)
    loaded = redact_event(loaded, profile, memo)
    views = guest_views(loaded, pages, memo)
    return Project(root, content_dir, guests_dir, profile, pages, loaded, views, sorted(problems)), sorted(problems)


def guest_views(loaded: LoadedEvent, pages: dict[str, KnowledgePage], memo: Memo | None = None) -> list[GuestView]:
    """Each guest of ``loaded`` (redacted already) with references resolved and checklists filled in."""
    by_country, phase_pages = countries(pages), phases(pages)
    checklists = tuple(f"{page.path}\0{page.meta!r}" for page in phase_pages) if memo is not None else ()

    def view(record: GuestRecord) -> GuestView:
        country = by_country.get(record.guest.country)  # a view keeps its country page; of a phase page, the checklist
        return remember(memo, "view", (record, loaded.event, country, *checklists),
                        lambda: guest_view(record, loaded.event, by_country, phase_pages))

    return [view(record) for record in loaded.guests]


def plan_project(project: Project, nav: list[NavEntry] | None, build_date: str, only: Collection[str] | None = None,
                 memo: Memo | None = None) -> OutputPlan:
    """The output plan of ``project``, compared with the published version in ``published/`` (if any).

    With ``only`` (guest ids, possibly none), the plan of a bundle: those guests' outputs and the shared ones, and
    "what changed" about those guests alone.
    """
    comparison = compare(project.root, project.views, project.profile, memo)
    views = project.views
    if only is not None:
        views = [view for view in views if view.id in only]
        comparison = replace(comparison, guests=[g for g in comparison.guests if g.id in only])
    # The coordinator boards are views across all guests: not in a bundle of some guests.
    return compose_plan(project.pages, project.loaded.event, views, comparison, project.profile, nav, build_date,
                        project.guests_dir, boards(project.loaded, project.profile) if only is None else [], memo)
