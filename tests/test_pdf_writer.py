"""``pdf/pydyf_speed.py``: the patched PDF writer writes the bytes pydyf writes, with less work.

Runs in a fresh interpreter: the patches are process-wide and cannot be taken back, and this process may already have
them (a build rendering in-process installs them)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO

# A WeasyPrint document of twelve pages (Thai text, tables, links, bookmarks), tagged PDF/A-2u with an identifier as
# our build writes it, written with pydyf as released, then with the patches. Every deflate is counted, and forced to
# the patches' level in both (pydyf's own is 9), so that the two files can be compared byte for byte.
_SCRIPT = r"""
import io, json, zlib
from weasyprint import HTML
from build_tools.pdf import pydyf_speed
from build_tools.pdf.render import variant_options

deflates = []
released = zlib.compressobj

def counted(level=-1, *args):
    deflates.append(level)
    return released(pydyf_speed.LEVEL, *args)

zlib.compressobj = counted
html = "".join(f"<h1>บทที่ {n}</h1><p>ผู้ประสานงานต้องรู้กำหนดการ <a href='#c{n}'>ดูต่อ</a></p>"
               f"<table><tr><td id='c{n}'>เวลา</td><td>สถานที่</td></tr></table>"
               f"<p style='break-after: page'>ตอนที่ {n}</p>" for n in range(12))
options = {"pdf_identifier": b"0123456789abcdef0123456789abcdef", "custom_metadata": True,
           **variant_options("pdf/a-2u")}
document = HTML(string=html).render(**options)

def written():
    deflates.clear()
    output = io.BytesIO()
    document.write_pdf(output, **options)
    return output.getvalue(), len(deflates)

before, deflates_before = written()
assert pydyf_speed.install()
after, deflates_after = written()
print(json.dumps({"same_bytes": before == after, "pages": len(document.pages),
                  "deflates_before": deflates_before, "deflates_after": deflates_after}))
"""


def test_the_patched_writer_serialises_each_object_once_and_writes_the_same_bytes() -> None:
    """pydyf serialises every object a second time to hash the file for its ``/ID``, so every stream was deflated
    twice; patched, once, and the file (``/ID`` included) is byte for byte the same."""
    run = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["pages"] == 12
    assert found["deflates_before"] >= 2 * 12, found  # each page's content stream, twice
    # all but the cross-reference stream (written after the hash) were deflated twice
    assert found["deflates_before"] == 2 * found["deflates_after"] - 1, found
    assert found["same_bytes"], found
