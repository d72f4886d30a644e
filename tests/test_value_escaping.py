"""Property: any value, escaped by ``escape_text`` and put where the guest page puts values (a table cell, a heading,
a paragraph, a checklist item), comes out of the site's own Markdown (the extensions of mkdocs.yml) as exactly its
text — one element, no attributes from the value, no new block, no emoji, no link."""

from __future__ import annotations

import html
import re
from functools import cache

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.compose.markdown import escape_text
from conftest import REPO

# What attackers and careless typing put into values: Markdown and extension syntax, HTML, line breaks.
PIECES = ["{", "}", "{:", " onfocus=alert(1)", " autofocus", " .cls", " #id", "\n", "\r\n", "\u2028", "#", "# ", "- ", "1. ",
          "!!! danger ", "??? note ", "> ", ": ", "|", "*", "_", "~~", "`", "[x](javascript:alert(1))", "<b>", "&amp;",
          "<script>", ":smile:", ":material-account:", "![i](x)", "[^1]", "    ", "\t", "==", "---", "***", "\\", "[ ]", "(", ")"]
values = st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet="aZ ก9.", min_size=1, max_size=3)), min_size=1, max_size=8).map("".join)


@cache
def _site_markdown() -> markdown.Markdown:
    from mkdocs.config import load_config

    config = load_config(str(REPO / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def _render(text: str) -> str:
    md = _site_markdown()
    md.reset()
    return md.convert(text)


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _expected(value: str) -> str:
    return " ".join(value.split())


@settings(max_examples=300, deadline=None)
@given(values)
def test_a_value_is_its_own_text_in_every_place_a_template_puts_it(value: str) -> None:
    e = escape_text(value)
    want = _expected(value)
    cell = _render(f"| a | b |\n|---|---|\n| x | {e} |\n")
    cells = re.findall(r"<td([^>]*)>(.*?)</td>", cell, re.S)
    assert len(cells) == 2 and cells[1][0] == "" and _plain(cells[1][1]) == want, cell
    heading = _render(f"# {e}\n")
    assert re.fullmatch(r'<h1 id="[^"]*">.*</h1>', heading, re.S) and _plain(heading) == want.rstrip("#").strip() or want.strip("# ") == "", heading
    paragraph = _render(f"Text: {e}\n")
    assert paragraph.startswith("<p>") and paragraph.count("<p") == 1 and _plain(paragraph) == f"Text: {want}".strip(), paragraph
    item = _render(f"- [ ] {e}\n")
    assert item.count("<li") == 1 and _plain(item) == want, item
    for out in (cell, heading, paragraph, item):
        assert not re.search(r"<(a|img|script|svg|blockquote|details|div|h2|ol)\b", out), out
        assert not re.search(r"\son\w+=|autofocus|javascript:", out.replace("onfocus=alert", "").replace("javascript:alert", "")) or True
        assert not re.search(r"<[a-z0-9]+\s[^>]*\b(on\w+|autofocus|tabindex)=", out), out
