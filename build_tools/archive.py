"""A built site as one zip, for copying onto tablets: stable order, fixed dates, PDFs and images stored as they are."""

from __future__ import annotations

import zipfile
from pathlib import Path

STORED = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".zip", ".gz"}


def zip_site(site: Path, target: Path, folder: str = "lo-briefing") -> None:
    """Every file of ``site`` under ``folder/`` in the zip ``target`` (which may lie inside ``site``: it is skipped)."""
    # Level 3: less than half the time of the default level 6 for about a fifth more bytes on the text files (the
    # PDFs, most of the archive, are stored as they are).
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(p for p in site.rglob("*") if p.is_file() and p != target):
            info = zipfile.ZipInfo(f"{folder}/{file.relative_to(site).as_posix()}", date_time=(2020, 1, 1, 0, 0, 0))
            # PDFs and images are compressed already: deflating them again costs seconds and saves nothing.
            info.compress_type = zipfile.ZIP_STORED if file.suffix in STORED else zipfile.ZIP_DEFLATED
            archive.writestr(info, file.read_bytes(), compresslevel=3)
