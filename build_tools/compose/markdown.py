"""A Jinja2 environment that writes Markdown safely: every value from YAML is emitted as inert text."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parents[2] / "theme" / "templates"
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|#~])")


def escape_text(value: object) -> str:
    """Plain text → Markdown that renders as exactly that text (no HTML, no emphasis, no links)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(value), quote=False))


def _finalize(value: object) -> object:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return escape_text(value)


def sanitize_notes(markdown: str) -> str:
    """Free Markdown notes without raw HTML or script links: ``<`` becomes text, ``javascript:`` links lose their target."""
    text = markdown.replace("<", "&lt;")
    return re.sub(r"\]\(\s*(?:javascript|data|vbscript):[^)]*\)", "](#)", text, flags=re.I)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = lambda text: Markup(text)
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
