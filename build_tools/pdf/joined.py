"""Guest handbooks that end with the same chapters (the emergency procedures): those laid out once, then joined.

Every guest handbook ends with the same shared chapters, about three quarters of its pages. Laying them out again for
every guest was most of the cost of a build, so a worker process lays them out once and builds each guest's PDF from:

1. the *tail document* (once per process): a cover carrying the same running strings as every guest handbook, then
   the shared chapters — their laid-out page contents are what every guest gets;
2. the *head document* (per guest): the guest's handbook with each shared chapter replaced by a placeholder of the
   same number of pages (its title and id, then blank pages), so WeasyPrint itself lays out the cover, the contents
   with its page numbers, the guest's own chapters and the page margins (running header, marking, stamp, "page X of
   Y") exactly as for the whole handbook; a page whose header and footer say what earlier pages' said takes copies of
   those (``margins.py``): a chapter's pages share their header, and most pages of a build's handbooks have a footer
   (page X of Y) another handbook of the same length had;
3. the joined pages: the head's own pages, then for each placeholder page the tail's page content inside the head
   page's margins. Written by WeasyPrint as one document (``Document.copy``), so links resolve by name, bookmarks come
   from the pages that carry them, the tag tree is built from the same boxes and fonts are embedded once.
4. the shared pages' content is painted once per process too, and replayed into each PDF (``replay.py``): only the
   margins of those pages are painted per guest. A whole render of such a handbook is painted the same way, shared
   chapters first (``shared_painted_first``), so joined and whole renders stay byte-identical. Against WeasyPrint
   painting every page itself, the PDF has the same pixels, text, tag tree, links, destinations and bookmarks (tests);
   only the order glyphs were first drawn, and so some bytes, differ.

Before joining, the placeholders are checked against the tail: every shared chapter on the same page, the same page
geometry, the same margin texts apart from the page numbers. Anything else raises ``NotJoinable`` and the caller
renders the handbook whole: a join can cost time, never a wrong page.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any

from ..store import cache_key
from .chapters import Chapter
from .handbooks import Handbook
from .margins import KeptMargins
from .templates import handbook_html

_BLANK_PAGE = '<div class="lo-blank-page" style="break-before: page"></div>'
_LEAD_ID = "lo-joined-lead"
_KEEP_TAILS = 2  # laid-out tails kept per worker process (one per stamp in use: as published, amended)
_tails: OrderedDict[str, _Tail] = OrderedDict()  # tail html digest → its layout and paintings
_DIGITS = re.compile(r"\d+")


@dataclass
class _Tail:
    document: Any  # the laid-out weasyprint Document
    recordings: dict[Any, Any] = field(default_factory=dict)  # its shared pages painted, per kind of PDF (replay.py)
    margins: KeptMargins = field(default_factory=KeptMargins)  # its heads' page margins (margins.py)


class NotJoinable(Exception):
    """The joined pages would not equal the whole handbook's: render it whole."""


def render_joined(book: Handbook, shared_from: int, render: Any) -> Any:
    """A weasyprint ``Document`` of ``book`` whose chapters from ``shared_from`` on come from the shared layout.

    ``render(html)`` lays out one HTML string the way a whole handbook is laid out.
    """
    from .replay import JoinedPage, Painting

    shared = book.chapters[shared_from:]
    if not shared or shared_from < 1:
        raise NotJoinable("no shared chapters")
    ids = [chapter.id for chapter in shared]
    kept = _tail(handbook_html(_tail_book(book, shared)), render)
    tail = kept.document
    tail_starts = _starts(tail, ids)
    counts = _counts(tail_starts, len(tail.pages))
    placeholders = [replace(chapter, html=_BLANK_PAGE * (pages - 1)) for chapter, pages in zip(shared, counts)]
    with kept.margins.reused():  # most of the head's page margins: as on another guest's head (margins.py)
        head = render(handbook_html(replace(book, chapters=[*book.chapters[:shared_from], *placeholders])))
    head_starts = _starts(head, ids)
    lead, offset = head_starts[0], tail_starts[0]
    if _counts(head_starts, len(head.pages)) != counts:
        raise NotJoinable("placeholders do not take the pages of the chapters they stand for")
    painting = Painting(kept.recordings, tail, range(offset, len(tail.pages)))
    pages = [JoinedPage(page._page_box, painting) for page in head.pages[:lead]]
    for index in range(lead, len(head.pages)):
        own, shared_page = head.pages[index]._page_box, tail.pages[index - lead + offset]._page_box
        if _geometry(own) != _geometry(shared_page):
            raise NotJoinable(f"page {index + 1}: page size, margins or background differ from the shared layout's")
        margins, shared_margins = _margin_boxes(own), _margin_boxes(shared_page)
        if _margin_texts(margins, numbers=False) != _margin_texts(shared_margins, numbers=False):
            raise NotJoinable(f"page {index + 1}: running header or footer differs from the shared layout's")
        joined = own.copy()  # this page's box and margins (page X of Y), around the shared page's content
        joined.children = (*(box for box in shared_page.children if box not in shared_margins), *margins)
        pages.append(JoinedPage(joined, painting, index - lead + offset))
    return head.copy(pages)


