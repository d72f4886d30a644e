"""The offline site as a Liaison Officer's tablet sees it: nothing leaves the device, Thai search finds words inside
sentences, tablet layouts and printing work. Static checks on the built files, then real headless Chromium
(Debian's /usr/bin/chromium driven by Playwright) opening the site from ``file://`` and from a local server."""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools.mkdocs_plugin.search_hooks import SHIM_PACKAGE, TOOL_ROOT
from build_tools.search_th import SEPARATOR, ZWSP
from build_tools.slugs import slugify

from browser_support import (
    QUERIES,
    TABLET_LANDSCAPE,
    TABLET_PORTRAIT,
    chromium,
    chromium_available,
    file_url,
    open_search,
    page_texts,
    pages_containing,
    search,
    search_is_reachable,
    titles_containing,
    visit_all,
    watched_context,
)

browser = pytest.mark.browser
needs_chromium = pytest.mark.skipif(not chromium_available(), reason="Debian chromium is not installed (make test-tools)")
#: What makes a browser fetch: any element's src, srcset, poster, data or background, a <link>'s href, a CSS url() or
#: @import in a style attribute or element, pointing off the device (protocol-relative too). A link (<a href>) is not
#: fetched until tapped.
EXTERNAL_REF = re.compile(
    r"""<[a-z][^>]*?\b(?:src|srcset|poster|data|background)=["']\s*((?:https?:)?//[^"'\s]+)"""
    r"""|<link\b[^>]*?\bhref=["']((?:https?:)?//[^"']+)"""
    r"""|(?:url\(|@import)\s*(?:&quot;|&#39;|["'])?\s*((?:https?:)?//[^"')&;\s]+)""", re.I)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def pages_of_each_kind(site: Path) -> list[Path]:
    """Every guest page (what guest data, the part that varies, can put on a page), and of every other folder its
    index and its first other page: each template and kind of page once, for checks in the browser that
    :func:`test_pages_load_nothing_from_elsewhere` makes on every page's HTML."""
    chosen = sorted((site / "guests").glob("*.html"))
    for folder in sorted({path.parent for path in html_pages(site)} - {site / "guests"}):
        pages = sorted(folder.glob("*.html"))
        chosen += [page for page in pages if page.name == "index.html"]
        chosen += [page for page in pages if page.name != "index.html"][:1]
    return chosen


# --- the built files ----------------------------------------------------------------------------------------------


def test_pages_load_nothing_from_elsewhere(sample_site: Path) -> None:
    """No script, style, font or image tag points off the device, and the worker shim is the npm package's file."""
    offenders = {}
    for path in html_pages(sample_site):
        found = [url for match in EXTERNAL_REF.findall(path.read_text(encoding="utf-8")) for url in match if url]
        if found:
            offenders[path.relative_to(sample_site).as_posix()] = found
    assert not offenders
    shim = sample_site / "assets/javascripts/iframe-worker/shim.js"
    assert shim.read_bytes() == (TOOL_ROOT / SHIM_PACKAGE).read_bytes()
    index_html = (sample_site / "index.html").read_text(encoding="utf-8")
    assert '<script src="assets/javascripts/iframe-worker/shim.js"></script>' in index_html
    assert "fonts.googleapis" not in index_html and "unpkg.com" not in index_html


@pytest.mark.parametrize("snippet", [
    '<img alt="" src="https://example.org/a.png">', '<img srcset="//cdn.example.org/a.png 2x">',
    '<video poster="https://example.org/p.jpg">', '<object data="http://example.org/o.svg">',
    '<link rel="stylesheet" href="https://fonts.googleapis.com/css2">',
    '<div style="background: url(https://example.org/b.png)">', '<p style="background:url(&quot;//example.org/b.png&quot;)">',
    "<style>@import 'https://example.org/c.css';</style>"])
def test_the_scan_for_requests_off_the_device_sees_each_way_a_page_makes_one(snippet: str) -> None:
    assert EXTERNAL_REF.search(snippet)


@pytest.mark.parametrize("snippet", ['<a href="https://example.org/">', '<img src="../assets/a.png">',
                                     '<div style="background: url(../assets/b.png)">'])
def test_the_scan_leaves_links_and_files_on_the_device_alone(snippet: str) -> None:
    assert not EXTERNAL_REF.search(snippet)


