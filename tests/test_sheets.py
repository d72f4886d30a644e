"""Guests through a spreadsheet: export the sample, import it back, break cells, merge into existing files."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.loader import load_guest
from build_tools.model import Guest

from conftest import REPO, copy_project, run_cli

SAMPLE_IDS = sorted(p.stem for p in (REPO / "guests").glob("*.yml") if not p.name.startswith("_"))


def _guests(folder: Path) -> dict[str, Guest]:
    out = {}
    for file in sorted(folder.glob("*.yml")):
        if file.name.startswith("_"):
            continue
        record, problems = load_guest(file, folder)
        assert record is not None, [str(p) for p in problems]
        out[record.id] = record.guest
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample guests exported once with the real CLI."""
    target = tmp_path_factory.mktemp("export") / "guests.xlsx"
    result = run_cli("export-guests", str(target))
    assert result.returncode == 0, result.stderr
    assert "Wrote 9 guest(s)" in result.stderr
    return target


def _column(sheet, key: str) -> int:
    keys = [cell.value for cell in sheet[2]]
    return keys.index(key) + 1


def _row(sheet, guest_id: str, nth: int = 0) -> int:
    rows = [cell.row for cell in sheet["A"] if cell.value == guest_id]
    return rows[nth]


def test_the_workbook_has_its_sheets_headers_drop_downs_and_frozen_header(exported: Path) -> None:
    book = openpyxl.load_workbook(exported)
    assert book.sheetnames == ["README", "Guests", "Schedule", "Entourage", "Allergies", "Codes"]
    guests = book["Guests"]
    assert guests.freeze_panes == "B3"
    assert guests["A1"].value == "รหัสแขก" and guests["A2"].value == "id"
    arrival = _column(guests, "arrival.time")
    assert guests.cell(1, arrival).value == "เวลาถึง"
    assert [guests.cell(row, 1).value for row in range(3, guests.max_row + 1)] == SAMPLE_IDS
    validated = {str(v.sqref).split(":")[0]: v.formula1 for v in guests.data_validations.dataValidation}
    country = guests.cell(3, _column(guests, "country")).coordinate
    role = guests.cell(3, _column(guests, "role")).coordinate
    diet = guests.cell(3, _column(guests, "health.diet")).coordinate
    assert {country, role, diet} <= set(validated)
    assert all(re.fullmatch(r"Codes!\$[A-Z]+\$2:\$[A-Z]+\$\d+", formula) for formula in validated.values())
    strict = {str(v.sqref).split(":")[0]: v.showErrorMessage for v in guests.data_validations.dataValidation}
    assert strict[country] and strict[role] and not strict[diet]  # a list of diets in one cell: offered, not enforced
    codes = book["Codes"]
    lists = {codes.cell(1, c).value: [codes.cell(r, c).value for r in range(2, codes.max_row + 1) if codes.cell(r, c).value]
             for c in range(1, codes.max_column + 1)}
    assert {"JP", "NO", "TH", "GB"} <= set(lists["country"]) and "ZZ" not in lists["country"]
    assert "halal" in lists["diet"] and "tentative" in lists["status"] and "head-of-delegation" in lists["role"]
    assert "grand-chao-phraya" in lists["hotel"]
    schedule = book["Schedule"]
    assert schedule.freeze_panes == "A3"
    start = schedule.cell(_row(schedule, "jp-tanaka", 5), _column(schedule, "start")).value
    assert str(start) == "2027-03-03 12:15:00"  # a real date-time cell, Bangkok time


