"""Faults around the build, tried on real builds: two builds at once, a kill between the swap's renames, a kill
while PDFs render, a cached PDF swapped for another guest's, a full disk and a read-only output folder."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, copy_project, run_cli

ENV = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}


def _files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def _start(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "build_tools", "build", *args], cwd=project, env={**ENV, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_until(condition, seconds: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def _two_guests(project: Path) -> Path:
    """The sample with two guests: enough for every kind of document, and quick to render."""
    for other in (project / "guests").glob("*.*"):
        if other.stem not in {"jp-tanaka", "il-mizrahi"} and not other.name.startswith("_"):
            other.unlink()
    return project


# --- two builds at once ------------------------------------------------------------------------------------------


def test_two_builds_at_once_in_one_checkout_publish_one_whole_site(project: Path) -> None:
    first = _start(project, "--no-pdf")
    _wait_until(lambda: any(project.glob(".site-new-*/*")) or first.poll() is not None, 300, "the first build never staged")
    second = _start(project, "--no-pdf")  # while the first one is writing its staging folder
    results = [(build.wait(timeout=600), build.stderr.read()) for build in (first, second)]
    assert [code for code, _ in results] == [0, 0], results
    raced = _files(project / "site")
    assert not list(project.glob(".site-*"))
    assert run_cli("build", "--no-pdf", cwd=project).returncode == 0  # the same build, alone
    assert raced == _files(project / "site") and len(raced) > 100


# --- a kill between the two renames of the swap ------------------------------------------------------------------------


def test_a_swap_cut_between_its_renames_is_undone_at_the_next_start(project: Path) -> None:
    # What a build killed between `site` → `.site-old-<pid>` and staging → `site` leaves behind:
    old = project / ".site-old-4242"
    old.mkdir()
    (old / "index.html").write_text("last good site", encoding="utf-8")
    (project / ".site-new-abcd").mkdir()
    (project / ".site-new-abcd" / "index.html").write_text("new site, never published", encoding="utf-8")
    guest = project / "guests" / "jp-tanaka.yml"
    guest.write_text(guest.read_text(encoding="utf-8").replace("country: JP", "country: JPN"), encoding="utf-8")

    result = run_cli("build", "--no-pdf", cwd=project)  # a failing build: it must still put the old site back
    assert result.returncode == 1
    assert "Put the last good site back into site/: a build was interrupted while replacing it." in result.stderr
    assert "The last good site in site/ was left untouched (put back from a build that was interrupted while replacing it)." in result.stderr
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "last good site"
    assert not list(project.glob(".site-*"))


def test_a_failed_build_never_claims_a_site_that_is_not_there(project: Path) -> None:
    guest = project / "guests" / "jp-tanaka.yml"
    guest.write_text(guest.read_text(encoding="utf-8").replace("country: JP", "country: JPN"), encoding="utf-8")
    result = run_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 1
    assert "left untouched" not in result.stderr
    assert "There was no earlier site in site/; nothing was published." in result.stderr


# --- the PDF cache -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_project(tmp_path_factory: pytest.TempPathFactory, sample_site: Path) -> tuple[Path, Path]:
    """Two guests built with their PDFs, with a cache of their own seeded from the session's, once the sample is in
    it: with the sample's published version, the orientation handbook and both guests' documents are the sample's
    (the same inputs, the same cache entries), and only the boards across the two guests are rendered."""
    root = tmp_path_factory.mktemp("pdf-faults")
    project = _two_guests(copy_project(root / "project"))
    shutil.copytree(REPO / "published", project / "published")  # stamps as the sample's, not a draft of today
    cache = root / "cache"
    # without the scratch files of builds still running (other xdist workers share the session's cache)
    shutil.copytree(os.environ["LO_CACHE_DIR"], cache, ignore=shutil.ignore_patterns("*.tmp"))
    result = run_cli("build", cwd=project, env={"LO_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    assert "unchanged, taken from the cache" in result.stderr  # the seeded entries are the ones the tests tamper with
    return project, cache


def _entry_of(cache: Path, pdf: Path) -> Path:
    data = pdf.read_bytes()
    return next(p for p in (cache / "pdf").glob("*.pdf") if p.read_bytes() == data)


def test_a_build_with_nothing_changed_leaves_the_site_and_any_change_builds_it_again(pdf_project: tuple[Path, Path]) -> None:
    """The site is the one a build would make (the same inputs, the same day, every file as written and no other):
    nothing to do. A file dropped into the site, or an edited input, and the site is built again."""
    project, cache = pdf_project
    site, env = project / "site", {"LO_CACHE_DIR": str(cache)}
    written = {name: (site / name).stat().st_mtime_ns for name in _files(site)}

    def build() -> str:
        result = run_cli("build", cwd=project, env=env)
        assert result.returncode == 0, result.stderr
        return result.stderr

    assert "site/ is up to date" in build()
    assert {name: (site / name).stat().st_mtime_ns for name in _files(site)} == written
    (site / "notes.txt").write_text("an LO's notes, left in the site folder", encoding="utf-8")
    assert "Built site/" in build()  # a stray file would go into the zip and the bundles: not the site a build makes
    assert "notes.txt" not in _files(site) and set(_files(site)) == written.keys()
    assert "site/ is up to date" in build()
    theme = project / "theme" / "overrides" / "main.html"
    theme.write_text(theme.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8")
    assert "Built site/" in build()
    assert "site/ is up to date" in build()


def test_a_cached_pdf_replaced_by_another_guests_is_not_served(pdf_project: tuple[Path, Path], tmp_path: Path) -> None:
    project, cache = pdf_project
    pdfs = project / "site" / "pdf"
    tanaka, mizrahi = (pdfs / "guest-jp-tanaka.pdf").read_bytes(), (pdfs / "guest-il-mizrahi.pdf").read_bytes()
    _entry_of(cache, pdfs / "guest-jp-tanaka.pdf").write_bytes(mizrahi)  # same name, another guest's handbook
    other = tmp_path / "site"  # not the site just built, which is up to date: this build takes every PDF from the cache
    result = run_cli("build", "--site-dir", str(other), cwd=project, env={"LO_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    assert (other / "pdf" / "guest-jp-tanaka.pdf").read_bytes() == tanaka
    assert (other / "pdf" / "guest-il-mizrahi.pdf").read_bytes() == mizrahi


def test_the_cache_is_private_and_pruned(pdf_project: tuple[Path, Path]) -> None:
    project, cache = pdf_project
    stale = cache / "pdf" / ("0" * 64 + ".pdf")
    stale.write_bytes(b"%PDF- a handbook no build uses any more")
    old = time.time() - 60 * 86400
    os.utime(stale, (old, old))
    scratch = cache / "pdf" / f"{'1' * 64}.{2**22 + 17}.tmp"  # a scratch file of a build that is gone
    scratch.write_bytes(b"half a PDF")
    for path in [cache, *cache.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    result = run_cli("build", "--no-pdf", cwd=project, env={"LO_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    assert not stale.exists() and not scratch.exists()
    assert len(list((cache / "pdf").glob("*.pdf"))) >= 7  # the ones builds use stay
    modes = {p.relative_to(cache).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [cache, *cache.rglob("*")]}
    assert {name: mode for name, mode in modes.items() if mode != (0o700 if (cache / name).is_dir() else 0o600)} == {}


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_build_killed_while_pdfs_render_leaves_no_worker_and_no_scratch(tmp_path: Path) -> None:
    """Killed while one worker writes a board and the other lays out the orientation handbook. With no guest the
    boards are the first PDFs written, a second after the workers start (a guest handbook took ten)."""
    project = copy_project(tmp_path / "project")
    for guest in (project / "guests").glob("*.*"):
        if not guest.name.startswith("_"):
            guest.unlink()
    cache = tmp_path / "cache"  # empty: every document must be rendered
    build = _start(project, env={"LO_CACHE_DIR": str(cache)})
    _wait_until(lambda: any((cache / "pdf").glob("*.tmp")) or build.poll() is not None, 600, "no PDF was ever being written")
    assert build.poll() is None, "the build finished before it could be killed"
    workers = _descendants(build.pid)
    assert workers
    os.kill(build.pid, signal.SIGKILL)  # the build process only, as a crash or the OOM killer would
    build.wait()
    _wait_until(lambda: not any(_alive(pid) for pid in workers), 30, f"workers outlived the build: {workers}")
    result = run_cli("build", "--no-pdf", cwd=project, env={"LO_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    assert list((cache / "pdf").glob("*.tmp")) == []


# --- a full disk, a read-only folder ----------------------------------------------------------------------------------


def _in_own_mounts(project: Path, setup: str, after: str = "true") -> subprocess.CompletedProcess[str]:
    """``setup`` (mounts over out/) then a site-only build into out/site then ``after``, all in a private mount
    namespace (``unshare -m``), so the mounts are seen by nothing else. Exit code: the build's."""
    build = f"{sys.executable} -m build_tools build --no-pdf --site-dir out/site"
    script = f"{setup} && {{ {build}; code=$?; {after}; exit $code; }}"
    return subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=project, env=ENV, capture_output=True, text=True, timeout=600)


