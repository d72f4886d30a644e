"""Free text is sensitive unless the schema says otherwise: in the training and handout profiles a schedule item's
notes, an entourage member's relation, a guest's faith and medical diet codes appear in no output — pages, pocket
cards, run sheets, handbooks, .ics/.vcf, the search index, the zip."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import thai_passages
from free_text import MARKERS

from build_tools.model import Diet, Faith, Person, ScheduleItem, Venue, sensitive_kind

from conftest import run_cli


def test_the_schema_makes_free_text_sensitive_unless_declared_public() -> None:
    assert sensitive_kind(ScheduleItem, "notes") == "notes"
    assert sensitive_kind(Person, "relation") == "notes"
    assert sensitive_kind(Faith, "prayer") == "notes"
    assert sensitive_kind(Person, "name") is None  # declared Public: a name every profile shows
    assert sensitive_kind(Venue, "address") is None
    assert sensitive_kind(ScheduleItem, "venue") is None  # an id (a pattern), not free text
    assert Diet.SEAFOOD_ALLERGY.sensitive_kind == "medical" and Diet.HALAL.sensitive_kind is None


def _build(project: Path, site: Path, profile: str) -> Path:
    result = run_cli("build", "--profile", profile, "--no-pdf", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    return site


def _guest_outputs(site: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of everything made from the guests: pages, kit files, PDFs as text, the search index's guest
    entries, and the same files inside the zip."""
    found: list[tuple[str, bytes]] = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        found.append((name, path.read_bytes()))
        if path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
                found += [(f"zip!{member.removeprefix('lo-briefing/')}", archive.read(member)) for member in archive.namelist()]
    pdfs = [(name, data) for name, data in found if _printed(name) and data]
    texts = dict(zip((name for name, _ in pdfs), thai_passages.pdfium_of([data for _, data in pdfs])))
    for name, data in found:
        bare = name.removeprefix("zip!")
        if name in texts:
            yield name, texts[name]
        elif bare == "search/search_index.json":
            for doc in json.loads(data)["docs"]:
                if doc["location"].startswith("guests/"):
                    yield f"{name}#{doc['location']}", doc["title"] + "\n" + doc["text"]
        elif bare.startswith(("guests/", "kit/")):
            yield name, data.decode("utf-8", errors="replace")


def _printed(name: str) -> bool:
    bare = name.removeprefix("zip!")
    return bare.endswith(".pdf") and bare.startswith(("pdf/guest-", "pdf/card-", "pdf/runsheet-"))


def _leaks(site: Path, words: list[str]) -> list[tuple[str, str]]:
    return [(name, word) for name, text in _guest_outputs(site) for word in words
            if word.split()[-1] in text or word in " ".join(text.split())]


def test_training_build_carries_no_free_text_or_medical_diet_code(training_site: Path) -> None:
    assert (training_site / "pdf" / "card-jp-tanaka.pdf").stat().st_size > 0
    assert _leaks(training_site, [*MARKERS, "seafood-allergy", "nut-allergy"]) == []
    page = (training_site / "guests" / "jp-tanaka.html").read_text(encoding="utf-8")
    assert "halal" in page  # a diet code that is not medical stays


def test_handout_build_drops_them_too(marked_project: Path, tmp_path: Path) -> None:
    site = _build(marked_project, tmp_path / "site", "handout")
    assert _leaks(site, [*MARKERS, "seafood-allergy", "nut-allergy"]) == []
    page = (site / "guests" / "jp-tanaka.html").read_text(encoding="utf-8")
    assert "1204" in page and "Kenji Sato" in page  # the room and the entourage's names: logistics stay


def test_full_build_keeps_them(marked_project: Path, tmp_path: Path) -> None:
    site = _build(marked_project, tmp_path / "site", "full")
    found = {word for _, word in _leaks(site, [*MARKERS, "seafood-allergy", "nut-allergy"])}
    assert found == {*MARKERS, "seafood-allergy", "nut-allergy"}
