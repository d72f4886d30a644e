"""Phone numbers through the phonenumbers library: parsed, and written the one way the site and the cards dial."""

from __future__ import annotations

from functools import cache

import phonenumbers

DEFAULT_REGION = "TH"  # a number typed without a country code is taken as Thai (0812345678)


def parse(number: str, region: str | None = None) -> phonenumbers.PhoneNumber | None:
    """The number, or None when it cannot be read as a phone number at all."""
    try:
        return phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None


@cache
def verdict(number: str) -> tuple[bool, bool]:
    """(possible, valid) by phonenumbers' metadata: a length its country uses, and a number in use there.
    Remembered per text: the same numbers recur across guests, and parsing is the slow part of the checks."""
    parsed = parse(number)
    if parsed is None:
        return False, False
    return phonenumbers.is_possible_number(parsed), phonenumbers.is_valid_number(parsed)


def normalised(number: str, region: str = DEFAULT_REGION) -> str | None:
    """``081-000-1001`` → ``+66 81 000 1001``: international format, single spaces; None when not a possible number."""
    parsed = parse(number, region)
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        return None
    text = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return " ".join(text.replace("-", " ").split())
