"""The published JSON Schema accepts every sample guest file, as an editor or CI validator (check-jsonschema) reads it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

SCHEMA = REPO / "guests" / "_schema" / "guest.schema.json"
SAMPLES = sorted(p for p in (REPO / "guests").glob("*.yml") if not p.name.startswith("_"))
CHECK = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or "check-jsonschema"


def _check(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CHECK, "--schemafile", str(SCHEMA), *map(str, files)], capture_output=True, text=True, timeout=300)


def test_there_are_nine_sample_guests() -> None:
    assert len(SAMPLES) == 9


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_guest_passes_check_jsonschema(sample: Path) -> None:
    result = _check(sample)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_still_rejects_a_time_that_is_not_a_date_time(tmp_path: Path) -> None:
    text = (REPO / "guests" / "jp-tanaka.yml").read_text(encoding="utf-8")
    broken = tmp_path / "jp-tanaka.yml"
    broken.write_text(text.replace("time: 2027-03-01T14:30+07:00", 'time: "next tuesday"', 1), encoding="utf-8")
    result = _check(broken)
    assert result.returncode == 1
    assert "next tuesday" in result.stdout + result.stderr
