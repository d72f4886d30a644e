"""Shared pages painted once per process, then replayed into every guest handbook that has them.

``joined.py`` lays the shared chapters out once; this module does the same for their painting, which was the larger
half of writing a guest handbook (the Thai text fix draws every glyph cluster in Python). The first time a worker
writes a joined handbook, it paints the content of the shared pages (everything but the page margins) into streams of
its own and keeps:

- each page's drawing operators, serialised once, and the marked-content ids they gave to boxes (for the tag tree);
- the document state that painting left behind: the fonts it used (with the glyphs, widths and texts recorded for
  them, and the Thai fix's shadow and cluster glyphs) and the opacity states.

A handbook shares runs of chapters (``Handbook.shared``): the emergency procedures with every guest, the country page
with the guests of that country. Each run is a *segment*, recorded in a fixed order, the last run first and from a
fresh document state, each next one going on from the state the one before left (its glyphs are drawn with the codes
that state gives them). A joined handbook takes a run's recording from the tail that run was laid out in (kept per
process, per state it went on from); a run laid out with the handbook's own pages is recorded from them, for that PDF.

Every handbook then starts its own painting from a copy of the last recording's state (``Painting.install``, before
its first page), paints its own pages as usual, and for each shared page appends the kept operators and paints only
that page's margins (running header, stamp, "page X of Y") live. The fonts are subset and written once per PDF from
the combined state, the tag tree is built by WeasyPrint from the same boxes as ever, and links, destinations and
bookmarks come from the pages as before. The PDF reads, looks and is structured as when WeasyPrint paints every page;
its bytes differ only where the order of first drawing shows (the shared pages' glyphs come first).

Only content whose painting leaves nothing behind but fonts and opacity states is replayed: if a run's pages used
images, gradients, patterns or transparency groups, ``record`` returns ``None`` and they are painted live, as before.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from typing import Any

import pydyf
from weasyprint.document import Page
from weasyprint.draw import draw_page, draw_stacking_context
from weasyprint.formatting_structure import boxes
from weasyprint.pdf.stream import Stream
from weasyprint.stacking import StackingContext

from . import thai_text

_ALPHA_STATE = ("a", "A")  # WeasyPrint's opacity states are named by their value ("a0.5"): the same in every PDF


@dataclass(frozen=True)
class _PagePaint:
    operators: bytes  # what the page's content drew, serialised
    tags: dict[Any, dict[str, Any]]  # box → its marked-content tag and id, as WeasyPrint's stream records them


@dataclass
class Recording:
    """The content of a tail's shared pages, painted once (for one kind of stream: tagged or not, one scale)."""

    pages: dict[int, _PagePaint] = field(default_factory=dict)  # tail page index → its painting
    fonts: dict[Any, Any] = field(default_factory=dict)  # font key → WeasyPrint Font, as the painting left it
    states: dict[str, Any] = field(default_factory=dict)  # ExtGState name → its dictionary (opacities only)
    warnings: list[logging.LogRecord] = field(default_factory=list)  # what WeasyPrint logged while painting


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def record(tail: Any, page_indexes: range, tagged: bool, scale: float, compress: bool,
           after: Recording | None = None) -> Recording | None:
    """Paint the content of ``tail``'s pages ``page_indexes`` (without their margins), as ``generate_pdf`` would, from
    a fresh state or from a copy of the state ``after`` left.

    ``None`` when the painting used anything that is not the same in every PDF (images, patterns, gradients, groups).
    """
    fonts: dict[Any, Any] = {key: thai_text.copy_font(font) for key, font in after.fonts.items()} if after else {}
    states = {name: copy.copy(state) for name, state in after.states.items()} if after else {}
    resources = pydyf.Dictionary({"ExtGState": pydyf.Dictionary(states), "XObject": pydyf.Dictionary(),
                                  "Pattern": pydyf.Dictionary(), "Shading": pydyf.Dictionary(), "ColorSpace": None})
    images: dict[str, Any] = {}
    result = Recording(fonts=fonts)
    handler = _Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        for index in page_indexes:
            page = tail.pages[index]
            tags: dict[Any, dict[str, Any]] | None = {} if tagged else None
            stream = Stream(fonts, _page_rectangle(page, scale), resources, images, tags, tail.color_profiles,
                            tail.output_intent, compress=compress)
            stream.transform(d=-1, f=page.height * scale)
            with stream.stacked():
                stream.transform(a=scale, d=scale)
                start = len(stream.stream)
                draw_page(without_margins(page._page_box), stream)
                operators = stream.stream[start:]
            result.pages[index] = _PagePaint(b"\n".join(pydyf._to_bytes(op) for op in operators), tags or {})
    finally:
        logger.removeHandler(handler)
    result.warnings = handler.records
    if images or any(resources[kind] for kind in ("XObject", "Pattern", "Shading")):
        return None
    if any(not name.startswith(_ALPHA_STATE) for name in resources["ExtGState"]):
        return None
    result.states = dict(resources["ExtGState"])
    return result


