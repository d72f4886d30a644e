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
PIECES = ["{", "}", "{:", " onfocus=alert(1)", " autofocus", " tabindex=1", " .cls", " #id", "\n", "\r\n", "\u2028", "#",
          "# ", "- ", "1. ", "!!! danger ", "??? note ", "> ", ": ", "|", "*", "_", "~~", "`", "[x](javascript:alert(1))",
          "<b>", "&amp;", "<script>", ":smile:", ":material-account:", "![i](x)", "[^1]", "    ", "\t", "==", "---", "***",
          "\\", "[ ]", "(", ")"]
values = st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet="aZ ก9.", min_size=1, max_size=3)),
                  min_size=1, max_size=8).map("".join)
FORBIDDEN_TAGS = re.compile(r"<(a|img|script|svg|span|blockquote|details|div|h[1-6]|ol|ul|code|em|strong|del|dl)\b")
FORBIDDEN_ATTRIBUTES = re.compile(r"<[a-z0-9]+(?:\s[^>]*)?\s(on\w+|autofocus|tabindex)\b[^>]*>")
OWN_ATTRIBUTES = re.compile(r'( id="[^"]*"| class="task-list-item")?')  # what the page's Markdown itself sets


@cache
def _site_markdown() -> markdown.Markdown:
    from mkdocs.config import load_config

    config = load_config(str(REPO / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def _render(text: str) -> str:
    md = _site_markdown()
    md.reset()
    return re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", md.convert(text))  # the theme's permalink, not the value


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _inner(out: str, tag: str) -> str:
    """The one ``tag`` element of ``out`` (asserting there is exactly one, with no attributes but a heading's id)."""
    found = re.findall(rf"<{tag}([^>]*)>(.*?)</{tag}>", out, re.S)
    assert len(found) == 1 and out.count(f"<{tag}") == 1 and OWN_ATTRIBUTES.fullmatch(found[0][0]), out
    body = found[0][1]
    assert not FORBIDDEN_TAGS.search(body) and not FORBIDDEN_ATTRIBUTES.search(out), out
    return body


@settings(max_examples=300, deadline=None)
@given(values)
def test_a_value_is_its_own_text_in_every_place_a_template_puts_it(value: str) -> None:
    want = " ".join(value.split())
    e = escape_text(value)
    cell = _render(f"| a | b |\n|---|---|\n| x | {e} |\n")
    cells = re.findall(r"<td([^>]*)>(.*?)</td>", cell, re.S)
    assert len(cells) == 2 and cells[1][0] == "" and _plain(cells[1][1]) == want, cell
    assert not FORBIDDEN_TAGS.search(cells[1][1]) and not FORBIDDEN_ATTRIBUTES.search(cell), cell
    heading = _render(f"# Guest {e}\n")
    assert _plain(_inner(heading, "h1")) == f"Guest {want}".strip(), heading
    paragraph = _render(f"Text: {e}\n")
    assert _plain(_inner(paragraph, "p")) == f"Text: {want}".strip(), paragraph
    item = _render(f"- [ ] {e}\n")
    assert _plain(re.sub(r"<input[^>]*>", "", _inner(item, "li"))) == want, item