def test_export_then_import_into_an_empty_folder_gives_the_same_guests(exported: Path, tmp_path: Path) -> None:
    target = tmp_path / "guests"
    result = run_cli("import-guests", str(exported), "--guests-dir", str(target))
    assert result.returncode == 0, result.stderr
    assert "9 new, 0 changed, 0 unchanged" in result.stderr
    assert _guests(target) == _guests(REPO / "guests")
    from test_schema_samples import CHECK, SCHEMA  # the written files pass the published schema too

    check = subprocess.run([CHECK, "--schemafile", str(SCHEMA), *map(str, sorted(target.glob("*.yml")))], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_csv_round_trip_gives_the_same_guests(tmp_path: Path) -> None:
    sheet = tmp_path / "csv" / "guests.csv"
    assert run_cli("export-guests", str(sheet)).returncode == 0
    assert sorted(p.name for p in sheet.parent.iterdir()) == [
        "guests.allergies.csv", "guests.csv", "guests.entourage.csv", "guests.schedule.csv"]
    result = run_cli("import-guests", str(sheet), "--guests-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert _guests(tmp_path / "out") == _guests(REPO / "guests")


def test_three_broken_cells_are_named_and_nothing_is_written(exported: Path, tmp_path: Path) -> None:
    broken = tmp_path / "guests.xlsx"
    book = openpyxl.load_workbook(exported)
    guests, schedule, allergies = book["Guests"], book["Schedule"], book["Allergies"]
    time_cell = guests.cell(_row(guests, "jp-tanaka"), _column(guests, "arrival.time"))
    time_cell.value = "next tuesday"
    car_cell = schedule.cell(_row(schedule, "jp-tanaka", 0), _column(schedule, "car_departs"))
    car_cell.value = "half past six"
    severity_cell = allergies.cell(_row(allergies, "jp-tanaka"), _column(allergies, "severity"))
    severity_cell.value = "deadly"
    book.save(broken)
    target = tmp_path / "guests"
    target.mkdir()
    (target / "jp-tanaka.yml").write_bytes((REPO / "guests" / "jp-tanaka.yml").read_bytes())
    before = _files(target)
    result = run_cli("import-guests", str(broken), "--guests-dir", str(target))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        f'guests.xlsx:Guests!{time_cell.coordinate}: arrival.time: expected a date-time like 2027-03-02 14:30, got "next tuesday"',
        f'guests.xlsx:Schedule!{car_cell.coordinate}: schedule[0].car_departs: expected a time like 14:30, got "half past six"',
        f"guests.xlsx:Allergies!{severity_cell.coordinate}: health.allergies[0].severity: expected one of "
        "'mild', 'moderate', 'severe' or 'anaphylaxis', got \"deadly\"",
    ]
    assert lines[3] == "3 error(s) in guests.xlsx: nothing was written."
    assert _files(target) == before


def test_import_merges_into_existing_files_keeping_comments_and_notes(exported: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    edited = tmp_path / "edited.xlsx"
    book = openpyxl.load_workbook(exported)
    guests, people = book["Guests"], book["Entourage"]
    guests.cell(_row(guests, "jp-tanaka"), _column(guests, "stay.room")).value = 1210  # typed as a number
    guests.cell(_row(guests, "jp-tanaka"), _column(guests, "health.diet")).value = "seafood-allergy, no-alcohol"
    people.cell(_row(people, "jp-tanaka", 1), _column(people, "phone")).value = "081-000-9999"  # normalised
    book.save(edited)
    before = _files(project / "guests")

    dry = run_cli("import-guests", str(edited), "--dry-run", cwd=project)
    assert dry.returncode == 0, dry.stderr
    assert "guests/jp-tanaka.yml: changed entourage[0].phone, stay.room, health.diet" in dry.stderr
    assert "0 new, 1 changed, 8 unchanged" in dry.stderr
    assert _files(project / "guests") == before

    result = run_cli("import-guests", str(edited), cwd=project)
    assert result.returncode == 0, result.stderr
    after = _files(project / "guests")
    assert {name for name in after if after[name] != before.get(name)} == {"jp-tanaka.yml"}
    old = before["jp-tanaka.yml"].decode().splitlines()
    new = after["jp-tanaka.yml"].decode().splitlines()
    assert new[:2] == old[:2]  # the schema line and the comment stay
    changed = [(a, b) for a, b in zip(old, new) if a != b]
    assert changed == [
        ('    phone: "+81 90 0000 0001"', '    phone: "+66 81 000 9999"'),
        ('  room: "1204"', '  room: "1210"'),
        ("  diet: [seafood-allergy]", "  diet: [seafood-allergy, no-alcohol]"),
    ]
    assert len(new) == len(old)
    record, problems = load_guest(project / "guests" / "jp-tanaka.yml", project)
    assert record is not None and record.guest.stay.room == "1210", problems


def test_an_unreadable_file_is_one_clear_message(tmp_path: Path) -> None:
    bogus = tmp_path / "guests.xlsx"
    bogus.write_text("not a workbook", encoding="utf-8")
    result = run_cli("import-guests", str(bogus), "--guests-dir", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "expected an .xlsx workbook" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_value_starting_with_equals_stays_text_both_ways(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    guest = project / "guests" / "jp-tanaka.yml"
    hostile = '=HYPERLINK("http://example.invalid","x")'
    guest.write_text(guest.read_text(encoding="utf-8").replace("baggage: 4 ชิ้น (pieces)", f"baggage: '{hostile}'", 1), encoding="utf-8")
    sheet = tmp_path / "guests.xlsx"
    assert run_cli("export-guests", str(sheet), cwd=project).returncode == 0
    tab = openpyxl.load_workbook(sheet)["Guests"]
    cell = tab.cell(_row(tab, "jp-tanaka"), _column(tab, "arrival.baggage"))
    assert cell.value == hostile and cell.data_type == "s"
    result = run_cli("import-guests", str(sheet), "--guests-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert _guests(tmp_path / "out")["jp-tanaka"].arrival.baggage == hostile


def test_csv_errors_name_the_file_of_the_sheet_and_the_cell(tmp_path: Path) -> None:
    import csv

    from openpyxl.utils import get_column_letter

    sheet = tmp_path / "guests.csv"
    assert run_cli("export-guests", str(sheet)).returncode == 0

    def edit(path: Path, guest_id: str, key: str, value: str, nth: int = 0) -> str:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        row = [i for i, r in enumerate(rows) if r[0] == guest_id][nth]
        column = rows[1].index(key)
        rows[row][column] = value
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)
        return f"{get_column_letter(column + 1)}{row + 1}"

    country = edit(sheet, "no-lindvik", "country", "ZZ")
    start = edit(tmp_path / "guests.schedule.csv", "jp-tanaka", "title.en", "", nth=5)  # a private item loses its title
    result = run_cli("import-guests", str(sheet), "--guests-dir", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:2] == [
        f'guests.csv:{country}: country: expected an ISO 3166 country code like JP or NO (the Codes sheet lists them), got "ZZ"',
        f"guests.schedule.csv:{start}: schedule[5].title.en: required, but missing",
    ]
    assert not (tmp_path / "out").exists()


def test_an_export_is_byte_stable_and_an_import_leaves_other_guests_alone(exported: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.xlsx"
    assert run_cli("export-guests", str(again)).returncode == 0
    assert again.read_bytes() == exported.read_bytes()
    target = tmp_path / "guests"
    target.mkdir()
    (target / "xx-other.yml").write_text("# not in the sheet\nname: {}\n", encoding="utf-8")
    result = run_cli("import-guests", str(exported), "--guests-dir", str(target))
    assert result.returncode == 0, result.stderr
    assert "Not in the sheet, left as they are: xx-other" in result.stderr
    assert (target / "xx-other.yml").read_text(encoding="utf-8") == "# not in the sheet\nname: {}\n"


_CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)), st.dates(min_value=dt.date(1900, 1, 1)), st.times(),
    st.sampled_from(["next tuesday", "ZZ", "jp-tanaka", "=1+1", "+66", "0812345678", "halal, pork-free", "spouse"]),
)
_SAMPLE_TABLES: dict | None = None


def _sample_tables() -> dict:
    global _SAMPLE_TABLES
    if _SAMPLE_TABLES is None:
        from build_tools.loader import load_event
        from build_tools.sheets.exporter import guest_tables

        loaded, _ = load_event(REPO / "guests", REPO)
        _SAMPLE_TABLES = guest_tables(loaded.guests)
    return _SAMPLE_TABLES


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 400), st.integers(0, 60), _CELLS), min_size=1, max_size=6))
def test_any_cell_values_give_guests_or_named_cells_never_a_crash(edits: list) -> None:
    from build_tools.sheets.importer import read_guests
    from build_tools.sheets.workbook import Tables

    rows = {name: [list(row) for row in table] for name, table in _sample_tables().items()}
    for sheet_index, row, column, value in edits:
        table = rows[list(rows)[sheet_index]]
        cells = table[row % len(table)]
        cells[column % len(cells)] = value
    guests, problems = read_guests(Tables("f.xlsx", rows))
    assert all(str(p).startswith("f.xlsx:") and re.match(r"f\.xlsx:\w+![A-Z]+\d+: ", str(p)) for p in problems)
    if not problems:
        assert all(isinstance(g, Guest) for g in guests.values())
