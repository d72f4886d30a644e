"""Coordinator boards: built with the site, read back as pages, workbooks and a PDF; rows, order and redaction."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from build_tools.boards.printed import board_html
from build_tools.boards.rows import boards
from build_tools.boards.xlsx import board_sheets
from build_tools.loader import load_event
from build_tools.pdf.render import job_for_html, render_all
from build_tools.profiles import PLACEHOLDER, Profile, redact_event
from build_tools.project import load_project, plan_project
from build_tools.workers import IN_PROCESS

from conftest import REPO, run_cli

LOADED, _ = load_event(REPO / "guests", REPO)
assert LOADED is not None
GUESTS = LOADED.guests
PLATES = {r.guest.transport.plate for r in GUESTS}
ROOMS = {r.guest.stay.room for r in GUESTS}


def _site(tmp_path_factory: pytest.TempPathFactory, profile: str) -> Path:
    out = tmp_path_factory.mktemp(f"boards-{profile}") / "site"
    result = run_cli("build", "--no-pdf", "--profile", profile, "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def full_site(site_only: Path) -> Path:
    """The full profile's site without PDFs: the session's (``build --no-pdf``, read-only)."""
    return site_only


@pytest.fixture(scope="module")
def training_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _site(tmp_path_factory, "training")


def _sheet(site: Path, slug: str) -> list[list[str]]:
    sheet = openpyxl.load_workbook(site / "guests" / "boards" / f"{slug}.xlsx").active
    assert sheet.freeze_panes == "A3"
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]


def test_each_board_is_a_page_a_workbook_and_a_listed_pdf(full_site: Path) -> None:
    index = (full_site / "guests" / "boards" / "index.html").read_text(encoding="utf-8")
    for slug in ("arrivals", "rooming", "transport", "catering", "los"):
        page = (full_site / "guests" / "boards" / f"{slug}.html").read_text(encoding="utf-8")
        assert f'href="../../pdf/board-{slug}.pdf"' in page and f'href="{slug}.xlsx"' in page
        assert f'href="{slug}.html"' in index
        assert (full_site / "pdf" / f"board-{slug}.pdf").exists()  # a placeholder in a --no-pdf build


def test_arrivals_board_has_two_rows_per_guest_in_time_order(full_site: Path) -> None:
    rows = _sheet(full_site, "arrivals")
    assert len(rows) == 2 * len(GUESTS)
    times = [row[1] for row in rows]  # column A is the day, B the time
    assert times == sorted(times)
    flights = sorted(f for r in GUESTS for f in (r.guest.arrival.flight, r.guest.departure.flight))
    assert sorted(row[4] for row in rows) == flights
    first = min(GUESTS, key=lambda r: r.guest.arrival.time)
    assert rows[0][4] == first.guest.arrival.flight and rows[0][11] == first.guest.transport.plate
    page = (full_site / "guests" / "boards" / "arrivals.html").read_text(encoding="utf-8")
    assert page.count("<tr>") == 2 * len(GUESTS) + len(re.findall(r"<h2 ", page))  # a header row per day


def test_rooming_list_has_one_row_per_guest_under_their_hotel(full_site: Path) -> None:
    rows = _sheet(full_site, "rooming")
    assert len(rows) == len(GUESTS)
    hotels = {h.id: h.name.th for h in LOADED.event.hotels}
    by_name = {f"{r.guest.name.title} {r.guest.name.preferred} ({r.guest.country})": r for r in GUESTS}
    for row in rows:
        record = by_name[row[1]]
        assert row[0].startswith(hotels[record.guest.stay.hotel]) and row[2] == record.guest.stay.room


def test_transport_roster_rows_are_cars_per_day_in_order_of_first_pick_up() -> None:
    board = boards(LOADED, Profile.FULL)[2]
    for group in board.groups:
        assert list(group.times) == sorted(group.times)
        assert len({row[1] for row in group.rows}) == len(group.rows)  # a car once a day
    tanaka = next(r for r in GUESTS if r.id == "jp-tanaka").guest
    day = next(g for g in board.groups if g.heading.startswith("2027-03-01"))
    row = next(row for row in day.rows if row[1] == tanaka.transport.plate)
    assert row[5].startswith("14:30 รับที่สนามบิน (airport pick-up) JL 031") and "18:30 → Official welcome dinner" in row[5]


def test_lo_roster_lists_every_lo_with_their_guests(full_site: Path) -> None:
    rows = _sheet(full_site, "los")
    names = {lo.name for lo in LOADED.event.los}
    assert names == {row[0] for row in rows}
    tanaka_lo = next(row for row in rows if row[0] == "คุณสมชาย ใจดี (Mr. Somchai Jaidee)")
    assert tanaka_lo[1] == "+66 81 000 1001" and "Hiroshi Tanaka (JP)" in tanaka_lo[2]


def test_catering_shows_diets_and_allergies_in_the_full_profile_only(full_site: Path, training_site: Path) -> None:
    full = _sheet(full_site, "catering")
    dinner = [row for row in full if "welcome dinner" in row[0]]
    tanaka = next(row for row in dinner if row[1] == "Hiroshi Tanaka")
    assert tanaka[3] == "seafood-allergy" and "severe" in tanaka[4]
    training = _sheet(training_site, "catering")
    assert len(training) == len(full)
    for row in training:
        assert all(value in (PLACEHOLDER, "—") for value in row[3:6]), row


def test_training_boards_carry_no_plate_room_or_phone(training_site: Path) -> None:
    for slug in ("arrivals", "rooming", "transport", "los"):
        values = [str(v) for row in _sheet(training_site, slug) for v in row if v is not None]
        page = (training_site / "guests" / "boards" / f"{slug}.html").read_text(encoding="utf-8")
        for text in (" ".join(values), page):
            assert not any(plate in text for plate in PLATES)
            assert not re.search(r"\+66 8\d \d{3} \d{4}", text)
        assert PLACEHOLDER in values
    rooming = _sheet(training_site, "rooming")
    assert {row[2] for row in rooming} == {PLACEHOLDER} and len(rooming) == len(GUESTS)


def test_handout_boards_keep_logistics_and_drop_diets() -> None:
    handout = boards(redact_event(LOADED, Profile.HANDOUT), Profile.HANDOUT)
    arrivals, catering = handout[0], handout[3]
    assert {row[10] for row in arrivals.rows} == PLATES  # drivers and hotel staff need the cars
    assert {row[2] for row in catering.rows} <= {PLACEHOLDER, "—"}


def test_board_pdf_is_a4_landscape_with_rows_in_time_order(tmp_path: Path) -> None:
    project, problems = load_project(REPO, REPO / "content", REPO / "guests", Profile.FULL)
    assert project is not None, problems
    [arrivals] = [b for b in boards(project.loaded, project.profile) if b.slug == "arrivals"]
    html = board_html(arrivals, project.loaded.event, project.profile, "ฉบับร่าง (draft) — 2027-02-20")
    (pdf,) = render_all([job_for_html(html, tmp_path / "pdf" / "board-arrivals.pdf")], tmp_path / "cache", IN_PROCESS)
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    moments = re.findall(r"20\d\d-\d\d-\d\d \d\d:\d\d", text)
    assert len(moments) == 2 * len(GUESTS) and moments == sorted(moments)
    assert "ลับ (CONFIDENTIAL)" in text and "เที่ยวบินขาเข้าและขาออก" in text


def test_the_full_build_renders_every_board_pdf(sample_site: Path) -> None:
    """The shared sample build (with PDFs): the plugin hands the boards' jobs to the PDF stage with the others."""
    for slug in ("arrivals", "rooming", "transport", "catering", "los"):
        reader = PdfReader(sample_site / "pdf" / f"board-{slug}.pdf")
        assert len(reader.pages) >= 1 and reader.metadata.title.endswith("IHMM-9")
    text = subprocess.run(["pdftotext", str(sample_site / "pdf" / "board-rooming.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert all(record.guest.stay.room in text for record in GUESTS)


def test_board_values_are_text_on_the_page() -> None:
    from build_tools.boards.page import board_page
    from build_tools.boards.rows import Board, Column, Group

    hostile = Board("x", "ทดสอบ", "Probe", (Column("ก", "A"),), (Group("<b>day</b>", (("<script>x()</script> | [a](javascript:x)",),)),))
    page = board_page(hostile, "p.pdf", "x.xlsx")
    assert "<script>" not in page and "<b>" not in page
    assert r"&lt;script&gt;x\(\)&lt;/script&gt; \| \[a\]\(javascript:x\)" in page


def test_board_workbooks_are_where_the_plan_puts_them() -> None:
    """The plugin adds placeholders under the plan's names before the .xlsx files are made on the spare core."""
    project, problems = load_project(REPO, REPO / "content", REPO / "guests", Profile.FULL)
    assert project is not None, problems
    plan = plan_project(project, None, "2027-02-20")
    downloads = board_sheets(plan)
    assert [path for path, _ in downloads] == [board.sheet for board in plan.boards] and len(downloads) == 5
    assert all(path in plan.files for path, _ in downloads)
    assert all(content.startswith(b"PK") for _, content in downloads)
