"""Page margins laid out once per tail for every head page edge that carries the same margin text.

WeasyPrint lays out the margin boxes of every page (our handbooks: the chapter title, the confidential marking, the
"valid as of" stamp, "page X of Y"), sizing each box from its text first: about 11 ms a page, a fifth of a guest
handbook's CPU. Most of those margins were laid out before in the same build: the shared chapters start on the same
page of many handbooks, and a chapter's pages share their running header.

While ``KeptMargins.reused()`` is active, the margin boxes of each *edge* of a page (top, bottom, left, right: the three
boxes WeasyPrint sizes together; each corner on its own) are laid out once for each distinct *edge input* and copied
for every later page with the same: the page's type as page rules match it (side, blank, first, name), its margins,
the text of each of the edge's boxes (literal strings, named strings as they resolve on that page) and the values of
the counters that text shows (``page``, ``pages``...). Kept per page, as at first, a guest's own pages were laid out
again for every guest: their header holds the guest's name, and its footer the page number. Per edge, the header is
laid out once per chapter and the footer once per page number and count in the build. A page whose edges are all kept
takes copies; otherwise WeasyPrint lays out the whole page's margins, and each edge is kept.

It is used only for the head documents of joined guest handbooks (``joined.py``, one ``KeptMargins`` per tail):
documents of one template and one stylesheet, where those inputs decide the margins. A page whose margins use
anything else (images, running elements, target counters, quotes, attributes), or a stylesheet with ``:nth()`` page
rules (then the page's index matters), is laid out as WeasyPrint does.

The copies are WeasyPrint's own boxes (``deepcopy``), laid out by WeasyPrint for an equal edge, in the order WeasyPrint
makes them (edges, then corners): the PDF has the same bytes as when every page's margins are laid out
(tests/test_pdf_joined.py compares joined and whole renders).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_KEPT = 1024  # edges kept per tail (a head page has two with text, about 25 kB each), least recently used dropped first
# The page's margin boxes by edge, in the order WeasyPrint makes them (layout/page.py, make_margin_boxes): the four
# edges, each laid out as one, then the corners.
_EDGES = tuple(tuple(f"@{side}-{where}" for where in places)
               for side, places in (("top", ("left", "center", "right")), ("bottom", ("left", "center", "right")),
                                    ("left", ("top", "middle", "bottom")), ("right", ("top", "middle", "bottom")))) + (
    ("@top-left-corner",), ("@top-right-corner",), ("@bottom-left-corner",), ("@bottom-right-corner",))
_TEXT = {"string", "string()", "counter()", "counters()"}  # content whose text the key holds


@dataclass
class KeptMargins:
    """The margin boxes of page edges laid out for documents of one stylesheet, by edge input (``joined.py`` keeps one
    per tail, whose HTML holds the stylesheet: an edited stylesheet is another tail, so no margins outlive it)."""

    edges: OrderedDict[tuple[Any, ...], list[Any]] = field(default_factory=OrderedDict)
    nth_page_rules: bool | None = None  # whether the stylesheet selects pages by number (known at the first page)

    @contextmanager
    def reused(self) -> Iterator[None]:
        """Margin boxes taken from earlier page edges with the same edge input while documents are laid out here."""
        from weasyprint import layout

        original, edges = layout.make_margin_boxes, self.edges

        def make_margin_boxes(context: Any, page: Any, state: Any) -> Any:
            if self.nth_page_rules is None:
                self.nth_page_rules = _has_nth_page_rules(context.style_for)
            keys = None if self.nth_page_rules else _edge_inputs(context, page, state)
            if keys is None:
                return original(context, page, state)
            if all(key in edges for key in keys):
                for key in keys:
                    edges.move_to_end(key)
                return [box.deepcopy() for key in keys for box in edges[key]]
            laid_out = list(original(context, page, state))
            for edge, key in zip(_EDGES, keys):
                edges[key] = [box for box in laid_out if box.at_keyword in edge]
                edges.move_to_end(key)
            while len(edges) > _KEPT:
                edges.popitem(last=False)
            return [box.deepcopy() for box in laid_out]

        layout.make_margin_boxes = make_margin_boxes
        try:
            yield
        finally:
            layout.make_margin_boxes = original


def _edge_inputs(context: Any, page: Any, state: Any) -> list[tuple[Any, ...]] | None:
    """What each edge's margin boxes are made of (in :data:`_EDGES` order), or None when that cannot be told from text
    and counters alone."""
    page_type = page.page_type
    quote_depth, counter_values, _, _ = state
    geometry = (tuple(page.style["size"]), *(page.style[f"margin_{side}"] for side in ("top", "right", "bottom", "left")))
    common = (page_type.side, page_type.blank, page_type.name, page_type.index == 0, tuple(quote_depth), geometry)
    keys = []
    for edge in _EDGES:
        contents, counters = [], set()
        for keyword in edge:
            style = context.style_for(page_type, keyword)
            content = style["content"] if style is not None else "normal"
            if isinstance(content, str):  # normal, none, inhibit: no box
                contents.append(content)
                continue
            text = []
            for kind, value in content:
                if kind not in _TEXT:
                    return None
                if kind in ("counter()", "counters()"):
                    counters.add(value[0])
                text.append((kind, tuple(context.get_string_set_for(page, *value)) if kind == "string()" else value))
            contents.append(tuple(text))
        shown = tuple(sorted((name, tuple(counter_values.get(name, ()))) for name in counters))
        keys.append((edge, *common, shown, tuple(contents)))
    return keys


def _has_nth_page_rules(style_for: Any) -> bool:
    """Whether a page rule of the document selects pages by number (``:nth()``): then the index decides the style."""
    return any(selector[2].index is not None for sheet, _, _ in style_for._sheets
               for _, selectors, _ in sheet.page_rules for selector in selectors)
