"""Phone numbers as the LO's phone dials them: ``tel:`` URIs in international form, and links added to rendered HTML.

* ``tel_uri("+66 80 000 0001")`` → ``tel:+66800000001`` (E.164 via the ``phonenumbers`` library; Thai numbers
  written nationally, ``02 000 1000``, are read as Thai).
* Thai short codes (191, 1669, 199, 1155, 1784) stay short: ``tel:1669`` (they have no international form).
* ``link_phones(html)`` wraps every phone number in the text of a rendered page in ``<a href="tel:…">``, leaving
  numbers already inside a link, code, script or style alone. The same HTML goes to the PDFs, where WeasyPrint
  turns the links into link annotations.
"""

from __future__ import annotations

import html as htmllib
import re
from functools import lru_cache

import phonenumbers

SHORT_CODES = ("1669", "1155", "1784", "191", "199")  # longest first for the pattern
DEFAULT_REGION = "TH"

# International (+country …) or Thai national (0…) numbers written with spaces or hyphens, or a short code that
# stands alone (no digit, dot, colon, slash or hyphen next to it: not part of a date, time, price or room number).
_NUMBER = re.compile(
    r"(?<![\w+.:/-])(?:\+\d{1,3}(?:[ -]?(?:\(\d+\)|\d+)){2,6}|0\d{1,2}(?:[ -]?\d{3}){1,2}[ -]?\d{3,4})(?![\w.:/-]?\d)"
    r"|(?<![A-Za-z0-9_+])(?<!\d[.:,-])(?:" + "|".join(SHORT_CODES) + r")(?![A-Za-z0-9_+]|[.:,-]\d)"
)
# Text outside tags, and the tags we must not link inside.
_TOKEN = re.compile(r"(<!--.*?-->|<[^>]+>)", re.S)
_SKIP_OPEN = re.compile(r"<(a|code|pre|script|style|textarea|svg|kbd|title)\b", re.I)
_SKIP_CLOSE = re.compile(r"</(a|code|pre|script|style|textarea|svg|kbd|title)\s*>", re.I)
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=4096)  # the same desks and drivers are written on many pages
def tel_uri(number: str) -> str | None:
    """``tel:`` URI of a written phone number, or None when it is not a dialable number."""
    text = number.strip()
    if text in SHORT_CODES:
        return f"tel:{text}"
    try:
        parsed = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_numbers(text: str) -> list[str]:
    """Every dialable number written in ``text``, as written."""
    return [m.group(0) for m in _NUMBER.finditer(text) if tel_uri(m.group(0))]


def _link_text(text: str) -> str:
    def link(match: re.Match[str]) -> str:
        written = match.group(0)
        uri = tel_uri(htmllib.unescape(written))
        if uri is None:
            return written
        return f'<a class="lo-tel" href="{uri}">{written}</a>'

    return _NUMBER.sub(link, text)


def link_phones(page_html: str) -> str:
    """``page_html`` with every phone number in its text made a ``tel:`` link (idempotent)."""
    out: list[str] = []
    depth = 0  # inside a, code, pre …: leave the text as it is
    for part in _TOKEN.split(page_html):
        if part.startswith("<"):
            if _SKIP_CLOSE.match(part):
                depth = max(0, depth - 1)
            elif _SKIP_OPEN.match(part) and not part.endswith("/>"):
                depth += 1
            out.append(part)
        elif depth or not _DIGIT.search(part):  # no number without a digit
            out.append(part)
        else:
            out.append(_link_text(part))
    return "".join(out)
