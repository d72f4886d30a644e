"""One spelling per term in the knowledge base's formal text, kept by a term list (``content/_terms.yml``).

Each entry names the spelling to use, the spellings to avoid, and words that merely contain an avoided spelling and
are fine (``ตรวจทาน`` contains ``ทาน``). Source citations (the ``sources:`` list) are not checked: they quote
titles as their documents spell them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .diagnostics import Diagnostic, display_path
from .loader import validate
from .yamlsource import read_yaml

TERMS_FILE = "_terms.yml"
Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    use: Word
    avoid: Annotated[list[Word], Field(min_length=1)]
    allow: list[Word] = []  # words that contain an avoided spelling and are correct as they are
    note: Word | None = None  # why (e.g. the Royal Society's transliteration rule)


class TermList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: list[Term]


def load_terms(content_dir: Path, root: Path) -> tuple[TermList | None, list[Diagnostic]]:
    """The term list, or None (and no problem) when the project has none."""
    file = content_dir / TERMS_FILE
    if not file.exists():
        return None, []
    doc, problems = read_yaml(file, display_path(file, root))
    if doc is None or problems:
        return None, problems
    return validate(doc, TermList)


def _covered(line: str, start: int, length: int, words: list[str]) -> bool:
    """Whether the match at ``start`` lies inside an occurrence of one of ``words``."""
    for word in words:
        begin = line.find(word, max(0, start - len(word) + 1))
        while begin != -1 and begin <= start:
            if begin + len(word) >= start + length:
                return True
            begin = line.find(word, begin + 1)
    return False


def _checked_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line number, text) of every line but the front matter's ``sources:`` list."""
    lines = text.splitlines()
    out, in_front, in_sources = [], False, False
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.strip() == "---":
            in_front = True
            continue
        if in_front:
            if line.strip() == "---":
                in_front = in_sources = False
                continue
            if line and not line[0].isspace() and line[0] != "-":
                in_sources = line.startswith("sources:")
            if in_sources:
                continue
        out.append((number, line))
    return out


def term_problems(text: str, terms: TermList, shown: str) -> list[Diagnostic]:
    """Every avoided spelling in ``text`` with its position and the spelling to use instead."""
    problems = []
    for number, line in _checked_lines(text):
        for term in terms.terms:
            fine = [term.use, *term.allow]
            for avoided in term.avoid:
                start = line.find(avoided)
                while start != -1:
                    if not _covered(line, start, len(avoided), fine):
                        problems.append(Diagnostic(shown, number, start + 1, "",
                                                   f'expected "{term.use}" (the term list {TERMS_FILE}), got "{avoided}"'))
                    start = line.find(avoided, start + len(avoided))
    return problems
