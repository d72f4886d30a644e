"""The LO's field kit read back from real files: .ics with icalendar, .vcf with vobject, card and run sheet PDFs with pypdf.

Full-profile checks use the session's sample build; the training checks build the sample once more with
``--profile training`` (site, calendars and contacts through the CLI; the kit PDFs through the same render machinery
the plugin uses) and scan every kit file for every sensitive value of the sample.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import icalendar
import pypdf
import pytest
import vobject
from sensitive_values import sensitive_values

from build_tools import outputs
from build_tools.fieldkit.card import card_html
from build_tools.fieldkit.contacts import key_contacts, qr_payload, qr_svg
from build_tools.fieldkit.documents import all_exports, pocket_html
from build_tools.fieldkit.runsheet import call_columns, public_numbers, who_to_call
from build_tools.pdf.render import job_for_html, render_all
from build_tools.profiles import PLACEHOLDER, Profile
from build_tools.project import Project, load_project, plan_project

from conftest import REPO

A6 = (297.64, 419.53)  # points
BANGKOK = "Asia/Bangkok"


def _load(profile: Profile, root: Path = REPO) -> Project:
    project, diagnostics = load_project(root, root / "content", root / "guests", profile)
    assert project is not None, "\n".join(map(str, diagnostics))
    return project


@pytest.fixture(scope="module")
def full() -> Project:
    return _load(Profile.FULL)


def _unfold(text: str) -> str:
    return re.sub(r"\r\n[ \t]", "", text)


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


# --- calendar -----------------------------------------------------------------------------------------------------


def test_calendar_has_one_event_per_item_and_flight_in_bangkok_time(sample_site: Path, full: Project) -> None:
    for view in full.views:
        raw = (sample_site / "kit" / f"{view.id}.ics").read_bytes()
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
        cal = icalendar.Calendar.from_ical(raw)
        zones = [tz["TZID"] for tz in cal.walk("VTIMEZONE")]
        assert zones == [BANGKOK]
        events = cal.walk("VEVENT")
        items = [item for _, day in view.days for item in day]
        assert len(events) == len(items) + 2, view.id  # schedule items + arrival and departure flights
        uids = [str(e["UID"]) for e in events]
        assert len(set(uids)) == len(uids)
        for event in events:
            start = event.decoded("DTSTART")
            assert str(event["DTSTART"].params["TZID"]) == BANGKOK
            assert getattr(start.tzinfo, "key", str(start.tzinfo)) == BANGKOK
            assert event.decoded("DTEND") >= start
        for item in items:
            event = next(e for e in events if e.decoded("DTSTART") == item.start and item.title.en in str(e["SUMMARY"]))
            description = str(event["DESCRIPTION"])
            assert "Dress" in description and "Status" in description
            if item.dress:
                assert item.dress in description
            assert item.place.split(" (")[0] in str(event["LOCATION"])
        g = view.guest
        arrival = next(e for e in events if str(e["UID"]).startswith(f"{view.id}.flight-arrival@"))
        departure = next(e for e in events if str(e["UID"]).startswith(f"{view.id}.flight-departure@"))
        assert g.arrival.flight in str(arrival["SUMMARY"]) and g.departure.flight in str(departure["SUMMARY"])
        assert arrival.decoded("DTSTART") == g.arrival.time and departure.decoded("DTEND") == g.departure.time


def test_calendar_uids_do_not_depend_on_the_build(sample_site: Path, training: Path, full: Project) -> None:
    """Stable UIDs: a re-import updates events; the training build (other values) gives the same ids."""
    for view in full.views:
        full_uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical((sample_site / "kit" / f"{view.id}.ics").read_bytes()).walk("VEVENT")]
        training_uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical((training / "kit" / f"{view.id}.ics").read_bytes()).walk("VEVENT")]
        assert full_uids == training_uids
        assert all(uid.startswith(f"{view.id}.") for uid in full_uids)


# --- contacts -----------------------------------------------------------------------------------------------------


def test_contacts_vcf_parses_and_carries_every_phone_the_lo_needs(sample_site: Path, full: Project) -> None:
    for view in full.views:
        raw = (sample_site / "kit" / f"{view.id}.vcf").read_bytes()
        assert b"\n" not in raw.replace(b"\r\n", b""), "CRLF line endings only"
        assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "folded at 75 octets"
        cards = list(vobject.readComponents(raw.decode("utf-8")))
        assert all(card.version.value == "3.0" for card in cards)
        by_name = {card.fn.value: card for card in cards}
        g = view.guest
        wanted = {
            g.transport.driver.name: g.transport.driver.phone,
            g.transport.protective_police.name: g.transport.protective_police.phone,
            **{c.name: c.phone for c in view.coordinators},
        }
        if view.duty_manager:
            wanted[view.duty_manager.name] = view.duty_manager.phone
        if view.hospital:
            wanted[f"{view.hospital.name.th} ({view.hospital.name.en})"] = view.hospital.phone
        for contact in view.event.contacts:
            if contact.role.value in ("secretariat", "medical"):
                wanted[contact.name] = contact.phone
        for name, phone in wanted.items():
            assert name in by_name, f"{view.id}: {name} missing"
            card = by_name[name]
            assert [_digits(tel.value) for tel in card.contents["tel"]] == [_digits(phone)]
            assert card.n.value is not None and card.note.value and card.org.value
        driver = by_name[g.transport.driver.name]
        assert driver.tel.params["TYPE"] == ["CELL"]


# --- pocket card --------------------------------------------------------------------------------------------------


def test_pocket_card_is_a6_front_and_back_with_the_guest_and_numbers(sample_site: Path, full: Project) -> None:
    for view in full.views:
        reader = pypdf.PdfReader(sample_site / "pdf" / f"card-{view.id}.pdf")
        assert len(reader.pages) == 2, view.id
        for page in reader.pages:
            assert abs(float(page.mediabox.width) - A6[0]) < 1 and abs(float(page.mediabox.height) - A6[1]) < 1
        front, back = (page.extract_text() for page in reader.pages)
        assert view.guest.name.preferred in front
        assert view.guest.address_as.spoken.split(" /")[0] in front
        for number in ("191", "1669", "199", "1155", "1784"):
            assert re.search(rf"(?<!\d){number}(?!\d)", back), number
        assert view.guest.transport.driver.phone in back
        assert "CONFIDENTIAL" in front


def test_qr_code_is_the_key_contacts_vcard(full: Project) -> None:
    """segno cannot decode, so: the card embeds exactly the code of the payload, and the payload holds the contacts."""
    for view in full.views:
        payload = qr_payload(view)
        html = card_html(view, "ฉบับที่ 1 — 2027-02-20", full.guests_dir)
        assert qr_svg(payload) in html
        card = vobject.readOne(payload)
        phones = [_digits(tel.value) for tel in card.contents["tel"]]
        people = key_contacts(view)
        assert [p.role_en for p in people][:2] == ["Main coordinator", "Backup coordinator"]
        assert {"Driver", "Protective police", "Hotel duty manager"} <= {p.role_en for p in people}
        assert phones == [_digits(p.phone) for p in people if p.phone]
        assert len(payload.encode()) < 600, "small enough to scan from a pocket card"


def test_qr_codes_are_remembered_between_builds(full: Project, tmp_path: Path) -> None:
    """A build keeps each code in its cache folder and the next one reads it back; a folder it cannot use costs time only."""
    payload = qr_payload(full.views[0])
    fresh = qr_svg(payload)
    assert qr_svg(payload, tmp_path / "qr") == fresh
    [stored] = (tmp_path / "qr").glob("*.txt")
    stored.write_text('<svg class="qr">remembered</svg>', encoding="utf-8")
    assert qr_svg(payload, tmp_path / "qr") == '<svg class="qr">remembered</svg>', "read back, not drawn again"
    assert qr_svg(payload + "\nNOTE:changed", tmp_path / "qr") == qr_svg(payload + "\nNOTE:changed")
    (tmp_path / "blocked").write_text("a file where the folder should be")
    assert qr_svg(payload, tmp_path / "blocked") == fresh


def test_pocket_card_inlines_the_guest_photo(full: Project, tmp_path: Path) -> None:
    """The photo goes into the HTML as a data URI, so the PDF cache key changes with the image."""
    import copy
    from dataclasses import replace

    (tmp_path / "face.png").write_bytes(bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000 1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082".replace(" ", "")))
    view = copy.copy(full.views[0])
    view.record = replace(view.record, guest=view.guest.model_copy(update={"photo": "face.png"}))
    html = card_html(view, "ฉบับที่ 1 — 2027-02-20", tmp_path)
    assert 'src="data:image/png;base64,iVBORw0KGgo' in html
    assert "data:image" not in card_html(full.views[0], "ฉบับที่ 1 — 2027-02-20", tmp_path) or full.views[0].guest.photo


# --- run sheet ----------------------------------------------------------------------------------------------------


def _days_of(view) -> set[dt.date]:  # noqa: ANN001
    moments = [item.start for _, day in view.days for item in day] + [view.guest.arrival.time, view.guest.departure.time]
    return {m.astimezone(dt.timezone(dt.timedelta(hours=7))).date() for m in moments}


def test_run_sheet_has_one_a4_page_per_day(sample_site: Path, full: Project) -> None:
    for view in full.views:
        reader = pypdf.PdfReader(sample_site / "pdf" / f"runsheet-{view.id}.pdf")
        assert len(reader.pages) == len(_days_of(view)), view.id
        for page, day in zip(reader.pages, sorted(_days_of(view))):
            text = page.extract_text()
            assert f"{day:%a} {day.day} {day:%b %Y}" in text  # the day's heading, English part
            assert view.guest.transport.driver.phone in text  # who to call
        first = reader.pages[0].extract_text()
        assert view.guest.arrival.flight in first


def test_run_sheet_lists_who_to_call_down_two_columns(sample_site: Path, full: Project) -> None:
    """Every person and number once, in order: down the first column, then the second, which starts where the first
    has half the lines (a person takes two, a number one), as ``columns: 2`` balanced them; on paper side by side."""
    for view in full.views:
        people, numbers = who_to_call(view), public_numbers(view)
        first, second = call_columns(people, numbers)
        entries = [*first, *second]
        assert [(e.role, e.phone) for e in entries] == ([(p.role, p.phone) for p in people]
                                                        + [(f"{n.th} ({n.en})", n.number) for n in numbers])
        lines = [2 if e.name else 1 for e in entries]
        assert sum(lines[:len(first)]) >= sum(lines) / 2 > sum(lines[:len(first) - 1]), view.id
        layout = subprocess.run(["pdftotext", "-layout", "-l", "1", str(sample_site / "pdf" / f"runsheet-{view.id}.pdf"),
                                 "-"], capture_output=True, text=True, check=True).stdout
        row = next(line for line in layout.splitlines() if first[0].phone in line)  # both columns' first entries
        assert second[0].phone in row and row.index(first[0].phone) < row.index(second[0].phone), view.id


def test_guest_page_links_the_kit(sample_site: Path, full: Project) -> None:
    for view in full.views:
        page = (sample_site / "guests" / f"{view.id}.html").read_text(encoding="utf-8")
        for href in (f"../pdf/card-{view.id}.pdf", f"../pdf/runsheet-{view.id}.pdf", f"../kit/{view.id}.ics", f"../kit/{view.id}.vcf"):
            assert f'href="{href}"' in page
            assert (sample_site / "guests" / href).stat().st_size > 0


# --- training profile: nothing sensitive in any kit file ----------------------------------------------------------


@pytest.fixture(scope="module")
def training(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's field kit with the training profile, made by the same calls the plugin makes (the whole training
    site, kit included, is scanned byte by byte in test_data_protection)."""
    out = tmp_path_factory.mktemp("training") / "site"
    project = _load(Profile.TRAINING)
    plan, views = plan_project(project, None, "2027-02-20"), {view.id: view for view in project.views}
    files = [(page.path, page.markdown.encode("utf-8")) for page in plan.pages if page.path == outputs.CHANGES_PAGE]
    for path, content in [*files, *all_exports(plan, views)]:
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(content)
    jobs = [job_for_html(pocket_html(p, views[p.owner], project.guests_dir, None), out / p.path) for p in plan.pockets]
    render_all(jobs, out.parent / "cache")
    return out


