"""The files a guest record points at — its Markdown notes and its photo — read only from inside ``guests/``.

A notes file or photo that is a link leaving ``guests/``, a folder, a device or a file in another format is an
error naming the file and what to do, never a traceback and never a copy of a file of the build machine.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from .diagnostics import Diagnostic, utf8_text

BOM = "\ufeff"
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*", re.ASCII)
# The first bytes of each image format a browser and WeasyPrint both show, and the file name endings that go with it.
_FORMATS: list[tuple[str, tuple[str, ...], bytes, int]] = [
    ("JPEG", (".jpg", ".jpeg"), b"\xff\xd8\xff", 0),
    ("PNG", (".png",), b"\x89PNG\r\n\x1a\n", 0),
    ("GIF", (".gif",), b"GIF8", 0),
    ("WebP", (".webp",), b"WEBP", 8),
]
PHOTO_ENDINGS = ", ".join(ending for _, endings, _, _ in _FORMATS for ending in endings)


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, with every link in it followed, is inside ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):  # outside, unreadable, or a loop of links
        return False
    return True


def read_notes(notes_file: Path, guests_dir: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """The guest's Markdown notes (None when there are none), as text without a byte-order mark."""
    if not notes_file.is_symlink() and not notes_file.exists():
        return None, []
    if not inside(notes_file, guests_dir):
        return None, [Diagnostic(shown, 0, 0, "", "expected a notes file inside guests/, got a link to a file outside it; "
                                 "copy the text into the file instead of linking")]
    try:
        mode = notes_file.stat().st_mode
    except OSError as exc:
        return None, [Diagnostic(shown, 0, 0, "", f"cannot read the notes file: {exc.strerror}; fix or remove it")]
    if stat.S_ISDIR(mode):
        return None, [Diagnostic(shown, 0, 0, "", "expected a Markdown notes file, got a folder; rename or remove the folder")]
    if not stat.S_ISREG(mode):
        return None, [Diagnostic(shown, 0, 0, "", "expected a Markdown notes file, got a device or pipe; remove it")]
    try:
        raw = notes_file.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(shown, 0, 0, "", f"cannot read the notes file: {exc.strerror}; check its permissions")]
    text, problems = utf8_text(raw, shown, "notes file")
    return (None, problems) if text is None else (text.removeprefix(BOM), [])


def photo_problem(photo: str, guests_dir: Path) -> str | None:
    """What is wrong with a guest's ``photo:`` (a path relative to ``guests/``), or None when it is a usable image."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", photo):
        return (f'expected a file inside guests/ like photos/jp-tanaka.jpg, got the URL "{photo}"; '
                "save the photo into guests/ and give its path")
    if photo.startswith(("/", "\\", "~")) or ".." in photo.split("/") or not PHOTO_PATH.fullmatch(photo):
        return (f'expected a path inside guests/ of ASCII letters, digits, "-", "_", "." and "/" like photos/jp-tanaka.jpg, '
                f'got "{photo}"')
    file = guests_dir / photo
    if not inside(file, guests_dir):
        return f'expected a photo inside guests/, got "{photo}", a link to a file outside it; copy the photo in instead'
    try:
        info = file.stat()
    except OSError:
        return f'expected a photo at guests/{photo}; there is no such file'
    if not stat.S_ISREG(info.st_mode):
        return f'expected a photo file at guests/{photo}, got a folder or device'
    if info.st_size > MAX_PHOTO_BYTES:
        return f"expected a photo of at most {MAX_PHOTO_BYTES // 1024 // 1024} MB, got {info.st_size // 1024 // 1024} MB; make it smaller"
    with file.open("rb") as handle:
        head = handle.read(16)
    found = next(((name, endings) for name, endings, magic, at in _FORMATS if head[at:at + len(magic)] == magic), None)
    if found is None:
        return f"expected an image ({PHOTO_ENDINGS}), got a file that is none of them; export the photo as JPEG or PNG"
    name, endings = found
    if not photo.lower().endswith(endings):
        return f'expected a {name} file to end in {" or ".join(endings)}, got "{photo}"; rename it'
    return None
