"""A Jinja2 environment that writes Markdown safely: every value from YAML is emitted as inert text."""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parents[2] / "theme" / "templates"
# Characters Markdown (or an extension) reads as syntax anywhere in a line: escaped with a backslash. ``{`` and ``}``
# are attr_list's (``{ onfocus=… }`` would set attributes on the cell or heading a value lands in).
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|#{}()!])")
# Line breaks would let a value start a block of its own (a heading, a list, an admonition): one space instead.
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029\t]+")
# What only counts at the start of a line (a value may land there): list and definition markers, ``??? details``.
_LEADING = re.compile(r"^(?:(\d+)([.)])|([-+]))")
_LEADING_ENTITY = {":": "&#58;", "?": "&#63;", "=": "&#61;"}
# ``:name:`` would become an emoji or a theme icon.
_SHORTCODE_COLON = re.compile(r":(?=[\w+-]+:)")


def escape_text(value: object) -> str:
    """Plain text → Markdown that renders as exactly that text, on one line: no HTML, no emphasis, no links, no
    attributes, no block of its own, no emoji."""
    return _escaped(str(value))


@lru_cache(maxsize=1 << 16)  # the same names, phones and places recur on every page that shows them
def _escaped(text: str) -> str:
    text = _LINE_BREAKS.sub(" ", text).strip()
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))
    text = _LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)
    if text[:1] in _LEADING_ENTITY:
        text = _LEADING_ENTITY[text[0]] + text[1:]
    return _SHORTCODE_COLON.sub("&#58;", text).replace("~", "&#126;")  # no Markdown escape for ~ (pymdownx.tilde)


def _finalize(value: object) -> object:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return escape_text(value)


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
