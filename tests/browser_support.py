"""Driving the built site in Debian's headless Chromium with Playwright (never ``playwright install``).

Every request the browser makes is seen by a route handler: ``file:`` and ``data:``/``blob:``/``about:`` URLs go
through, anything else is aborted and recorded, so a page that tries to reach a CDN or Google Fonts is caught even
though the test machine may have network.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
TABLET_PORTRAIT = {"width": 768, "height": 1024}
TABLET_LANDSCAPE = {"width": 1024, "height": 768}


def chromium_available() -> bool:
    return Path(CHROMIUM).is_file() or shutil.which("chromium") is not None


@dataclass
class RequestLog:
    """What one browser context asked for, split into local files and requests that would leave the device."""

    local: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    allowed_hosts: set[str] = field(default_factory=set)

    def handle(self, route, request) -> None:  # noqa: ANN001 - playwright types
        url = request.url
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or (parts.scheme in {"http", "https"} and parts.netloc in self.allowed_hosts):
            self.local.append(url)
            route.continue_()
        else:
            self.external.append(url)
            route.abort()


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def watched_context(browser, viewport: dict[str, int] | None = None, allowed_hosts: set[str] | None = None):  # noqa: ANN001
    """A fresh context whose every request is routed through a ``RequestLog`` (also service workers, offline)."""
    log = RequestLog(allowed_hosts=allowed_hosts or set())
    context = browser.new_context(viewport=viewport or TABLET_PORTRAIT, service_workers="block")
    context.route("**/*", log.handle)
    context.add_init_script(RESULT_HOOK)
    try:
        yield context, log
    finally:
        context.close()


def visit_all(context, files: list[Path], tabs: int = 4) -> None:  # noqa: ANN001
    """Open every file in a few tabs at once, each until its ``load`` event (scripts, styles, the worker iframe)."""
    pages = [context.new_page() for _ in range(tabs)]
    try:
        for i in range(0, len(files), tabs):
            batch = list(zip(pages, files[i : i + tabs]))
            for page, path in batch:
                page.goto(file_url(path), wait_until="commit")
            for page, _ in batch:
                page.wait_for_load_state("load")
    finally:
        for page in pages:
            page.close()


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


def site_path(url: str, site: Path) -> str:
    """``file:///…/site/guests/x.html#a`` → ``guests/x.html`` (relative to the site, no anchor or query)."""
    parts = urlsplit(url)
    path = Path(unquote(parts.path))
    try:
        return path.relative_to(site.resolve()).as_posix()
    except ValueError:
        return parts.path.lstrip("/")


#: Added to every page before its scripts: records what the search worker answers (Material's RESULT message,
#: type 3) as the iframe-worker shim hands it to the page, so a test sees every result, not just the first ten
#: rendered. Only for ``file://``, where the shim is in use.
RESULT_HOOK = """
(() => {
  if (window.parent !== window || window.__loResults) return;
  window.__loResults = [];
  const dispatch = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function (event) {
    if (event && event.type === "message" && event.data && event.data.type === 3) window.__loResults.push(event.data.data);
    return dispatch.call(this, event);
  };
})();
"""


def open_search(page) -> None:  # noqa: ANN001
    """Open the search the way a reader does: tap the magnifier on narrow screens, the search field on wide ones."""
    magnifier = page.locator("header label[for=__search]").first
    if magnifier.is_visible():
        magnifier.click()
    else:
        page.locator(".md-search__input").click()
    page.wait_for_selector(".md-search__input", state="visible")


def search_is_reachable(page) -> bool:  # noqa: ANN001
    """Material hides its whole search element when the worker cannot start (e.g. the shim failed to load)."""
    if page.evaluate("!document.querySelector('.md-search') || document.querySelector('.md-search').hidden"):
        return False
    return page.locator("header label[for=__search]").first.is_visible() or page.locator(".md-search__input").is_visible()


def search(page, query: str, timeout: float = 15_000) -> list[str]:  # noqa: ANN001
    """Type ``query`` into the search box; return the pages found (site-relative paths), best first.

    Playwright types Thai with insertText, which fires no keyup, and Material searches on keyup: press End after
    typing. Needs ``RESULT_HOOK`` (see ``watched_context``).
    """
    box = page.locator(".md-search__input")
    if not box.is_visible():
        open_search(page)
    if box.input_value() == query:
        _type(page, box, "", timeout)
    answer = _type(page, box, query, timeout)
    pages = [group[0]["location"].split("#")[0] for group in answer["items"] if group]
    if pages:  # what the reader sees: the first result on screen is the best page
        page.wait_for_function(
            """(want) => { const a = document.querySelector('.md-search-result__item a.md-search-result__link');
                          return a && new URL(a.href).pathname.endsWith('/' + want); }""",
            arg=pages[0],
            timeout=timeout,
        )
    return list(dict.fromkeys(pages))


def _type(page, box, text: str, timeout: float) -> dict:  # noqa: ANN001
    seen = page.evaluate("window.__loResults.length")
    box.fill(text)
    box.press("End")
    page.wait_for_function("(n) => window.__loResults.length > n", arg=seen, timeout=timeout, polling=20)
    return page.evaluate("window.__loResults[window.__loResults.length - 1]")


# --- what the site says, read from the built HTML (the truth search results are checked against) ---------------

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def _plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def page_texts(site: Path) -> dict[str, tuple[str, str]]:
    """``{path: (title, text)}`` for every content page of a built site (not 404.html)."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        article = _ARTICLE.search(path.read_text(encoding="utf-8"))
        if article:
            title = _H1.search(article.group(1))
            out[rel] = (_plain(title.group(1)) if title else "", _plain(article.group(1)))
    return out


def pages_containing(texts: dict[str, tuple[str, str]], query: str) -> set[str]:
    """Pages whose text has every space-separated part of ``query`` (case-insensitive for Latin letters)."""
    parts = query.lower().split()
    return {rel for rel, (_, text) in texts.items() if all(p in text.lower() for p in parts)}


def titles_containing(texts: dict[str, tuple[str, str]], query: str) -> set[str]:
    return {rel for rel, (title, _) in texts.items() if query.lower() in title.lower()}


#: Thai (and a few mixed) queries a Liaison Officer would type, taken from the knowledge pages and guest pages.
#: The pages each must return are read from the built site (every page whose text contains the query).
QUERIES = [
    "ตำรวจอารักขา", "อาหาร", "เนื้อหมู", "อิสลาม", "หมู", "ฮาลาล", "โรงแรม", "1669",
    "ตำรวจรถนำ", "หนังสือเดินทาง", "สัมภาระ", "โรงพยาบาล", "รถพยาบาล", "แพ้อาหาร", "มังสวิรัติ", "แอลกอฮอล์",
    "ของขวัญ", "ละหมาด", "ประสานงาน", "ท่าอากาศยาน", "สุวรรณภูมิ", "เที่ยวบิน", "ล่าช้า", "คนขับ",
    "ทะเบียนรถ", "แต่งกาย", "ไหว้", "สถานเอกอัครราชทูต", "ล่าม", "ห้องพัก", "กำหนดการ", "อาการแพ้",
    "น้ำท่วม", "แผ่นดินไหว", "มุสลิม", "ยาประจำตัว", "เนื้อวัว", "ฮินดู", "ถั่ว", "ยกเลิก",
    "ภริยา", "สายการบิน", "ห้องละหมาด", "อาหารเช้า",
    # mixed Thai and English
    "ฮาลาล halal", "ตำรวจ police", "LO คือใคร",
]
