"""The knowledge base's structure (not its wording): front matter on every page, the fixed sections of country and
procedure pages, phase checklists whose per-guest templates render, and what the seed documents require is present."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_tools.compose.guest import checklist_problems
from build_tools.diagnostics import errors
from build_tools.knowledge import COUNTRY_SECTIONS, PROCEDURE_SECTIONS, countries, phases, procedures, read_knowledge, read_page

from conftest import REPO

CONTENT = REPO / "content"
PAGES, PROBLEMS = read_knowledge(CONTENT, REPO)


def test_every_page_has_valid_front_matter_and_structure() -> None:
    assert [str(p) for p in PROBLEMS] == []
    assert len(PAGES) == len(list(CONTENT.rglob("*.md")))


def test_at_least_ten_procedures_on_the_one_skeleton() -> None:
    found = procedures(PAGES)
    assert len(found) >= 10
    for page in found:
        headings = [line[3:].strip() for line in page.body.splitlines() if line.startswith("## ")]
        assert [h for h in headings if h in PROCEDURE_SECTIONS] == PROCEDURE_SECTIONS, page.path
        assert set(page.meta.numbers) <= {"191", "1669", "199", "1155", "1784"}


def test_at_least_twenty_countries_with_the_nine_sections() -> None:
    by_iso = countries(PAGES)
    assert len(by_iso) >= 20
    assert {"MY", "SA", "IN", "IL", "NO", "US", "JP", "CN"} <= set(by_iso)
    for iso, page in by_iso.items():
        assert page.path == f"countries/{iso.lower()}.md"
        headings = [line[3:].strip() for line in page.body.splitlines() if line.startswith("## ")]
        assert [h for h in headings if h in COUNTRY_SECTIONS] == COUNTRY_SECTIONS, page.path


def test_phase_checklists_cover_the_four_phases_and_their_templates_render() -> None:
    found = phases(PAGES)
    assert [p.path for p in found] == ["phases/before-arrival.md", "phases/arrival.md", "phases/during-stay.md", "phases/departure.md"]
    for page in found:
        assert len(page.meta.checklist) >= 8
        assert checklist_problems(page) == []


@pytest.mark.parametrize(
    "term",
    ["ตำรวจอารักขา", "ตำรวจรถนำ", "พนักงานขับรถ", "คีย์การ์ด", "อาหารเช้า", "อินเทอร์เน็ต", "หมายเลขห้อง", "บัตรโดยสาร",
     "หนังสือเดินทาง", "เช็คเอาท์", "จิตบริการ", "ตรงต่อเวลา", "วิทยุสื่อสาร", "หนังสือราชการ", "โทรสาร", "ฮาลาล", "มังสวิรัติ",
     "อาหารทะเล", "โคเชอร์", "ผู้ประสานงานสำรอง", "ทำเนียบ", "กาลเทศะ", "ตามอำเภอใจ"],
)
def test_the_seed_documents_facts_are_in_the_knowledge_base(term: str) -> None:
    text = "\n".join(page.body + str(page.meta) for page in PAGES.values())
    assert term in text


def test_a_country_page_missing_a_section_is_reported(tmp_path: Path) -> None:
    source = (CONTENT / "countries" / "jp.md").read_text(encoding="utf-8")
    (tmp_path / "countries").mkdir()
    broken = tmp_path / "countries" / "jp.md"
    broken.write_text(re.sub(r"^## ของขวัญ \(Gifts\)$", "## Presents", source, flags=re.M), encoding="utf-8")
    _, problems = read_page(broken, tmp_path, tmp_path)
    assert len(errors(problems)) == 1 and "missing ของขวัญ (Gifts)" in str(problems[0])


def test_a_page_without_sources_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "x.md"
    page.write_text("---\ntitle: ทดสอบ\nsummary: ทดสอบ\nreviewed: 2026-11-21\n---\nเนื้อหา\n", encoding="utf-8")
    _, problems = read_page(page, tmp_path, tmp_path)
    assert [str(p) for p in problems] == ["x.md:2:1: sources: required, but missing"]
