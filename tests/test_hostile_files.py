"""Hostile or broken files around a guest record: each is one clear line naming the file (and the field), exit code 1,
never a traceback, and nothing of the build machine copied into the site."""

from __future__ import annotations

import base64
import resource
from pathlib import Path

import pytest

from conftest import run_cli

GUEST = "guests/jp-tanaka.yml"
NOTES = "guests/jp-tanaka.md"
# a 1×1 PNG
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==")


def _errors(project: Path, *args: str) -> list[str]:
    result = run_cli(*(args or ("check",)), cwd=project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line.removeprefix("ERROR: ") for line in result.stderr.splitlines()]  # a build logs its first line so
    return [line for line in lines if line.startswith("guests/")]


def _with_photo(project: Path, photo: str) -> int:
    """Give jp-tanaka a ``photo:`` line; returns its line number."""
    guest = project / GUEST
    lines = guest.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("interpreter:")) + 1
    lines.insert(at, f"photo: {photo}")
    guest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


# --- notes -----------------------------------------------------------------------------------------------------


def test_notes_that_are_not_utf8(project: Path) -> None:
    (project / NOTES).write_bytes(b"# Notes\nTAN\xe9KA\n")
    assert _errors(project) == [f"{NOTES}:2:4: expected UTF-8 text, got the byte 0xe9; save the notes file as UTF-8"]


def test_a_folder_named_like_a_notes_file(project: Path) -> None:
    (project / NOTES).mkdir()
    assert _errors(project) == [f"{NOTES}: expected a Markdown notes file, got a folder; rename or remove the folder"]


@pytest.mark.parametrize("target", ["/etc/passwd", "../../outside.md"])
def test_a_notes_file_linking_out_of_guests_is_refused(project: Path, target: str) -> None:
    (project.parent / "outside.md").write_text("SECRET OUTSIDE NOTES", encoding="utf-8")
    (project / NOTES).symlink_to(target)
    expected = [f"{NOTES}: expected a notes file inside guests/, got a link to a file outside it; copy the text into the file instead of linking"]
    assert _errors(project) == expected
    assert _errors(project, "build", "--no-pdf") == expected
    assert not (project / "site").exists()


def test_a_notes_link_inside_guests_is_fine(project: Path) -> None:
    (project / "guests" / "shared-notes.txt").write_text("# Shared\n", encoding="utf-8")
    (project / NOTES).symlink_to("shared-notes.txt")
    assert run_cli("check", cwd=project).returncode == 0


# --- photo -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        ("https://example.org/tanaka.jpg", 'expected a file inside guests/ like photos/jp-tanaka.jpg, got the URL "https://example.org/tanaka.jpg"; save the photo into guests/ and give its path'),
        ("file:///etc/passwd", 'expected a file inside guests/ like photos/jp-tanaka.jpg, got the URL "file:///etc/passwd"; save the photo into guests/ and give its path'),
        ("/etc/passwd", 'expected a path inside guests/ of ASCII letters, digits, "-", "_", "." and "/" like photos/jp-tanaka.jpg, got "/etc/passwd"'),
        ("../../../etc/passwd", 'expected a path inside guests/ of ASCII letters, digits, "-", "_", "." and "/" like photos/jp-tanaka.jpg, got "../../../etc/passwd"'),
        ("photos/missing.jpg", "expected a photo at guests/photos/missing.jpg; there is no such file"),
        ('"x.jpg){ onerror=alert(1) }"', 'expected a path inside guests/ of ASCII letters, digits, "-", "_", "." and "/" like photos/jp-tanaka.jpg, got "x.jpg){ onerror=alert(1) }"'),
    ],
)
def test_photo_must_be_a_file_inside_guests(project: Path, photo: str, message: str) -> None:
    line = _with_photo(project, photo)
    assert _errors(project) == [f"{GUEST}:{line}:8: photo: {message}"]


def test_photo_linking_out_of_guests_is_refused_and_never_copied(project: Path) -> None:
    (project / "guests" / "photos").mkdir()
    (project / "guests" / "photos" / "tanaka.jpg").symlink_to("/etc/passwd")
    line = _with_photo(project, "photos/tanaka.jpg")
    expected = [f'{GUEST}:{line}:8: photo: expected a photo inside guests/, got "photos/tanaka.jpg", a link to a file outside it; copy the photo in instead']
    assert _errors(project, "build", "--no-pdf") == expected
    assert not (project / "site").exists()


def test_photo_must_be_an_image_of_the_format_its_name_says(project: Path) -> None:
    photos = project / "guests" / "photos"
    photos.mkdir()
    (photos / "text.jpg").write_text("root:x:0:0:not an image\n", encoding="utf-8")
    (photos / "png.jpg").write_bytes(PNG)
    line = _with_photo(project, "photos/text.jpg")
    assert _errors(project) == [f"{GUEST}:{line}:8: photo: expected an image (.jpg, .jpeg, .png, .gif, .webp), got a file that is none of them; export the photo as JPEG or PNG"]
    (project / GUEST).write_text((project / GUEST).read_text(encoding="utf-8").replace("photos/text.jpg", "photos/png.jpg"), encoding="utf-8")
    assert _errors(project) == [f'{GUEST}:{line}:8: photo: expected a PNG file to end in .png, got "photos/png.jpg"; rename it']


def test_a_real_photo_is_published(project: Path) -> None:
    (project / "guests" / "photos").mkdir()
    (project / "guests" / "photos" / "tanaka.png").write_bytes(PNG)
    _with_photo(project, "photos/tanaka.png")
    result = run_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "guests" / "photos" / "tanaka.png").read_bytes() == PNG


# --- guest ids and YAML resources ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ｊｐ-tanaka2.yml", "jp-tanakа2.yml"])  # fullwidth letters; a Cyrillic а
def test_guest_ids_with_lookalike_letters_are_refused(project: Path, name: str) -> None:
    (project / "guests" / name).write_text((project / GUEST).read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    assert f"guests/{name}: expected a file name of lower-case ASCII letters, digits and hyphens like jp-tanaka.yml; it has characters that only look like ASCII" in result.stderr.splitlines()


def _limited_memory() -> None:
    """The check runs with 2 GB of address space: a regression fails instead of exhausting the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def test_a_yaml_alias_bomb_is_refused_quickly(project: Path) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    (project / GUEST).write_text("\n".join(levels) + "\n", encoding="utf-8")
    import os
    import subprocess  # noqa: E401 - the check under a memory limit
    import sys

    from conftest import REPO
    result = subprocess.run([sys.executable, "-m", "build_tools", "check"], cwd=project, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, preexec_fn=_limited_memory)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr[-2000:]
    assert f"{GUEST}:1:8: expected at most 50000 values, got more (YAML aliases like *name repeat whole parts); write the values out instead of aliasing them" in result.stderr.splitlines()


@pytest.mark.parametrize("depth", [41, 500, 5000])
def test_deep_nesting_is_refused(project: Path, depth: int) -> None:
    (project / GUEST).write_text("name: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    lines = _errors(project)
    assert len(lines) == 1 and lines[0].startswith(f"{GUEST}:1:") and "expected at most 40 levels of nesting" in lines[0], lines
