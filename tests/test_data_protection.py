"""Sensitive values stay where they belong: a training build carries none of them in any output byte,
and sensitive-looking values typed into unprotected places are warned about."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import thai_passages
from pydantic import BaseModel
from sensitive_values import found_in

from build_tools.loader import load_event
from build_tools.model import sensitive_kind

from conftest import REPO, run_cli


def _leaves(value: object) -> Iterator[str]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _leaves(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif value is not None and not isinstance(value, bool):
        yield str(getattr(value, "value", value))


def _sensitive_values(model: BaseModel) -> Iterator[str]:
    """Every value of a field declared sensitive, found through the same markers the redaction uses."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if sensitive_kind(type(model), name):
            yield from _leaves(value)
        else:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, BaseModel):
                    yield from _sensitive_values(item)


def _public_text() -> str:
    """What may legitimately appear in a training build: the knowledge base and every non-sensitive sample value."""
    loaded, _ = load_event(REPO / "guests", REPO)
    assert loaded is not None
    parts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.md"))]
    for model in [loaded.event, *(record.guest for record in loaded.guests)]:
        sensitive = set(_sensitive_values(model))
        parts += [leaf for leaf in _leaves(model) if leaf not in sensitive]
    return "\n".join(parts)


def sample_sensitive_values() -> set[str]:
    """Every sensitive value of the sample that identifies something (not a word the knowledge base also uses)."""
    loaded, problems = load_event(REPO / "guests", REPO)
    assert loaded is not None, problems
    values = set(_sensitive_values(loaded.event))
    for record in loaded.guests:
        values |= set(_sensitive_values(record.guest))
    public = _public_text()
    return {v for v in values if len(v) >= 4 and not _occurs(v, public)}


def _occurs(value: str, text: str) -> bool:
    """``value`` in ``text`` as a whole token: 1204 is not found inside 912045."""
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", text) is not None


def _output_texts(site: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of every output file we generate: PDFs as extracted text, JSON escapes decoded, the zip's members
    that differ from the site's files. The theme's static assets (Material's own files) carry no data and are skipped."""
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    outputs: list[tuple[str, bytes]] = []
    for name, data in files.items():
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    inner = archive.read(member)
                    if files.get(member.removeprefix("lo-briefing/")) != inner:
                        outputs.append((f"{name}!{member}", inner))
        elif not name.startswith("assets/"):
            outputs.append((name, data))
    pdfs = [(name, data) for name, data in outputs if name.endswith(".pdf") and data]
    texts = dict(zip((name for name, _ in pdfs), thai_passages.pdfium_of([data for _, data in pdfs])))
    for name, data in outputs:
        if name.endswith(".pdf"):
            yield name, texts.get(name, "")
        else:
            text = data.decode("utf-8", errors="replace")
            yield name, re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def test_training_build_carries_no_sensitive_value_anywhere(training_site: Path) -> None:
    values = sample_sensitive_values()
    assert any(v.startswith("+66") for v in values) and len(values) > 40  # the scan looks for real things
    phone_digits = [re.sub(r"\D", "", v) for v in values if v.startswith("+")]
    leaks = []
    for name, text in _output_texts(training_site):
        leaks += [(name, found) for found in found_in(text, values)]
        if name.endswith((".vcf", ".ics")):  # phones may be written without spaces there
            digits = re.sub(r"\D", "", text)
            leaks += [(name, found) for found in phone_digits if found in digits]
    assert leaks == []
    assert "[ข้อมูลจำกัด (restricted)]" in (training_site / "guests" / "jp-tanaka.html").read_text(encoding="utf-8")


def test_full_build_does_carry_them(sample_site: Path) -> None:
    """The values the training scan looks for, found by the same scan in the full build: in a page, and in the text
    the scan reads from a PDF (an extractor that read nothing would pass the training scan too)."""
    page = (sample_site / "guests" / "jp-tanaka.html").read_text(encoding="utf-8")
    assert "+66 82 000 1001" in page and "1204" in page
    handbook = (sample_site / "pdf" / "guest-jp-tanaka.pdf").read_bytes()
    assert found_in(thai_passages.pdfium_of([handbook])[0], ["+66 82 000 1001", "1204"]) == ["+66 82 000 1001", "1204"]


def test_sensitive_looking_values_in_unprotected_places_are_warned_about(project: Path) -> None:
    guest = project / "guests" / "jp-tanaka.yml"
    text = guest.read_text(encoding="utf-8").replace("interpreter: ", "interpreter: call +66 81 999 0000 ", 1)
    guest.write_text(text, encoding="utf-8")
    (project / "guests" / "jp-tanaka.md").write_text("Briefing\n\nPrefers room 1507, passport TZ1234567.\n", encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert result.returncode == 0, result.stderr  # warnings do not fail the check
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("interpreter:"))
    assert f'guests/jp-tanaka.yml:{line}:14: warning: interpreter: expected no phone number in a field that is not marked sensitive, got "+66 81 999 0000"' in result.stderr
    assert 'guests/jp-tanaka.md:3:9: warning: expected no room number in free notes' in result.stderr
    assert 'got "TZ1234567"' in result.stderr


def test_handout_build_keeps_logistics_and_drops_medical_and_identity(tmp_path: Path) -> None:
    result = run_cli("build", "--profile", "handout", "--no-pdf", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "guests" / "jp-tanaka.html").read_text(encoding="utf-8")
    assert "+66 82 000 1001" in page and "1204" in page and "กข 1234" in page  # driver, room, plate: logistics
    assert "Amlodipine" not in page and "ความดันโลหิตสูง" not in page and "shrimp" not in page  # medical
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "site").rglob("*") if p.suffix in {".html", ".js", ".json", ".ics", ".vcf"})
    assert "TZ0000001" not in everything and "Amlodipine" not in everything
