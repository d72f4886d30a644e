"""Two costs of pydyf 0.13 (WeasyPrint's PDF writer) that grow with a handbook and buy nothing for it.

* ``PDF.page_references`` builds a tuple of every page's reference each time it is read, and WeasyPrint reads it for
  every element of the tag tree and every bookmark: quadratic in pages (0.58 s of a 92-page guest handbook's write,
  profiled). Here it is built once per page count.
* Streams are deflated at zlib level 9: on our handbooks 3.5 × the CPU time of level 6 for 3 % smaller streams
  (measured on a guest handbook: 0.32 s against 0.09 s, 601 against 620 kB). Level 6 is zlib's own default.

``install`` patches both, once per process, only on the pydyf version this was measured on (no-op otherwise).
"""

from __future__ import annotations

import types
import zlib
from typing import Any

SUPPORTED_PYDYF_VERSION = "0.13.0"
LEVEL = 6

_installed = False


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
