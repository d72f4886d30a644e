"""The two anchors the build is compared with, both fed from one capture of what our pipeline produces.

``capture`` runs our real build once in-process (untimed) and keeps, instead of rendering PDFs:
- every page's final Markdown (generated guest pages, appended checklists and tables) and every generated file,
  written as plain files into ``<out>/bare/docs`` next to a plain Material ``mkdocs.yml`` without our plugin
  (same theme, features and Markdown extensions, the expanded navigation) — the *bare mkdocs build* anchor;
- every print document's complete HTML (handbooks, pocket cards, run sheets) as ``<out>/jobs.jsonl`` — input of the
  *naive serial render* anchor: one process, one document after another, no cache, the same WeasyPrint set-up
  (Thai text fix on, the same PDF variant: tagged PDF/A-2u by default), so it writes the same PDFs our build writes.

Run as ``python -m bench.anchors capture PROJECT OUT`` and ``python -m bench.anchors naive JOBS OUT_DIR [PART/PARTS]``,
with the project as working directory for ``capture``; ``naive … 0/2`` and ``1/2`` render every other document each.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

BARE_CONFIG = {
    "site_name": "LO Briefing (bare anchor)",
    "docs_dir": "docs",
    "use_directory_urls": False,
    "theme": {
        "name": "material",
        "language": "th",
        "font": False,
        "features": ["navigation.sections", "navigation.indexes", "navigation.top", "search.highlight", "toc.follow"],
        "palette": {"primary": "indigo", "accent": "blue"},
    },
    "plugins": [{"search": {"lang": "en"}}, "offline"],
}


def capture(project: Path, out: Path) -> dict[str, int]:
    """Build ``project`` with our plugin, PDFs replaced by a record of their HTML; write both anchors' inputs."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from build_tools.mkdocs_plugin import plugin as plugin_module
    from build_tools.mkdocs_plugin.engine import Options, configure
    from build_tools.pdf.render import DEFAULT_PDF_VARIANT

    markdown: dict[str, str] = {}
    generated: dict[str, bytes] = {}
    jobs: list[dict[str, str]] = []
    navigation: list = []
    original_markdown = plugin_module.LOBriefingPlugin.on_page_markdown
    original_files = plugin_module.LOBriefingPlugin.on_files

    def on_page_markdown(self, text, page, config, files):  # noqa: ANN001, ANN202
        result = original_markdown(self, text, page, config, files)
        markdown[page.file.src_uri] = result
        return result

    def on_files(self, files, config):  # noqa: ANN001, ANN202
        result = original_files(self, files, config)
        for file in result:
            if file.generated_by and not file.src_uri.endswith(".md"):
                generated[file.src_uri] = file.content_bytes
        navigation[:] = config.nav or []
        return result

    class Recorded:
        def wait(self) -> list[Path]:
            return []

    def start_rendering(found, cache_dir, workers=None, variant=DEFAULT_PDF_VARIANT):  # noqa: ANN001, ANN202
        for job in found:
            jobs.append({"name": job.target.name, "html": job.whole_html(), "variant": variant})
        return Recorded()

    plugin_module.LOBriefingPlugin.on_page_markdown = on_page_markdown
    plugin_module.LOBriefingPlugin.on_files = on_files
    plugin_module.start_rendering = start_rendering
    staging = Path(tempfile.mkdtemp(prefix="bench-capture-"))
    try:
        options = Options(profile="full", cache_dir=os.environ.get("LO_CACHE_DIR"))
        build(configure(load_config(str(project / "mkdocs.yml"), site_dir=str(staging / "site")), options))
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    bare = out / "bare"
    if bare.exists():
        shutil.rmtree(bare)
    docs = bare / "docs"
    shutil.copytree(project / "content", docs)
    for uri, content in generated.items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_bytes(content)
    for uri, text in markdown.items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_text(text, encoding="utf-8")
    config = dict(BARE_CONFIG, nav=navigation, markdown_extensions=_markdown_extensions(project / "mkdocs.yml"))
    (bare / "mkdocs.yml").write_text(_dump_config(config), encoding="utf-8")
    with (out / "jobs.jsonl").open("w", encoding="utf-8") as stream:
        for job in jobs:
            stream.write(json.dumps(job, ensure_ascii=False) + "\n")
    return {"pages": len(markdown), "files": len(generated), "print_documents": len(jobs)}


def _markdown_extensions(config_file: Path) -> list:
    """Our ``markdown_extensions``, read without resolving the ``!!python/name`` tags (kept as text)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: _PyName(suffix))
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !ENV values: not needed here
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=Loader)["markdown_extensions"]


class _PyName(str):
    pass


def _dump_config(config: dict) -> str:
    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(_PyName, lambda dumper, value: dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{value}", ""))
    return yaml.dump(config, Dumper=Dumper, allow_unicode=True, sort_keys=False)


def naive(jobs_file: Path, out_dir: Path, part: int = 0, parts: int = 1) -> int:
    """Render every captured document (or, of ``parts`` parts, the ``part``-th: every ``parts``-th document from the
    ``part``-th on), one after another in this process, no cache. Returns the number written."""
    from weasyprint import HTML

    from build_tools.pdf.render import variant_options
    from build_tools.pdf.templates import PRINT_DIR
    from build_tools.pdf.thai_text import enable_thai_text_fix

    enable_thai_text_fix()
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    with jobs_file.open(encoding="utf-8") as stream:
        for index, line in enumerate(stream):
            if index % parts != part:
                continue
            job = json.loads(line)
            HTML(string=job["html"], base_url=str(PRINT_DIR)).write_pdf(out_dir / job["name"], **variant_options(job["variant"]))
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 3 and args[0] == "capture":
        print(json.dumps(capture(Path(args[1]).resolve(), Path(args[2]).resolve())))
        return 0
    if len(args) in (3, 4) and args[0] == "naive":
        part, _, parts = (args[3] if len(args) == 4 else "0/1").partition("/")
        if not (part.isdigit() and parts.isdigit() and int(part) < int(parts)):
            print(f"naive: expected a part as PART/PARTS (0/2: the first of two halves), got {args[3]!r}", file=sys.stderr)
            return 2
        print(json.dumps({"written": naive(Path(args[1]), Path(args[2]), int(part), int(parts))}))
        return 0
    print("usage: python -m bench.anchors capture PROJECT OUT | naive JOBS.jsonl OUT_DIR [PART/PARTS]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
