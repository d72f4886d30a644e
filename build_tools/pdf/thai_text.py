"""Make Thai text in WeasyPrint PDFs copy and search exactly.

WeasyPrint 70.0 draws text with Identity-H codes (the code *is* the glyph id), so each glyph id
can carry only one text in the font's ToUnicode CMap, and the first use wins.  Thai shaping
breaks that: SARA AM is drawn as NIKHAHIT + SARA AA (the SARA AA glyph is shared with a real
า), TLWG fonts swap ู/ุ and a tone mark in place, and variant glyphs such as ``uni0E49.low``
have no Unicode value at all.  WeasyPrint also writes no ``/ActualText``, so extractors that
order characters by position (poppler, PDFium, MuPDF) scramble zero-width marks even when the
map is right (the same defect as WeasyPrint issue #2841, there for Arabic).

The fix, installed by :func:`enable_thai_text_fix`, needs no ``/ActualText`` (pdf.js ignores it,
and poppler, PDFium and MuPDF each read it their own way) and maps no code to an empty string
(pdf.js shows such a code as a junk letter; PDF/A-u and PDF/UA want a Unicode value for every
code):

* Glyphs are grouped as base + combining marks (+ SARA AM), never splitting one of Pango's
  clusters.
* A group of more than one glyph is drawn as one *cluster glyph* of a Type 3 font
  (:mod:`build_tools.pdf.cluster_fonts`) whose glyph procedure draws the real glyphs with the real
  embedded font, with exactly WeasyPrint's offsets: the page looks the same, and every extractor
  reads one character carrying the group's text, with nothing to reorder.  The text is cut
  before its first non-spacing mark; the marks ride on a second, zero-width cluster glyph that
  draws nothing, just inside the end of the first (pdf.js would take a character whose text holds
  a mark for a zero-width one).
* A single glyph whose id already maps to another text is drawn through a *shadow font*: an
  extra Type0 font dictionary sharing the same descendant CIDFont, encoding and embedded subset,
  with its own ToUnicode CMap.  Glyph codes and positions are exactly the ones WeasyPrint writes;
  only the font resource switches around those glyphs.
* Runs whose glyphs are all single characters that already map right are written byte for
  byte as WeasyPrint writes them (Latin-only PDFs come out identical, but for the two changes
  below).
* A space between two inline boxes, which WeasyPrint leaves undrawn, is drawn (MuPDF reads no
  space in the gap after Thai text), and list markers are drawn with their items rather than
  after the page's text (:mod:`build_tools.pdf.reading_order`, installed with this fix).

The work is done inside the glyph loop of WeasyPrint's ``draw_first_line`` (a copy of the 70.0
function with the hooks added; WeasyPrint is BSD-licensed), and shadow and cluster fonts are
added to the font resource dictionary right after ``build_fonts_dictionary``.  The patch is pinned to
WeasyPrint 70.0: on any other version nothing is patched and a warning is emitted.

Limitations: right-to-left runs and bitmap (Type 3) fonts are left as WeasyPrint draws them.
"""

from __future__ import annotations

import copy
import io
import unicodedata
import warnings
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import weasyprint

from . import reading_order
from .cluster_fonts import MARK_INSET, ClusterFonts, Token, add_cluster_fonts, to_unicode_cmap
from .cluster_fonts import font_name as cluster_font_name

__all__ = [
    'SUPPORTED_WEASYPRINT_VERSION',
    'disable_thai_text_fix',
    'enable_thai_text_fix',
    'thai_text_fix_disabled',
    'thai_text_fix_enabled',
]

#: The WeasyPrint version whose internals this module was written against.
SUPPORTED_WEASYPRINT_VERSION = '70.0'

#: Characters that join the previous group although they are not combining marks
#: (SARA AM and its Lao twin are spacing vowels drawn as a mark plus a vowel).
_EXTRA_EXTENDERS = frozenset('\u0e33\u0eb3')

#: Above this many steps the text split falls back to "first glyph carries everything".
_MAX_SPLIT_STEPS = 4096

#: Suffix of shadow font resource names (WeasyPrint's own names are six capitals).
_SHADOW_SUFFIX = 't'


# --------------------------------------------------------------------------------------------
# Installation
# --------------------------------------------------------------------------------------------

@dataclass
class _Patch:
    """Originals of the patched WeasyPrint functions, while the fix is installed."""

    draw_first_line: Callable[..., Any]
    build_fonts_dictionary: Callable[..., Any]


_installed: _Patch | None = None


def thai_text_fix_enabled() -> bool:
    """Tell whether the fix is currently installed into WeasyPrint."""
    return _installed is not None