def _spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_training_kit_carries_no_sensitive_value(training: Path, full: Project) -> None:
    secrets = sensitive_values(full)
    assert any(re.fullmatch(r"\+[\d ]+", s) for s in secrets) and any(s == full.views[0].guest.stay.room for s in secrets)
    texts: dict[str, str] = {}
    for path in sorted((training / "kit").iterdir()):
        texts[path.name] = _unfold(path.read_text(encoding="utf-8"))
    for path in sorted((training / "pdf").glob("*.pdf")):
        if path.name.startswith(("card-", "runsheet-")):
            texts[path.name] = _pdf_text(path)
    training_project = _load(Profile.TRAINING)
    for view in training_project.views:
        texts[f"qr-{view.id}"] = qr_payload(view)
    texts["changes.md"] = (training / "guests" / "changes.md").read_text(encoding="utf-8")
    assert len([n for n in texts if n.startswith("card-")]) == len(full.views)
    spaced = {name: _spaced(text) for name, text in texts.items()}
    leaks = [(name, secret) for name, text in texts.items() for secret in secrets
             if secret in text or _spaced(secret) in spaced[name]]
    assert not leaks, leaks[:10]
    assert PLACEHOLDER in texts[f"{full.views[0].id}.vcf"]


def test_training_contacts_still_import(training: Path, full: Project) -> None:
    """Withheld numbers leave no TEL behind, but every person is still a valid vCard with a name and a note."""
    for view in full.views:
        cards = list(vobject.readComponents((training / "kit" / f"{view.id}.vcf").read_text(encoding="utf-8")))
        assert cards and all(card.fn.value and card.note.value for card in cards)
        hospital = next(card for card in cards if view.hospital and card.fn.value.startswith(view.hospital.name.th))
        assert _digits(hospital.tel.value) == _digits(view.hospital.phone)  # a public number, kept
        driver = next(card for card in cards if card.fn.value == view.guest.transport.driver.name)
        assert "tel" not in driver.contents
