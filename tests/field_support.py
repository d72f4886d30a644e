"""Shared by the field-tool tests: the sample project loaded as the build loads it, and the phone numbers a guest
page must make dialable."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

from build_tools.compose.guest import GuestView
from build_tools.profiles import Profile
from build_tools.project import Project, load_project
from build_tools.telephone import tel_uri

REPO = Path(__file__).resolve().parents[1]
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


@cache
def sample_project() -> Project:
    project, problems = load_project(REPO, REPO / "content", REPO / "guests", Profile.FULL)
    assert project is not None, problems
    return project


def view(guest_id: str) -> GuestView:
    return next(v for v in sample_project().views if v.id == guest_id)


def guest_numbers(v: GuestView) -> set[str]:
    """Every phone number the guest page shows: the record's own, the event contacts it lists, hotel, hospital,
    the Thai emergency numbers — as ``tel:`` URIs."""
    g = v.guest
    numbers = [v.lo.phone, g.transport.driver.phone, g.transport.protective_police.phone]
    numbers += [o.phone for o in (v.backup_lo, g.transport.lead_car_police) if o]
    numbers += [p.phone for p in ([g.spouse] if g.spouse else []) + list(g.entourage) if p.phone]
    numbers += [c.phone for c in v.coordinators + v.contacts]
    numbers += [c.phone for c in v.event.contacts if c.role.value in ("medical", "secretariat")]  # quick calls, checklists
    numbers += [v.duty_manager.phone] if v.duty_manager else []
    numbers += [v.hospital.phone] if v.hospital else []
    numbers += [v.hotel.phone] if v.hotel else []
    numbers += [n.number for n in v.event.emergency_numbers]
    uris = {tel_uri(n) for n in numbers}
    assert None not in uris, numbers
    return {u for u in uris if u}


def article(path: Path) -> str:
    found = _ARTICLE.search(path.read_text(encoding="utf-8"))
    assert found, path
    return found.group(1)


def visible_text(fragment: str) -> str:
    """The text a reader sees (scripts and tags dropped, entities decoded)."""
    fragment = re.sub(r"<script\b.*?</script>", " ", fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))
