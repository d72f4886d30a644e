"""Draw a multi-glyph cluster (base + marks, SARA AM…) as one Type 3 glyph that carries the cluster's text.

Used by :mod:`build_tools.pdf.thai_text`.  A Type 3 *cluster glyph* is a character code of a small Type 3 font
whose glyph procedure draws the cluster's real glyphs with the real embedded font, with exactly the offsets,
kerning and rises WeasyPrint gives them.  The page shows one character per cluster, mapped in the Type 3 font's
ToUnicode CMap to the cluster's whole text, so every extractor reads one character with the right text and
nothing to reorder, and no glyph is ever mapped to an empty string (pdf.js turns those into raw glyph codes,
PDF/A-u and PDF/UA require a Unicode value for every code).  Text drawn inside a glyph procedure is not text to
extractors; it is to renderers, so the page looks exactly as before.

The glyph procedure starts with ``d0`` (a coloured glyph: it draws in the colour in force, and renderers run it
each time instead of caching a bitmap) and uses the font matrix ``0.001``, so its numbers are the ones WeasyPrint
writes in the page's ``TJ`` arrays.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

#: Character codes a cluster font uses: 34-255.  Codes below 33 are left out, as 32 is a word space to several
#: extractors (and Tw applies to it) and the control range confuses others.  Code 33 is a glyph named ``m``,
#: 0.6 em wide, that is never drawn: poppler guesses a Type 3 font's size from the width of its ``m`` (0.6 em
#: being "a generic m"), else from the first glyph's, and would otherwise take the cluster glyphs for text of
#: another size and break words and lines around them.
M_CODE = 33
M_WIDTH = 600
FIRST_CODE = 34
CODES_PER_FONT = 256 - FIRST_CODE

#: How far inside the end of a cluster glyph the zero-width glyph carrying its marks sits (thousandths of an em).
MARK_INSET = 20

#: Suffix of cluster font resource names (WeasyPrint's own names are six capitals; shadow fonts use ``t``).
CLUSTER_SUFFIX = 'y'

#: A token of a cluster's drawing, in WeasyPrint's own terms:
#: ``('n', '12')``: a TJ number (thousandths of an em, moving the pen left);
#: ``('g', 0x123)``: a glyph id;
#: ``('r', '-1.5', '0.3', 0x123)``: a glyph drawn raised by a text rise (in the page's units, before the font
#: size is divided out), with the number before it (or ``''``).
Token = tuple[Any, ...]


#: A cluster glyph: its drawing, its text, and the font size its rises were divided by (0.0 when it has none).
Entry = tuple[tuple[Token, ...], str, float]


@dataclass
class ClusterFonts:
    """The cluster glyphs of one embedded font, font by font, in code order.

    A cluster's drawn glyph and its marks glyph always share a font: a text object of its own holding only the
    zero-width marks glyph is dropped by PDFium.
    """

    fonts: list[list[Entry]] = field(default_factory=list)
    #: Per font, marks text -> code of the zero-width glyph carrying it.
    marks: list[dict[str, int]] = field(default_factory=list)
    pairs: dict[Entry, tuple[int, int, int | None]] = field(default_factory=dict)

    def copy(self) -> ClusterFonts:
        """The same glyphs, to go on adding to independently (another PDF)."""
        return ClusterFonts([list(entries) for entries in self.fonts], [dict(marks) for marks in self.marks],
                            dict(self.pairs))

    def pair(self, tokens: Iterable[Token], text: str, font_size: float) -> tuple[int, int, int | None]:
        """(font number from 1, code of the drawn glyph, code of the marks glyph or ``None``) for a cluster.

        ``font_size`` matters only to raised glyphs (a rise is in page units), so it is part of the key only then.
        """
        tokens = tuple(tokens)
        size = font_size if any(token[0] == 'r' for token in tokens) else 0.0
        key = (tokens, text, size)
        found = self.pairs.get(key)
        if found is not None:
            return found
        drawn, marks = split_marks(text)
        needed = 1 + bool(marks and (not self.marks or marks not in self.marks[-1]))
        if not self.fonts or len(self.fonts[-1]) + needed > CODES_PER_FONT:
            self.fonts.append([])
            self.marks.append({})
        entries, font_marks = self.fonts[-1], self.marks[-1]
        entries.append((tokens, drawn, size))
        drawn_code = FIRST_CODE + len(entries) - 1
        marks_code = None
        if marks:
            marks_code = font_marks.get(marks)
            if marks_code is None:
                entries.append(((), marks, 0.0))
                marks_code = font_marks[marks] = FIRST_CODE + len(entries) - 1
        found = self.pairs[key] = (len(self.fonts), drawn_code, marks_code)
        return found


def split_marks(text: str) -> tuple[str, str]:
    """Cut a cluster's text before its first non-spacing mark: (what the drawn glyph carries, the rest).

    pdf.js takes a character whose text holds a non-spacing mark (``Mn``) for a zero-width diacritic and does
    not advance over it, so a cluster glyph meaning ``ข้`` would be read as having no width and a space would
    follow.  The drawn cluster glyph therefore carries ``ข`` with the cluster's advance, and a second,
    zero-width cluster glyph that draws nothing carries ``้`` (what a real mark is to every reader).  The rest
    is ``''`` when the text has no such mark, and the whole text stays on the drawn glyph when it starts with
    one.
    """
    for index, char in enumerate(text):
        if index and unicodedata.category(char) == 'Mn':
            return text[:index], text[index:]
    return text, ''


def font_name(main_name: str, number: int) -> str:
    """Resource name of cluster font ``number`` (from 1) of the font named ``main_name``."""
    return f'{main_name}{CLUSTER_SUFFIX}{number}'


def advance(tokens: Iterable[Token], width: Callable[[int], float]) -> float:
    """How far a cluster moves the pen, in thousandths of an em, as a renderer reads the page's ``TJ`` arrays."""
    total = 0.0
    for token in tokens:
        if token[0] == 'n':
            total -= float(token[1])
        elif token[0] == 'g':
            total += width(token[1])
        else:
            if token[2]:
                total -= float(token[2])
            total += width(token[3])
    return total