def enable_thai_text_fix() -> bool:
    """Install the fix into WeasyPrint; return whether it is active.

    Idempotent.  On a WeasyPrint version other than :data:`SUPPORTED_WEASYPRINT_VERSION`
    nothing is patched, a :class:`UserWarning` naming both versions is emitted and ``False``
    is returned: PDFs are then written exactly as WeasyPrint writes them.
    """
    global _installed
    if _installed is not None:
        return True
    if weasyprint.__version__ != SUPPORTED_WEASYPRINT_VERSION:
        warnings.warn(
            f'Thai PDF text fix not installed: it was written for WeasyPrint '
            f'{SUPPORTED_WEASYPRINT_VERSION} but WeasyPrint {weasyprint.__version__} is '
            f'installed; Thai text copied from the PDFs may come out wrong.',
            stacklevel=2)
        return False
    _load_internals()
    import weasyprint.draw.text as draw_text_module
    import weasyprint.pdf as pdf_module

    _installed = _Patch(
        draw_first_line=draw_text_module.draw_first_line,
        build_fonts_dictionary=pdf_module.build_fonts_dictionary)
    draw_text_module.draw_first_line = _draw_first_line
    pdf_module.build_fonts_dictionary = _make_build_fonts_dictionary(
        _installed.build_fonts_dictionary)
    reading_order.install()
    return True


def disable_thai_text_fix() -> None:
    """Restore WeasyPrint's own functions (no-op when the fix is not installed).

    Toggle only between documents: a document drawn with the fix must also be written with it.
    """
    global _installed
    if _installed is None:
        return
    import weasyprint.draw.text as draw_text_module
    import weasyprint.pdf as pdf_module

    draw_text_module.draw_first_line = _installed.draw_first_line
    pdf_module.build_fonts_dictionary = _installed.build_fonts_dictionary
    reading_order.uninstall()
    _installed = None


@contextmanager
def thai_text_fix_disabled() -> Iterator[None]:
    """Run a block with WeasyPrint unpatched, then restore the previous state (A/B tests)."""
    was_enabled = thai_text_fix_enabled()
    disable_thai_text_fix()
    try:
        yield
    finally:
        if was_enabled:
            enable_thai_text_fix()


class _Internals:
    """WeasyPrint internals, imported only once the version has been checked."""

    ffi: Any
    pango: Any
    from_units: float
    to_units: float
    logger: Any
    get_last_word_end: Callable[..., Any]
    get_hb_object_data: Callable[..., Any]
    svg_image: Any
    raster_image: Any


_wp = _Internals()


def _load_internals() -> None:
    """Bind the WeasyPrint 70.0 internals the copied drawing code needs."""
    from weasyprint.images import RasterImage, SVGImage
    from weasyprint.logger import LOGGER
    from weasyprint.text.ffi import FROM_UNITS, TO_UNITS, ffi, pango
    from weasyprint.text.fonts import get_hb_object_data
    from weasyprint.text.line_break import get_last_word_end

    _wp.ffi, _wp.pango = ffi, pango
    _wp.from_units, _wp.to_units = FROM_UNITS, TO_UNITS
    _wp.logger = LOGGER
    _wp.get_last_word_end = get_last_word_end
    _wp.get_hb_object_data = get_hb_object_data
    _wp.svg_image, _wp.raster_image = SVGImage, RasterImage


# --------------------------------------------------------------------------------------------
# Per-font state: natural glyph meanings and shadow maps
# --------------------------------------------------------------------------------------------

@dataclass
class _FontState:
    """What the fix knows about one WeasyPrint ``Font`` of one document."""

    #: Glyph id -> the character the font's cmap gives it (lowest code point wins);
    #: ``None`` until a multi-glyph group first needs it.
    natural: dict[int, str] | None = None
    #: Shadow font k (1-based) -> its ToUnicode map, glyph id -> text.
    shadows: list[dict[int, str]] = field(default_factory=list)
    #: The clusters drawn as cluster glyphs (Type 3 fonts drawing with this font).
    clusters: ClusterFonts = field(default_factory=ClusterFonts)


_font_states: weakref.WeakKeyDictionary[Any, _FontState] = weakref.WeakKeyDictionary()


def _state(font: Any) -> _FontState:
    """Return the fix's state for a WeasyPrint ``Font``, creating it on first use."""
    state = _font_states.get(font)
    if state is None:
        state = _font_states[font] = _FontState()
    return state


