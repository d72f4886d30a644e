"""Bundles share their knowledge pages (``build_tools/mkdocs_plugin/shared_pages.py``): a bundle built after another
one in the same worker, from the kept pages, is byte for byte the bundle built alone. Real MkDocs builds of the
sample, one guest each, without PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.memo import Memo
from build_tools.mkdocs_plugin import engine
from build_tools.mkdocs_plugin.engine import Options
from build_tools.mkdocs_plugin.shared_pages import SharedPages
from build_tools.profiles import Profile

from conftest import REPO


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes], SharedPages, Path]:
    """(il-mizrahi's site built alone, the same built after jp-tanaka's with the same kept pages, those pages, the
    folder)."""
    out = tmp_path_factory.mktemp("shared-pages")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1803000000")  # the pages name the build's moment
        engine.use("mkdocs")

        def build(name: str, guest: str, shared: SharedPages | None = None, memo: Memo | None = None) -> Path:
            options = Options(Profile.TRAINING.value, False, str(out / "cache"), 1, (guest,), memo=memo, shared=shared)
            engine.build_site(REPO / "mkdocs.yml", out / name, options)
            return out / name

        alone = build("alone", "il-mizrahi")
        shared, memo = SharedPages(), Memo()
        first = build("first", "jp-tanaka", shared, memo)
        assert shared.reused == 0  # the first bundle of a worker renders every page
        assert b"Tanaka" in (first / "index.html").read_bytes()
        second = build("second", "il-mizrahi", shared, memo)
    return _files(alone), _files(second), shared, out


def test_a_bundle_from_kept_pages_is_the_bundle_built_alone(builds) -> None:  # noqa: ANN001
    alone, second, shared, _ = builds
    knowledge = [path for path in alone if path.endswith(".html") and not path.startswith("guests/")]
    assert shared.reused > len(knowledge) / 2  # most knowledge pages were not rendered again
    assert sorted(second) == sorted(alone)
    assert [path for path in alone if second[path] != alone[path]] == []


def test_no_other_guest_is_named_in_a_bundle_from_kept_pages(builds) -> None:  # noqa: ANN001
    _, second, _, _ = builds
    assert not [path for path, data in second.items() if b"jp-tanaka" in data or b"Tanaka" in data]
    assert any(b"il-mizrahi" in data for path, data in second.items() if path == "index.html")
