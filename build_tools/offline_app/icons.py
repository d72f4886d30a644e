"""The app icons, drawn with Pillow from shapes (no font, so every machine draws the same pixels).

A white "LO" on the theme's indigo. ``any`` icons are a rounded square on transparency; ``maskable`` icons fill the
whole square and keep the letters inside the central safe zone (a circle of 80 % of the width), as launchers crop them.
"""

from __future__ import annotations

import base64
import hashlib
import io
from functools import cache
from pathlib import Path

import PIL
from PIL import Image, ImageDraw

from ..store import remembered
from .manifest import THEME_COLOUR, Icon

SCALE = 4  # drawn larger, then each 4 × 4 block averaged into one pixel: smooth edges


_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


@cache  # the same pixels every time: a process that makes several apps (the bundles) draws each icon once
def icon_bytes(icon: Icon, cache_dir: Path | None) -> bytes:
    """:func:`icon_png`, remembered in ``cache_dir`` (drawing the five icons took about a second of every build)."""
    inputs = f"app icon\0{_CODE}\0{PIL.__version__}\0{icon}"
    folder = cache_dir / "offline-app" if cache_dir else None
    return base64.b64decode(remembered(folder, inputs, lambda: base64.b64encode(icon_png(icon)).decode("ascii")))


def icon_png(icon: Icon) -> bytes:
    size = icon.size * SCALE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if icon.purpose == "any":
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=THEME_COLOUR)
        letters = 0.62  # share of the width the letters take
    else:  # maskable and the apple-touch-icon (iOS rounds the corners itself): full bleed
        draw.rectangle((0, 0, size, size), fill=THEME_COLOUR)
        letters = 0.5 if icon.purpose == "maskable" else 0.58
    _letters(draw, size, letters)
    small = image.reduce(SCALE)  # a box filter: a quarter of the CPU of resampling with Lanczos, as smooth here
    if icon.purpose != "any":
        small = small.convert("RGB")  # opaque: iOS shows transparency as black
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _letters(draw: ImageDraw.ImageDraw, size: int, share: float) -> None:
    """An "L" and an "O" side by side, centred, ``share`` of the width wide."""
    width = size * share
    height = width * 0.62
    stroke = height * 0.2
    left = (size - width) / 2
    top = (size - height) / 2
    white = "#ffffff"
    # L
    l_width = width * 0.36
    draw.rectangle((left, top, left + stroke, top + height), fill=white)
    draw.rectangle((left, top + height - stroke, left + l_width, top + height), fill=white)
    # O: a ring
    o_left = left + width * 0.44
    box = (o_left, top, left + width, top + height)
    draw.ellipse(box, fill=white)
    draw.ellipse((box[0] + stroke, box[1] + stroke, box[2] - stroke, box[3] - stroke), fill=THEME_COLOUR)