def copy_font(font: Any) -> Any:
    """A copy of a WeasyPrint ``Font`` as drawing left it, for another PDF to go on from: its own records of the
    glyphs drawn (widths, texts) and, when this fix drew with it, its own shadow and cluster glyphs."""
    clone = copy.copy(font)
    clone.widths, clone.to_unicode = dict(font.widths), dict(font.to_unicode)
    clone.missing, clone.variations = dict(font.missing), dict(font.variations)
    state = _font_states.get(font)
    if state is not None:
        _font_states[clone] = _FontState(natural=state.natural, shadows=[dict(shadow) for shadow in state.shadows],
                                         clusters=state.clusters.copy())
    return clone


def _shadow_name(font: Any, slot: int) -> str:
    """Resource name of shadow ``slot`` of ``font`` (slot 0 is the font itself)."""
    return font.hash if slot == 0 else f'{font.hash}{_SHADOW_SUFFIX}{slot}'


def _natural_map(font: Any, state: _FontState) -> dict[int, str]:
    """Glyph id -> character from the font's cmap, parsed once per font."""
    if state.natural is None:
        from fontTools.ttLib import TTFont

        natural: dict[int, str] = {}
        try:
            ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
            cmap = ttfont.getBestCmap() or {}
            for codepoint in sorted(cmap, reverse=True):  # lowest code point wins
                natural[ttfont.getGlyphID(cmap[codepoint])] = chr(codepoint)
        except Exception:  # noqa: BLE001 - an unreadable cmap only costs precision
            natural = {}
        state.natural = natural
    return state.natural


# --------------------------------------------------------------------------------------------
# Planning one run: groups, main meanings, font slots, cluster glyphs
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _extends_group(char: str) -> bool:
    """Whether ``char`` belongs to the group of the character before it."""
    return char in _EXTRA_EXTENDERS or unicodedata.category(char)[0] == 'M'


def _group_starts(item_text: str) -> dict[int, int] | None:
    """Map each character's UTF-8 offset to the offset where its group starts.

    Return ``None`` when every character starts its own group (the common Latin case).
    """
    if item_text.isascii():
        return None
    starts: dict[int, int] = {}
    position = group_start = 0
    extended = False
    extends = _extends_group
    for char in item_text:
        if position and extends(char):
            extended = True
        else:
            group_start = position
        starts[position] = group_start
        # UTF-8 length of the character.
        position += 1 if char < '\x80' else 2 if char < '\u0800' else 3 if char <= '\uffff' else 4
    return starts if extended else None


@dataclass(slots=True)
class _Group:
    """Drawable glyphs (indexes in the run) sharing one piece of text."""

    text: str
    glyphs: list[int]


def _map_plain_run(main: dict[int, str], clusters: list[int], glyph_ids: list[int | None],
                   item_bytes: bytes) -> bool:
    """Map a run where every glyph is its own cluster, the way WeasyPrint does.

    Return ``False``, leaving the run to the full planning, as soon as two glyphs share a
    cluster or a glyph already means something else.
    """
    ends = clusters[1:] + [len(item_bytes)]
    for start, end, gid in zip(clusters, ends, glyph_ids):
        if end <= start:
            return False
        if gid is not None:
            text = item_bytes[start:end].decode()
            if main.setdefault(gid, text) != text:
                return False
    return True


def _groups(clusters: list[int], glyph_ids: list[int | None], item_bytes: bytes,
            starts: dict[int, int] | None) -> list[_Group]:
    """Cut a left-to-right run into groups; glyphs drawn as nothing are left out.

    ``starts`` comes from :func:`_group_starts`.
    """
    keys = clusters if starts is None else [starts.get(c, c) for c in clusters]
    groups: list[_Group] = []
    bounds: list[int] = []
    previous = -1
    for index, key in enumerate(keys):
        if key != previous:
            previous = key
            bounds.append(key)
            group = _Group('', [])
            groups.append(group)
        if glyph_ids[index] is not None:
            group.glyphs.append(index)
    bounds.append(len(item_bytes))
    for number, group in enumerate(groups):
        group.text = item_bytes[bounds[number]:bounds[number + 1]].decode()
    return [group for group in groups if group.glyphs]


