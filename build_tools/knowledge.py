"""The knowledge base in ``content/``: front matter schemas per kind of page, and structure checks.

Pure functions over files; nothing here knows about MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .diagnostics import Diagnostic, Severity, display_path
from .loader import validate
from .memo import Memo, file_bytes, remember
from .review import review_problems
from .terms import TERMS_FILE, TermList, load_terms, term_problems
from .yamlsource import YamlDocument, parse_yaml

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)

PROCEDURE_SECTIONS = [
    "1. ความปลอดภัย (Safety)",
    "2. โทรแจ้งเหตุ (Call)",
    "3. แจ้งผู้เกี่ยวข้อง (Notify)",
    "4. ลงมือแก้ไข (Act)",
    "5. บันทึก (Record)",
    "6. ติดตามผล (Follow up)",
]
COUNTRY_SECTIONS = [
    "การเรียกขาน (Forms of address)",
    "การทักทายและภาษากาย (Greetings and body language)",
    "ศาสนาและวันสำคัญ (Religion and observances)",
    "อาหารและเครื่องดื่ม (Food and drink)",
    "การแต่งกาย (Dress)",
    "ของขวัญ (Gifts)",
    "ข้อห้าม (Taboos)",
    "วลีที่เป็นประโยชน์ (Useful phrases)",
    "สถานเอกอัครราชทูตในกรุงเทพฯ (Embassy in Bangkok)",
]


class PageMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Text
    summary: Text
    status: Literal["draft", "reviewed"]  # draft: no named reviewer has checked it yet (the site and PDFs say so)
    reviewed: dt.date  # the date of that status: the draft's last revision, or the review
    reviewed_by: Text | None = None  # who reviewed it (name, position, unit); required when reviewed
    review_note: Text | None = None  # what must still be checked, and by whom, before it can be marked reviewed
    sources: Annotated[list[Text], Field(min_length=1)]
    tags: list[Text] = []


class ChecklistStep(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    do: Text
    guest: Text | None = None  # a Jinja2 template over the guest facts


class PhaseMeta(PageMeta):
    checklist: Annotated[list[ChecklistStep], Field(min_length=1)]


CallTarget = Literal[
    "191", "1669", "199", "1155", "1784",  # Thai emergency numbers
    "main-coordinator", "backup-coordinator", "medical", "police", "transport", "secretariat", "embassy",  # event contacts
]


class ProcedureMeta(PageMeta):
    severity: Literal["critical", "high", "medium"]
    numbers: list[Literal["191", "1669", "199", "1155", "1784"]]
    # The first screen of the procedure on a phone: what to do first, and whom to call (a Thai emergency number or
    # an event contact by role), shown in a box at the top with tap-to-call buttons.
    first_action: Text | None = None
    call: list[CallTarget] = []


class CountryMeta(PageMeta):
    iso: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    name_th: Text
    name_en: Text
    languages: Annotated[list[Text], Field(min_length=1)]
    religions: Annotated[list[Text], Field(min_length=1)]
    utc_offset_from_bangkok: Annotated[str, StringConstraints(pattern=r"^[+-]\d{1,2}(\.\d{1,2})?$")]


@dataclass(frozen=True)
class KnowledgePage:
    path: str  # relative to content/, POSIX
    meta: PageMeta
    body: str


def meta_model_for(path: str) -> type[PageMeta]:
    """Which front matter a page needs, by where it lives."""
    folder, _, name = path.rpartition("/")
    if name == "index.md":
        return PageMeta
    return {"phases": PhaseMeta, "emergencies": ProcedureMeta, "countries": CountryMeta}.get(folder, PageMeta)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, number of lines the front matter block takes)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text, 0
    return match.group(1) or "", text[match.end():], text[: match.end()].count("\n")


def _shift(doc: YamlDocument, lines: int) -> YamlDocument:
    doc.values = {k: (line + lines, c) for k, (line, c) in doc.values.items()}
    doc.keys = {k: (line + lines, c) for k, (line, c) in doc.keys.items()}
    return doc


def h2_headings(body: str) -> list[str]:
    """Second-level ATX headings outside fenced code blocks."""
    headings, fenced = [], False
    for line in body.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            headings.append(line[3:].strip().rstrip("#").strip())
    return headings


def _section_problems(shown: str, page: KnowledgePage, header_lines: int) -> list[Diagnostic]:
    expected = {ProcedureMeta: PROCEDURE_SECTIONS, CountryMeta: COUNTRY_SECTIONS}.get(type(page.meta))
    if expected is None:
        return []
    found = [h for h in h2_headings(page.body) if h in expected]
    if found == expected:
        return []
    missing = [h for h in expected if h not in found]
    what = f"missing {', '.join(missing)}" if missing else f"out of order: {' → '.join(found)}"
    return [Diagnostic(shown, header_lines + 1, 1, "", f"expected the sections {' → '.join(expected)}; {what}")]


def _first_screen_problems(shown: str, page: KnowledgePage) -> list[Diagnostic]:
    """A procedure without ``first_action`` or ``call`` still builds, but its first screen on a phone has no box."""
    if not isinstance(page.meta, ProcedureMeta):
        return []
    missing = [name for name in ("first_action", "call") if not getattr(page.meta, name)]
    if not missing:
        return []
    message = f"no {' or '.join(missing)}: the first screen on a phone shows no 'do this first' box with the number to call"
    return [Diagnostic(shown, 1, 1, missing[0], message, Severity.WARNING)]


def read_page(
    file: Path, content_dir: Path, root: Path, terms: TermList | None = None
) -> tuple[KnowledgePage | None, list[Diagnostic]]:
    """One page and its problems: front matter, its kind's structure, its review status, and (given a term list)
    every spelling the list does not use."""
    shown = display_path(file, root)
    rel = file.relative_to(content_dir).as_posix()
    text = file.read_text(encoding="utf-8")
    spelling = term_problems(text, terms, shown) if terms else []
    header, body, header_lines = split_front_matter(text)
    if header is None:
        expected = "expected front matter (title, summary, status, reviewed, sources) between --- lines"
        return None, [Diagnostic(shown, 1, 1, "", expected)]
    doc, problems = parse_yaml(header, shown)
    if doc is None or problems:
        return None, [Diagnostic(p.file, p.line + 1 if p.line else 0, p.column, p.field, p.message) for p in problems]
    doc = _shift(doc, 1)
    meta, problems = validate(doc, meta_model_for(rel))
    if meta is None:
        return None, problems + spelling
    page = KnowledgePage(rel, meta, body)
    return page, _section_problems(shown, page, header_lines) + review_problems(meta, doc, shown) + spelling + _first_screen_problems(shown, page)


def read_knowledge(content_dir: Path, root: Path, memo: Memo | None = None) -> tuple[dict[str, KnowledgePage], list[Diagnostic]]:
    """Every Markdown page under ``content_dir`` by its relative path, and every problem found (drafts are listed as
    warnings; spellings off the term list ``content/_terms.yml`` are errors). With a ``memo`` (serve), a page whose
    bytes (and the term list) did not change is the very object of the last build."""
    pages: dict[str, KnowledgePage] = {}
    terms_file = content_dir / TERMS_FILE
    terms, problems = remember(memo, "terms", (str(terms_file), file_bytes(terms_file)) if memo is not None else (),
                               lambda: load_terms(content_dir, root))
    problems = list(problems)
    for file in sorted(content_dir.rglob("*.md")):
        key = (str(file), file_bytes(file), terms) if memo is not None else ()
        page, found = remember(memo, "page", key, lambda file=file: read_page(file, content_dir, root, terms))  # type: ignore[misc]
        problems += found
        if page is not None:
            pages[page.path] = page
    return pages, problems


def countries(pages: dict[str, KnowledgePage]) -> dict[str, KnowledgePage]:
    """Country pages by ISO code."""
    return {p.meta.iso: p for p in pages.values() if isinstance(p.meta, CountryMeta)}


def phases(pages: dict[str, KnowledgePage]) -> list[KnowledgePage]:
    order = ["before-arrival", "hotel-room", "arrival", "during-stay", "departure", "after-visit"]
    found = {p.path.rsplit("/", 1)[-1][:-3]: p for p in pages.values() if isinstance(p.meta, PhaseMeta)}
    return [found[name] for name in order if name in found] + [p for n, p in sorted(found.items()) if n not in order]


def procedures(pages: dict[str, KnowledgePage]) -> list[KnowledgePage]:
    return [p for _, p in sorted(pages.items()) if isinstance(p.meta, ProcedureMeta)]
