"""Three costs of pydyf 0.13 (WeasyPrint's PDF writer) that grow with a handbook and buy nothing for it.

* ``PDF.page_references`` builds a tuple of every page's reference each time it is read, and WeasyPrint reads it for
  every element of the tag tree and every bookmark: quadratic in pages (0.58 s of a 92-page guest handbook's write,
  profiled). Here it is built once per page count.
* Streams are deflated at zlib level 9: on our handbooks 3.5 × the CPU time of level 6 for 3 % smaller streams
  (measured on a guest handbook: 0.32 s against 0.09 s, 601 against 620 kB). Level 6 is zlib's own default.
* ``PDF.write`` serialises every object twice when the PDF has an identifier (ours always has: the cache key): once
  to write it, once more to hash the whole file for the second part of its ``/ID``. Every content stream and the object
  stream are deflated twice. Here an object is serialised once per write, and the hash is taken from those bytes (the
  same bytes: serialising is deterministic): a 91-page guest handbook's write 0.36-0.46 s → 0.21 s of CPU.

``install`` patches all three, once per process, only on the pydyf version this was measured on (no-op otherwise).
"""

from __future__ import annotations

import threading
import types
import zlib
from collections.abc import Callable
from typing import Any

SUPPORTED_PYDYF_VERSION = "0.13.0"
LEVEL = 6

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
    pydyf.PDF.write = _writing_once(pydyf.PDF.write)
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
