"""Page margins laid out once per tail for every head page that carries the same margin text.

WeasyPrint lays out the margin boxes of every page (our handbooks: the chapter title, the confidential marking, the
"valid as of" stamp, "page X of Y"), sizing each box from its text first: about 11 ms a page, a fifth of a guest
handbook's CPU. Most of those pages carry margins another guest handbook of the same build already had: the shared
chapters start on the same page of many handbooks, and a chapter's pages share their header.

While ``KeptMargins.reused()`` is active, a page's margin boxes are laid out once for each distinct *margin input*
and copied for every later page with the same: the page's type as page rules match it (side, blank, first, name), the
text of each margin box's content (literal strings, named strings as they resolve on that page) and the counter
values the page hands its margins (``page``, ``pages``...). It is used only for the head documents of joined guest
handbooks (``joined.py``, one ``KeptMargins`` per tail): documents of one template and one stylesheet, where those
inputs decide the margins. A page whose margins use anything else (images, running elements, target counters,
quotes, attributes), or a stylesheet with ``:nth()`` page rules (then the page's index matters), is laid out as
WeasyPrint does.

The copies are WeasyPrint's own boxes (``deepcopy``), laid out by WeasyPrint for an equal page: the PDF has the same
bytes as when every page's margins are laid out (tests/test_pdf_joined.py compares joined and whole renders).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_KEPT = 512  # pages' margins kept per tail (about 50 kB each), least recently used dropped first
_MARGINS = tuple(f"@{side}-{where}" for side, places in (("top", ("left", "center", "right")),
                                                        ("bottom", ("left", "center", "right")),
                                                        ("left", ("top", "middle", "bottom")),
                                                        ("right", ("top", "middle", "bottom"))) for where in places) + (
    "@top-left-corner", "@top-right-corner", "@bottom-left-corner", "@bottom-right-corner")
_TEXT = {"string", "string()", "counter()", "counters()"}  # content whose text the key holds


@dataclass
class KeptMargins:
    """The margin boxes of pages laid out for documents of one stylesheet, by margin input (``joined.py`` keeps one
    per tail, whose HTML holds the stylesheet: an edited stylesheet is another tail, so no margins outlive it)."""

    pages: OrderedDict[tuple[Any, ...], list[Any]] = field(default_factory=OrderedDict)
    nth_page_rules: bool | None = None  # whether the stylesheet selects pages by number (known at the first page)

    @contextmanager
    def reused(self) -> Iterator[None]:
        """Margin boxes taken from an earlier page with the same margin input while documents are laid out here."""
        from weasyprint import layout

        original, pages = layout.make_margin_boxes, self.pages

        def make_margin_boxes(context: Any, page: Any, state: Any) -> Any:
            if self.nth_page_rules is None:
                self.nth_page_rules = _has_nth_page_rules(context.style_for)
            key = None if self.nth_page_rules else _margin_input(context, page, state)
            if key is None:
                return original(context, page, state)
            boxes = pages.get(key)
            if boxes is None:
                boxes = pages[key] = list(original(context, page, state))
                if len(pages) > _KEPT:
                    pages.popitem(last=False)
            else:
                pages.move_to_end(key)
            return [box.deepcopy() for box in boxes]

        layout.make_margin_boxes = make_margin_boxes
        try:
            yield
        finally:
            layout.make_margin_boxes = original


def _margin_input(context: Any, page: Any, state: Any) -> tuple[Any, ...] | None:
    """What a page's margin boxes are made of, or None when that cannot be told from text and counters alone."""
    page_type = page.page_type
    contents = []
    for keyword in _MARGINS:
        style = context.style_for(page_type, keyword)
        content = style["content"] if style is not None else "normal"
        if isinstance(content, str):  # normal, none, inhibit: no box
            contents.append(content)
            continue
        text = []
        for kind, value in content:
            if kind not in _TEXT:
                return None
            text.append((kind, tuple(context.get_string_set_for(page, *value)) if kind == "string()" else value))
        contents.append(tuple(text))
    quote_depth, counter_values, _, _ = state
    counters = tuple(sorted((name, tuple(values)) for name, values in counter_values.items()))
    geometry = (tuple(page.style["size"]), *(page.style[f"margin_{side}"] for side in ("top", "right", "bottom", "left")))
    return (page_type.side, page_type.blank, page_type.name, page_type.index == 0, tuple(quote_depth), counters,
            tuple(contents), geometry)


def _has_nth_page_rules(style_for: Any) -> bool:
    """Whether a page rule of the document selects pages by number (``:nth()``): then the index decides the style."""
    return any(selector[2].index is not None for sheet, _, _ in style_for._sheets
               for _, selectors, _ in sheet.page_rules for selector in selectors)
