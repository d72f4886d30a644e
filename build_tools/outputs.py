"""The name of every file a build produces, decided here and nowhere else.

Paths are relative to the site root (``guests/jp-tanaka.md`` is the source of ``guests/jp-tanaka.html``). Templates
get links to them through ``links_from``, so a page never spells out another output's name.
"""

from __future__ import annotations

import posixpath

GUESTS = "guests"
PDF = "pdf"
KIT = "kit"
BOARDS = f"{GUESTS}/boards"

GUESTS_INDEX = f"{GUESTS}/index.md"
CHANGES_PAGE = f"{GUESTS}/changes.md"
ORIENTATION = f"{PDF}/orientation.pdf"
EMERGENCIES = "emergencies/"
COUNTRIES = "countries/"
COUNTRIES_INDEX = f"{COUNTRIES}index.md"
BOARDS_INDEX = f"{BOARDS}/index.md"


def guest_page(guest_id: str) -> str:
    return f"{GUESTS}/{guest_id}.md"


def guest_photo(filename: str) -> str:
    return f"{GUESTS}/{filename}"


def handbook(guest_id: str) -> str:
    return f"{PDF}/guest-{guest_id}.pdf"


def card(guest_id: str) -> str:
    return f"{PDF}/card-{guest_id}.pdf"


def runsheet(guest_id: str) -> str:
    return f"{PDF}/runsheet-{guest_id}.pdf"


def calendar(guest_id: str) -> str:
    return f"{KIT}/{guest_id}.ics"


def contacts(guest_id: str) -> str:
    return f"{KIT}/{guest_id}.vcf"


def board_page(slug: str) -> str:
    return f"{BOARDS}/{slug}.md"


def board_pdf(slug: str) -> str:
    return f"{PDF}/board-{slug}.pdf"


def board_sheet(slug: str) -> str:
    return f"{BOARDS}/{slug}.xlsx"


def country_page(country_path: str) -> str:
    """``countries/jp.md`` for the knowledge page at that path (relative to content/)."""
    return f"{COUNTRIES}{posixpath.basename(country_path)}"


def is_guest_output(path: str) -> bool:
    return path.startswith(f"{GUESTS}/")


def link(source_page: str, target: str) -> str:
    """``target`` as a relative link from the Markdown page ``source_page``."""
    return posixpath.relpath(target, posixpath.dirname(source_page) or ".")


def guest_links(source_page: str, guest_id: str) -> dict[str, str]:
    """Links from ``source_page`` to one guest's outputs, for the templates."""
    return {
        "page": link(source_page, guest_page(guest_id)),
        "handbook": link(source_page, handbook(guest_id)),
        "card": link(source_page, card(guest_id)),
        "runsheet": link(source_page, runsheet(guest_id)),
        "calendar": link(source_page, calendar(guest_id)),
        "contacts": link(source_page, contacts(guest_id)),
        "orientation": link(source_page, ORIENTATION),
        "changes": link(source_page, CHANGES_PAGE),
    }
