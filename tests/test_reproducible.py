"""Two builds of the same input give byte-identical files (SOURCE_DATE_EPOCH honoured, stable order, fixed PDF ids)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from build_tools.pdf.chapters import Chapter
from build_tools.pdf.handbooks import Handbook
from build_tools.pdf.render import job_for, render_all
from conftest import run_cli

EPOCH = {"SOURCE_DATE_EPOCH": "1798761600"}  # 2027-01-01


def _digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_site_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    digests = []
    for run in ("a", "b"):
        result = run_cli("build", "--no-pdf", "--site-dir", str(tmp_path / run), cwd=project, env=EPOCH)
        assert result.returncode == 0, result.stderr
        digests.append(_digests(tmp_path / run))
    assert digests[0] == digests[1]
    assert "lo-briefing-site.zip" in digests[0]


def test_two_renders_of_a_handbook_are_byte_identical(tmp_path: Path) -> None:
    book = Handbook(
        filename="probe.pdf", title="คู่มือทดสอบ (Probe)", subtitle="กำหนดการ ต้อง ผู้ประสานงาน", cover=[("LO", "คุณสมมุติ")],
        chapters=[Chapter("ch-a", "บทที่หนึ่ง", "<p>ทั้งหมด น้ำ เจ้าหน้าที่ ที่พัก</p>"), Chapter("ch-b", "Two", "<p>Latin text</p>")],
        as_of="2027-01-01", confidential=True,
    )
    outputs = []
    for run in ("a", "b"):
        [pdf] = render_all([job_for(book, tmp_path / run)], tmp_path / f"cache-{run}", workers=1)
        outputs.append(pdf.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"/CreationDate" not in outputs[0] or b"D:2027" in outputs[0]
