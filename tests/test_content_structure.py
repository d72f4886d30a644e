"""The knowledge base's structure (not its wording): front matter on every page, the fixed sections of country and
procedure pages, phase checklists whose per-guest templates render, and what the seed documents require is present."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_tools.compose.guest import checklist_problems
from build_tools.diagnostics import errors
from build_tools.knowledge import COUNTRY_SECTIONS, PROCEDURE_SECTIONS, countries, phases, procedures, read_knowledge, read_page
from build_tools.terms import load_terms

from conftest import REPO

CONTENT = REPO / "content"
PAGES, PROBLEMS = read_knowledge(CONTENT, REPO)
TERMS, _ = load_terms(CONTENT, REPO)


def test_every_page_has_valid_front_matter_and_structure() -> None:
    assert [str(p) for p in errors(PROBLEMS)] == []
    assert len(PAGES) == len(list(CONTENT.rglob("*.md")))


def test_the_only_warnings_are_the_listed_drafts() -> None:
    drafts = {page.path for page in PAGES.values() if page.meta.status == "draft"}
    listed = {p.file.removeprefix("content/") for p in PROBLEMS if p.field == "status"}
    assert [str(p) for p in PROBLEMS if p.field != "status"] == []
    assert listed == drafts


def test_no_source_is_a_document_the_project_does_not_have() -> None:
    unknown = ["หลักพิธีการทูต การรับรองแขกต่างประเทศ", "ในการดูแลบุคคลสำคัญ (เอกสารประกอบการอบรม)", "สป. สธ.",
               "แนวปฏิบัติทั่วไป", "เรียบเรียงโดยทีมจัดทำ"]
    for page in PAGES.values():
        for source in page.meta.sources:
            assert not any(word in source for word in unknown), (page.path, source)


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


def test_phase_checklists_cover_the_phases_in_order_and_their_templates_render() -> None:
    found = phases(PAGES)
    assert [p.path for p in found] == ["phases/before-arrival.md", "phases/hotel-room.md", "phases/arrival.md",
                                       "phases/during-stay.md", "phases/departure.md", "phases/after-visit.md"]
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
    """A seed's own spelling counts in the house spelling of the term list (the seed's เช็คเอาท์ is our เช็กเอาต์)."""
    text = "\n".join(page.body + str(page.meta) for page in PAGES.values())
    assert TERMS is not None
    for entry in TERMS.terms:
        for avoided in entry.avoid:
            if avoided in term and entry.use not in term:
                term = term.replace(avoided, entry.use)
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
    page.write_text("---\ntitle: ทดสอบ\nsummary: ทดสอบ\nstatus: draft\nreviewed: 2026-11-21\n---\nเนื้อหา\n", encoding="utf-8")
    _, problems = read_page(page, tmp_path, tmp_path)
    assert [str(p) for p in problems] == ["x.md:2:1: sources: required, but missing"]


SEEDS = Path("/work/shared/seeds")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not on this machine")
def test_no_page_pastes_a_sentence_from_the_seeds() -> None:
    """Pages say the seeds' facts in their own words: no run of 40 characters (spaces ignored) of a seed appears in a
    page's text (front matter, where sources quote document titles, is not checked)."""
    squash = lambda text: re.sub(r"\s+", "", text)  # noqa: E731
    seeds = [squash(seed.read_text(encoding="utf-8")) for seed in sorted(SEEDS.glob("*.txt"))]
    for page in PAGES.values():
        body = squash(page.body)
        for seed in seeds:
            pasted = [seed[i:i + 40] for i in range(0, len(seed) - 40, 5) if seed[i:i + 40] in body]
            assert pasted == [], (page.path, pasted[:1])


def test_every_page_is_in_the_navigation_so_the_site_and_the_orientation_handbook_carry_it() -> None:
    """The orientation handbook follows the navigation: a page missing from mkdocs.yml's nav is missing from both."""
    import fnmatch

    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    entries = re.findall(r"^\s*-\s*(?:[^:\n]+:\s*)?([\w./*-]+\.md)\s*$", nav, flags=re.M)
    missing = [path for path in PAGES if not any(fnmatch.fnmatch(path, entry) for entry in entries)]
    assert missing == []
