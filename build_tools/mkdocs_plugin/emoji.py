"""Emoji in Markdown without the network: Material's own icons inline as SVG, every other emoji as its character.

Material's ``to_svg`` turns a Unicode emoji (``:smile:``) into an ``<img>`` loading twemoji from a CDN, which an
offline page cannot show and which tells a third party the page was opened. ``mkdocs.yml`` names this generator.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from material.extensions.emoji import to_svg as material_to_svg
from pymdownx import emoji


def local_only(index: str, shortname: str, alias: str, uc: str | None, alt: str, title: str, category: str,
               options: Any, md: Any) -> Element | str:
    if not uc:  # an icon of the theme (:material-…:, :fontawesome-…:): Material inlines its SVG file
        return material_to_svg(index, shortname, alias, uc, alt, title, category, options, md)
    return emoji.to_alt(index, shortname, alias, uc, alt, title, category, options, md)