def without_margins(page_box: Any) -> Any:
    """The page box with its content only: no running header, stamp or page number."""
    return page_box.copy_with_children([box for box in page_box.children if not isinstance(box, boxes.MarginBox)])


def _page_rectangle(page: Any, scale: float) -> tuple[float, float, float, float]:
    """The rectangle ``generate_pdf`` gives a page's stream (its bleed box, in CSS pixels)."""
    left, top = -scale * page.bleed["left"], -scale * page.bleed["top"]
    width = scale * (page.width + page.bleed["left"] + page.bleed["right"])
    height = scale * (page.height + page.bleed["top"] + page.bleed["bottom"])
    return left / scale, top / scale, width / scale, height / scale


@dataclass(frozen=True)
class Segment:
    """One run of shared pages in a document: where its recordings are kept and which pages of which layout it is."""

    document: Any  # the laid-out weasyprint Document the pages are in: a tail, or the handbook itself
    pages: range  # their indexes in it
    kept: dict[Any, Recording | None] | None = None  # the tail's recordings; None: recorded for this document only
    key: str | None = None  # the tail's HTML digest (None: this document's own pages)


class Painting:
    """One document's use of its segments' recordings: recorded or taken in order, the state installed once per PDF,
    then pages replayed."""

    def __init__(self, segments: list[Segment]) -> None:
        self._segments = segments  # in the order they are recorded
        self._installed_into: dict[Any, Any] | None = None  # the fonts dict of the PDF being written
        self._recordings: list[Recording | None] = []

    def install(self, stream: Any, scale: float) -> None:
        """Before a PDF's first page is painted: start its state from the recordings' (once per PDF)."""
        if self._installed_into is stream._fonts:
            return
        self._installed_into = stream._fonts
        kind = (stream._tags is not None, scale, bool(stream.compress))
        last: Recording | None = None
        before: tuple[str | None, ...] = ()  # the segments recorded before this one: a recording goes on from them
        self._recordings = []
        for segment in self._segments:
            kept = segment.kept if segment.kept is not None and None not in before else {}
            key = (kind, before)
            fresh = key not in kept  # then its warnings were just logged
            if fresh:
                kept[key] = record(segment.document, segment.pages, *kind, after=last)
            recording = kept[key]
            if not fresh and recording is not None:  # what painting it logged (a missing glyph…), once for every PDF
                logger = logging.getLogger("weasyprint")
                for warning in recording.warnings:
                    logger.handle(warning)
            self._recordings.append(recording)
            last = recording or last
            before = (*before, segment.key)
        if last is None:
            return
        for key, font in last.fonts.items():
            stream._fonts[key] = thai_text.copy_font(font)
        for name, state in last.states.items():
            stream._resources["ExtGState"][name] = copy.copy(state)

    def replay(self, stream: Any, segment: int, page_index: int) -> bool:
        """Append a shared page's content as recorded; False when it has to be painted live."""
        recording = self._recordings[segment]
        if recording is None:
            return False
        page = recording.pages[page_index]
        stream.stream.append(page.operators)
        if stream._tags is not None:
            stream._tags.update((box, dict(tag)) for box, tag in page.tags.items())
        return True


class JoinedPage(Page):
    """A page of a handbook with shared runs. Its own pages are painted as usual; a shared page (``shared``: its
    segment and its index in that segment's document) has its content replayed and only its margins painted."""

    def __init__(self, page_box: Any, painting: Painting, shared: tuple[int, int] | None = None) -> None:
        super().__init__(page_box)
        self._painting, self._shared = painting, shared

    def paint(self, stream: Any, scale: float = 1) -> None:
        self._painting.install(stream, scale)
        if self._shared is None:
            super().paint(stream, scale)
            return
        with stream.stacked():
            stream.transform(a=scale, d=scale)
            if self._painting.replay(stream, *self._shared):
                margins = [box for box in self._page_box.children if isinstance(box, boxes.MarginBox)]
                draw_stacking_context(stream, StackingContext.from_page(self._page_box.copy_with_children(margins)))
            else:
                draw_page(self._page_box, stream)
