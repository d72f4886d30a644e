"""``pdf/pydyf_speed.py``: the patched PDF writer writes the bytes pydyf writes, with less work.

Runs in a fresh interpreter: the patches are process-wide and cannot be taken back, and this process may already have
them (a build rendering in-process installs them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pikepdf

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
pydyf_speed.OBJECTS_PER_STREAM = 10**9  # every object in one stream, as pydyf does
after, deflates_after = written()
per_stream = pydyf_speed.OBJECTS_PER_STREAM = 50  # a handbook's 11,400 objects make a dozen streams of 1,000
in_streams, _ = written()
with open(OUT + "/one-stream.pdf", "wb") as one, open(OUT + "/in-streams.pdf", "wb") as many:
    one.write(before)
    many.write(in_streams)
print(json.dumps({"same_bytes": before == after, "pages": len(document.pages), "per_stream": per_stream,
                  "deflates_before": deflates_before, "deflates_after": deflates_after}))
"""


def _objects(pdf: pikepdf.Pdf) -> tuple[dict[int, tuple[str, bytes]], list[int]]:
    """Each object by number (its text; a stream's dictionary and raw data), but the object and cross-reference
    streams; and the sizes of the object streams."""
    objects, sizes = {}, []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Type") in ("/ObjStm", "/XRef"):
            sizes += [int(obj.N)] if obj.Type == "/ObjStm" else []
            continue
        text = obj.stream_dict.unparse() + obj.read_raw_bytes() if isinstance(obj, pikepdf.Stream) else obj.unparse()
        objects[obj.objgen[0]] = text
    return objects, sizes


def test_the_patched_writer_serialises_each_object_once_and_writes_the_same_objects(tmp_path: Path) -> None:
    """pydyf serialises every object a second time to hash the file for its ``/ID``, so every stream was deflated
    twice; patched, once. With every object in one stream, as pydyf writes them, the file (``/ID`` included) is byte
    for byte pydyf's; in streams of fewer it holds the same objects under the same numbers."""
    script = f"OUT = {str(tmp_path)!r}\n" + _SCRIPT
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["pages"] == 12
    assert found["deflates_before"] >= 2 * 12, found  # each page's content stream, twice
    # all but the cross-reference stream (written after the hash) were deflated twice
    assert found["deflates_before"] == 2 * found["deflates_after"] - 1, found
    assert found["same_bytes"], found
    with pikepdf.open(tmp_path / "one-stream.pdf") as one, pikepdf.open(tmp_path / "in-streams.pdf") as many:
        (objects, one_sizes), (in_streams, sizes) = _objects(one), _objects(many)
        assert len(one_sizes) == 1 and one_sizes[0] > 2 * found["per_stream"], one_sizes
        assert in_streams == objects
        assert len(sizes) > 2 and all(size <= found["per_stream"] for size in sizes) and sum(sizes) == one_sizes[0]
        assert many.trailer.ID[0] == one.trailer.ID[0]  # the identifier given; the second part hashes the file
