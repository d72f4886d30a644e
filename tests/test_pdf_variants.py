"""Archival (PDF/A-2u, 3u) and accessible (PDF/UA-1) handbooks keep the Thai fix, and links stay links.

What can be checked without veraPDF: the structure tree, every font embedded with a Unicode map
(no code mapped to nothing), the XMP metadata naming the standard, the document language, output
intent; the pages render exactly as the plain PDF; the five extractors read the Thai exactly;
phone numbers and web addresses written as ``<a href>`` become link annotations.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
import thai_passages
from weasyprint import HTML

from build_tools.pdf import thai_text
from build_tools.pdf.chapters import RenderedPage, to_chapter
from build_tools.pdf.render import DEFAULT_PDF_VARIANT, PDF_VARIANTS, variant_options

from conftest import page_images

if missing := thai_passages.missing_tools():
    pytest.skip(f"text extractors not installed: {', '.join(missing)} (make setup)", allow_module_level=True)

PARAGRAPHS = [
    "กำหนดการของคณะญี่ปุ่นเปลี่ยน ผู้ประสานงานต้องแจ้งเจ้าหน้าที่ทั้งหมดที่พักและตำรวจอารักขาภายในห้านาที",
    "ถ้าแขกต้องการน้ำดื่มหรือผ้าเย็น ให้ขอจากรถคันที่สอง (second car) ก่อนถึงที่หมาย",
]
PHONE = "+66 2 123 4567"


def _document() -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    links = (f'<p>โทร <a href="tel:{PHONE.replace(" ", "")}">{PHONE}</a> หรือดูที่ '
             '<a href="https://www.moph.go.th/">www.moph.go.th</a></p>')
    return ('<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>คู่มือทดสอบ (test handbook)</title>'
            "<style>@page { size: A5; margin: 15mm } body { font-family: Laksaman; font-size: 13pt }</style>"
            f"</head><body><h1>คู่มือทดสอบ</h1>{body}{links}</body></html>")


pytestmark = pytest.mark.usefixtures("thai_fix")  # conftest: the Thai text fix on, global state restored


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The test document written as each variant, the way render.py writes handbooks."""
    thai_text.enable_thai_text_fix()
    out = tmp_path_factory.mktemp("variants")
    written = {}
    for variant in PDF_VARIANTS:
        options = {"pdf_identifier": b"0" * 32, "custom_metadata": True, **variant_options(variant)}
        target = out / f"{variant.replace('/', '-')}.pdf"
        HTML(string=_document()).render(**options).write_pdf(target, **options)
        written[variant] = target
    return written


def test_default_is_archival_and_tagged() -> None:
    assert DEFAULT_PDF_VARIANT == "pdf/a-2u"
    assert variant_options(DEFAULT_PDF_VARIANT) == {"pdf_variant": "pdf/a-2u", "pdf_tags": True}
    with pytest.raises(ValueError, match="pdf/ua-1"):
        variant_options("pdf/x-4")


@pytest.mark.parametrize("variant", ["pdf/a-2u", "pdf/a-3u", "pdf/ua-1"])
def test_structure_language_and_metadata(pdfs: dict[str, Path], variant: str) -> None:
    reader = pypdf.PdfReader(pdfs[variant])
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog, "no structure tree"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "th"
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert "คู่มือทดสอบ (test handbook)" in xmp  # dc:title
    if variant.startswith("pdf/a"):
        part, conformance = variant[6], variant[7].upper()
        assert re.search(rf'pdfaid:part="{part}"', xmp) and re.search(rf'pdfaid:conformance="{conformance}"', xmp)
        assert catalog["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    else:
        assert 'pdfuaid:part="1"' in xmp
        assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])


def _embedded(font: pypdf.generic.DictionaryObject) -> bool:
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


@pytest.mark.parametrize("variant", list(PDF_VARIANTS))
def test_every_font_embedded_with_a_unicode_map(pdfs: dict[str, Path], variant: str) -> None:
    reader = pypdf.PdfReader(pdfs[variant])
    seen = 0
    for page in reader.pages:
        for name, font in page["/Resources"]["/Font"].items():
            font = font.get_object()
            seen += 1
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            values = re.findall(r"<[0-9a-fA-F]+>\s*<([0-9a-fA-F]*)>", cmap)
            assert values and all(values), f"{name}: a code maps to no text"
            if font["/Subtype"] == "/Type3":  # cluster glyphs: drawn with an embedded font of the same file
                for inner in font["/Resources"]["/Font"].values():
                    assert _embedded(inner.get_object()), name
                assert "/FontDescriptor" in font, f"{name}: tagged PDF needs a Type 3 font descriptor"
            else:
                assert font["/Subtype"] == "/Type0" and _embedded(font), name
    assert seen


def test_variants_render_exactly_like_the_plain_pdf(pdfs: dict[str, Path], tmp_path: Path) -> None:
    plain = page_images(pdfs["plain"], tmp_path / "plain")
    assert plain
    for variant, pdf in pdfs.items():
        if variant != "plain":
            assert page_images(pdf, tmp_path / variant.replace("/", "-")) == plain, variant


def test_variants_keep_the_thai_fix(pdfs: dict[str, Path]) -> None:
    texts = thai_passages.extract_all(list(pdfs.values()))
    for variant, pdf in pdfs.items():
        for name in thai_passages.EXTRACTORS:
            score = thai_passages.score(PARAGRAPHS, texts[name][pdf])
            assert not score.missed, f"{variant} {name}: {score.missed}"


@pytest.mark.parametrize("variant", list(PDF_VARIANTS))
def test_phone_numbers_and_web_addresses_are_link_annotations(pdfs: dict[str, Path], variant: str) -> None:
    uris = [annotation.get_object()["/A"]["/URI"]
            for page in pypdf.PdfReader(pdfs[variant]).pages for annotation in page.get("/Annots", [])
            if annotation.get_object()["/Subtype"] == "/Link"]
    assert f"tel:{PHONE.replace(' ', '')}" in uris and "https://www.moph.go.th/" in uris


def test_tel_links_of_site_pages_reach_the_handbook_chapters(tmp_path: Path) -> None:
    """chapters.py keeps ``tel:`` and web links as they are (the site's Markdown makes them, see issue 18)."""
    page = RenderedPage("guests/jp-tanaka.html", "Tanaka", '<p>LO: <a href="tel:+66812345678">081 234 5678</a></p>')
    chapter = to_chapter(page, {page.url: "ch-guests-jp-tanaka"}, tmp_path)
    assert 'href="tel:+66812345678"' in chapter.html


def test_each_variant_has_its_own_cache_entry(tmp_path: Path) -> None:
    from build_tools.pdf.render import job_for_html, render_all
    from build_tools.workers import IN_PROCESS

    job = job_for_html(_document(), tmp_path / "out" / "doc.pdf")
    cache = tmp_path / "cache"
    render_all([job], cache, IN_PROCESS)  # the default variant keeps the job's own key
    assert sorted(path.name for path in cache.iterdir() if path.suffix == ".pdf") == [f"{job.key}.pdf"]
    render_all([job], cache, IN_PROCESS, variant="pdf/ua-1")
    assert len([path for path in cache.iterdir() if path.suffix == ".pdf"]) == 2
    assert "pdfuaid" in pypdf.PdfReader(job.target).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    with pytest.raises(ValueError):
        render_all([job], cache, IN_PROCESS, variant="pdf/a-9")
