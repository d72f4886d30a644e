"""The field kit of one build, as the MkDocs plugin uses it: extra pages and files, PDF jobs, the version stamp."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .. import thaidate
from ..compose.guest import GuestView
from ..pdf.render import Job, job_for_html
from ..project import Project
from .calendar import calendar
from .card import card_html
from .changes import Comparison, admonition, changes_page, compare, with_admonition
from .contacts import vcards
from .runsheet import runsheet_html

KIT_DIR = "kit"  # site/kit/<id>.ics and .vcf
CHANGES_PAGE = "guests/changes.md"
CHANGES_TITLE = "การเปลี่ยนแปลง (What changed)"


def card_name(guest_id: str) -> str:
    return f"card-{guest_id}.pdf"


def runsheet_name(guest_id: str) -> str:
    return f"runsheet-{guest_id}.pdf"


@dataclass
class FieldKit:
    project: Project
    comparison: Comparison
    cache_dir: Path | None = None  # where small results (QR codes) are remembered between builds

    @classmethod
    def prepare(cls, project: Project, cache_dir: Path | None = None) -> FieldKit:
        return cls(project, compare(project.root, project.views, project.profile), cache_dir)

    # --- stamps ----------------------------------------------------------------------------------------------------
    @property
    def version(self) -> int:
        return self.comparison.snapshot.version if self.comparison.snapshot else 0

    def stamp(self, as_of: str, guest_id: str | None = None) -> str:
        """The "valid as of" line of one document (a guest's, or with no ``guest_id`` the orientation handbook's).

        ``ฉบับที่ 3 — 2027-02-20``: as published, with the published date, so the document stays the same on every
        later day and its PDF comes from the cache. A guest whose data changed since then is marked amended with
        ``as_of``, the build's date; before the first publication every document is a draft of ``as_of``.
        """
        snapshot = self.comparison.snapshot
        if not snapshot:
            return f"ฉบับร่าง (draft) — {as_of}"
        found = self.comparison.for_guest(guest_id) if guest_id else None
        if found is not None and found.state != "same":
            return f"ฉบับที่ {self.version} (แก้ไขหลังเผยแพร่ / amended) — {as_of}"
        return f"ฉบับที่ {self.version} — {snapshot.date}"

    def moment(self) -> dt.datetime:
        """DTSTAMP of the calendars: ``SOURCE_DATE_EPOCH``, else the published date, so the same input gives the same bytes."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        if self.comparison.snapshot:
            day = dt.date.fromisoformat(self.comparison.snapshot.date)
            return dt.datetime.combine(day, dt.time(), thaidate.BANGKOK)
        return dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)

    # --- pages and files -------------------------------------------------------------------------------------------
    def guest_page(self, view: GuestView, markdown: str) -> str:
        """The guest page with the "changed since version N" block under its title."""
        return with_admonition(markdown, admonition(self.comparison, view.id))

    def pages(self) -> list[tuple[str, str]]:
        return [(CHANGES_PAGE, changes_page(self.comparison, self.project.loaded.event))]

    def titles(self) -> dict[str, str]:
        return {CHANGES_PAGE: CHANGES_TITLE}

    def download_names(self) -> list[str]:
        """Where ``downloads`` puts its files, known without making them."""
        return [f"{KIT_DIR}/{view.id}.{kind}" for view in self.project.views for kind in ("ics", "vcf")]

    def downloads(self) -> list[tuple[str, bytes]]:
        """site/kit/<id>.ics and site/kit/<id>.vcf for every guest."""
        out: list[tuple[str, bytes]] = []
        for view in self.project.views:
            found = self.comparison.for_guest(view.id)
            sequence = self.version + (1 if found is not None and found.state != "same" else 0)
            out.append((f"{KIT_DIR}/{view.id}.ics", calendar(view, self.moment(), sequence)))
            out.append((f"{KIT_DIR}/{view.id}.vcf", vcards(view).encode("utf-8")))
        return out

    def pdf_names(self) -> list[str]:
        return [name for view in self.project.views for name in (card_name(view.id), runsheet_name(view.id))]

    def pdf_jobs(self, pdf_dir: Path, as_of: str) -> list[Job]:
        """Pocket cards and run sheets, each with its guest's stamp (see ``stamp``)."""
        jobs = []
        qr_cache = self.cache_dir / "qr" if self.cache_dir else None
        for view in self.project.views:
            stamp = self.stamp(as_of, view.id)
            jobs.append(job_for_html(card_html(view, stamp, self.project.guests_dir, qr_cache), pdf_dir / card_name(view.id)))
            jobs.append(job_for_html(runsheet_html(view, stamp), pdf_dir / runsheet_name(view.id)))
        return jobs
