"""The guest page as a field tool, tried as an LO would on a phone (390×844) and a tablet (768×1024) in headless
Chromium, with the page's clock set to moments of the sample event (Asia/Bangkok, +07:00)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import CHROMIUM, CHROMIUM_ARGS, chromium, chromium_available, file_url, watched_context
from field_support import REPO, guest_numbers, view

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not chromium_available(), reason="Debian chromium is not installed")]

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
SIZES = pytest.mark.parametrize("size", [PHONE, TABLET], ids=["phone", "tablet"])
AXE = REPO / "node_modules/axe-core/axe.min.js"
GUEST = "guests/jp-tanaka.html"

# (moment, state, the item the card names first, text that must be on the card)
MOMENTS = [
    ("2027-03-01T09:00:00+07:00", "before", "arrival", ["JL 031", "14:30"]),
    ("2027-03-01T16:00:00+07:00", "next", "item-0", ["งานเลี้ยงรับรองอย่างเป็นทางการ", "18:30"]),
    ("2027-03-01T22:30:00+07:00", "tomorrow", "item-1", ["พรุ่งนี้ (Tomorrow)", "พิธีเปิดการประชุม", "08:15"]),
    ("2027-03-02T09:30:00+07:00", "now", "item-2", ["ตอนนี้ (Now)", "พิธีเปิดการประชุม", "การประชุมเต็มคณะ ช่วงที่ 1"]),
    ("2027-03-03T17:00:00+07:00", "tomorrow", "departure", ["JL 034", "07:45"]),
    ("2027-03-04T12:00:00+07:00", "after", "departed", ["แขกเดินทางกลับแล้ว"]),
]


@pytest.fixture(scope="module")
def chrome() -> Iterator[object]:
    with chromium() as instance:
        yield instance


def _open(context, site: Path, rel: str, moment: str | None = None):  # noqa: ANN001, ANN202
    page = context.new_page()
    if moment:
        page.clock.set_fixed_time(moment)
    page.goto(file_url(site / rel))
    page.wait_for_load_state("load")
    return page


def _on_first_screen(page, selector: str) -> bool:  # noqa: ANN001
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


@SIZES
@pytest.mark.parametrize(("moment", "state", "item", "texts"), MOMENTS, ids=[m[1] + "@" + m[0][5:16] for m in MOMENTS])
def test_now_next_card(chrome, site_only: Path, size, moment, state, item, texts) -> None:  # noqa: ANN001
    with watched_context(chrome, size) as (context, log):
        page = _open(context, site_only, GUEST, moment)
        card = page.locator(".lo-nownext")
        assert card.get_attribute("data-state") == state
        assert card.get_attribute("data-item") == item
        shown = card.inner_text()
        for text in texts:
            assert text in shown, (text, shown)
        assert _on_first_screen(page, ".lo-nownext")
        assert _on_first_screen(page, ".lo-address__spoken")
    assert log.external == []


def test_now_next_card_follows_the_clock_while_open(chrome, site_only: Path) -> None:  # noqa: ANN001
    with watched_context(chrome, PHONE) as (context, _):
        page = context.new_page()
        page.clock.install(time="2027-03-02T10:25:00+07:00")
        page.goto(file_url(site_only / GUEST))
        card = page.locator(".lo-nownext")
        assert card.get_attribute("data-current") == "item-1"  # the opening ceremony, until 10:30
        page.clock.run_for("00:10:00")
        assert card.get_attribute("data-current") == ""  # a break
        assert card.get_attribute("data-item") == "item-2"
        assert card.get_attribute("data-state") == "next"


@SIZES
def test_most_called_numbers_are_large_targets_on_the_first_screen(chrome, site_only: Path, size) -> None:  # noqa: ANN001
    guests = sorted(p.stem for p in (site_only / "guests").glob("*-*.html"))
    assert len(guests) >= 9
    with watched_context(chrome, size) as (context, _):
        page = context.new_page()
        page.clock.set_fixed_time("2027-03-02T09:30:00+07:00")
        for guest_id in guests:
            page.goto(file_url(site_only / f"guests/{guest_id}.html"))
            calls = page.locator(".lo-calls a.lo-call")
            assert calls.count() == 5, guest_id
            for n in range(5):
                box = calls.nth(n).bounding_box()
                assert box and box["height"] >= 44 and box["width"] >= 44
                assert box["y"] + box["height"] <= size["height"], f"{guest_id}: call {n} below the first screen"
            assert _on_first_screen(page, ".lo-nownext") and _on_first_screen(page, ".lo-address__spoken"), guest_id
            hrefs = [calls.nth(n).get_attribute("href") for n in range(5)]
            assert hrefs[0] == "tel:" + view(guest_id).guest.transport.driver.phone.replace(" ", "")
            # no sideways scrolling anywhere on the page
            assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), guest_id


@SIZES
def test_tel_links_match_the_guest_record(chrome, site_only: Path, size) -> None:  # noqa: ANN001
    for guest_id in ["jp-tanaka", "sa-aldahmani", "us-ellsworth"]:
        with watched_context(chrome, size) as (context, _):
            page = _open(context, site_only, f"guests/{guest_id}.html")
            hrefs = page.eval_on_selector_all("article a[href^='tel:']", "els => els.map(e => e.getAttribute('href'))")
            expected = guest_numbers(view(guest_id))
            assert set(hrefs) >= expected, expected - set(hrefs)
            # every number listed for the guest is dialable (the emergency numbers may repeat in the text)
            assert set(hrefs) - expected <= {"tel:191", "tel:1669", "tel:199", "tel:1155", "tel:1784"}


@SIZES
def test_a_ticked_item_survives_a_reload(chrome, site_only: Path, size) -> None:  # noqa: ANN001
    with watched_context(chrome, size) as (context, _):
        page = _open(context, site_only, GUEST)
        boxes = page.locator("input.lo-check__box")
        assert boxes.count() > 20
        label = page.locator("span.lo-check__text").nth(2).inner_text()
        page.get_by_label(label, exact=True).check()  # found by its accessible name: the item's text
        assert "ทำแล้ว 1 จาก" in page.locator(".lo-progress").first.inner_text()
        page.reload()
        page.wait_for_load_state("load")
        assert page.locator("input.lo-check__box").nth(2).is_checked()
        assert page.locator("input.lo-check__box:checked").count() == 1
        assert "ทำแล้ว 1 จาก" in page.locator(".lo-progress").first.inner_text()
        # another guest's page has its own ticks
        other = _open(context, site_only, "guests/sa-aldahmani.html")
        assert other.locator("input.lo-check__box:checked").count() == 0
        # the reset clears them, after a confirmation
        page.on("dialog", lambda dialog: dialog.accept())
        page.locator("button.lo-reset").click()
        assert page.locator("input.lo-check__box:checked").count() == 0
        page.reload()
        assert page.locator("input.lo-check__box:checked").count() == 0


def test_a_ticked_item_survives_a_browser_restart(chrome, site_only: Path, tmp_path: Path) -> None:  # noqa: ANN001
    def session() -> object:
        return chrome.browser_type.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE
        )

    first = session()
    try:
        page = first.new_page()
        page.goto(file_url(site_only / GUEST))
        page.locator("input.lo-check__box").nth(4).check()
    finally:
        first.close()
    second = session()
    try:
        page = second.new_page()
        page.goto(file_url(site_only / GUEST))
        assert page.locator("input.lo-check__box").nth(4).is_checked()
        assert page.locator("input.lo-check__box:checked").count() == 1
    finally:
        second.close()


@SIZES
def test_emergency_number_is_on_the_first_screen_of_every_procedure(chrome, site_only: Path, size) -> None:  # noqa: ANN001
    pages = sorted(p for p in (site_only / "emergencies").glob("*.html") if p.name != "index.html")
    assert len(pages) >= 12
    with watched_context(chrome, size) as (context, _):
        page = context.new_page()
        for path in pages:
            page.goto(file_url(path))
            assert _on_first_screen(page, ".lo-first-action__text"), path.name
            assert _on_first_screen(page, ".lo-first-action a.lo-call[href^='tel:']"), path.name


@SIZES
def test_schedule_has_no_sideways_scroll_and_stacks_on_a_phone(chrome, site_only: Path, size) -> None:  # noqa: ANN001
    with watched_context(chrome, size) as (context, _):
        page = _open(context, site_only, "guests/no-lindvik.html")
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        table = page.locator("table.lo-schedule").first
        assert page.evaluate("t => t.scrollWidth <= t.clientWidth + 1", table.element_handle())
        display = page.evaluate("t => getComputedStyle(t.querySelector('tr.lo-item')).display", table.element_handle())
        assert display == ("block" if size is PHONE else "table-row")
        changed = page.locator("tr.lo-item--changed .lo-status").first
        assert changed.inner_text() == "เปลี่ยนแปลง (changed)"
        assert changed.evaluate("e => getComputedStyle(e).fontWeight") == "700"


def _axe(page) -> list[dict]:  # noqa: ANN001
    """Critical and serious violations, each node marked ``ours`` when it sits in the page's content (our templates,
    content and the HTML our build adds) rather than in Material's header, drawer, search or footer."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations.filter(v => ['critical', 'serious'].includes(v.impact)).map(v => ({
            id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => {
              const el = document.querySelector(n.target[0]);
              return {target: n.target.join(' '), ours: !!(el && el.closest('article.md-content__inner'))};
            }),
          }));
        }"""
    )


@SIZES
@pytest.mark.parametrize("rel", [GUEST, "emergencies/vip-illness.html", "emergencies/index.html", "phases/arrival.html"])
def test_no_serious_accessibility_violation_from_our_markup(chrome, site_only: Path, size, rel: str) -> None:  # noqa: ANN001
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm ci)")
    with watched_context(chrome, size) as (context, _):
        page = _open(context, site_only, rel, "2027-03-02T09:30:00+07:00")
        found = _axe(page)
    ours = {v["id"]: [n["target"] for n in v["nodes"] if n["ours"]] for v in found}
    ours = {rule: targets for rule, targets in ours.items() if targets}
    theirs = {v["id"]: [n["target"] for n in v["nodes"] if not n["ours"]][:3] for v in found}
    print(f"\n{rel} {size['width']}: Material's own: {theirs}")
    assert ours == {}, ours


def test_now_next_uses_bangkok_time_whatever_the_devices_time_zone(chrome, site_only: Path) -> None:  # noqa: ANN001
    """22:30 in Bangkok is 10:30 in New York: the card still says "tomorrow: the opening ceremony"."""
    context = chrome.new_context(viewport=PHONE, timezone_id="America/New_York", service_workers="block")
    try:
        page = _open(context, site_only, GUEST, "2027-03-01T22:30:00+07:00")
        card = page.locator(".lo-nownext")
        assert card.get_attribute("data-state") == "tomorrow" and card.get_attribute("data-item") == "item-1"
        assert page.evaluate("new Date().getHours()") == 10  # the device's own clock reads New York time
    finally:
        context.close()


def test_printed_page_leaves_out_now_next_and_prints_empty_boxes(chrome, site_only: Path) -> None:  # noqa: ANN001
    with watched_context(chrome, TABLET) as (context, _):
        page = _open(context, site_only, GUEST, "2027-03-02T09:30:00+07:00")
        box = page.locator("input.lo-check__box").first
        box.check()
        page.emulate_media(media="print")
        assert page.locator(".lo-nownext").evaluate("e => getComputedStyle(e).display") == "none"
        assert box.evaluate("e => getComputedStyle(e).appearance") == "none"  # no tick mark drawn on paper
        assert page.locator("table.lo-schedule").first.evaluate("e => getComputedStyle(e.querySelector('tr.lo-item')).display") == "table-row"
        assert page.locator(".lo-calls a.lo-call").count() == 5  # the numbers are on paper too
