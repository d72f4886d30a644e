"""``make_offline_app``: turn a built site folder into an installable offline app (the post-build step)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..plan import OutputPlan
from ..store import build_moment, remembered, source_date, write_atomic
from . import buildinfo, icons, manifest, rules, workbox

SW_DOCS_SOURCE = Path(__file__).with_name("sw_docs.js")
GENERATED = {workbox.SW, buildinfo.BUILD_INFO}  # written here: not inputs of the build's identity


class OfflineAppError(Exception):
    """The app could not be made (the Workbox runtime is not installed): one line saying what to do."""


@dataclass(frozen=True)
class AppReport:
    precached_files: int
    precached_bytes: int  # what installing the app downloads
    on_demand_files: int
    on_demand_bytes: int  # documents kept only when opened (0 when a bundle precaches them)
    label: str  # "ข้อมูล ฉบับที่ N ณ …"
    warnings: tuple[str, ...]

    def summary(self) -> str:
        text = f"Offline app: {self.precached_files} files installed ({_mb(self.precached_bytes)})"
        if self.on_demand_files:
            text += f", {self.on_demand_files} documents kept on first open ({_mb(self.on_demand_bytes)})"
        return "\n".join([f"{text}; {self.label}", *(f"Offline app warning: {w}" for w in self.warnings)])


def make_offline_app(
    site_dir: Path,
    plan: OutputPlan,
    *,
    precache_downloads: bool = False,
    cache_dir: Path | None = None,
    name: str = manifest.NAME,
    short_name: str = manifest.SHORT_NAME,
) -> AppReport:
    """Add the manifest, icons and a Workbox service worker to the built site in ``site_dir`` (for ``plan``).

    ``precache_downloads``: install every download of the plan with the app (a bundle for one LO); otherwise each is
    kept when first opened. ``cache_dir`` remembers when a build with these exact files was first made, so a rebuild
    with nothing changed gives the same files (and no update on the devices).
    """
    write_atomic(site_dir / manifest.MANIFEST, json.dumps(manifest.web_manifest(name, short_name), ensure_ascii=False, indent=1))
    for icon in manifest.ICONS:
        write_atomic(site_dir / icon.path, icons.icon_bytes(icon, cache_dir))
    write_atomic(site_dir / workbox.SW_DOCS, SW_DOCS_SOURCE.read_bytes())
    try:
        workbox.copy_runtime(site_dir)
    except workbox.WorkboxMissing as exc:
        raise OfflineAppError(str(exc)) from None

    files = {p.relative_to(site_dir).as_posix(): p for p in site_dir.rglob("*") if p.is_file()}
    present = sorted(files)
    revisions = {path: _sha256(files[path]) for path in present if path not in GENERATED}
    on_demand = [] if precache_downloads else rules.download_paths(plan, present)
    built = _built(cache_dir, revisions, precache_downloads)
    info = buildinfo.build_info(plan, revisions, built, on_demand, precache_downloads)
    write_atomic(site_dir / buildinfo.BUILD_INFO, buildinfo.script(info))
    files[buildinfo.BUILD_INFO] = site_dir / buildinfo.BUILD_INFO
    revisions[buildinfo.BUILD_INFO] = _sha256(files[buildinfo.BUILD_INFO])
    installed = rules.precached(revisions, rules.ignores(plan, present, precache_downloads))
    worker, precache = workbox.service_worker({path: revisions[path] for path in installed},
                                              {path: files[path].stat().st_size for path in installed})
    write_atomic(site_dir / workbox.SW, worker)
    return AppReport(precache.count, precache.size, len(on_demand), sum((site_dir / p).stat().st_size for p in on_demand),
                     str(info["label"]), precache.warnings)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _built(cache_dir: Path | None, revisions: dict[str, str], precache_downloads: bool) -> dt.datetime:
    """When these files were first built: SOURCE_DATE_EPOCH, else remembered per content, else now."""
    fixed = source_date()
    if fixed is not None:
        return fixed
    content = "\n".join(f"{path} {rev}" for path, rev in sorted(revisions.items()))
    moment = remembered(cache_dir / "offline-app" if cache_dir else None, f"built\0{precache_downloads}\0{content}",
                        lambda: build_moment().isoformat(timespec="seconds"))
    return dt.datetime.fromisoformat(moment)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