@lru_cache(maxsize=8192)
def _split_text(text: str, expected: tuple[str | None, ...]) -> tuple[str, ...]:
    """Split ``text`` in order over glyphs, matching each glyph's expected text when possible.

    ``expected[i]`` is what glyph ``i`` already means (``None``: anything is fine).  The result
    concatenates to ``text``; among equally good splits, earlier glyphs take more text.
    """
    count, length = len(expected), len(text)
    if count * length * length > _MAX_SPLIT_STEPS:
        return (text,) + ('',) * (count - 1)
    infinity = count + 1
    # cost[i][p]: mismatches for glyphs i.. given text[p:]; cut[i][p]: where glyph i stops.
    cost = [[infinity] * (length + 1) for _ in range(count + 1)]
    cut = [[length] * (length + 1) for _ in range(count)]
    cost[count][length] = 0
    for i in range(count - 1, -1, -1):
        wanted = expected[i]
        for p in range(length + 1):
            best, best_q = infinity, length
            for q in range(length, p - 1, -1):
                piece_cost = 0 if wanted is None or text[p:q] == wanted else 1
                total = piece_cost + cost[i + 1][q]
                if total < best:
                    best, best_q = total, q
            cost[i][p], cut[i][p] = best, best_q
    pieces, p = [], 0
    for i in range(count):
        q = cut[i][p]
        pieces.append(text[p:q])
        p = q
    return tuple(pieces)


def _main_meanings(font: Any, glyph_ids: list[int], text: str) -> None:
    """Give the glyphs of a cluster drawn as one cluster glyph a main meaning, if they have none yet.

    The main font still needs one for each (the subset keeps the glyphs it maps, and PDF/A-u wants a Unicode
    value for every code, also inside glyph procedures): the glyph's own character where it has one, else the
    piece of the text the split gives it, else the whole text.  Never an empty string.
    """
    main = font.to_unicode
    if all(gid in main for gid in glyph_ids):
        return
    natural = _natural_map(font, _state(font))
    expected = tuple(main.get(gid, natural.get(gid)) for gid in glyph_ids)
    for gid, piece in zip(glyph_ids, _split_text(text, expected)):
        if gid not in main:
            # A glyph's main meaning is its own character when it has one, so that a
            # frequent า is not pushed to a shadow font by an early กำ.
            main[gid] = natural.get(gid) or piece or text


def _pick_slot(font: Any, shadows: list[dict[int, str]], gid: int, text: str,
               current: int) -> int:
    """Font slot (0: the font itself, k: shadow k) in which ``gid`` means ``text``.

    Stays in the current shadow when possible, to switch fonts as little as possible.
    """
    if current > 0 and shadows[current - 1].setdefault(gid, text) == text:
        return current
    if font.to_unicode[gid] == text:
        return 0
    for slot, shadow in enumerate(shadows, 1):
        if shadow.setdefault(gid, text) == text:
            return slot
    shadows.append({gid: text})
    return len(shadows)


#: Slot value of a glyph drawn inside a cluster glyph (and of the font state after one).
_CLUSTER = -1


@dataclass
class _RunPlan:
    """How to draw each glyph of a run: its font slot, and the clusters drawn as one cluster glyph each."""

    slots: list[int]
    #: Index of a cluster's first glyph -> (index of its last glyph, the cluster's text).
    clusters: dict[int, tuple[int, str]] = field(default_factory=dict)


def _plan_run(font: Any, glyph_item: Any, utf8: bytes, start_slot: int) -> _RunPlan | None:
    """Plan a run; ``None`` leaves it to WeasyPrint's own drawing.

    That is the case for right-to-left runs, bitmap and colour fonts (left as WeasyPrint maps them), and for
    plain runs: one glyph per character, each already meaning its own text.
    """
    item = glyph_item.item
    if item.analysis.level % 2 or font.bitmap or font.svg or font.png or font.colr:
        return None
    glyph_string = glyph_item.glyphs
    glyph_ids = _run_glyphs(font, glyph_string)
    clusters = _wp.ffi.unpack(glyph_string.log_clusters, glyph_string.num_glyphs)
    item_bytes = utf8[item.offset:item.offset + item.length]
    starts = _group_starts(item_bytes.decode())
    if (starts is None and not start_slot
            and _map_plain_run(font.to_unicode, clusters, glyph_ids, item_bytes)):
        return None
    plan = _RunPlan(slots=[0] * len(glyph_ids))
    shadows = _state(font).shadows
    main = font.to_unicode
    slot = max(start_slot, 0)
    for group in _groups(clusters, glyph_ids, item_bytes, starts):
        if len(group.glyphs) > 1:
            first, last = group.glyphs[0], group.glyphs[-1]
            plan.clusters[first] = (last, group.text)
            _main_meanings(font, [glyph_ids[i] for i in group.glyphs], group.text)  # type: ignore[misc]
            for index in range(first, last + 1):
                plan.slots[index] = _CLUSTER
            continue
        index = group.glyphs[0]
        gid = glyph_ids[index]
        if not slot and main.setdefault(gid, group.text) == group.text:  # type: ignore[arg-type]
            continue  # fast path: one glyph, drawn with the font's own map
        slot = plan.slots[index] = _pick_slot(font, shadows, gid, group.text, slot)  # type: ignore[arg-type]
    return plan


