"""Four costs of pydyf 0.13 (WeasyPrint's PDF writer) that grow with a handbook and buy nothing for it or its readers.

* ``PDF.page_references`` builds a tuple of every page's reference each time it is read, and WeasyPrint reads it for
  every element of the tag tree and every bookmark: quadratic in pages (0.58 s of a 92-page guest handbook's write,
  profiled). Here it is built once per page count.
* Streams are deflated at zlib level 9: on our handbooks 3.5 × the CPU time of level 6 for 3 % smaller streams
  (measured on a guest handbook: 0.32 s against 0.09 s, 601 against 620 kB). Level 6 is zlib's own default.
* ``PDF.write`` serialises every object twice when the PDF has an identifier (ours always has: the cache key): once
  to write it, once more to hash the whole file for the second part of its ``/ID``. Every content stream and the object
  stream are deflated twice. Here an object is serialised once per write, and the hash is taken from those bytes (the
  same bytes: serialising is deterministic): a 91-page guest handbook's write 0.36-0.46 s → 0.21 s of CPU.
* ``PDF.write`` puts every compressible object of the PDF in one object stream (11,400 objects for a guest handbook).
  A reader that loads objects as it needs them parses that whole stream before it can show the first page. Here they
  go in streams of :data:`OBJECTS_PER_STREAM`; the objects, their numbers and the rest of the file are pydyf's.
  Measured on a 50-guest event's documents, one stream against streams of 1,000: the orientation handbook opens in
  pypdf in 0.9 s instead of 3.2 s and gives pdf.js (Firefox's viewer; run in node) its first page's text in 0.14-0.16 s
  instead of 0.78-1.02 s, 0.9 % larger; a guest handbook 0.22 s instead of 0.67 s, 0.13 s instead of 0.43-0.85 s,
  1.0 % larger. Streams of 100 (qpdf's choice) made the files 3 % larger and pdf.js no faster.

``install`` patches all four, once per process, only on the pydyf version this was measured on (no-op otherwise).
"""

from __future__ import annotations

import threading
import types
import zlib
from collections.abc import Callable
from hashlib import md5
from math import ceil, log
from typing import Any

SUPPORTED_PYDYF_VERSION = "0.13.0"
LEVEL = 6
OBJECTS_PER_STREAM = 1000

_installed = False
_writing = threading.local()  # .kept: (the PDF being written, its objects' bytes by number) while it is written


def install() -> bool:
    """Patch pydyf (idempotent); whether the patches are active."""
    global _installed
    if _installed:
        return True
    import pydyf

    if pydyf.__version__ != SUPPORTED_PYDYF_VERSION:
        return False
    pydyf.PDF.page_references = property(_page_references)
    pydyf.zlib = types.SimpleNamespace(compress=zlib.compress, compressobj=_compressobj)
    for kind in (pydyf.Dictionary, pydyf.Stream, pydyf.String, pydyf.Array):
        kind.data = property(_serialised_once(kind.__dict__["data"].fget))
    pydyf.PDF.write = _writing_once(_write_in_streams(pydyf.PDF.write))
    _installed = True
    return True


def _page_references(pdf: Any) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    known = pdf.__dict__.get("_lo_page_references")
    if known is None or known[0] != len(kids):
        known = pdf._lo_page_references = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
    return known[1]


def _compressobj(level: int = LEVEL, *args: Any, **kwargs: Any) -> Any:
    return zlib.compressobj(min(level, LEVEL), *args, **kwargs)