def shared_painted_first(document: Any, book: Handbook, shared_from: int) -> Any:
    """``document`` (a whole render of ``book``) painted as a joined one is: the shared chapters' content first, from a
    fresh state, so that a handbook's bytes do not depend on whether this build joined it."""
    from .replay import JoinedPage, Painting

    try:
        first = _starts(document, [chapter.id for chapter in book.chapters[shared_from:]])[0]
    except NotJoinable:
        return document
    painting = Painting({}, document, range(first, len(document.pages)))
    return document.copy([JoinedPage(page._page_box, painting, index if index >= first else None)
                          for index, page in enumerate(document.pages)])


def _tail_book(book: Handbook, shared: list[Chapter]) -> Handbook:
    """Cover (the same running strings: marking, stamp), contents, one lead page, the shared chapters; nothing else."""
    lead = Chapter(_LEAD_ID, "", "")
    return Handbook(title="", subtitle="", cover=[], chapters=[lead, *shared], as_of=book.as_of,
                    confidential=book.confidential)


def _tail(html: str, render: Any) -> _Tail:
    key = cache_key(html)
    tail = _tails.get(key)
    if tail is None:
        tail = _tails[key] = _Tail(render(html))
        while len(_tails) > _KEEP_TAILS:
            _tails.popitem(last=False)
    _tails.move_to_end(key)
    return tail


def _starts(document: Any, ids: list[str]) -> list[int]:
    """The index of the page each anchor in ``ids`` is on; they must follow one another."""
    where: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            where.setdefault(name, index)
    missing = [i for i in ids if i not in where]
    if missing:
        raise NotJoinable(f"no anchor {missing[0]}")
    starts = [where[i] for i in ids]
    if any(b <= a for a, b in zip(starts, starts[1:])):
        raise NotJoinable("shared chapters do not start on pages of their own, in order")
    return starts


def _counts(starts: list[int], total: int) -> list[int]:
    return [end - start for start, end in zip(starts, [*starts[1:], total])]


def _geometry(page_box: Any) -> tuple[Any, ...]:
    """Size, margins and background (a shared page's is painted with its content): all must match."""
    return (page_box.margin_width(), page_box.margin_height(), page_box.margin_left, page_box.margin_top,
            page_box.margin_right, page_box.margin_bottom, page_box.style["background_color"],
            page_box.style["background_image"])


def _margin_boxes(page_box: Any) -> list[Any]:
    from weasyprint.formatting_structure import boxes

    return [box for box in page_box.children if isinstance(box, boxes.MarginBox)]


def _margin_texts(margin_boxes: list[Any], numbers: bool = True) -> list[tuple[str, str]]:
    """What each margin box says (running header, marking, stamp, page X of Y), page numbers blanked unless ``numbers``."""
    from weasyprint.formatting_structure import boxes

    def text(box: Any) -> str:
        if isinstance(box, boxes.TextBox):
            return box.text
        return "".join(text(child) for child in getattr(box, "children", ()))

    return [(box.at_keyword, text(box) if numbers else _DIGITS.sub("#", text(box))) for box in margin_boxes]
