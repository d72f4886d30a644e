"""The site engine is an adapter: MkDocs 1.6 and ProperDocs (its maintained fork) build the same site from the plan.

Both run our plugin and Material; the pages differ only in the generator line of their <head>, the search index not
at all. (MkDocs 1.x is unmaintained and Material reaches end of life on 2027-05-05: see the README's engine policy.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    out = {}
    for engine in ("mkdocs", "properdocs"):
        site = tmp_path_factory.mktemp(engine) / "site"
        result = run_cli("build", "--no-pdf", "--engine", engine, "--site-dir", str(site), env={"SOURCE_DATE_EPOCH": "1796000000"})
        assert result.returncode == 0, result.stderr
        out[engine] = _files(site)
    return out


def test_both_engines_build_the_same_pages_and_search_index(sites: dict[str, dict[str, bytes]]) -> None:
    mkdocs, properdocs = sites["mkdocs"], sites["properdocs"]
    assert sorted(mkdocs) == sorted(properdocs)
    assert mkdocs["search/search_index.json"] == properdocs["search/search_index.json"]
    differing = [path for path in mkdocs if GENERATOR.sub(b"", mkdocs[path]) != GENERATOR.sub(b"", properdocs[path])]
    assert differing == []
    assert b"ProperDocs" in properdocs["index.html"] and b"mkdocs-1.6" in mkdocs["index.html"]


def test_an_unknown_engine_is_a_clear_error() -> None:
    result = run_cli("build", "--no-pdf", "--engine", "zensical")
    assert result.returncode == 2 and "invalid choice: 'zensical'" in result.stderr