def glyph_procedure(tokens: tuple[Token, ...], wx: float, font_size: float,
                    bbox: tuple[float, float, float, float] = (0, 0, 0, 0)) -> bytes:
    """The content of a cluster glyph: the glyphs in the real font ``/F``, at 1000 units to the em.

    The marks glyph (no tokens) draws nothing but declares a box from the font's descent to its ascent over the
    :data:`MARK_INSET` it sits in: PDFium takes an empty box for a character of another line.  (The drawn glyphs
    use ``d0``, so that renderers run them instead of caching a bitmap; PDFium measures their content.)
    """
    if not tokens:
        return f'{_number(wx)} 0 0 {_number(bbox[1])} {MARK_INSET} {_number(bbox[3])} d1'.encode()
    parts = [f'{_number(wx)} 0 d0 BT /F 1000 Tf', '[']
    for token in tokens:
        if token[0] == 'n':
            parts.append(token[1])
        elif token[0] == 'g':
            parts.append(f'<{token[1]:04x}>')
        else:
            _, rise, before, glyph = token
            parts.append(f'] TJ {_number(float(rise) * 1000 / font_size)} Ts [')
            if before:
                parts.append(before)
            parts.append(f'<{glyph:04x}> ] TJ 0 Ts [')
    parts.append('] TJ ET')
    return ' '.join(parts).encode()


def _number(value: float) -> str:
    """A PDF real (never in exponent form)."""
    text = f'{value:.6f}'.rstrip('0').rstrip('.')
    return text if text not in ('', '-0') else '0'


