"""Shared fixtures: the real sample site built once per session, and throw-away copies of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ["mkdocs.yml", "content", "guests", "theme"]


def pytest_configure(config: pytest.Config) -> None:
    """One PDF cache for the whole session: a handbook whose inputs another test already rendered is not rendered again
    (the cache is keyed by a hash of the complete inputs, so this never hides a change)."""
    os.environ.setdefault("LO_CACHE_DIR", tempfile.mkdtemp(prefix="lo-briefing-test-cache-"))


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


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's sample event built with the real CLI (mkdocs + WeasyPrint) into a temporary folder."""
    out = tmp_path_factory.mktemp("sample")
    result = run_cli("build", "--site-dir", str(out / "site"))
    assert result.returncode == 0, result.stderr
    return out / "site"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def site_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample event's site without PDFs (``build --no-pdf``): for tests of pages, not of the handbooks."""
    out = tmp_path_factory.mktemp("site-only")
    result = run_cli("build", "--no-pdf", "--site-dir", str(out / "site"))
    assert result.returncode == 0, result.stderr
    return out / "site"


@pytest.fixture(scope="session")
def marked_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample with free text written into one guest's record (tests/free_text.py); read-only."""
    from free_text import mark

    return mark(copy_project(tmp_path_factory.mktemp("marked") / "project"))


@pytest.fixture(scope="session")
def training_site(marked_project: Path) -> Path:
    """The marked sample built with the training profile and its PDFs (cards, run sheets, handbooks, the zip), once
    for the scans that no sensitive value reaches a training build (test_data_protection, test_sensitive_free_text)."""
    site = marked_project.parent / "site-training"
    result = run_cli("build", "--profile", "training", "--site-dir", str(site), cwd=marked_project)
    assert result.returncode == 0, result.stderr
    return site


def replace_once(path: Path, edits: Iterable[tuple[str, str]]) -> None:
    """Rewrite ``path`` with each ``old`` replaced by ``new`` once; each ``old`` must be there (a test that edits
    nothing would pass for the wrong reason)."""
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


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
