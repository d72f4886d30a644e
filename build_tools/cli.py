"""Command line: ``lo-briefing build|check|new-guest|schema|serve|publish`` (also ``python -m build_tools``)."""

from __future__ import annotations

import argparse
import os
import sys
import zipfile
from pathlib import Path

from .diagnostics import errors
from .profiles import Profile

ROOT = Path.cwd()
ZIP_NAME = "lo-briefing-site.zip"
STORED = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".zip", ".gz"}


def _quiet_mkdocs() -> None:
    """Silence MkDocs' end-of-life banner and show its warnings (and ours) as one line each."""
    import logging

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def cmd_check(args: argparse.Namespace) -> int:
    from .project import load_project

    project, diagnostics = load_project(ROOT, ROOT / "content", ROOT / "guests", Profile(args.profile))
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    failed = errors(diagnostics)
    print(f"{len(failed)} error(s), {len(diagnostics) - len(failed)} warning(s)", file=sys.stderr)
    return 1 if failed else 0


def cmd_build(args: argparse.Namespace) -> int:
    """Build into a private staging folder next to the site; replace the site only when everything succeeded."""
    _quiet_mkdocs()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from . import cachefiles
    from .orphans import die_with_the_build
    from .sitedir import Output, describe, last_good, staged, swap

    die_with_the_build()  # no helper outlives a killed build
    site = Path(args.site_dir).resolve()
    os.environ["LO_PROFILE"] = args.profile
    os.environ["LO_PDF"] = "false" if args.no_pdf else "true"
    output: Output | None = None
    try:
        with staged(site) as output:  # one build at a time; a swap cut short by a kill is undone first
            config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(output.staging))
            cachefiles.prepare(ROOT / config.plugins["lo-briefing"].config.cache_dir)  # private, pruned
            build(config)
            if not args.no_pdf:  # the zip is what goes onto the tablets: never one whose PDFs are empty placeholders
                _zip_site(output.staging, output.staging / ZIP_NAME)
            swap(output.staging, site)
    except MkDocsException as exc:
        print(f"{exc}\n{last_good(output, site)}", file=sys.stderr)
        return 1
    except OSError as exc:  # a full disk, a read-only folder: one line, not a traceback
        print(f"{describe(exc, site)}\n{last_good(output, site)}", file=sys.stderr)
        return 1
    print(f"Built {args.site_dir}/ (profile {args.profile}).", file=sys.stderr)
    return 0


def _zip_site(site: Path, target: Path) -> None:
    """Every file of the site, in a stable order with fixed timestamps, for copying onto tablets."""
    # Level 3: less than half the time of the default level 6 for about a fifth more bytes on the text files (the
    # PDFs, most of the archive, are stored as they are).
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(p for p in site.rglob("*") if p.is_file() and p != target):
            info = zipfile.ZipInfo(f"lo-briefing/{file.relative_to(site).as_posix()}", date_time=(2020, 1, 1, 0, 0, 0))
            # PDFs and images are compressed already: deflating them again costs seconds and saves nothing.
            info.compress_type = zipfile.ZIP_STORED if file.suffix in STORED else zipfile.ZIP_DEFLATED
            archive.writestr(info, file.read_bytes(), compresslevel=3)


def cmd_serve(args: argparse.Namespace) -> int:
    _quiet_mkdocs()
    os.environ["LO_PROFILE"] = args.profile
    os.environ["LO_PREVIEW"] = "1"  # a broken input shows on the last good preview instead of hanging it
    from mkdocs.commands.serve import serve

    serve(str(ROOT / "mkdocs.yml"), dev_addr=args.addr)
    return 0


def cmd_new_guest(args: argparse.Namespace) -> int:
    from .scaffold import new_guest

    return new_guest(ROOT / "guests", args.id)


def cmd_schema(args: argparse.Namespace) -> int:
    from .scaffold import write_schema

    return write_schema(ROOT / "guests" / "_schema")


def cmd_publish(args: argparse.Namespace) -> int:
    from .fieldkit.publish import publish

    return publish(ROOT, ROOT / "content", ROOT / "guests", args.date)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lo-briefing", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    profiles = [p.value for p in Profile]
    p = sub.add_parser("build", help="build the offline site, the PDFs and the zip into site/")
    p.add_argument("--profile", choices=profiles, default=os.environ.get("PROFILE") or "full")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--no-pdf", action="store_true", help="site only: no PDFs, no zip")
    p.set_defaults(run=cmd_build)
    p = sub.add_parser("check", help="validate guests, event and content without building")
    p.add_argument("--profile", choices=profiles, default="full")
    p.set_defaults(run=cmd_check)
    p = sub.add_parser("serve", help="preview with live reload")
    p.add_argument("--profile", choices=profiles, default="full")
    p.add_argument("--addr", default="127.0.0.1:8000")
    p.set_defaults(run=cmd_serve)
    p = sub.add_parser("new-guest", help="create guests/<id>.yml from a commented template")
    p.add_argument("id")
    p.set_defaults(run=cmd_new_guest)
    p = sub.add_parser("schema", help="write the JSON Schema editors use to check guest files")
    p.set_defaults(run=cmd_schema)
    p = sub.add_parser("publish", help="record the current data as the next published version (published/snapshot.json)")
    p.add_argument("--date", help="the version's date, YYYY-MM-DD (default: today in Bangkok, or SOURCE_DATE_EPOCH)")
    p.set_defaults(run=cmd_publish)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