def test_search_index_has_thai_words(sample_site: Path) -> None:
    data = json.loads((sample_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert data["config"]["separator"] == SEPARATOR
    assert {"title_parts", "text_parts"} <= set(data["config"]["fields"])
    docs = data["docs"]
    assert sum(ZWSP in d["text"] for d in docs) > len(docs) / 2
    assert any("อิสลาม" in d.get("text_parts", "").split() for d in docs)
    assert any("หมู" in d.get("text_parts", "").split() for d in docs)
    # the offline plugin inlined the rewritten index, not Material's original one
    inlined = (sample_site / "search/search_index.js").read_text(encoding="utf-8")
    assert inlined.startswith("var __index = ") and json.loads(inlined[len("var __index = ") :]) == data


def test_thai_heading_anchors_keep_their_marks(sample_site: Path) -> None:
    heading = re.compile(r'<h([2-4]) id="([^"]+)">(.*?)<a class="headerlink"', re.S)
    checked = 0
    for path in html_pages(sample_site):
        for _, anchor, inner in heading.findall(path.read_text(encoding="utf-8")):
            assert not re.fullmatch(r"_\d+", anchor), f"{path.name}: numbered anchor {anchor}"
            text = html.unescape(re.sub(r"<[^>]+>", "", inner))
            if re.search("[\u0e00-\u0e7f]", text):
                assert anchor == slugify(text), (path.name, anchor, text)
                checked += 1
    assert checked > 50
    au = (sample_site / "countries/au.html").read_text(encoding="utf-8")
    assert 'id="การแต่งกาย-dress"' in au  # vowel and tone marks kept: แ ่ ง


# --- in the browser -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chrome() -> Iterator[object]:
    if not chromium_available():
        pytest.skip("Debian chromium is not installed (make test-tools)")
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def texts(sample_site: Path) -> dict[str, tuple[str, str]]:
    return page_texts(sample_site)


@browser
@needs_chromium
def test_no_request_leaves_the_device_from_file(chrome, sample_site: Path) -> None:  # noqa: ANN001
    files = pages_of_each_kind(sample_site)
    with watched_context(chrome) as (context, log):
        visit_all(context, files)
        page = context.new_page()
        page.goto(file_url(sample_site / "guests/index.html"))
        assert search_is_reachable(page), "search box hidden: the worker shim failed"
        assert search(page, "โรงแรม")  # loads the index, the worker and its scripts
    assert log.external == [], f"requests leaving the device: {sorted(set(log.external))[:10]}"
    assert len(files) > 20
    assert any(url.endswith("iframe-worker/shim.js") for url in log.local)
    assert any("search_index.js" in url for url in log.local)


@browser
@needs_chromium
def test_no_request_leaves_the_device_over_http(chrome, sample_site: Path) -> None:  # noqa: ANN001
    handler = functools.partial(_QuietHandler, directory=str(sample_site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        host = f"127.0.0.1:{server.server_address[1]}"
        with watched_context(chrome, allowed_hosts={host}) as (context, log):
            page = context.new_page()
            for path in ["index.html", "guests/index.html", "countries/sa.html", "emergencies/vip-illness.html"]:
                page.goto(f"http://{host}/{path}")
            open_search(page)
            page.locator(".md-search__input").fill("ฮาลาล")
            page.locator(".md-search__input").press("End")
            page.wait_for_selector(".md-search-result__item")
        server.shutdown()
    assert log.external == [], sorted(set(log.external))
    assert any("search_index.json" in url for url in log.local)


@browser
@needs_chromium
def test_thai_queries_find_the_pages_that_contain_them(chrome, sample_site: Path, texts) -> None:  # noqa: ANN001
    """Every query of the set, typed into the search box: each page whose text contains it comes back, and a page
    with the query in its title comes first."""
    missed, wrong_first, recalls = {}, {}, []
    with watched_context(chrome) as (context, log):
        page = context.new_page()
        page.goto(file_url(sample_site / "index.html"))
        for query in QUERIES:
            found = search(page, query)
            relevant = pages_containing(texts, query)
            assert relevant, f"query set out of date: no page contains {query!r}"
            recalls.append(len(relevant & set(found)) / len(relevant))
            if relevant - set(found):
                missed[query] = sorted(relevant - set(found))
            titled = titles_containing(texts, query)
            if titled and found[0] not in titled:
                wrong_first[query] = (found[0], sorted(titled))
    assert log.external == []
    recall = sum(recalls) / len(recalls)
    # A substring is not always a word: ล่าม (interpreter) "occurs" in เล่า|มุก (tell a joke), which no reader means.
    assert recall >= 0.98 and all(len(pages) <= 1 for pages in missed.values()), (recall, missed)
    assert not wrong_first


@browser
@needs_chromium
def test_compound_parts_and_mixed_queries(chrome, sample_site: Path, texts) -> None:  # noqa: ANN001
    with watched_context(chrome) as (context, _):
        page = context.new_page()
        page.goto(file_url(sample_site / "index.html"))
        # หมู only inside เนื้อหมู, อิสลาม only inside ศาสนาอิสลาม on some pages: still found
        for part, compound in [("หมู", "เนื้อหมู"), ("อิสลาม", "ศาสนาอิสลาม")]:
            assert pages_containing(texts, compound) <= set(search(page, part))
        # a run typed without spaces asks for all of its words
        assert page.evaluate("loBriefingSearch.segment('ตำรวจอารักขา')") == "+ตำรวจ +อารักขา*"
        found = set(search(page, "ตำรวจอารักขา"))
        assert pages_containing(texts, "ตำรวจอารักขา") <= found <= pages_containing(texts, "ตำรวจ อารักขา")
        # Thai and English together
        assert "culture/religion-and-diet.html" in search(page, "ฮาลาล halal")
        assert search(page, "LO คือใคร")[0] == "role/what-is-an-lo.html"
        assert search(page, "หนังสือเดินทาง")[0] == "emergencies/lost-passport.html"


@browser
@needs_chromium
def test_result_snippets_show_readable_thai(chrome, sample_site: Path) -> None:  # noqa: ANN001
    with watched_context(chrome) as (context, _):
        page = context.new_page()
        page.goto(file_url(sample_site / "index.html"))
        search(page, "อาหาร")
        marks = page.eval_on_selector_all(
            ".md-search-result mark",
            "els => els.map(m => [m.textContent, (m.nextSibling && m.nextSibling.textContent || ' ')[0]])",
        )
        text = page.locator(".md-search-result__list").inner_text()
    assert marks and all(mark == "อาหาร" or mark.lower().startswith("อาหาร") for mark, _ in marks), marks[:5]
    assert all(after not in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c" for _, after in marks)
    assert ZWSP not in text and "\\u200b" not in text and "&#8203;" not in text and "\ufffd" not in text
    assert re.search("[\u0e00-\u0e7f]{20}", text), "no Thai sentence in the snippets"


@browser
@needs_chromium
@pytest.mark.parametrize("viewport", [TABLET_PORTRAIT, TABLET_LANDSCAPE], ids=["portrait", "landscape"])
def test_tablet_sizes(chrome, sample_site: Path, viewport: dict[str, int]) -> None:  # noqa: ANN001
    guest = next(p for p in sorted((sample_site / "guests").glob("*.html")) if p.name != "index.html")
    with watched_context(chrome, viewport=viewport) as (context, log):
        page = context.new_page()
        for path in [guest, sample_site / "countries/sa.html", sample_site / "glossary.html"]:
            page.goto(file_url(path))
            overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path.name} scrolls sideways by {overflow}px at {viewport}"
        assert search_is_reachable(page)
        # the navigation is one tap away; landscape also shows the page's table of contents beside it
        nav_visible = page.locator(".md-sidebar--primary").is_visible()
        assert nav_visible or page.locator("header label[for=__drawer]").first.is_visible()
        if viewport is TABLET_LANDSCAPE:
            assert page.locator(".md-sidebar--secondary").is_visible()
        found = search(page, "ฮาลาล")
        assert found and page.locator(".md-search-result__item").first.is_visible()
    assert log.external == []


@browser
@needs_chromium
def test_printing_hides_the_site_chrome(chrome, sample_site: Path) -> None:  # noqa: ANN001
    with watched_context(chrome, viewport=TABLET_PORTRAIT) as (context, _):
        page = context.new_page()
        page.goto(file_url(sample_site / "emergencies/vip-illness.html"))
        page.emulate_media(media="print")
        for selector in [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search"]:
            hidden = page.eval_on_selector_all(selector, "els => els.every(e => getComputedStyle(e).display === 'none' || !e.offsetParent)")
            assert hidden, f"{selector} is printed"
        assert page.locator("article h1").is_visible()
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert page.evaluate("document.querySelectorAll('details:not([open])').length") == 0
        pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass
