"""Guest handbooks that share runs of chapters with others: those laid out once per process, then joined.

Every guest handbook ends with the same emergency procedures, about three quarters of its pages, and before them the
page of its guest's country, the same for every guest of that country (``Handbook.shared``: the runs). Laying them out
again for every guest was most of the cost of a build, so a worker process lays each run out once and builds each
guest's PDF from:

1. a *tail document* per run (once per process): a cover carrying the same running strings as every guest handbook,
   then the run's chapters — their laid-out page contents are what every guest gets;
2. the *head document* (per guest): the guest's handbook with each chapter of a joined run replaced by a placeholder
   of the same number of pages (its title and id, then blank pages), so WeasyPrint itself lays out the cover, the
   contents with its page numbers, the guest's own chapters and the page margins (running header, marking, stamp,
   "page X of Y") exactly as for the whole handbook; a page whose header and footer say what earlier pages' said
   takes copies of those (``margins.py``): a chapter's pages share their header, and most pages of a build's
   handbooks have a footer (page X of Y) another handbook of the same length had;
3. the joined pages: the head's own pages, and for each placeholder page its tail's page content inside the head
   page's margins. Written by WeasyPrint as one document (``Document.copy``), so links resolve by name, bookmarks come
   from the pages that carry them, the tag tree is built from the same boxes and fonts are embedded once.
4. each run's content is painted once per process too, and replayed into each PDF (``replay.py``): only the margins
   of those pages are painted per guest. A whole render of such a handbook is painted the same way, runs first and in
   the same order (``shared_painted_first``), so joined and whole renders stay byte-identical, whichever runs a build
   joins. Against WeasyPrint painting every page itself, the PDF has the same pixels, text, tag tree, links,
   destinations and bookmarks (tests); only the order glyphs were first drawn, and so some bytes, differ.

Which runs are joined is the caller's choice (``render.py``: those enough of the build's handbooks share); a run not
joined is laid out with the guest's own pages. Before joining, the placeholders are checked against the tails: every
shared chapter on the same page, the same page geometry, the same margin texts apart from the page numbers. Anything
else raises ``NotJoinable`` and the caller renders the handbook whole: a join can cost time, never a wrong page.
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
_KEEP_TAILS = 4  # laid-out tails kept per worker process: the emergency procedures (one per stamp in use: as
# published, amended) and the country pages of the guests it renders now (render.py hands out a country's together)
_tails: OrderedDict[str, _Tail] = OrderedDict()  # tail html digest → its layout and paintings
_DIGITS = re.compile(r"\d+")


@dataclass
class _Tail:
    document: Any  # the laid-out weasyprint Document
    key: str  # the digest of its HTML
    recordings: dict[Any, Any] = field(default_factory=dict)  # its shared pages painted, per kind of PDF (replay.py)
    margins: KeptMargins = field(default_factory=KeptMargins)  # its heads' page margins (margins.py)


class NotJoinable(Exception):
    """The joined pages would not equal the whole handbook's: render it whole."""


