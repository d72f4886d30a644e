"""A person's name as written in the data (``คุณสมชาย ใจดี (Mr. Somchai Jaidee)``) split for a vCard's ``N``: family
name, given names, and the title or rank in front (``Mr.``, ``Pol. Capt.``, ``H.E. Dr.``), so address books sort by
family name. The English part in brackets is used when there is one (phones sort Latin names well); otherwise the
Thai name, whose rank abbreviations end in a dot (``ร.ต.อ.``) or are the polite words ``คุณ``/``นาย``/``นาง``/``นางสาว``."""

from __future__ import annotations

import re
from dataclasses import dataclass

ENGLISH_TITLES = {
    "mr.", "mrs.", "ms.", "miss", "dr.", "prof.", "h.e.", "assoc.", "asst.", "pol.", "gen.", "lt.", "col.", "maj.",
    "capt.", "sgt.", "sen.", "cpl.", "pvt.", "adm.", "cdr.", "sir", "dame", "hon.", "rev.", "dato'", "dato", "datuk",
    "tan", "sri", "sheikh", "h.h.", "h.r.h.", "m.r.", "m.l.", "dr", "prof",
}
THAI_TITLES = {"คุณ", "นาย", "นาง", "นางสาว", "ดร.", "ท่าน"}
_BRACKETED = re.compile(r"\(([^()]*[A-Za-z][^()]*)\)\s*$")


@dataclass(frozen=True)
class PersonName:
    family: str
    given: str
    prefix: str


def split_name(name: str) -> PersonName:
    """``คุณสมชาย ใจดี (Mr. Somchai Jaidee)`` → family ``Jaidee``, given ``Somchai``, prefix ``Mr.``."""
    bracketed = _BRACKETED.search(name)
    words = (bracketed.group(1) if bracketed else name).split()
    prefix: list[str] = []
    while len(words) > 1 and _is_title(words[0]):
        prefix.append(words.pop(0))
    if not words:
        return PersonName("", "", " ".join(prefix))
    polite = next((w for w in ("นางสาว", "คุณ", "นาย", "นาง") if words[0].startswith(w) and len(words[0]) > len(w)), None)
    if polite and not prefix:  # คุณสมชาย: the polite word is written on to the name
        prefix.append(polite)
        words[0] = words[0][len(polite):]
    family = words[-1] if len(words) > 1 else words[0]
    given = " ".join(words[:-1]) if len(words) > 1 else ""
    return PersonName(family, given, " ".join(prefix))


def _is_title(word: str) -> bool:
    return word.lower() in ENGLISH_TITLES or word in THAI_TITLES or (word.endswith(".") and len(word) <= 8)
