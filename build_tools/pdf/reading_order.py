"""List numbers and bullets drawn with their list items, so that text copied from our PDFs keeps them in reading order.

WeasyPrint 70.0 lays out a list marker (``1.``, ``•``) outside its list item as an absolutely positioned box, and CSS
paints positioned boxes after all the in-flow text of their stacking context: every marker of a page comes at the end
of the page's content stream.  Extractors that read in content order (pypdf, PDFium, MuPDF, pdf.js) give a page's
numbers and bullets in one heap after its text, and a paragraph that runs over a page break comes out with that heap
in its middle (``…เอกสารของ⏎1.⏎2.⏎3.⏎•⏎•⏎กรมพิธีการทูต…``).  Here a marker that does not make a stacking context of
its own is drawn just before the content of its list item, in the same stacking context.

Markers never overlap other text or a background painted after them: the pages look the same (the tests compare the
pixels).  Only the content stream, and so the marked-content numbers of a tagged PDF, changes; the structure tree
still gives each list item its label (``Lbl``).

Installed and removed with the Thai text fix (:mod:`build_tools.pdf.thai_text`), which checks the WeasyPrint version.
``_dispatch_children`` and ``draw_block_level`` are WeasyPrint 70.0's with the marker hooks added (BSD-licensed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The attribute a block box keeps its markers' stacking contexts in, to draw them before its content.
_MARKERS = "_lo_markers"


@dataclass(frozen=True)
class _Originals:
    dispatch_children: Callable[..., Any]
    draw_block_level: Callable[..., Any]


_originals: _Originals | None = None


def install() -> None:
    """Patch WeasyPrint (70.0, checked by the caller) to draw list markers with their items.  Idempotent."""
    global _originals
    if _originals is not None:
        return
    import weasyprint.draw as draw_module
    import weasyprint.stacking as stacking_module

    _originals = _Originals(stacking_module._dispatch_children, draw_module.draw_block_level)
    stacking_module._dispatch_children = _dispatch_children
    draw_module.draw_block_level = _draw_block_level


def uninstall() -> None:
    """Restore WeasyPrint's own functions (no-op when not installed)."""
    global _originals
    if _originals is None:
        return
    import weasyprint.draw as draw_module
    import weasyprint.stacking as stacking_module

    stacking_module._dispatch_children = _originals.dispatch_children
    draw_module.draw_block_level = _originals.draw_block_level
    _originals = None


def _own_stacking_context(style: Any) -> bool:
    """Whether a positioned box makes a stacking context of its own (WeasyPrint 70.0's test in ``_dispatch``)."""
    return (style['z_index'] != 'auto' or style['opacity'] < 1 or bool(style['transform'])
            or style['overflow'] != 'visible')


def _dispatch_children(box: Any, page: Any, child_contexts: list[Any], blocks: list[Any], floats: list[Any],
                       blocks_and_cells: dict[Any, Any]) -> Any:
    """WeasyPrint 70.0's ``stacking._dispatch_children``; a block container's outside markers are kept on the box
    (drawn by :func:`_draw_block_level` before its content) instead of going to the positioned layer."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.stacking import StackingContext, _dispatch

    if not isinstance(box, boxes.ParentBox):
        return box

    new_children = []
    markers = []
    for child in box.children:
        inner = child._box if isinstance(child, AbsolutePlaceholder) else child
        if (inner.is_outside_marker and isinstance(box, boxes.BlockContainerBox)
                and not _own_stacking_context(inner.style)):
            # The same "fake" stacking context WeasyPrint makes for it; sub-contexts still go to the parent's list.
            markers.append(StackingContext.from_box(inner, page, child_contexts))
            continue
        result = _dispatch(child, page, child_contexts, blocks, floats, blocks_and_cells)
        if result is not None:
            new_children.append(result)
    new_box = box.copy_with_children(new_children)
    if markers:
        setattr(new_box, _MARKERS, markers)
    return new_box


def _draw_block_level(page: Any, stream: Any, blocks_and_cells: dict[Any, Any]) -> None:
    """WeasyPrint 70.0's ``draw.draw_block_level``, drawing a block's markers first.

    Every block container reaches this function: a block-level box or a table cell as a key of its stacking
    context's ``blocks_and_cells``, any other (inline-block, float, positioned box) as the box of its own context."""
    from weasyprint.draw import draw_inline_level, draw_replacedbox, draw_stacking_context
    from weasyprint.formatting_structure import boxes

    for block, children_blocks_and_cells in blocks_and_cells.items():
        for marker in getattr(block, _MARKERS, ()):
            draw_stacking_context(stream, marker)
        if isinstance(block, boxes.ReplacedBox):
            with stream.marked(block, 'Figure'):
                draw_replacedbox(stream, block)
        elif block.children:
            if isinstance(block.children[-1], boxes.LineBox):
                for child in block.children:
                    draw_inline_level(stream, page, child)
        _draw_block_level(page, stream, children_blocks_and_cells)