def _can_mount() -> bool:
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not shutil.which("unshare") or not _can_mount(), reason="needs unshare -m and mount (root in a container)")
def test_a_full_disk_is_one_clear_line_and_the_last_good_site_stays(project: Path) -> None:
    out = project / "out"
    out.mkdir()
    setup = "mount -t tmpfs -o size=3m tmpfs out && mkdir out/site && echo 'last good site' > out/site/index.html"
    result = _in_own_mounts(project, setup, "cat out/site/index.html > after.txt; ls -a out > left.txt")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "cannot write: No space left on device; the disk is full; free some space and build again" in result.stderr, result.stderr[-3000:]
    assert "The last good site in site/ was left untouched." in result.stderr
    assert (project / "after.txt").read_text(encoding="utf-8") == "last good site\n"
    assert (project / "left.txt").read_text(encoding="utf-8").split() == [".", "..", "site"]


@pytest.mark.skipif(not shutil.which("unshare") or not _can_mount(), reason="needs unshare -m and mount (root in a container)")
def test_a_read_only_output_folder_is_one_clear_line(project: Path) -> None:
    out = project / "out"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("last good site", encoding="utf-8")
    result = _in_own_mounts(project, "mount --bind out out && mount -o remount,ro,bind out")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert f"{out}: cannot write: Read-only file system; the folder is on a read-only disk; build into a writable folder with --site-dir" in result.stderr.splitlines()
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "last good site"