def add_cluster_fonts(pdf: Any, pdf_fonts: Any, main_name: str, clusters: ClusterFonts,
                      width: Callable[[int], float], bbox: tuple[float, float, float, float],
                      compress: bool) -> None:
    """Write the Type 3 fonts of ``clusters`` into ``pdf_fonts``, drawing with the font ``main_name``.

    ``bbox`` is the real font's bounding box (thousandths of an em): extractors take the height of a line's
    characters from it (an empty one splits lines and adds spaces in pdf.js and poppler).
    """
    import pydyf

    resources = pydyf.Dictionary({'Font': pydyf.Dictionary({'F': pdf_fonts[main_name]})})
    pdf.add_object(resources)
    # Tagged PDF requires a descriptor for Type 3 fonts; poppler takes the line height from its Ascent and
    # Descent (without them a word of cluster glyphs is taller than its line and may become a block of its own).
    descriptor = pydyf.Dictionary({
        'Type': '/FontDescriptor',
        'FontName': f'/{main_name}{CLUSTER_SUFFIX}',
        'Flags': 4,  # symbolic
        'FontBBox': pydyf.Array(bbox),
        'ItalicAngle': 0,
        'Ascent': bbox[3],
        'Descent': bbox[1],
        'CapHeight': bbox[3],
        'StemV': 0,
    })
    pdf.add_object(descriptor)
    m_procedure = pydyf.Stream([f'{M_WIDTH} 0 d0'.encode()], compress=compress)
    pdf.add_object(m_procedure)
    for number, chunk in enumerate(clusters.fonts, 1):
        procedures = pydyf.Dictionary({'m': m_procedure.reference})
        widths = pydyf.Array([M_WIDTH])
        names = pydyf.Array([M_CODE, '/m'])
        texts: dict[int, str] = {}
        for offset, (tokens, text, size) in enumerate(chunk):
            wx = advance(tokens, width)
            procedure = pydyf.Stream([glyph_procedure(tokens, wx, size, bbox)], compress=compress)
            pdf.add_object(procedure)
            procedures[f'c{offset}'] = procedure.reference
            names.append(f'/c{offset}')
            widths.append(_number(wx))
            texts[FIRST_CODE + offset] = text
        to_unicode = to_unicode_cmap(texts, compress, code_bytes=1)
        pdf.add_object(to_unicode)
        font = pydyf.Dictionary({
            'Type': '/Font',
            'Subtype': '/Type3',
            'FontBBox': pydyf.Array(bbox),
            'FontMatrix': pydyf.Array([0.001, 0, 0, 0.001, 0, 0]),
            'CharProcs': procedures,
            'Encoding': pydyf.Dictionary({'Type': '/Encoding', 'Differences': names}),
            'FirstChar': M_CODE,
            'LastChar': FIRST_CODE + len(chunk) - 1,
            'Widths': widths,
            'Resources': resources.reference,
            'FontDescriptor': descriptor.reference,
            'ToUnicode': to_unicode.reference,
        })
        pdf.add_object(font)
        pdf_fonts[font_name(main_name, number)] = font.reference


def to_unicode_cmap(texts: dict[int, str], compress: bool, code_bytes: int = 2) -> Any:
    """A ToUnicode CMap stream for codes of ``code_bytes`` bytes (2: a CID font's glyph ids, 1: our Type 3 fonts),
    written the way WeasyPrint 70.0 writes its own."""
    import pydyf

    digits = 2 * code_bytes
    cmap = pydyf.Stream([
        b'/CIDInit /ProcSet findresource begin',
        b'12 dict begin',
        b'begincmap',
        b'/CIDSystemInfo',
        b'<< /Registry (Adobe)',
        b'/Ordering (UCS)',
        b'/Supplement 0',
        b'>> def',
        b'/CMapName /Adobe-Identity-UCS def',
        b'/CMapType 2 def',
        b'1 begincodespacerange',
        f'<{0:0{digits}x}> <{(1 << 8 * code_bytes) - 1:0{digits}x}>'.encode(),
        b'endcodespacerange'], compress=compress)
    items = sorted(texts.items())
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        cmap.stream.append(f'{len(chunk)} beginbfchar'.encode())
        for code, text in chunk:
            cmap.stream.append(f'<{code:0{digits}x}> <{text.encode("utf-16-be").hex()}>'.encode())
        cmap.stream.append(b'endbfchar')
    cmap.stream.extend([
        b'endcmap',
        b'CMapName currentdict /CMap defineresource pop',
        b'end',
        b'end'])
    return cmap