def render_joined(book: Handbook, joined_runs: tuple[int, ...], render: Any) -> Any:
    """A weasyprint ``Document`` of ``book`` whose shared runs ``joined_runs`` (indexes into ``book.shared``) come from
    the layouts this process keeps; its other runs are laid out with its own pages.

    ``render(html)`` lays out one HTML string the way a whole handbook is laid out.
    """
    from .replay import JoinedPage, Painting, Segment  # weasyprint: loaded only by a build that renders

    runs = [book.shared[index] for index in joined_runs]
    if not runs or runs[0][0] < 1:
        raise NotJoinable("no shared chapters after the handbook's own")
    tails = {run: _tail(handbook_html(_tail_book(book, book.chapters[run[0]:run[1]])), render) for run in runs}
    placeholders, counts = list(book.chapters), {}
    for (start, end), kept in tails.items():
        counts[start] = _counts(_starts(kept.document, _ids(book, start, end)), len(kept.document.pages))
        for chapter, count in zip(range(start, end), counts[start]):
            placeholders[chapter] = replace(book.chapters[chapter], html=_BLANK_PAGE * (count - 1))
    with tails[runs[-1]].margins.reused():  # most of the head's page margins: as on another guest's head (margins.py)
        head = render(handbook_html(replace(book, chapters=placeholders)))
    placed = []  # each run's segment, with its pages in the head
    for index, (start, end), pages, chapter_pages in _run_pages(head, book):
        kept = tails.get((start, end))
        if kept is None:  # laid out with the handbook's own pages
            placed.append((Segment(head, pages), pages))
            continue
        if chapter_pages != counts[start]:
            raise NotJoinable(f"placeholders of run {index + 1} do not take the pages of the chapters they stand for")
        total = len(kept.document.pages)
        placed.append((Segment(kept.document, range(total - len(pages), total), kept.recordings, kept.key), pages))
    segments, shared = [segment for segment, _ in placed], _shared_pages(placed)
    painting = Painting(segments)
    joined_pages = []
    for index, page in enumerate(head.pages):
        where = shared.get(index)
        if where is None or segments[where[0]].document is head:
            joined_pages.append(JoinedPage(page._page_box, painting, where))
            continue
        own, shared_page = page._page_box, segments[where[0]].document.pages[where[1]]._page_box
        if _geometry(own) != _geometry(shared_page):
            raise NotJoinable(f"page {index + 1}: page size, margins or background differ from the shared layout's")
        margins, shared_margins = _margin_boxes(own), _margin_boxes(shared_page)
        if _margin_texts(margins, numbers=False) != _margin_texts(shared_margins, numbers=False):
            raise NotJoinable(f"page {index + 1}: running header or footer differs from the shared layout's")
        joined = own.copy()  # this page's box and margins (page X of Y), around the shared page's content
        joined.children = (*(box for box in shared_page.children if box not in shared_margins), *margins)
        joined_pages.append(JoinedPage(joined, painting, where))
    return head.copy(joined_pages)


def shared_painted_first(document: Any, book: Handbook) -> Any:
    """``document`` (a whole render of ``book``) painted as a joined one is: each shared run's content first, in the
    same order and from the same states, so that a handbook's bytes do not depend on whether this build joined it."""
    from .replay import JoinedPage, Painting, Segment

    if not book.shared:
        return document
    try:
        runs = _run_pages(document, book)
    except NotJoinable:
        return document
    placed = [(Segment(document, pages), pages) for _, _, pages, _ in runs]
    painting, shared = Painting([segment for segment, _ in placed]), _shared_pages(placed)
    return document.copy([JoinedPage(page._page_box, painting, shared.get(index))
                          for index, page in enumerate(document.pages)])


def _shared_pages(placed: list[tuple[Any, range]]) -> dict[int, tuple[int, int]]:
    """A document's page index → (its segment, its page in that segment's document), from each segment with the
    pages it fills in the document."""
    return {page: (number, segment.pages.start + page - pages.start)
            for number, (segment, pages) in enumerate(placed) for page in pages}


def _run_pages(document: Any, book: Handbook) -> list[tuple[int, tuple[int, int], range, list[int]]]:
    """Each shared run of ``book`` with its index, its pages in ``document`` and each of its chapters' page count, in
    the order runs are painted: the last first (the one most handbooks share: the emergency procedures), so that its
    recording depends on no other's."""
    first = book.shared[0][0]
    starts = [*_starts(document, _ids(book, first, len(book.chapters))), len(document.pages)]
    return [(index, (start, end), range(starts[start - first], starts[end - first]),
             _counts(starts[start - first:end - first], starts[end - first]))
            for index, (start, end) in reversed(list(enumerate(book.shared)))]


def _ids(book: Handbook, start: int, end: int) -> list[str]:
    return [chapter.id for chapter in book.chapters[start:end]]


def _tail_book(book: Handbook, shared: list[Chapter]) -> Handbook:
    """Cover (the same running strings: marking, stamp), contents, one lead page, the shared chapters; nothing else."""
    lead = Chapter(_LEAD_ID, "", "")
    return Handbook(title="", subtitle="", cover=[], chapters=[lead, *shared], as_of=book.as_of,
                    confidential=book.confidential)


def _tail(html: str, render: Any) -> _Tail:
    key = cache_key(html)
    tail = _tails.get(key)
    if tail is None:
        tail = _tails[key] = _Tail(render(html), key)
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
