"""MkDocs hooks: add the generated guest pages, expand glob navigation, render checklists, hand over to the PDF stage.

All logic lives in the core (``build_tools``); this module only translates between it and MkDocs.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ..background import Background
from ..compose.pages import guest_page, guests_index
from ..diagnostics import Diagnostic
from ..compose.countries import country_table
from ..fieldkit import FieldKit
from ..knowledge import PhaseMeta, countries
from ..navigation import expand_nav
from ..pdf.chapters import RenderedPage
from ..pdf.handbooks import guest_handbook, orientation_handbook
from ..pdf.render import MissingGlyphs, job_for, render_all
from ..profiles import Profile
from ..project import Project, load_project
from ..search_th import CutsAhead
from . import preview, search_hooks
from .config import LOBriefingConfig

log = get_plugin_logger(__name__)
GUESTS = "guests"


def _as_of() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%Y-%m-%d")


class LOBriefingPlugin(BasePlugin[LOBriefingConfig]):
    def __init__(self) -> None:
        self.project: Project | None = None
        self.rendered: dict[str, RenderedPage] = {}
        self.sections: dict[str, str | None] = {}
        self.order: list[str] = []
        self.cuts_ahead: CutsAhead | None = None
        self.downloads: Background[list[tuple[str, bytes]]] | None = None

    # --- inputs ------------------------------------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        self.root = root
        self.guests_dir = root / self.config.guests_dir
        self.project = None
        project, diagnostics = load_project(root, Path(config.docs_dir), self.guests_dir, Profile(self.config.profile))
        for warning in (d for d in diagnostics if d.severity.value == "warning"):
            log.info(str(warning))
        project = preview.loaded(root, project, _report(diagnostics))  # serve: the last good one while broken
        if project is None:
            raise PluginError(_report(diagnostics))
        self.project = project
        return config

    def on_serve(self, server, config: MkDocsConfig, builder):  # noqa: ANN001, ANN201 - livereload types
        server.watch(str(self.guests_dir))
        if (self.root / "published").is_dir():  # a new published version changes every "what changed" block
            server.watch(str(self.root / "published"))
        return server

    # --- pages -------------------------------------------------------------------------------------------------
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.project is not None
        # Cards, run sheets, .ics/.vcf, changes since the published version (QR codes remembered in the cache).
        self.kit = FieldKit.prepare(self.project, self.root / self.config.cache_dir)
        for view in self.project.views:
            files.append(File.generated(config, f"{GUESTS}/{view.id}.md", content=self.kit.guest_page(view, guest_page(view))))
            if view.guest.photo:
                files.append(File.generated(config, f"{GUESTS}/{view.guest.photo}", abs_src_path=str(self.guests_dir / view.guest.photo)))
        files.append(File.generated(config, f"{GUESTS}/index.md", content=guests_index(self.project.loaded.event, self.project.views)))
        for uri, content in self.kit.pages():
            files.append(File.generated(config, uri, content=content))
        # The .ics/.vcf files are made on the spare core while MkDocs renders; on_post_build writes them.
        self.downloads = Background(self.kit.downloads)
        for uri in self.kit.download_names():
            files.append(File.generated(config, uri, content=b""))
        for name in ["orientation.pdf", *(f"guest-{v.id}.pdf" for v in self.project.views), *self.kit.pdf_names()]:
            # Placeholders so links validate; on_post_build writes the real files (empty when PDFs are off).
            files.append(File.generated(config, f"{self.config.pdf_dir}/{name}", content=b""))
        search_hooks.add_shim(files, config, self.root)  # iframe-worker served from the site, not a CDN
        self.cuts_ahead = search_hooks.cuts_ahead(self.root / self.config.cache_dir)  # Thai words, on the spare core
        self.cuts_ahead.feed(config.site_name)  # the home page's title in the search index
        titles = {uri: page.meta.title for uri, page in self.project.pages.items()}
        titles |= {f"{GUESTS}/{v.id}.md": v.display_name for v in self.project.views} | {f"{GUESTS}/index.md": "แขก"}
        titles |= self.kit.titles()
        if config.nav:
            config.nav = expand_nav(config.nav, titles)
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.order = [page.file.src_uri for page in nav.pages]
        self.sections = {page.file.src_uri: _top_section(page) for page in nav.pages}
        return nav

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.project is not None
        known = self.project.pages.get(page.file.src_uri)
        if known and isinstance(known.meta, PhaseMeta):
            steps = "\n".join(f"- [ ] {step.do}" for step in known.meta.checklist)
            markdown += f"\n\n## รายการตรวจสอบ (Checklist)\n\n{steps}\n"
        if page.file.src_uri == "countries/index.md":
            markdown += "\n\n" + country_table(countries(self.project.pages))
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        html = preview.banner(self.root) + html  # serve: the errors of broken inputs, on every page
        self.rendered[page.file.src_uri] = RenderedPage(page.url, page.title or "", html)
        if self.cuts_ahead is not None:
            self.cuts_ahead.feed(html, page.title or "")
        return html

    def on_build_error(self, error: Exception) -> None:
        for helper in (self.cuts_ahead, self.downloads):
            if helper is not None:
                helper.close()

    # --- outputs -----------------------------------------------------------------------------------------------
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.downloads is not None:
            for uri, content in self.downloads.result():
                (Path(config.site_dir) / uri).write_bytes(content)
        search_hooks.segment_search_index(Path(config.site_dir), self.root / self.config.cache_dir, self.cuts_ahead)
        if not self.config.pdf or self.project is None:
            return
        site_dir, as_of = Path(config.site_dir), _as_of()  # each document's stamp: self.kit.stamp(as_of, guest)
        knowledge = [uri for uri in self.order if not uri.startswith(f"{GUESTS}/") and uri in self.rendered]
        handbooks = [
            orientation_handbook(
                self.project.loaded.event,
                [(self.rendered[uri], self.sections[uri]) for uri in knowledge],
                site_dir,
                self.kit.stamp(as_of),
            )
        ]
        emergencies = [uri for uri in knowledge if uri.startswith("emergencies/")]
        for view in self.project.views:
            chapters = [f"{GUESTS}/{view.id}.md"]
            if view.country:
                chapters.append(f"countries/{view.country.path.rsplit('/', 1)[-1]}")
            chapters += emergencies
            pages = [self.rendered[uri] for uri in chapters if uri in self.rendered]
            handbooks.append(guest_handbook(view, pages, site_dir, self.kit.stamp(as_of, view.id)))
        pdf_dir = site_dir / self.config.pdf_dir
        try:
            jobs = [*(job_for(book, pdf_dir) for book in handbooks), *self.kit.pdf_jobs(pdf_dir, as_of)]
            render_all(jobs, self.root / self.config.cache_dir / "pdf")
        except MissingGlyphs as exc:
            raise PluginError(str(exc)) from None


def _top_section(page: Page) -> str | None:
    parent = page.parent
    while parent is not None and parent.parent is not None:
        parent = parent.parent
    return parent.title if isinstance(parent, Section) else None


def _report(diagnostics: list[Diagnostic]) -> str:
    errors = [d for d in diagnostics if d.severity.value == "error"]
    lines = [str(d) for d in diagnostics]
    return "\n".join(lines) + f"\n{len(errors)} error(s): nothing was built."
