"""Rendered HTML made usable in the field: checklist boxes that tick (with a label and a stable key) and phone
numbers that dial. Runs on every page's HTML, so the site and the PDFs made from it get the same markup.

A checklist item's key is a hash of its text: a new data version keeps the ticks (kept on the device by
lo-field.js) of every item whose text did not change, and an item whose text changed starts unticked.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import re

from ..telephone import link_phones

# pymdownx.tasklist's output for "- [ ] text" (custom_checkbox off): the box is disabled and has no label.
_TASK = re.compile(r'<li class="task-list-item"><input type="checkbox" disabled(?:="disabled")?\s*/?>\s*(.*?)</li>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def item_key(text_html: str) -> str:
    """A short stable key from an item's visible text (tags and spacing ignored)."""
    text = " ".join(htmllib.unescape(_TAGS.sub(" ", text_html)).split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def tickable_checklists(page_html: str) -> str:
    """Every task-list box enabled, wrapped in a label with the item's text, and keyed (``data-key``)."""
    seen: dict[str, int] = {}

    def item(match: re.Match[str]) -> str:
        content = match.group(1)
        key = item_key(content)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}-{seen[key]}"
        return (
            f'<li class="task-list-item lo-check"><label class="lo-check__label">'
            f'<input type="checkbox" class="lo-check__box" data-key="{key}"> '
            f'<span class="lo-check__text">{content}</span></label></li>'
        )

    return _TASK.sub(item, page_html)


def field_html(page_html: str) -> str:
    """A rendered page with dialable numbers and tickable checklists."""
    return tickable_checklists(link_phones(page_html))
