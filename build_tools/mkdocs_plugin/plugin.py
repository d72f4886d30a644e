"""The MkDocs adapter: hands MkDocs the pages of the output plan, then the rendered pages to the PDF stage.

Nothing is decided here: ``compose.plan`` says what the build produces and how it is named; this module only walks
the plan in MkDocs' events (and ``engine`` is how the CLI starts MkDocs).
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..boards.printed import board_html
from ..boards.xlsx import board_sheets
from ..compose.tickable import field_html
from ..diagnostics import Diagnostic
from ..fieldkit.documents import all_exports, pocket_html
from ..memo import Memo, file_bytes
from ..pdf.chapters import RenderedPage
from ..pdf.handbooks import chapters_of, handbook_for
from ..pdf.render import Job, MissingGlyphs, Rendering, job_for, job_for_html, render_all, start_rendering
from ..pdf.templates import print_templates_stamp
from ..plan import OutputPlan
from ..profiles import Profile
from ..project import Project, load_project, plan_project
from ..review import draft_label
from ..search_th import CutsAhead
from ..store import build_date
from ..workers import Background, Workers
from . import preview, search_hooks
from .config import LOBriefingConfig
from .converted import ConvertedPages
from .incremental import Incremental
from .shared_pages import SharedPages

log = get_plugin_logger(__name__)


class LOBriefingPlugin(BasePlugin[LOBriefingConfig]):
    def __init__(self) -> None:
        self.project: Project | None = None
        self.plan: OutputPlan | None = None
        self.rendered: dict[str, RenderedPage] = {}
        self.cuts_ahead: CutsAhead | None = None
        self.exports: Background[list[tuple[str, bytes]]] | None = None
        self.phone_files: list[tuple[str, bytes]] = []
        self.warned: set[str] = set()
        # Results kept from one build to the next: serve (on_startup) and the bundles' workers (engine.Options.memo)
        self.memo: Memo | None = None
        # serve only: pages kept from one rebuild to the next, PDFs made after the pages
        self.incremental: Incremental | None = None
        self.pdf_queue: ThreadPoolExecutor | None = None
        # bundles only: knowledge pages kept from one bundle to the next (engine.Options.shared)
        self.shared: SharedPages | None = None
        # a whole build (no memo): each page's Markdown converted only if it changed since the last build
        self.converted: ConvertedPages | None = None
        # a build's PDFs: started with the first page MkDocs writes (on_page_context), waited for in on_post_build
        self.pdfs_started = False
        self.rendering: Rendering | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """With this event MkDocs keeps the plugin from one serve rebuild to the next: state for the preview."""
        if command == "serve":
            self.memo, self.incremental = Memo(), Incremental()
            self.pdf_queue = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lo-pdf", initializer=_behind_the_preview)

    def on_shutdown(self) -> None:
        if self.pdf_queue is not None:
            self.pdf_queue.shutdown(wait=False, cancel_futures=True)

    # --- inputs ------------------------------------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        self.guests_dir = self.root / self.config.guests_dir
        self.cache_dir = self.root / self.config.cache_dir
        self.workers = Workers(self.config.workers)
        self.project, self.plan = None, None
        if self.incremental is None:  # a preview keeps the pages it does not render again (for the PDFs)
            self.rendered = {}
        project, diagnostics = load_project(self.root, Path(config.docs_dir), self.guests_dir, Profile(self.config.profile),
                                            self.memo)
        warnings = {str(d) for d in diagnostics if d.severity.value == "warning"}
        for warning in sorted(warnings - self.warned):  # a preview names each warning once, not at every rebuild
            log.info(warning)
        if self.incremental is not None:
            self.warned = warnings
        project = preview.loaded(self.root, project, _report(diagnostics), self.config.preview)  # serve: last good one
        if project is None:
            raise PluginError(_report(diagnostics))
        self.project = project
        self.plan = plan_project(project, config.nav, build_date(), only=self.config.guests, memo=self.memo)
        if config.nav:
            config.nav = self.plan.nav
        if self.incremental is not None or self.shared is not None:  # the front matter's titles, status: in the navigation
            headers = {path: repr(page.meta) for path, page in project.pages.items()}
            if self.incremental is not None:
                self.incremental.start(config, self.plan, headers, preview.banner(self.root), self.root)
            if self.shared is not None:
                self.shared.start(self.plan, headers)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if self.incremental is not None:
            self.incremental.pre_build(config)

    def on_serve(self, server, config: MkDocsConfig, builder):  # noqa: ANN001, ANN201 - livereload types
        server.watch(str(self.guests_dir))
        if (self.root / "published").is_dir():  # a new published version changes every "what changed" block
            server.watch(str(self.root / "published"))
        return server

    # --- pages -------------------------------------------------------------------------------------------------
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.plan is not None and self.project is not None
        for page in self.plan.pages:
            files.append(File.generated(config, page.path, content=page.markdown))
        for asset in self.plan.assets:
            files.append(File.generated(config, asset.path, abs_src_path=str(asset.source)))
        # The .ics/.vcf files are made on the spare core while MkDocs renders; on_post_build writes them. Every
        # download gets a placeholder now, so links to it validate (PDFs stay empty when they are off).
        # A preview makes the phone files here, only for the guests an edit changed (memo).
        plan, views = self.plan, {view.id: view for view in self.project.views}
        if self.memo is None:
            self.exports = Background(lambda: [*all_exports(plan, views), *board_sheets(plan)], self.workers)
        else:
            self.phone_files = all_exports(plan, views, self.memo)
            self.exports = Background(lambda: board_sheets(plan), self.workers)
        for path in self.plan.files:
            files.append(File.generated(config, path, content=b""))
        search_hooks.add_shim(files, config, self.root)  # iframe-worker served from the site, not a CDN
        # Thai words, on the spare core once the helper above is done with it.
        self.cuts_ahead = search_hooks.cuts_ahead(self.cache_dir, self.workers, self.memo, self.exports.done)
        self.cuts_ahead.feed(config.site_name)  # the home page's title in the search index
        if self.incremental is not None:
            self.incremental.mark(files, self.plan)
        if self.shared is not None:
            self.shared.mark(files)
        self.pdfs_started, self.rendering = False, None
        self.converted = ConvertedPages(self.cache_dir) if self.memo is None and self.shared is None else None
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        if self.incremental is not None:
            self.incremental.keep_headers(nav)
        if self.shared is not None:
            self.shared.restore_headers(nav)
        return nav

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        # The theme's templates compiled once per process (a preview, a bundles worker), else kept compiled in the cache
        # folder from one build to the next (Jinja's own cache, checked against each template's source): compiling
        # them was 7 % of a site build of the sample.
        if self.memo is not None:
            env.bytecode_cache = self.memo.templates
        else:
            (self.cache_dir / "templates").mkdir(mode=0o700, parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(self.cache_dir / "templates"))
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.plan is not None
        uri = page.file.src_uri
        if self.converted is not None:
            self.converted.take_over(page)
        return self.plan.prefixes.get(uri, "") + markdown + self.plan.additions.get(uri, "")

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        html = preview.banner(self.root) + field_html(html)  # serve: broken inputs' errors; tel: links, tickable lists
        self.rendered[page.file.src_uri] = RenderedPage(page.url, page.title or "", html, draft_label(page.meta))
        if self.incremental is not None:
            self.incremental.rendered(page.file.src_uri, page.url, page.title, page.meta)
        if self.cuts_ahead is not None:
            self.cuts_ahead.feed(html, page.title or "")
        return html

    def on_page_context(self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        self._start_pdfs(Path(config.site_dir))  # at the first page MkDocs writes
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.shared is not None:
            self.shared.rendered(output, page)
        return output

    def on_build_error(self, error: Exception) -> None:
        for helper in (self.cuts_ahead, self.exports):
            if helper is not None:
                helper.close()
        if self.rendering is not None:  # the PDFs not started are dropped
            self.rendering.cancel()
            self.rendering = None
        if self.incremental is not None:
            self.incremental.forget()
        if self.shared is not None:
            self.shared.forget()
        if self.converted is not None:
            self.converted.discard()
            self.converted = None

    # --- outputs -----------------------------------------------------------------------------------------------
    @property
    def _makes_pdfs(self) -> bool:
        return self.config.pdf and self.project is not None and self.plan is not None

    def _start_pdfs(self, site_dir: Path) -> None:
        """A build starts its PDFs on worker processes when MkDocs is about to write the first page: every page's
        content is known (the handbooks' chapters) and the static files are in the site (their images), and the
        workers render while MkDocs writes the pages through the theme, cuts the search index and so on (at 50
        guests, a one-guest edit's handbook started 7 s into a 17 s build, after all of that). A preview makes its
        PDFs after the pages, in the background (on_post_build). Once per build: later calls do nothing."""
        if self.pdfs_started or self.pdf_queue is not None:
            return
        self.pdfs_started = True
        if not self._makes_pdfs:
            return
        try:
            self.rendering = start_rendering(self._pdf_jobs(site_dir), self.cache_dir / "pdf", self.workers,
                                             variant=self.config.pdf_variant)
        except MissingGlyphs as exc:
            raise PluginError(str(exc)) from None

    def on_post_build(self, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        self._start_pdfs(site_dir)  # if no page was written
        rendering, self.rendering = self.rendering, None
        try:
            self._finish_site(site_dir)
        except BaseException:
            if rendering is not None:
                rendering.cancel()
            raise
        if self.pdf_queue is not None and self._makes_pdfs:
            self.pdf_queue.submit(self._render_in_background, self._pdf_jobs(site_dir))  # the pages first
        if self.memo is not None:
            self.memo.sweep()
        if self.converted is not None:  # while the PDFs render
            self.converted.save()
            self.converted = None
        if rendering is not None:
            try:
                rendering.wait()
            except MissingGlyphs as exc:
                raise PluginError(str(exc)) from None

    def _finish_site(self, site_dir: Path) -> None:
        """The phone files, the bundle's shared pages, the search index with its Thai words cut."""
        if self.exports is not None:
            for path, content in [*self.phone_files, *self.exports.result()]:
                if self.incremental is None or self.incremental.changed_download(site_dir, path, content):
                    (site_dir / path).write_bytes(content)
        self.phone_files = []
        if self.shared is not None:
            self.shared.finish(site_dir)
        search_hooks.segment_search_index(site_dir, self.cache_dir, self.cuts_ahead, self.workers)
        if self.incremental is not None:
            self.incremental.merge_search_index(site_dir)

    def _pdf_jobs(self, site_dir: Path) -> list[Job]:
        """Every PDF of the plan, as the HTML to render and its cache key.

        Through the memo (a preview, kept from one rebuild to the next) a document whose inputs did not change is the
        job made before: at 200 guests, making them all again was 6 s of every rebuild. A build without a memo
        still makes each chapter once for all the handbooks that share it."""
        assert self.project is not None and self.plan is not None
        memo = self.memo if self.memo is not None else Memo()
        views = {view.id: view for view in self.project.views}
        event = self.project.loaded.event
        templates = print_templates_stamp()
        jobs = []
        for book in self.plan.handbooks:
            view = views.get(book.owner or "")
            pages = [(self.rendered[ref.page], ref.part) for ref in book.chapters if ref.page in self.rendered]
            chapters = chapters_of(pages, site_dir, memo)
            key = (book.path, book.kind, book.stamp, book.shared, str(site_dir), templates, event, view, *chapters)
            jobs.append(memo.get("handbook job", key, lambda book=book, view=view, chapters=chapters:  # type: ignore[misc]
                                 job_for(handbook_for(book, event, view, chapters), site_dir / book.path)))
        qr_cache = self.cache_dir / "qr"
        for pocket in self.plan.pockets:
            view = views[pocket.owner]
            photo = file_bytes(self.guests_dir / view.guest.photo) if view.guest.photo else None
            key = (pocket.path, pocket.kind, pocket.stamp, str(site_dir), templates, view, photo, str(qr_cache))
            jobs.append(memo.get("pocket job", key, lambda pocket=pocket, view=view:  # type: ignore[misc]
                                 job_for_html(pocket_html(pocket, view, self.guests_dir, qr_cache), site_dir / pocket.path)))
        for board in self.plan.boards:
            jobs.append(job_for_html(board_html(board.board, event, self.plan.profile, board.stamp), site_dir / board.path))
        return jobs

    def _render_in_background(self, jobs: list[Job]) -> None:
        try:
            render_all(jobs, self.cache_dir / "pdf", self.workers, variant=self.config.pdf_variant, apart=True)
        except Exception as exc:  # noqa: BLE001 - the preview goes on
            # printed, not logged: MkDocs would count a logged error against whichever rebuild is running (strict)
            print(f"ERROR: PDFs not made: {exc}", file=sys.stderr, flush=True)


def _behind_the_preview() -> None:
    """On Linux a thread has its own niceness, and the PDF workers forked from it inherit it: a save is rebuilt
    first, while the last one's PDFs are still being made."""
    if sys.platform == "linux":
        os.nice(10)


def _report(diagnostics: list[Diagnostic]) -> str:
    errors = [d for d in diagnostics if d.severity.value == "error"]
    lines = [str(d) for d in diagnostics]
    return "\n".join(lines) + f"\n{len(errors)} error(s): nothing was built."
