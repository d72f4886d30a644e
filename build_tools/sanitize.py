"""Free Markdown notes to inert HTML: no raw HTML, no attributes, no script or file URLs, no remote images.

The notes are rendered by Python-Markdown without the extensions that let text set attributes or pull in
resources (``attr_list``, ``md_in_html``, emoji), and the result is cleaned by nh3 (the Ammonia sanitiser) with a
short allow-list of tags, no attributes but a link's ``href``/``title`` and table alignment, and only the URL
schemes an LO can use offline. Links in any form (inline, reference-style, autolinks) are caught, because the
sanitiser sees the final HTML, not the Markdown that produced it.
"""

from __future__ import annotations

import markdown
import nh3

BOM = "\ufeff"
TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "table", "thead", "tbody", "tr", "th", "td", "div",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
EXTENSIONS = ["tables", "def_list", "sane_lists"]


def notes_html(text: str) -> str:
    """The notes as sanitised HTML. ``<`` typed in the notes shows as the character, as in every other value."""
    source = text.removeprefix(BOM).replace("<", "&lt;")
    rendered = markdown.markdown(source, extensions=EXTENSIONS, output_format="html")
    return clean_html(rendered)


def clean_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed (tags unwrapped, attributes and URLs dropped)."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def notes_block(text: str) -> str:
    """The notes as a raw HTML block for a generated Markdown page: the page's Markdown leaves it as it is."""
    return f'<div class="lo-notes">\n{notes_html(text)}\n</div>'