def _writing_once(write: Callable[..., Any]) -> Callable[..., Any]:
    def write_once(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        _writing.kept = (pdf, {})
        try:
            return write(pdf, *args, **kwargs)
        finally:
            _writing.kept = None

    return write_once


def _serialised_once(data: Callable[[Any], bytes]) -> Callable[[Any], bytes]:
    """``data`` of one of the PDF's own (numbered) objects kept while the PDF is written; any other object (a direct
    one inside another, a temporary one, one of another PDF) serialised as before."""

    def kept_data(obj: Any) -> bytes:
        kept = getattr(_writing, "kept", None)
        number = obj.number
        if kept is None or number is None:
            return data(obj)
        pdf, serialised = kept
        if number >= len(pdf.objects) or pdf.objects[number] is not obj:
            return data(obj)
        found = serialised.get(number)
        if found is None:
            found = serialised[number] = data(obj)
        return found

    return kept_data


def _write_in_streams(write: Callable[..., Any]) -> Callable[..., Any]:
    """pydyf's ``PDF.write`` with its compressible objects in object streams of :data:`OBJECTS_PER_STREAM` each, instead
    of all in one (the rest as pydyf writes it: the same objects, numbers, cross-reference stream and ``/ID``)."""

    def write_in_streams(pdf: Any, output: Any, version: Any = b"1.7", identifier: Any = False, compress: bool = False) -> Any:
        import pydyf

        version = pydyf._to_bytes(version or b"1.7")
        if not compress or version < b"1.5":
            return write(pdf, output, version, identifier, compress)
        if identifier not in (False, True, None):
            identifier = pydyf._to_bytes(identifier)
        if pdf.info:
            pdf.add_object(pdf.info)
        pdf.write_line(b"%PDF-" + version, output)
        pdf.write_line(b"%\xf0\x9f\x96\xa4", output)

        compressed = []
        for obj in pdf.objects:
            if obj.free == "f":
                continue
            if obj.compressible:
                compressed.append(obj)
            else:
                obj.offset = pdf.current_position
                pdf.write_line(obj.indirect, output)
        chunks = [compressed[start:start + OBJECTS_PER_STREAM] for start in range(0, len(compressed), OBJECTS_PER_STREAM)]
        in_stream: dict[int, tuple[int, int]] = {}  # object number → (its object stream's number, its index there)
        for chunk in chunks:
            header: list[int] = []
            data: list[bytes] = []
            position = 0
            for obj in chunk:
                data.append(obj.data)
                header += (obj.number, position)
                position += len(data[-1]) + 1
            numbers = " ".join(str(n) for n in header)
            stream = pydyf.Stream([numbers, *data], {"Type": "/ObjStm", "N": len(chunk), "First": len(numbers) + 1}, compress)
            stream.offset = pdf.current_position
            pdf.add_object(stream)
            pdf.write_line(stream.indirect, output)
            in_stream.update((obj.number, (stream.number, index)) for index, obj in enumerate(chunk))

        xref = [(2, *in_stream[obj.number]) if obj.number in in_stream else (bool(obj.number), obj.offset, obj.generation)
                for obj in pdf.objects]
        xref.append((1, pdf.current_position, 0))
        widest = max(max(obj.generation for obj in pdf.objects), max((len(chunk) for chunk in chunks), default=0))
        lengths = (1, ceil(log(pdf.current_position + 1, 256)), ceil(log(widest + 1, 256)))
        table = b"".join(value.to_bytes(length, "big") for line in xref for length, value in zip(lengths, line))
        extra = {"Type": "/XRef", "Index": pydyf.Array((0, len(pdf.objects) + 1)), "W": pydyf.Array(lengths),
                 "Size": len(pdf.objects) + 1, "Root": pdf.catalog.reference}
        if pdf.info:
            extra["Info"] = pdf.info.reference
        if identifier:
            digest = md5(b"".join(obj.data for obj in pdf.objects if obj.free != "f")).hexdigest().encode()
            extra["ID"] = pydyf.Array((pydyf.String(digest if identifier is True else identifier).data,
                                       pydyf.String(digest).data))
        xref_stream = pydyf.Stream([table], extra, compress)
        pdf.xref_position = xref_stream.offset = pdf.current_position
        pdf.add_object(xref_stream)
        pdf.write_line(xref_stream.indirect, output)
        pdf.write_line(b"startxref", output)
        pdf.write_line(f"{pdf.xref_position}".encode(), output)
        pdf.write_line(b"%%EOF", output)

    return write_in_streams
