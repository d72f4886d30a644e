"""Shared fixtures: the real sample site built once per session, and throw-away copies of the project."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ["mkdocs.yml", "content", "guests", "theme"]


#: Folders the session makes and every worker shares (pytest-xdist's workers inherit the environment), removed at its
#: end: one PDF cache for the whole session, so that a handbook whose inputs another test already rendered is not
#: rendered again (the cache is keyed by a hash of the complete inputs, so this never hides a change), and the text
#: each PDF extractor read from a PDF (tests/thai_passages.py).
SESSION_FOLDERS = {"LO_CACHE_DIR": "lo-briefing-test-cache-", "LO_TEST_TEXTS": "lo-briefing-test-texts-"}
_made: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    for name, prefix in SESSION_FOLDERS.items():
        if name not in os.environ:  # set by the controller for its workers, or by the caller to keep them
            os.environ[name] = tempfile.mkdtemp(prefix=prefix)
            _made.append(name)


def pytest_unconfigure(config: pytest.Config) -> None:
    for name in _made:
        shutil.rmtree(os.environ.pop(name), ignore_errors=True)


#: The modules by the time they take, longest first, so that with pytest-xdist a worker never starts a long one near
#: the end while the other has nothing left (``--no-loadscope-reorder`` in pyproject.toml keeps this order: by default
#: xdist hands out the modules with the most tests first, which put this one-test module last). The first module builds
#: the sample with its PDFs (built_once); the second needs no PDFs (``site_only``), so the other worker is not left
#: waiting for that build; the third, which reads the sample, is queued behind the first (a module of one or two
#: tests takes the next one with it); the fourth builds the marked training sample before it reads the sample.
LONGEST_FIRST = ["test_pdf_handbook_text.py", "test_field_browser.py", "test_offline_site.py", "test_data_protection.py",
                 "test_offline_app.py", "test_bundles.py", "test_build_faults.py", "test_serve.py", "test_pdf_joined.py",
                 "test_hostile_input.py", "test_fieldkit.py", "test_hostile_files.py", "test_pdf_output.py",
                 "test_boards.py", "test_changes.py", "test_pdf_fonts.py", "test_sheets.py", "test_pdf_thai_text.py",
                 "test_sensitive_free_text.py", "test_reproducible.py", "test_engines.py", "test_review_terms_rules.py",
                 "test_atomic_build.py", "test_pdf_reading_order.py", "test_field_pdf.py"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: number for number, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each module's own order stays


def run_cli(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Run ``python -m build_tools`` as a user would, from ``cwd``."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "build_tools", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout
    )


def copy_project(target: Path, source: Path = REPO) -> Path:
    """A private copy of the project's inputs (the repo's, or another copy's), to break or change without touching
    the original."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        (shutil.copytree if (source / part).is_dir() else shutil.copy2)(source / part, target / part)
    return target


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder ``make`` fills once for the whole run and every test then reads (never changes).

    With pytest-xdist each worker is a process with session fixtures of its own: the first worker to ask makes the
    folder in the run's shared temporary folder, holding a lock, and the others wait for it and read the same one, so
    the sample is built once per run, not once per worker. Without xdist it is a plain temporary folder."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        out = tmp_path_factory.mktemp(name)
        make(out)
        return out
    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, above every worker's own
    out = shared / f"built-{name}"
    with (shared / f"built-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / f"built-{name}.done").exists():
            shutil.rmtree(out, ignore_errors=True)  # what a worker whose build failed left
            out.mkdir()
            make(out)
            (shared / f"built-{name}.done").touch()
    return out


def _build(*args: str, cwd: Path = REPO) -> Callable[[Path], None]:
    def make(out: Path) -> None:
        result = run_cli("build", *args, "--site-dir", str(out / "site"), cwd=cwd)
        assert result.returncode == 0, result.stderr

    return make


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's sample event built with the real CLI (mkdocs + WeasyPrint) into a temporary folder."""
    return built_once(tmp_path_factory, "sample", _build()) / "site"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def site_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample event's site without PDFs (``build --no-pdf``): for tests of pages, not of the handbooks."""
    return built_once(tmp_path_factory, "site-only", _build("--no-pdf")) / "site"


def _marked(out: Path) -> None:
    from free_text import mark

    mark(copy_project(out / "project"))
    _build("--profile", "training", cwd=out / "project")(out)


@pytest.fixture(scope="session")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample with free text written into one guest's record (tests/free_text.py) in ``project/``, and
    it built with the training profile and its PDFs (cards, run sheets, handbooks, the zip) in ``site/``, once for the
    scans that no sensitive value reaches a training build (test_data_protection, test_sensitive_free_text)."""
    return built_once(tmp_path_factory, "marked", _marked)


@pytest.fixture(scope="session")
def marked_project(marked: Path) -> Path:
    """The marked sample's inputs (read-only)."""
    return marked / "project"


@pytest.fixture(scope="session")
def training_site(marked: Path) -> Path:
    """The marked sample's training build with PDFs (read-only)."""
    return marked / "site"


def replace_once(path: Path, edits: Iterable[tuple[str, str]]) -> None:
    """Rewrite ``path`` with each ``old`` replaced by ``new`` once; each ``old`` must be there (a test that edits
    nothing would pass for the wrong reason)."""
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def page_images(pdf: Path, out: Path, dpi: int = 100) -> list[bytes]:
    """Each page of ``pdf`` as PNG bytes, rasterised by poppler into the new folder ``out`` (pixel comparisons)."""
    out.mkdir()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out / "page")], check=True)
    return [page.read_bytes() for page in sorted(out.glob("*.png"))]


@pytest.fixture
def thai_fix() -> Iterator[None]:
    """The Thai text fix installed for the test; the global state left as it was found (use it module-wide with
    ``pytestmark = pytest.mark.usefixtures("thai_fix")``)."""
    from build_tools.pdf import thai_text

    was_enabled = thai_text.thai_text_fix_enabled()
    assert thai_text.enable_thai_text_fix()
    yield
    if not was_enabled:
        thai_text.disable_thai_text_fix()
