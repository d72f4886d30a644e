"""Site pages become chapters of a printed document once per distinct chapter (``pdf/handbooks.chapters_of``): the
shared emergency chapters of every guest handbook are made once a build, and a preview makes again only the chapters
whose page changed. Reused or not, a chapter is the one ``to_chapter`` makes for that document."""

from __future__ import annotations

from pathlib import Path

from build_tools.memo import Memo
from build_tools.pdf.chapters import RenderedPage, chapter_id, to_chapter
from build_tools.pdf.handbooks import chapters_of

SITE = Path("/site")
FIRE = RenderedPage("emergencies/fire.html", "Fire",
                    '<h1>Fire</h1><p id="call">Call the desk, then read <a href="medical.html#first">medical</a> and '
                    '<a href="../guests/a.html">the guest</a>, <a href="#call">here</a>, <a href="tel:+6621">desk</a>.</p>')
MEDICAL = RenderedPage("emergencies/medical.html", "Medical", '<h1>Medical</h1><p id="first">First aid</p>')


def _guest(name: str) -> RenderedPage:
    return RenderedPage(f"guests/{name}.html", name, f'<h1>{name}</h1><p>Read <a href="../emergencies/fire.html">fire</a>.</p>')


def _plain(pages: list[tuple[RenderedPage, str | None]]) -> list:
    in_document = {page.url: chapter_id(page.url) for page, _ in pages}
    return [to_chapter(page, in_document, SITE, part) for page, part in pages]


def test_a_chapter_is_made_once_for_every_document_with_the_same_page_and_links() -> None:
    memo = Memo()
    documents = [[(_guest(name), "own"), (FIRE, "shared"), (MEDICAL, "shared")] for name in ("b", "c")]
    made = [chapters_of(pages, SITE, memo) for pages in documents]
    assert made == [_plain(pages) for pages in documents]
    assert made[0][1] is made[1][1] and made[0][2] is made[1][2]  # the shared chapters: one object each
    assert made[0][0] != made[1][0]


def test_a_page_whose_link_target_is_in_one_document_only_is_made_for_each() -> None:
    memo = Memo()
    with_guest_a = [(_guest("a"), "own"), (FIRE, "shared"), (MEDICAL, "shared")]  # fire links to guests/a.html
    with_guest_b = [(_guest("b"), "own"), (FIRE, "shared"), (MEDICAL, "shared")]
    first, second = chapters_of(with_guest_a, SITE, memo), chapters_of(with_guest_b, SITE, memo)
    assert (first, second) == (_plain(with_guest_a), _plain(with_guest_b))
    assert first[1].html != second[1].html and 'href="#ch-guests-a"' in first[1].html
    assert first[2] is second[2]


def test_a_preview_makes_again_only_the_chapter_whose_page_changed() -> None:
    memo = Memo()
    pages = [(_guest("b"), "own"), (FIRE, "shared")]
    before = chapters_of(pages, SITE, memo)
    memo.sweep()
    edited = RenderedPage("guests/b.html", "b", pages[0][0].html.replace("Read", "Now read"))
    after = chapters_of([(edited, "own"), (FIRE, "shared")], SITE, memo)
    assert after[1] is before[1]
    assert after[0] != before[0] and "Now read" in after[0].html
    assert after == _plain([(edited, "own"), (FIRE, "shared")])
