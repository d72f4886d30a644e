"""Command line: ``lo-briefing build|check|new-guest|schema|serve|publish|export-guests|import-guests`` (also ``python -m build_tools``)."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from .archive import zip_site
from .diagnostics import errors
from .mkdocs_plugin import engine
from .mkdocs_plugin.engine import Options
from .offline_app import OfflineAppError, make_offline_app
from .profiles import Profile

ROOT = Path.cwd()
ZIP_NAME = "lo-briefing-site.zip"


def cmd_check(args: argparse.Namespace) -> int:
    from .project import load_project

    project, diagnostics = load_project(ROOT, ROOT / "content", ROOT / "guests", Profile(args.profile))
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    failed = errors(diagnostics)
    print(f"{len(failed)} error(s), {len(diagnostics) - len(failed)} warning(s)", file=sys.stderr)
    return 1 if failed else 0


def _options(args: argparse.Namespace, pdf: bool = True) -> Options:
    return Options(profile=args.profile, pdf=pdf, cache_dir=args.cache_dir, workers=args.workers)


def cmd_build(args: argparse.Namespace) -> int:
    """Build into a private staging folder next to the site; replace the site only when everything succeeded."""
    from . import cachefiles
    from .bundles import full_site
    from .bundles.freshness import site_key
    from .orphans import die_with_the_build
    from .sitedir import Output, describe, last_good, staged, swap

    engine.use(args.engine)
    die_with_the_build()  # no helper outlives a killed build
    site = Path(args.site_dir).resolve()
    output: Output | None = None
    # A full site with its PDFs is what `bundles` needs: recorded with its inputs' hash (taken before the build reads
    # them), a bundles run reads it instead of building the same site again.
    full = args.profile == Profile.FULL.value and not args.no_pdf
    inputs = site_key(ROOT, args.engine) if full else None
    cache_dir = cachefiles.folder(ROOT, args.cache_dir)
    try:
        if inputs is not None and _up_to_date(cache_dir, site, inputs):
            print(f"{args.site_dir}/ is up to date: built from these same inputs (content, guests, theme, the tool, the "
                  "day) and not changed since. Nothing to do.", file=sys.stderr)
            return 0
        with staged(site) as output:  # one build at a time; a swap cut short by a kill is undone first
            cachefiles.prepare(cache_dir)  # private, pruned
            plan = engine.build_site(ROOT / "mkdocs.yml", output.staging, _options(args, pdf=not args.no_pdf))
            print(make_offline_app(output.staging, plan, cache_dir=cache_dir).summary(), file=sys.stderr)
            if not args.no_pdf:  # the zip is what goes onto the tablets: never one whose PDFs are empty placeholders
                zip_site(output.staging, output.staging / ZIP_NAME)
            swap(output.staging, site)
            if inputs is not None:
                full_site.remember(cache_dir, site, inputs)
    except (engine.BuildFailed, OfflineAppError) as exc:
        print(f"{exc}\n{last_good(output, site)}", file=sys.stderr)
        return 1
    except OSError as exc:  # a full disk, a read-only folder: one line, not a traceback
        print(f"{describe(exc, site)}\n{last_good(output, site)}", file=sys.stderr)
        return 1
    print(f"Built {args.site_dir}/ (profile {args.profile}).", file=sys.stderr)
    return 0


def _up_to_date(cache_dir: Path, site: Path, inputs: str) -> bool:
    """Whether ``site`` is the last full site built, from inputs hashing to ``inputs``, with every file as it was
    written and no other: then a build would make it again as it is (``bundles/full_site.py``)."""
    from .bundles import full_site

    with full_site.last_built(cache_dir, inputs) as built:
        return built is not None and built.resolve() == site


def cmd_serve(args: argparse.Namespace) -> int:
    engine.use(args.engine)
    # A broken input shows on the last good preview instead of hanging it (mkdocs_plugin/preview.py).
    engine.serve_site(ROOT / "mkdocs.yml", args.addr, replace(_options(args, pdf=not args.no_pdf), preview=True))
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


def _engine_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=engine.ENGINES, default=os.environ.get("LO_ENGINE") or "mkdocs",
                        help="the site engine: MkDocs 1.6 or ProperDocs, its maintained fork (see README)")
    parser.add_argument("--cache-dir", default=os.environ.get("LO_CACHE_DIR"),
                        help="where rendered PDFs and word cuts are kept between builds (default: .cache)")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes to use: 1 runs everything in this process (default: one per core)")


def cmd_bundles(args: argparse.Namespace) -> int:
    from .bundles.build import Request, build_bundles

    return build_bundles(Request(ROOT, Path(args.out).resolve(), args.engine, args.cache_dir, args.workers))


def cmd_password_sheet(args: argparse.Namespace) -> int:
    from .bundles.sheet import password_sheet

    return password_sheet(ROOT, Path(args.out).resolve())


def cmd_export_guests(args: argparse.Namespace) -> int:
    from .sheets.exporter import export_guests

    return export_guests(ROOT, Path(args.guests_dir), Path(args.file))


def cmd_import_guests(args: argparse.Namespace) -> int:
    from .sheets.commands import import_guests

    return import_guests(ROOT, Path(args.guests_dir), Path(args.file), args.dry_run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lo-briefing", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    profiles = [p.value for p in Profile]
    p = sub.add_parser("build", help="build the offline site, the PDFs and the zip into site/")
    p.add_argument("--profile", choices=profiles, default=os.environ.get("PROFILE") or "full")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--no-pdf", action="store_true", help="site only: no PDFs, no zip")
    _engine_arguments(p)
    p.set_defaults(run=cmd_build)
    p = sub.add_parser("check", help="validate guests, event and content without building")
    p.add_argument("--profile", choices=profiles, default="full")
    p.set_defaults(run=cmd_check)
    p = sub.add_parser("serve", help="preview with live reload")
    p.add_argument("--profile", choices=profiles, default="full")
    p.add_argument("--addr", default="127.0.0.1:8000")
    p.add_argument("--no-pdf", action="store_true", help="no PDFs on each rebuild (their links stay, empty)")
    _engine_arguments(p)
    p.set_defaults(run=cmd_serve)
    p = sub.add_parser("new-guest", help="create guests/<id>.yml from a commented template")
    p.add_argument("id")
    p.set_defaults(run=cmd_new_guest)
    p = sub.add_parser("schema", help="write the JSON Schema editors use to check guest files")
    p.set_defaults(run=cmd_schema)
    p = sub.add_parser("publish", help="record the current data as the next published version (published/snapshot.json)")
    p.add_argument("--date", help="the version's date, YYYY-MM-DD (default: today in Bangkok, or SOURCE_DATE_EPOCH)")
    p.set_defaults(run=cmd_publish)
    p = sub.add_parser("bundles", help="one locked offline site per LO (their guests only) and one for the coordinators")
    p.add_argument("--out", default="bundles", help="where the zips go (default: bundles/, outside site/)")
    _engine_arguments(p)
    p.set_defaults(run=cmd_bundles)
    p = sub.add_parser("password-sheet", help="the LOs' bundle passwords as a PDF to print and hand out in person")
    p.add_argument("--out", default=".secrets/lo-passwords.pdf", help="the PDF to write (default: .secrets/, not tracked)")
    p.set_defaults(run=cmd_password_sheet)
    p = sub.add_parser("export-guests", help="write every guest into a workbook (.xlsx) or CSV files for the secretariat")
    p.add_argument("file", help="guests.xlsx, or guests.csv (the other sheets beside it as guests.<sheet>.csv)")
    p.add_argument("--guests-dir", default="guests")
    p.set_defaults(run=cmd_export_guests)
    p = sub.add_parser("import-guests", help="merge the guests of a workbook (.xlsx) or CSV into guests/ (all or nothing)")
    p.add_argument("file")
    p.add_argument("--guests-dir", default="guests")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.set_defaults(run=cmd_import_guests)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
