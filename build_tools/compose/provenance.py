"""The closing section of every knowledge page: its review status and its sources, as the front matter states them.

Appended to the page's Markdown at build time, so the site, its search and the PDFs all carry it.
"""

from __future__ import annotations

from ..knowledge import PageMeta
from .markdown import escape_text

HEADING = "ที่มาและสถานะของหน้านี้ (Sources and review)"


def provenance_markdown(meta: PageMeta) -> str:
    if meta.status == "reviewed":
        status = f"ตรวจทานแล้วโดย {escape_text(meta.reviewed_by or '—')} เมื่อ {meta.reviewed}"
    else:
        status = f"ฉบับร่าง ยังไม่ผ่านการตรวจทาน (draft) · ปรับปรุงล่าสุด {meta.reviewed}"
    lines = [f"\n\n## {HEADING}\n", f"- **สถานะ:** {status}"]
    if meta.review_note:
        lines.append(f"- **ต้องตรวจก่อนใช้:** {escape_text(meta.review_note)}")
    lines.append("- **ที่มา:**")
    lines += [f"    1. {escape_text(source)}" for source in meta.sources]
    return "\n".join(lines) + "\n"
