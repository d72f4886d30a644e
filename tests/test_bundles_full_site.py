"""When a bundles run may read the last build's site instead of building it again (``bundles/full_site.py``): only
the very site recorded, from the same inputs, with every recorded file unchanged."""

from __future__ import annotations

import os
from pathlib import Path

from build_tools.bundles.full_site import last_built, remember


def _site(tmp_path: Path) -> tuple[Path, Path]:
    site, cache = tmp_path / "site", tmp_path / ".cache"
    (site / "pdf").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>", encoding="utf-8")
    (site / "pdf" / "guest.pdf").write_bytes(b"%PDF-1.7 a guest")
    remember(cache, site, "inputs-1")
    return site, cache


def _reused(cache: Path, key: str = "inputs-1") -> Path | None:
    with last_built(cache, key) as site:
        return site


def test_the_recorded_site_is_read_when_nothing_changed(tmp_path: Path) -> None:
    site, cache = _site(tmp_path)
    assert _reused(cache) == site


def test_other_inputs_a_touched_added_or_missing_file_or_no_record_mean_building_it_again(tmp_path: Path) -> None:
    site, cache = _site(tmp_path)
    assert _reused(cache, "inputs-2") is None  # an edit, another day, another engine: another key
    pdf = site / "pdf" / "guest.pdf"
    status = pdf.stat()
    os.utime(pdf, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))  # rewritten, same size
    assert _reused(cache) is None
    remember(cache, site, "inputs-1")
    (site / "notes.txt").write_text("dropped into the site: it would be sealed into every bundle", encoding="utf-8")
    assert _reused(cache) is None
    (site / "notes.txt").unlink()
    assert _reused(cache) == site
    pdf.unlink()
    assert _reused(cache) is None
    (cache / "last-full-site.json").write_text("{not json", encoding="utf-8")
    assert _reused(cache) is None
    (cache / "last-full-site.json").unlink()
    assert _reused(cache) is None


def test_a_build_in_the_same_folder_waits_while_a_bundles_run_reads_the_site(tmp_path: Path) -> None:
    import fcntl

    site, cache = _site(tmp_path)
    with last_built(cache, "inputs-1") as reused:
        assert reused == site
        folder = os.open(site.parent, os.O_RDONLY | os.O_DIRECTORY)  # what `sitedir.build_lock` takes
        try:
            try:
                fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = False
            except BlockingIOError:
                locked = True
        finally:
            os.close(folder)
    assert locked
