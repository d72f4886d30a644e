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


def load_project(root: Path, content_dir: Path, guests_dir: Path, profile: Profile) -> tuple[Project | None, list[Diagnostic]]:
    """Read and check all inputs. Returns the project only when there is no error; diagnostics either way."""
    pages, problems = read_knowledge(content_dir, root)
    for page in pages.values():
        if isinstance(page.meta, PhaseMeta):
            shown = display_path(content_dir / page.path, root)
            problems += [Diagnostic(shown, 1, 1, "", message) for message in checklist_problems(page)]
    loaded, found = load_event(guests_dir, root)
    problems += found
    if loaded is not None and not errors(problems):
        problems += check_event(loaded, set(countries(pages)))
        problems += [finding for record in loaded.guests for finding in lint_guest(record)]
    if loaded is None or errors(problems):
        return None, sorted(problems)
    loaded = redact_event(loaded, profile)
    return Project(root, content_dir, guests_dir, profile, pages, loaded, guest_views(loaded, pages), sorted(problems)), sorted(problems)


def guest_views(loaded: LoadedEvent, pages: dict[str, KnowledgePage]) -> list[GuestView]:
    """Each guest of ``loaded`` (redacted already) with references resolved and checklists filled in."""
    by_country, phase_pages = countries(pages), phases(pages)
    return [guest_view(record, loaded.event, by_country, phase_pages) for record in loaded.guests]


def plan_project(project: Project, nav: list[NavEntry] | None, build_date: str, only: Collection[str] | None = None) -> OutputPlan:
    """The output plan of ``project``, compared with the published version in ``published/`` (if any).

    With ``only`` (guest ids, possibly none), the plan of a bundle: those guests' outputs and the shared ones, and
    "what changed" about those guests alone.
    """
    comparison = compare(project.root, project.views, project.profile)
    views, loaded = project.views, project.loaded
    if only is not None:
        views = [view for view in views if view.id in only]
        comparison = replace(comparison, guests=[g for g in comparison.guests if g.id in only])
        loaded = replace(loaded, guests=[record for record in loaded.guests if record.id in only])
    return compose_plan(project.pages, views, comparison, project.profile, nav, build_date, project.guests_dir,
                        boards(loaded, project.profile))
