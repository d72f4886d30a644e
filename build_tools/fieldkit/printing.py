"""Jinja2 for the field kit's print documents (theme/print/*.html.j2): autoescaped HTML, undefined names are errors."""

from __future__ import annotations

import base64
import mimetypes
from functools import cache
from pathlib import Path

import jinja2

from ..pdf.render import PRINT_DIR


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(PRINT_DIR), undefined=jinja2.StrictUndefined, autoescape=True)


def render(template: str, css: str, **context: object) -> str:
    return environment().get_template(template).render(css=(PRINT_DIR / css).read_text(encoding="utf-8"), **context)


def data_uri(path: Path) -> str | None:
    """An image inlined into the HTML, so the PDF cache key changes when the image does."""
    if not path.is_file():
        return None
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
