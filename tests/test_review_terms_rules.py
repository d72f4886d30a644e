"""Issue 20: `check` lists draft pages and rejects reviewed pages without a reviewer, enforces the term list with
positions, and the event's own rules (guests/_event.yml `rules:`) reach the guests' checklists; drafts carry a banner
on the site and in the PDF chapters. Real `check` and `build --no-pdf` runs on throw-away copies of the project."""

from __future__ import annotations

import re
from pathlib import Path

from build_tools.pdf.chapters import RenderedPage, to_chapter
from build_tools.review import draft_label
from build_tools.terms import Term, TermList, term_problems

from conftest import run_cli


def _set_front(page: Path, old: str, new: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_lists_every_draft_and_passes(project: Path) -> None:
    reviewed = project / "content" / "role" / "duties.md"
    _set_front(reviewed, "status: draft\n", "status: reviewed\nreviewed_by: นางสาวทดสอบ ตรวจงาน (กองการต่างประเทศ)\n")
    result = run_cli("check", cwd=project)
    assert result.returncode == 0, result.stderr
    drafts = [line for line in result.stderr.splitlines() if ": warning: status: draft, not reviewed yet" in line]
    pages = [p for p in (project / "content").rglob("*.md")]
    assert len(drafts) == len(pages) - 1
    assert not any(line.startswith("content/role/duties.md") for line in drafts)
    assert re.search(r"^content/countries/jp\.md:\d+:1: warning: status: draft, not reviewed yet \(last revised 2026-12-06\); "
                     r"still to check: ", result.stderr, re.M)


def test_a_reviewed_page_must_name_its_reviewer(project: Path) -> None:
    page = project / "content" / "role" / "duties.md"
    _set_front(page, "status: draft\n", "status: reviewed\n")
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = page.read_text(encoding="utf-8").splitlines().index("status: reviewed") + 1
    assert (f"content/role/duties.md:{line}:1: reviewed_by: expected who reviewed the page (name, position, unit) "
            "when status is reviewed; or set status: draft") in result.stderr


def test_check_reports_an_off_list_spelling_with_its_position(project: Path) -> None:
    page = project / "content" / "phases" / "departure.md"
    text = page.read_text(encoding="utf-8")
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith("## ขั้นตอน"))
    lines.insert(number, "ก่อนเช็คเอาท์ ขอให้แขกทานอาหารเช้าและตรวจทานเอกสาร แล้วโทรหาสถานทูต")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    where = f"content/phases/departure.md:{number + 1}"
    assert f'{where}:5: expected "เช็ก" (the term list _terms.yml), got "เช็ค"' in result.stderr
    assert f'{where}:23: expected "รับประทาน" (the term list _terms.yml), got "ทาน"' in result.stderr
    assert f'{where}:61: expected "สถานเอกอัครราชทูต" (the term list _terms.yml), got "สถานทูต"' in result.stderr
    assert "ตรวจทาน" not in result.stderr and result.stderr.count(f"{where}:") == 3


def test_a_broken_term_list_is_reported_with_its_position(project: Path) -> None:
    (project / "content" / "_terms.yml").write_text("terms:\n  - use: เช็ก\n    avoid: []\n", encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    assert "content/_terms.yml:3:12: terms[0].avoid: " in result.stderr


def test_term_check_skips_sources_and_allowed_words() -> None:
    terms = TermList(terms=[Term(use="รับประทาน", avoid=["ทาน"], allow=["ตรวจทาน"])])
    text = '---\ntitle: ก\nsources:\n  - "เอกสาร ทาน"\ntags: [ทาน]\n---\nรับประทาน ตรวจทาน ทาน\n'
    assert [str(p) for p in term_problems(text, terms, "x.md")] == [
        'x.md:5:8: expected "รับประทาน" (the term list _terms.yml), got "ทาน"',
        'x.md:7:19: expected "รับประทาน" (the term list _terms.yml), got "ทาน"',
    ]


def test_event_rules_reach_the_guest_checklists_and_drafts_show_a_banner(project: Path, tmp_path: Path) -> None:
    event = project / "guests" / "_event.yml"
    _set_front(event, "  lo_at_airport_minutes: 60", "  lo_at_airport_minutes: 90")
    _set_front(event, "  escalate_after_minutes: 30", "  escalate_after_minutes: 45")
    site = tmp_path / "site"
    result = run_cli("build", "--no-pdf", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    guest = (site / "guests" / "id-kusumaningrum.html").read_text(encoding="utf-8")
    assert re.search(r'<em class="event-rule">[^<]*\(90 นาทีก่อนเครื่องลง\)</em>', guest)
    assert "60 นาทีก่อนเครื่องลง" not in guest
    assert '<em class="event-rule">45 นาที</em>' in guest and '<em class="event-rule">16 ชั่วโมง</em>' in guest
    arrival = (site / "phases" / "arrival.html").read_text(encoding="utf-8")
    assert arrival.count('class="lo-draft-banner"') == 1 and "DRAFT — not reviewed" in arrival
    assert '<em class="event-rule">' in arrival
    assert 'class="lo-draft-banner"' not in guest  # generated guest pages have no review status
    # every knowledge page ends with its status and its sources, as the front matter states them
    assert "ที่มาและสถานะของหน้านี้ (Sources and review)" in arrival
    assert "ฉบับร่าง ยังไม่ผ่านการตรวจทาน (draft) · ปรับปรุงล่าสุด 2026-12-06" in arrival
    assert "สำนักความสัมพันธ์ต่างประเทศ สป. (Bureau of International Cooperation)" in arrival
    assert "[คลังเอกสารโครงการ 001]" in arrival and "สป. สธ." not in arrival


def test_event_rules_are_validated_with_their_position(project: Path) -> None:
    event = project / "guests" / "_event.yml"
    _set_front(event, "  escalate_after_minutes: 30", "  escalate_after_minutes: 0")
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    lines = event.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, start=1) if "escalate_after_minutes: 0" in text)
    assert f"guests/_event.yml:{line}:27: rules.escalate_after_minutes: " in result.stderr


def test_a_draft_chapter_carries_its_banner_into_the_pdf_html() -> None:
    meta = {"status": "draft", "reviewed": "2026-12-06", "review_note": "ให้สถานเอกอัครราชทูตตรวจ"}
    label = draft_label(meta)
    assert label == ("ฉบับร่าง ยังไม่ผ่านการตรวจทาน (DRAFT — not reviewed) · ปรับปรุงล่าสุด 2026-12-06"
                     " · ต้องตรวจก่อนใช้: ให้สถานเอกอัครราชทูตตรวจ")
    assert draft_label({"status": "reviewed", "reviewed_by": "ก"}) is None
    page = RenderedPage("role/duties.html", "หน้าที่", "<p>เนื้อหา</p>", label)
    chapter = to_chapter(page, {"role/duties.html": "ch-role-duties"}, Path("/tmp"))
    assert chapter.draft == label
