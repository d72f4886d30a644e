"""Byte-stable workbooks: the same content gives the same .xlsx bytes (openpyxl stamps the time of saving)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

FIXED = dt.datetime(2020, 1, 1)


def stable(data: bytes) -> bytes:
    """The same workbook gives the same bytes: the zip entries' dates fixed (openpyxl stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets "modified" to the time of saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
