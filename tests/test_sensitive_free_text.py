"""Free text is sensitive unless the schema says otherwise: in the training and handout profiles a schedule item's
notes, an entourage member's relation, a guest's faith and medical diet codes appear in no output — pages, pocket
cards, run sheets, handbooks, .ics/.vcf, the search index, the zip."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools.model import Diet, Faith, Person, ScheduleItem, Venue, sensitive_kind

from conftest import copy_project, replace_once, run_cli

ITEM_NOTE = "assistant carries adrenaline QZXNOTE"
RELATION = "carries the second auto-injector QZXRELATION"
SPOUSE_RELATION = "spouse QZXSPOUSE"
PRAYER = "prays at dawn QZXPRAYER"
MARKERS = [ITEM_NOTE, RELATION, SPOUSE_RELATION, PRAYER]


def test_the_schema_makes_free_text_sensitive_unless_declared_public() -> None:
    assert sensitive_kind(ScheduleItem, "notes") == "notes"
    assert sensitive_kind(Person, "relation") == "notes"
    assert sensitive_kind(Faith, "prayer") == "notes"
    assert sensitive_kind(Person, "name") is None  # declared Public: a name every profile shows
    assert sensitive_kind(Venue, "address") is None
    assert sensitive_kind(ScheduleItem, "venue") is None  # an id (a pattern), not free text
    assert Diet.SEAFOOD_ALLERGY.sensitive_kind == "medical" and Diet.HALAL.sensitive_kind is None


@pytest.fixture(scope="module")
def marked_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("free-text") / "project")
    for other in (project / "guests").glob("*.*"):  # one guest is enough, and keeps the PDF build short
        if other.stem != "jp-tanaka" and not other.name.startswith("_"):
            other.unlink()
    replace_once(project / "guests" / "jp-tanaka.yml", [
        ("  - programme: plenary-1\n", f"  - programme: plenary-1\n    notes: {ITEM_NOTE}\n"),
        ("relation: Chief of Staff and interpreter", f"relation: {RELATION}"),
        ("relation: spouse", f"relation: {SPOUSE_RELATION}\n  diet: [nut-allergy, halal]"),
        ("  religion: ชินโตและพุทธ (Shinto and Buddhism)", f"  religion: ชินโตและพุทธ (Shinto and Buddhism)\n  prayer: {PRAYER}"),
    ])
    return project


def _build(project: Path, profile: str, *extra: str) -> Path:
    site = project.parent / f"site-{profile}"
    result = run_cli("build", "--profile", profile, "--site-dir", str(site), *extra, cwd=project)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def training_site(marked_project: Path) -> Path:
    return _build(marked_project, "training")  # with PDFs: cards, run sheets, handbooks, the zip


def _guest_outputs(site: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of everything made from the guest: pages, kit files, PDFs as text, the search index's guest
    entries, and the same files inside the zip."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        yield from _texts(name, path.read_bytes())
        if path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
                for member in archive.namelist():
                    yield from _texts(f"zip!{member.removeprefix('lo-briefing/')}", archive.read(member))


def _texts(name: str, data: bytes) -> Iterator[tuple[str, str]]:
    bare = name.removeprefix("zip!")
    if bare.endswith(".pdf") and bare.startswith(("pdf/guest-", "pdf/card-", "pdf/runsheet-")) and data:
        yield name, subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    elif bare == "search/search_index.json":
        for doc in json.loads(data)["docs"]:
            if doc["location"].startswith("guests/"):
                yield f"{name}#{doc['location']}", doc["title"] + "\n" + doc["text"]
    elif bare.startswith(("guests/", "kit/")):
        yield name, data.decode("utf-8", errors="replace")


def _leaks(site: Path, words: list[str]) -> list[tuple[str, str]]:
    return [(name, word) for name, text in _guest_outputs(site) for word in words
            if word.split()[-1] in text or word in " ".join(text.split())]


def test_training_build_carries_no_free_text_or_medical_diet_code(training_site: Path) -> None:
    assert (training_site / "pdf" / "card-jp-tanaka.pdf").stat().st_size > 0
    assert _leaks(training_site, [*MARKERS, "seafood-allergy", "nut-allergy"]) == []
    page = (training_site / "guests" / "jp-tanaka.html").read_text(encoding="utf-8")
    assert "halal" in page  # a diet code that is not medical stays


def test_handout_build_drops_them_too(marked_project: Path) -> None:
    site = _build(marked_project, "handout", "--no-pdf")
    assert _leaks(site, [*MARKERS, "seafood-allergy", "nut-allergy"]) == []
    page = (site / "guests" / "jp-tanaka.html").read_text(encoding="utf-8")
    assert "1204" in page and "Kenji Sato" in page  # the room and the entourage's names: logistics stay


def test_full_build_keeps_them(marked_project: Path) -> None:
    site = _build(marked_project, "full", "--no-pdf")
    found = {word for _, word in _leaks(site, [*MARKERS, "seafood-allergy", "nut-allergy"])}
    assert found == {*MARKERS, "seafood-allergy", "nut-allergy"}