def _run_glyphs(font: Any, glyph_string: Any) -> list[int | None]:
    """Glyph ids as they will be written (``None``: drawn as nothing)."""
    pango = _wp.pango
    empty_glyph, unknown_flag = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
    ids: list[int | None] = []
    for info in glyph_string.glyphs[0:glyph_string.num_glyphs]:
        glyph_id = info.glyph
        if glyph_id == empty_glyph:
            ids.append(None)
        elif glyph_id & unknown_flag:
            ids.append(font.get_unused_glyph_id(glyph_id - unknown_flag))
        else:
            ids.append(glyph_id)
    return ids


# --------------------------------------------------------------------------------------------
# Writing a line (WeasyPrint 70.0 draw_first_line with the hooks added)
# --------------------------------------------------------------------------------------------

def _show_pending(stream: Any, string: str) -> str:
    """Show the glyphs of an open TJ string and reopen it, so an operator can follow.

    Called only when glyph codes are pending; returns the new open string.
    """
    if string[-1] == '<':
        string = string[:-1]
    else:
        string += '>'
    stream.show_text(string)
    return '<'


def _prepare_first_line(textbox: Any, text_overflow: str, block_ellipsis: Any) -> Any:
    """Lay out the first line with ellipsis handling (verbatim from WeasyPrint 70.0)."""
    pango, get_last_word_end = _wp.pango, _wp.get_last_word_end
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)

    if text_overflow == 'ellipsis' or block_ellipsis != 'none':
        assert textbox.pango_layout.max_width is not None
        max_width = textbox.pango_layout.max_width
        pango.pango_layout_set_width(
            textbox.pango_layout.layout, int(max_width * _wp.to_units))
        if text_overflow == 'ellipsis':
            pango.pango_layout_set_ellipsize(
                textbox.pango_layout.layout, pango.PANGO_ELLIPSIZE_END)
        else:
            if block_ellipsis == 'auto':
                ellipsis = '…'
            else:
                assert block_ellipsis[0] == 'string'
                ellipsis = block_ellipsis[1]

            # Remove last word if hyphenated.
            new_text = textbox.pango_layout.text
            if new_text.endswith(textbox.style['hyphenate_character']):
                last_word_end = get_last_word_end(
                    new_text[:-len(textbox.style['hyphenate_character'])],
                    textbox.style['lang'])
                if last_word_end:
                    new_text = new_text[:last_word_end]

            textbox.pango_layout.set_text(new_text + ellipsis)

    first_line, index = textbox.pango_layout.get_first_line()

    if block_ellipsis != 'none':
        while index:
            last_word_end = get_last_word_end(
                textbox.pango_layout.text[:-len(ellipsis)],
                textbox.style['lang'])
            if last_word_end is None:
                break
            new_text = textbox.pango_layout.text[:last_word_end]
            textbox.pango_layout.set_text(new_text + ellipsis)
            first_line, index = textbox.pango_layout.get_first_line()
    return first_line


