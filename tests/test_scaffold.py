"""`new-guest` writes a commented file the loader understands; the committed JSON Schema matches the model."""

from __future__ import annotations

import json
from pathlib import Path

from build_tools.scaffold import SCHEMA_FILE, guest_schema

from conftest import REPO, run_cli


def test_committed_schema_is_up_to_date_and_marks_sensitive_fields() -> None:
    committed = json.loads((REPO / "guests" / "_schema" / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert committed == guest_schema(), "run `make schema` and commit guests/_schema/"
    defs = committed["$defs"]
    assert defs["Stay"]["properties"]["room"]["x-sensitive"] == "lodging"
    assert defs["Officer"]["properties"]["phone"]["x-sensitive"] == "contact"
    assert defs["Passport"]["properties"]["number"]["x-sensitive"] == "identity"


def test_new_guest_scaffold_is_valid_yaml_with_only_placeholder_errors(project: Path) -> None:
    result = run_cli("new-guest", "xx-new", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "guests" / "xx-new.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./_schema/guest.schema.json")
    check = run_cli("check", cwd=project)
    lines = [line for line in check.stderr.splitlines() if line.startswith("guests/xx-new.yml")]
    assert lines, check.stderr
    assert not any("invalid YAML" in line or "duplicate" in line or "unknown field" in line for line in lines), lines
    assert run_cli("new-guest", "xx-new", cwd=project).returncode == 1  # never overwrites
