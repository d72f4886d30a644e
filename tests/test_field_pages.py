"""The field tool in the built pages (no browser): tap to call everywhere, maps links, status labels rendered not
written as Markdown, the schedule data safe inside its script element, procedures first on the emergencies index and
the first action at the top of every procedure."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from build_tools.compose.field import schedule_data, script_json
from build_tools.compose.status import STATUS_LABELS
from build_tools.compose.tickable import item_key, tickable_checklists
from build_tools.knowledge import ProcedureMeta
from build_tools.model import Status
from build_tools.telephone import link_phones, phone_numbers, tel_uri

from field_support import article, guest_numbers, sample_project, view, visible_text

TEL = re.compile(r'href="(tel:[^"]+)"')
THAI_SHORT_CODES = {"tel:191", "tel:1669", "tel:199", "tel:1155", "tel:1784"}


# --- units --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("+66 80 000 0001", "tel:+66800000001"),
        ("02 000 1000", "tel:+6620001000"),  # Thai national form → international
        ("+81 90 0000 0001", "tel:+819000000001"),
        ("1669", "tel:1669"),
        ("191", "tel:191"),
        ("14:05", None),
        ("ห้อง 1204", None),
    ],
)
def test_tel_uri(written: str, uri: str | None) -> None:
    assert tel_uri(written) == uri


def test_link_phones_links_text_but_not_links_code_times_or_rooms() -> None:
    source = (
        '<p>โทร <strong>1669</strong> หรือ +66 80 000 0001 เวลา 14:05 ห้อง 1.05 ปี 2570 '
        '<a href="x.html">191</a> <code>199</code> 191, 1669</p>'
    )
    linked = link_phones(source)
    assert TEL.findall(linked) == ["tel:1669", "tel:+66800000001", "tel:191", "tel:1669"]
    assert '<a href="x.html">191</a>' in linked and "<code>199</code>" in linked
    assert link_phones(linked) == linked  # idempotent
    assert phone_numbers("14:05–15:30, 2027-03-01, room 1204") == []
    assert phone_numbers("คุณสมมุติ (+66 80 000 0002) และ +44 (0)20 7946 0000") == ["+66 80 000 0002", "+44 (0)20 7946 0000"]


def test_status_labels_are_text_with_a_class() -> None:
    for status, label in STATUS_LABELS.items():
        assert not re.search(r"[*~_]", label.text), label
        assert label.css == status.value


def test_schedule_json_cannot_close_its_script_element() -> None:
    hostile = {"title": "</script><script>alert(1)</script> & <!--", "line": "\u2028"}
    text = str(script_json(hostile))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == hostile


def test_schedule_data_is_plain_values_of_the_guest() -> None:
    data = schedule_data(view("jp-tanaka"))
    assert data["arrival"]["flight"].startswith("JL 031")
    titles = [i["title"] for i in data["items"]]
    assert titles[0] == "งานเลี้ยงรับรองอย่างเป็นทางการ" and "พิธีเปิดการประชุม" in titles
    assert all(isinstance(i["start"], int) and i["start"] < i["end"] for i in data["items"])


def test_checklist_keys_come_from_the_text() -> None:
    page = (
        '<ul class="task-list"><li class="task-list-item"><input type="checkbox" disabled/> Pack <b>badge</b></li>\n'
        '<li class="task-list-item"><input type="checkbox" disabled/> Pack badge</li>\n'
        '<li class="task-list-item"><input type="checkbox" disabled/> Call driver</li></ul>'
    )
    out = tickable_checklists(page)
    assert "disabled" not in out
    keys = re.findall(r'data-key="([^"]+)"', out)
    assert keys == [item_key("Pack badge"), item_key("Pack badge") + "-2", item_key("Call driver")]
    assert out.count("<label") == 3  # every box has its item's text as its label
    # a new data version: an unchanged item keeps its key, a changed one gets a new key
    assert item_key(" Call   driver ") == keys[2] and item_key("Call the driver") != keys[2]


# --- the built site -----------------------------------------------------------------------------------------------


def test_guest_pages_make_every_number_dialable(site_only: Path) -> None:
    for v in sample_project().views:
        body = article(site_only / f"guests/{v.id}.html")
        links = set(TEL.findall(body))
        assert guest_numbers(v) <= links, (v.id, guest_numbers(v) - links)
        # nothing left that looks like a phone number but is not a link
        unlinked = phone_numbers(visible_text(re.sub(r"<a\b.*?</a>", " ", body, flags=re.S)))
        assert unlinked == [], (v.id, unlinked)


def test_knowledge_pages_link_the_thai_emergency_numbers(site_only: Path) -> None:
    index = article(site_only / "emergencies/index.html")
    assert THAI_SHORT_CODES <= set(TEL.findall(index))
    illness = article(site_only / "emergencies/vip-illness.html")
    assert "tel:1669" in TEL.findall(illness)


def test_no_literal_markdown_in_any_page(site_only: Path) -> None:
    offenders = {}
    for path in sorted(site_only.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if '<article class="md-content__inner md-typeset">' not in text:
            continue
        found = re.findall(r".{0,20}(?:\*\*|~~).{0,20}", visible_text(article(path)))
        if found:
            offenders[path.relative_to(site_only).as_posix()] = found[:3]
    assert offenders == {}


def test_changed_items_stand_out(site_only: Path) -> None:
    body = article(site_only / "guests/no-lindvik.html")
    assert '<tr class="lo-item lo-item--changed">' in body
    assert '<span class="lo-status lo-status--changed">เปลี่ยนแปลง (changed)</span>' in body


def test_cancelled_items_are_struck_through_by_class() -> None:
    from build_tools.compose.field import schedule_table

    v = view("jp-tanaka")
    item = v.days[0][1][0]
    html_out = str(schedule_table([type(item)(**{**item.__dict__, "status": Status.CANCELLED})]))
    assert 'class="lo-item lo-item--cancelled"' in html_out and "~~" not in html_out
    css = (Path(__file__).resolve().parents[1] / "theme/overrides/assets/stylesheets/lo-field.css").read_text()
    assert re.search(r"tr\.lo-item--cancelled td[^{]*\{[^}]*line-through", css)


def test_places_open_the_maps_app(site_only: Path) -> None:
    body = article(site_only / "guests/jp-tanaka.html")
    geo = re.findall(r'href="(geo:[^"]+)"', body)
    assert "geo:13.7262,100.514?q=13.7262,100.514" in geo  # the welcome dinner's hall
    assert "geo:13.723,100.5137?q=13.723,100.5137" in geo  # the hotel
    assert "geo:13.721,100.529?q=13.721,100.529" in geo  # the designated hospital
    assert "1 ถนนสมมุติริมน้ำ เขตบางรัก กรุงเทพฯ" in visible_text(body)  # and the address as text


def test_checklist_boxes_are_enabled_and_labelled(site_only: Path) -> None:
    body = article(site_only / "guests/jp-tanaka.html")
    boxes = re.findall(r"<input[^>]*type=\"checkbox\"[^>]*>", body)
    assert len(boxes) > 20
    assert not [b for b in boxes if "disabled" in b or "data-key" not in b]
    assert body.count('<label class="lo-check__label">') == len(boxes)


def test_guest_page_links_each_procedure_with_the_guests_facts(site_only: Path) -> None:
    procedures = [p for p in sample_project().pages.values() if isinstance(p.meta, ProcedureMeta)]
    body = article(site_only / "guests/sa-aldahmani.html")
    for p in procedures:
        assert f'href="../{p.path[:-3]}.html"' in body, p.path
    item = re.search(r'<li><a href="../emergencies/vip-illness.html">.*?</li>', body, re.S)
    assert item
    text = visible_text(item.group(0))
    v = view("sa-aldahmani")
    assert v.hospital and v.hospital.name.th in text
    assert "แพทย์ของคณะ (Delegation's doctor)" in text  # the delegation brings its own physician


def test_emergencies_index_lists_procedures_before_the_explainer(site_only: Path) -> None:
    body = article(site_only / "emergencies/index.html")
    listing, explainer = body.find('class="lo-procedures"'), body.find("<h2")
    assert 0 <= listing < explainer
    procedures = [p for p in sample_project().pages.values() if isinstance(p.meta, ProcedureMeta)]
    assert body.count('class="lo-procedure__link"') == len(procedures)


def test_every_procedure_opens_with_its_first_action_and_number(site_only: Path) -> None:
    for page in sample_project().pages.values():
        if not isinstance(page.meta, ProcedureMeta):
            continue
        assert page.meta.first_action and page.meta.call, page.path
        body = article(site_only / page.path.replace(".md", ".html"))
        box = re.search(r'<div class="lo-first-action".*?</div>\s*</div>', body, re.S)
        assert box and body.find('<div class="lo-first-action"') < body.find("<h2"), page.path
        assert TEL.findall(box.group(0)), page.path


def test_every_tel_link_dials_the_number_it_shows(site_only: Path) -> None:
    links = 0
    for path in sorted(site_only.rglob("*.html")):
        for href, shown in re.findall(r'<a class="lo-tel" href="([^"]+)">([^<]+)</a>', path.read_text(encoding="utf-8")):
            links += 1
            assert tel_uri(shown) == href, (path.name, shown, href)
            assert shown.count("(") == shown.count(")") and not shown.endswith((" ", ",", ".")), (path.name, shown)
    assert links > 500


def test_a_procedure_without_a_first_action_is_a_warning(tmp_path: Path) -> None:
    from build_tools.diagnostics import Severity
    from build_tools.knowledge import PROCEDURE_SECTIONS, read_knowledge

    content = tmp_path / "content"
    (content / "emergencies").mkdir(parents=True)
    sections = "\n\n".join(f"## {s}\n\nทำตามนี้" for s in PROCEDURE_SECTIONS)
    head = "---\ntitle: ทดสอบ\nsummary: ทดสอบ\nstatus: draft\nreviewed: 2026-11-21\nsources: [x]\nseverity: high\nnumbers: [191]\n"
    (content / "emergencies/test.md").write_text(head + "---\n\n" + sections + "\n", encoding="utf-8")
    (content / "emergencies/ok.md").write_text(
        head + 'first_action: "โทร 191"\ncall: [191, main-coordinator]\n---\n\n' + sections + "\n", encoding="utf-8"
    )
    pages, problems = read_knowledge(content, tmp_path)
    assert set(pages) == {"emergencies/test.md", "emergencies/ok.md"}
    ours = [(p.file, p.severity, p.field) for p in problems if p.field in ("first_action", "call")]
    assert ours == [("content/emergencies/test.md", Severity.WARNING, "first_action")]
    assert all(p.severity is Severity.WARNING for p in problems)  # (also: both are drafts)
    assert pages["emergencies/ok.md"].meta.call == ["191", "main-coordinator"]


def test_calendar_events_carry_the_venues_place() -> None:
    import datetime as dt

    import icalendar

    from build_tools.fieldkit.calendar import calendar

    cal = icalendar.Calendar.from_ical(calendar(view("jp-tanaka"), dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc), 1))
    dinner = next(e for e in cal.walk("VEVENT") if "Official welcome dinner" in str(e["SUMMARY"]))
    assert (dinner["GEO"].latitude, dinner["GEO"].longitude) == (13.7262, 100.514)
