"""The table of country pages appended to ``countries/index.md``."""

from __future__ import annotations

from ..knowledge import CountryMeta, KnowledgePage
from .markdown import escape_text


def country_table(countries: dict[str, KnowledgePage]) -> str:
    rows = ["| ประเทศ (Country) | ISO | ภาษา (Languages) | ศาสนาหลัก (Religions) | เวลาเทียบกรุงเทพฯ (vs Bangkok) |", "|---|---|---|---|---|"]
    for page in sorted(countries.values(), key=lambda p: p.meta.title):
        meta = page.meta
        assert isinstance(meta, CountryMeta)
        name = page.path.rsplit("/", 1)[-1]
        rows.append(
            f"| [{escape_text(meta.name_th)} ({escape_text(meta.name_en)})]({name}) | {meta.iso} | {escape_text(', '.join(meta.languages))} "
            f"| {escape_text(', '.join(meta.religions))} | {meta.utc_offset_from_bangkok} ชม. |"
        )
    return "\n".join(rows) + "\n"
