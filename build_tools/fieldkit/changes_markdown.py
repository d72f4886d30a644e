"""What changed, as Markdown: the block under a guest page's title and the "what changed" page of all guests."""

from __future__ import annotations

from ..compose.markdown import escape_text, render
from ..model import Event
from .changes import SECTIONS, Comparison


def admonition(comparison: Comparison, guest_id: str) -> str:
    """The block at the top of the guest page (and so of the guest handbook); empty when nothing changed."""
    found = comparison.for_guest(guest_id)
    if comparison.snapshot is None or found is None or found.state == "same":
        return ""
    n = comparison.snapshot.version
    if found.state == "new":
        return (f'!!! warning "แขกใหม่หลังฉบับที่ {n} (New since version {n})"\n'
                f"    ยังไม่มีแขกท่านนี้ในฉบับที่เผยแพร่ครั้งล่าสุด ({escape_text(comparison.snapshot.date)}) — not in the last published version.\n\n")
    if found.state == "unknown":
        return (f'!!! warning "เปลี่ยนแปลงตั้งแต่ฉบับที่ {n} (Changed since version {n})"\n'
                "    เทียบกับฉบับที่เผยแพร่ไม่ได้ (the published data no longer matches the schema): ตรวจทุกรายการ\n\n")
    lines = [f'!!! warning "เปลี่ยนแปลงตั้งแต่ฉบับที่ {n} (Changed since version {n})"',
             f"    เทียบกับฉบับที่ {n} ที่เผยแพร่เมื่อ {escape_text(comparison.snapshot.date)} (compared with version {n}):", ""]
    for label, changes in found.by_section():
        lines.append(f"    - **{escape_text(label)}**")
        lines += [f"        - {escape_text(c.text)}" for c in changes]
    return "\n".join(lines) + "\n\n"


def with_admonition(markdown: str, block: str) -> str:
    """``markdown`` with ``block`` right after its first-level title."""
    if not block:
        return markdown
    head, sep, rest = markdown.partition("\n")
    if head.startswith("# "):
        return f"{head}\n\n{block}{rest.lstrip(chr(10))}"
    return block + markdown


def changes_page(comparison: Comparison, event: Event) -> str:
    return render("changes.md.j2", comparison=comparison, event=event, sections=SECTIONS)
