"""The print templates (theme/print/*.html.j2 and their CSS) → HTML for WeasyPrint: autoescaped, undefined names are
errors. Handbooks, pocket cards and run sheets all come through here."""

from __future__ import annotations

import base64
import mimetypes
from functools import cache
from itertools import groupby
from pathlib import Path

import jinja2

from .handbooks import Handbook

PRINT_DIR = Path(__file__).resolve().parents[2] / "theme" / "print"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PRINT_DIR), undefined=jinja2.StrictUndefined, autoescape=True)
    env.filters["groupby_part"] = lambda chapters: [(part, list(group)) for part, group in groupby(chapters, key=lambda c: c.part)]
    return env


def print_templates_stamp() -> str:
    """The print templates' and stylesheets' names, sizes and times: part of a preview's memo key for its documents, so
    that one edited meanwhile is not answered with documents made from the old one."""
    return "\n".join(f"{path.name} {status.st_size} {status.st_mtime_ns}"
                     for path in sorted(PRINT_DIR.iterdir()) if path.is_file() for status in [path.stat()])


def render(template: str, css: str, **context: object) -> str:
    """``template`` with the print stylesheet ``css`` inlined (the PDF cache key then covers the styles too)."""
    return environment().get_template(template).render(css=(PRINT_DIR / css).read_text(encoding="utf-8"), **context)


def handbook_html(handbook: Handbook) -> str:
    return render("handbook.html.j2", "handbook.css", book=handbook)


def data_uri(path: Path) -> str | None:
    """An image inlined into the HTML, so the PDF cache key changes when the image does."""
    if not path.is_file():
        return None
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
