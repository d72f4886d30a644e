"""What the web app manifest and the iOS tags say: names, colours, icons. Pure data."""

from __future__ import annotations

from dataclasses import dataclass

NAME = "LO Briefing — คู่มือเจ้าหน้าที่ประสานงาน"
SHORT_NAME = "คู่มือ LO"
THEME_COLOUR = "#4051b5"  # Material's indigo primary (mkdocs.yml palette)
BACKGROUND = "#ffffff"
MANIFEST = "manifest.webmanifest"
APP_DIR = "app"


@dataclass(frozen=True)
class Icon:
    path: str  # relative to the site root
    size: int
    purpose: str  # "any" or "maskable"; the apple-touch-icon is "apple"


ICONS = (
    Icon(f"{APP_DIR}/icon-192.png", 192, "any"),
    Icon(f"{APP_DIR}/icon-512.png", 512, "any"),
    Icon(f"{APP_DIR}/icon-maskable-192.png", 192, "maskable"),
    Icon(f"{APP_DIR}/icon-maskable-512.png", 512, "maskable"),
    Icon(f"{APP_DIR}/apple-touch-icon.png", 180, "apple"),
)


def web_manifest(name: str = NAME, short_name: str = SHORT_NAME) -> dict[str, object]:
    """The manifest; every URL is relative to the manifest, which sits at the site root, so any sub-path works."""
    return {
        "name": name,
        "short_name": short_name,
        "description": "ความรู้และข้อมูลแขกสำหรับเจ้าหน้าที่ประสานงาน — ใช้ได้แบบออฟไลน์",
        "lang": "th",
        "dir": "ltr",
        "id": "./",
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND,
        "icons": [
            {"src": icon.path, "sizes": f"{icon.size}x{icon.size}", "type": "image/png", "purpose": icon.purpose}
            for icon in ICONS
            if icon.purpose != "apple"
        ],
    }