def _draw_first_line(stream: Any, textbox: Any, text_overflow: str, block_ellipsis: Any,
                     matrix: Any) -> list[Any]:
    """Draw the given ``textbox`` line (replacement for WeasyPrint's ``draw_first_line``).

    WeasyPrint 70.0's code, plus the planned font switches and cluster glyphs.  ``pending`` tells whether the
    open TJ string holds glyph codes: pen moves alone are carried over a font switch rather than shown, so that
    Latin-only lines are written byte for byte as WeasyPrint writes them.  A cluster's glyphs are collected as
    tokens (what WeasyPrint would have written for them) and drawn as one cluster glyph.
    """
    # Don’t draw lines with only invisible characters, but for spaces: a space between two inline boxes
    # (``<b>ประเด็น</b> <b>ความ</b>``) is a text box of its own, and drawn it gives every extractor the space the
    # page shows (WeasyPrint leaves a gap, and MuPDF does not read a gap after Thai text as a space), where the
    # text before it ends (reading_order.SPACE_SHIFT).
    only_spaces = bool(textbox.text) and not textbox.text.strip(' ')
    if not textbox.text.strip() and not only_spaces:
        return []
    if only_spaces and (shift := getattr(textbox, reading_order.SPACE_SHIFT, 0)):
        a, b, c, d, e, f = matrix.values
        matrix = type(matrix)(a, b, c, d, e - shift, f)

    if textbox.style['font_size'] < 1e-6:  # default float precision used by pydyf
        return []

    first_line = _prepare_first_line(textbox, text_overflow, block_ellipsis)
    ffi, pango, from_units = _wp.ffi, _wp.pango, _wp.from_units
    empty_glyph, unknown_flag = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG

    stream.set_text_matrix(*matrix.values)
    previous_pango_font = None
    string = ''
    pending = False
    x_advance = 0
    emojis: list[Any] = []
    utf8 = textbox.pango_layout.text.encode()
    slot = 0
    run = first_line.runs[0]
    while run != ffi.NULL:
        # Get Pango objects.
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        glyphs_info = glyph_string.glyphs
        num_glyphs = glyph_string.num_glyphs
        clusters = glyph_string.log_clusters

        pango_font = glyph_item.item.analysis.font
        if pango_font != previous_pango_font:
            # Add font file content and get font size.
            previous_pango_font = pango_font
            font, font_size = stream.add_font(pango_font)

            # Workaround for https://gitlab.gnome.org/GNOME/pango/-/issues/530.
            # This is also needed by raster emoji fonts, see #2800.
            if pango.pango_version() < 14802 or font.png:
                font_size = textbox.style['font_size']

            # Go through the run glyphs.
            if string:
                stream.show_text(string)
            string = ''
            pending = False
            stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
            slot = 0
        string += '<'
        plan = _plan_run(font, glyph_item, utf8, slot)
        if plan is None and slot:
            # A run left to WeasyPrint must be drawn with the font's own map.
            if pending:
                string, pending = _show_pending(stream, string), False
            slot = 0
            stream.set_font_size(font.hash, font_size)
        cluster: _ClusterCapture | None = None
        for i, glyph_info in enumerate(glyphs_info[0:num_glyphs]):
            glyph_id = glyph_info.glyph
            width = glyph_info.geometry.width

            if plan is not None and i in plan.clusters:
                # Whatever the open string holds (glyphs or pen moves) goes before the cluster glyph.
                string, pending = _show_open(stream, string), False
                cluster = _ClusterCapture(*plan.clusters[i])

            # Display zero-width empty glyph.
            if glyph_id == empty_glyph:
                if cluster is not None:
                    cluster.tokens.append(('n', f'{-width / font_size}'))
                else:
                    string += f'>{-width / font_size}<'
                continue

            # Display .notdef and log warning for missing glyphs.
            if glyph_id & unknown_flag:
                glyph_id = _unknown_glyph(font, glyph_id, width, font_size)

            if plan is None:
                # Create mapping between glyphs and Unicode codepoints (WeasyPrint's way).
                if glyph_id not in font.to_unicode:
                    font.to_unicode[glyph_id] = _weasyprint_glyph_text(
                        glyph_item, clusters, i, num_glyphs, utf8)
            elif cluster is None and plan.slots[i] != slot:
                if pending:
                    string, pending = _show_pending(stream, string), False
                slot = plan.slots[i]
                stream.set_font_size(_shadow_name(font, slot), font_size)

            # Set horizontal and vertical offsets.
            offset = glyph_info.geometry.x_offset / font_size
            rise = glyph_info.geometry.y_offset / 1000
            if cluster is not None:
                if rise:
                    cluster.tokens.append(('r', f'{-rise}', f'{-offset}' if offset else '', glyph_id))
                else:
                    if offset:
                        cluster.tokens.append(('n', f'{-offset}'))
                    cluster.tokens.append(('g', glyph_id))
            elif rise:
                if string[-1] == '<':
                    string = string[:-1]
                else:
                    string += '>'
                if string:
                    stream.show_text(string)
                stream.set_text_rise(-rise)
                string = ''
                if offset:
                    string = f'{-offset}'
                string += f'<{glyph_id:02x}>' if font.bitmap else f'<{glyph_id:04x}>'
                stream.show_text(string)
                stream.set_text_rise(0)
                string = '<'
                pending = False
            else:
                if offset:
                    string += f'>{-offset}<'
                string += f'{glyph_id:02x}' if font.bitmap else f'{glyph_id:04x}'
                pending = True

            # Get glyph logical widths.
            if glyph_id in font.widths:
                logical_width = font.widths[glyph_id]
            else:
                pango.pango_font_get_glyph_extents(
                    pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                logical_width = font.widths[glyph_id] = round(
                    stream.logical_rect.width * 1000 * from_units / font_size)

            # Set kerning, word spacing, letter spacing.
            kerning = logical_width + offset - width * 1000 * from_units / font_size
            if kerning:
                if cluster is not None:
                    cluster.tokens.append(('n', f'{int(kerning)}'))
                else:
                    string += f'>{int(kerning)}<'

            # Create list of emojis.
            if font.svg or font.png or font.colr:
                emoji = _glyph_emoji(font, glyph_id, logical_width, kerning, x_advance,
                                     font_size, textbox, stream, pango_font)
                if emoji is not None:
                    emojis.append(emoji)

            x_advance += (logical_width + offset - kerning) / 1000

            if cluster is not None and i == cluster.last:
                _show_cluster(stream, font, font_size, cluster)
                cluster, slot = None, _CLUSTER

        # Close the last glyphs list, remove if empty.
        if string[-1] == '<':
            string = string[:-1]
        else:
            string += '>'

    # Draw text (nothing is left when the line ends with a cluster glyph).
    if string:
        stream.show_text(string)

    return emojis


@dataclass(slots=True)
class _ClusterCapture:
    """The glyphs of a cluster being collected for its cluster glyph."""

    last: int
    text: str
    tokens: list[Token] = field(default_factory=list)


def _show_open(stream: Any, string: str) -> str:
    """Show whatever the open TJ string holds (glyphs or pen moves) and reopen it."""
    closed = string[:-1] if string.endswith('<') else string + '>'
    if closed:
        stream.show_text(closed)
    return '<'


def _show_cluster(stream: Any, font: Any, font_size: float, cluster: _ClusterCapture) -> None:
    """Draw a collected cluster as its cluster glyph, and after it the zero-width one carrying its marks.

    The marks glyph sits :data:`MARK_INSET` inside the end of the cluster glyph: exactly at its end, poppler
    takes it for a separate word and may put it after the next character.
    """
    number, code, marks_code = _state(font).clusters.pair(cluster.tokens, cluster.text, font_size)
    stream.set_font_size(cluster_font_name(font.hash, number), font_size)
    if marks_code is None:
        stream.show_text(f'<{code:02x}>')
    else:
        stream.show_text(f'<{code:02x}>{MARK_INSET}<{marks_code:02x}>-{MARK_INSET}')


def _unknown_glyph(font: Any, glyph_id: int, width: int, font_size: float) -> int:
    """Handle a glyph missing from every font (verbatim from WeasyPrint 70.0)."""
    codepoint = glyph_id - _wp.pango.PANGO_GLYPH_UNKNOWN_FLAG
    _wp.logger.warning(
        '.notdef glyph rendered for Unicode string unsupported by fonts: '
        '"%s" (U+%04X)', chr(codepoint), codepoint)
    glyph_id = font.get_unused_glyph_id(codepoint)
    font.widths[glyph_id] = round(width * 1000 * _wp.from_units / font_size)
    if 0 not in font.widths:
        # "width" is actually Pango’s get_approximate_char_width. Force
        # .notdef’s to use this width, even if it’s not the right, as we
        # want to keep Pango’s layout for next glyphs.
        font.widths[0] = font.widths[glyph_id]
    return glyph_id


def _weasyprint_glyph_text(glyph_item: Any, clusters: Any, i: int, num_glyphs: int,
                           utf8: bytes) -> str:
    """The text WeasyPrint 70.0 gives glyph ``i`` of a run (used where we do not plan)."""
    offset = glyph_item.item.offset
    t1 = clusters[i]
    if glyph_item.item.analysis.level % 2:  # rtl
        t2 = glyph_item.item.length if i == 0 else clusters[i - 1]
    else:
        t2 = glyph_item.item.length if i == num_glyphs - 1 else clusters[i + 1]
    return utf8[offset + t1:offset + t2].decode()


def _glyph_emoji(font: Any, glyph_id: int, logical_width: int, kerning: float,
                 x_advance: float, font_size: float, textbox: Any, stream: Any,
                 pango_font: Any) -> list[Any] | None:
    """Emoji image drawn for a colour glyph, if any (verbatim from WeasyPrint 70.0)."""
    from io import BytesIO
    from xml.etree import ElementTree

    from PIL import Image

    get_hb_object_data = _wp.get_hb_object_data
    if font.svg:
        svg_data = get_hb_object_data(font.hb_face, 'svg', glyph_id)
        if svg_data:
            # Do as explained in specification
            # https://learn.microsoft.com/typography/opentype/spec/svg
            tree = ElementTree.fromstring(svg_data)
            if tree.get('id') != f'glyph{glyph_id}':
                defs = ElementTree.Element('defs')
                for child in list(tree):
                    defs.append(child)
                    tree.remove(child)
                tree.append(defs)
                ElementTree.SubElement(
                    tree, 'use', attrib={'href': f'#glyph{glyph_id}'})
            if 'viewBox' not in tree.attrib:
                tree.attrib['viewBox'] = f'0 0 {font.upem} {font.upem}'
            image = _wp.svg_image(tree, None, None, None)
            a = d = 1
            return [image, font, a, d, x_advance, 0]
    elif font.png:
        png_data = get_hb_object_data(font.hb_font, 'png', glyph_id)
        if png_data:
            pillow_image = Image.open(BytesIO(png_data))
            image_id = f'{font.hash}{glyph_id}'
            image = _wp.raster_image(pillow_image, image_id, png_data)
            d = logical_width / 1000
            a = pillow_image.width / pillow_image.height * d
            _wp.pango.pango_font_get_glyph_extents(
                pango_font, glyph_id, stream.ink_rect,
                stream.logical_rect)
            f = -stream.logical_rect.y
            f = f * _wp.from_units / font_size - font_size
            return [image, font, a, d, x_advance, f]
    elif font.colr:
        svg_data = get_hb_object_data(font.hb_font, 'colr', glyph_id)
        if svg_data:
            tree = ElementTree.fromstring(svg_data)
            image = _wp.svg_image(tree, None, None, None)
            a = d = 1
            e = x_advance - kerning
            return [image, font, a, d, e, -textbox.baseline]
    return None


# --------------------------------------------------------------------------------------------
# Writing the fonts: shadow Type0 dictionaries
# --------------------------------------------------------------------------------------------

def _make_build_fonts_dictionary(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap WeasyPrint's ``build_fonts_dictionary`` to add the shadow fonts and the cluster fonts."""

    def build_fonts_dictionary(pdf: Any, fonts: dict[Any, Any], compress: bool,
                               subset: bool, options: dict[str, Any]) -> Any:
        pdf_fonts = original(pdf, fonts, compress, subset, options)
        for font in fonts.values():
            state = _font_states.get(font)
            if font.bitmap or state is None:
                continue
            main = _pdf_object(pdf, pdf_fonts[font.hash])
            full = not subset or font.used_in_forms
            if full:
                _overlay_main_to_unicode(pdf, main, font, compress)
            for slot, mapping in enumerate(state.shadows, 1):
                pdf_fonts[_shadow_name(font, slot)] = _add_shadow_font(
                    pdf, main, mapping, compress)
            if state.clusters.fonts:
                bbox = (0, font.descent, max(font.widths.values(), default=0), font.ascent)
                add_cluster_fonts(pdf, pdf_fonts, font.hash, state.clusters,
                                  _pdf_widths(font, full), bbox, compress)
        return pdf_fonts

    return build_fonts_dictionary


def _pdf_widths(font: Any, full: bool) -> Callable[[int], float]:
    """Glyph id -> the width WeasyPrint writes for it in the font's ``/W`` array."""
    if not full:
        return font.widths.__getitem__
    from fontTools.ttLib import TTFont

    ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index)
    widths = [glyph.width * 1000 / font.upem for glyph in ttfont.getGlyphSet().values()]
    return widths.__getitem__


def _pdf_object(pdf: Any, reference: bytes) -> Any:
    """The pydyf object behind a ``b'N 0 R'`` reference."""
    return pdf.objects[int(reference.split()[0])]


def _add_shadow_font(pdf: Any, main: Any, mapping: dict[int, str], compress: bool) -> bytes:
    """Add a Type0 font sharing ``main``'s CIDFont, with its own ToUnicode map."""
    import pydyf

    to_unicode = to_unicode_cmap(mapping, compress)
    pdf.add_object(to_unicode)
    shadow = pydyf.Dictionary({
        'Type': '/Font',
        'Subtype': '/Type0',
        'BaseFont': main['BaseFont'],
        'Encoding': main['Encoding'],
        'DescendantFonts': main['DescendantFonts'],
        'ToUnicode': to_unicode.reference,
    })
    pdf.add_object(shadow)
    return shadow.reference


def _overlay_main_to_unicode(pdf: Any, main: Any, font: Any, compress: bool) -> None:
    """With full fonts, WeasyPrint maps glyphs from the cmap: put our main texts on top."""
    from fontTools.ttLib import TTFont

    ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index)
    mapping: dict[int, str] = {}
    for letter, key in ttfont.getBestCmap().items():
        mapping.setdefault(ttfont.getGlyphID(key), chr(letter))
    mapping.update(font.to_unicode)
    to_unicode = to_unicode_cmap(mapping, compress)
    pdf.add_object(to_unicode)
    main['ToUnicode'] = to_unicode.reference
