"""The LO's field kit: pocket emergency card, daily run sheet, calendar (.ics), contacts (.vcf) and what changed.

Everything here works on the guest views the build already redacted for its profile, so no sensitive value reaches
a kit file that the profile hides. ``kit.FieldKit`` is what the MkDocs plugin talks to.
"""

from __future__ import annotations

from .kit import FieldKit

__all__ = ["FieldKit"]
