"""Two builds of the same input give byte-identical files (SOURCE_DATE_EPOCH honoured, stable order, fixed PDF ids)."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

from build_tools.archive import zip_site
from build_tools.pdf.chapters import Chapter
from build_tools.pdf.handbooks import Handbook
from build_tools.pdf.render import job_for, render_all
from build_tools.workers import IN_PROCESS

from conftest import run_cli

EPOCH = {"SOURCE_DATE_EPOCH": "1798761600"}  # 2027-01-01


def _digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_site_builds_are_byte_identical_with_helpers_or_in_one_process(project: Path, tmp_path: Path) -> None:
    """The second build runs everything in one process (``--workers 1``) with its own empty cache: the same bytes."""
    digests = []
    for run, extra in (("a", []), ("b", ["--workers", "1", "--cache-dir", str(tmp_path / "cache-b")])):
        result = run_cli("build", "--no-pdf", "--site-dir", str(tmp_path / run), *extra, cwd=project, env=EPOCH)
        assert result.returncode == 0, result.stderr
        digests.append(_digests(tmp_path / run))
    assert digests[0] == digests[1]
    assert "lo-briefing-site.zip" not in digests[0], "no zip for the tablets without its PDFs"


def test_the_zip_is_byte_identical_and_stores_pdfs_as_they_are(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "pdf").mkdir(parents=True)
    (site / "index.html").write_text("<p>" + "ข้อมูลแขก " * 500 + "</p>", encoding="utf-8")
    (site / "pdf" / "guest.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    archives = []
    for run in ("a", "b"):
        zip_site(site, tmp_path / f"{run}.zip")
        archives.append((tmp_path / f"{run}.zip").read_bytes())
        os.utime(site / "index.html", (2_000_000_000, 2_000_000_000))  # file dates do not reach the zip
    assert archives[0] == archives[1]
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        kinds = {info.filename: info.compress_type for info in archive.infolist()}
        assert archive.read("lo-briefing/index.html") == (site / "index.html").read_bytes()
    assert kinds == {"lo-briefing/index.html": zipfile.ZIP_DEFLATED, "lo-briefing/pdf/guest.pdf": zipfile.ZIP_STORED}


def test_two_renders_of_a_handbook_are_byte_identical(tmp_path: Path) -> None:
    book = Handbook(
        title="คู่มือทดสอบ (Probe)", subtitle="กำหนดการ ต้อง ผู้ประสานงาน", cover=[("LO", "คุณสมมุติ")],
        chapters=[Chapter("ch-a", "บทที่หนึ่ง", "<p>ทั้งหมด น้ำ เจ้าหน้าที่ ที่พัก</p>"), Chapter("ch-b", "Two", "<p>Latin text</p>")],
        as_of="2027-01-01", confidential=True,
    )
    outputs = []
    for run in ("a", "b"):
        [pdf] = render_all([job_for(book, tmp_path / run / "probe.pdf")], tmp_path / f"cache-{run}", IN_PROCESS)
        outputs.append(pdf.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"/CreationDate" not in outputs[0] or b"D:2027" in outputs[0]
