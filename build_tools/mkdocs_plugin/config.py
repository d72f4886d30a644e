"""The plugin's options in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..profiles import Profile


class LOBriefingConfig(Config):
    guests_dir = c.Type(str, default="guests")
    profile = c.Choice([p.value for p in Profile], default=Profile.FULL.value)
    pdf = c.Type(bool, default=True)
    pdf_dir = c.Type(str, default="pdf")
    cache_dir = c.Type(str, default=".cache")
