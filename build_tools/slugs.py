"""Heading anchors that stay readable in Thai: letters, digits and combining marks are kept, so ``ตำรวจรถนำ`` stays
``ตำรวจรถนำ`` instead of becoming ``_1`` or losing its vowel and tone marks."""

from __future__ import annotations

import re
import unicodedata


def slugify(value: str, separator: str = "-") -> str:
    text = unicodedata.normalize("NFC", re.sub(r"<[^>]+>", "", value)).lower()
    kept = "".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text)
    return separator.join(kept.split())
