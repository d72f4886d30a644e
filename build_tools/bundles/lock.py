"""Locking a bundle's sensitive content with its LO's password, with maintained libraries only.

- Pages and phone files: AES-256-GCM (``cryptography``) under a key derived from the password with
  PBKDF2-HMAC-SHA256, 600,000 iterations, the bundle's salt. The browser derives the same key with WebCrypto
  (``theme/overrides/assets/javascripts/lo-lock.js``) and decrypts; nothing is sent anywhere.
- PDFs: the PDF standard's own AES-256 encryption (revision 6), written by qpdf through ``pikepdf``; any PDF viewer
  asks for the password.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from .secret import PBKDF2_ITERATIONS

_ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)', re.S)


class LockError(Exception):
    """A page the bundle cannot lock (not a page the engine rendered as expected)."""


@dataclass(frozen=True)
class PageKey:
    key: bytes
    salt: bytes


def page_key(password: str, salt: bytes) -> PageKey:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=PBKDF2_ITERATIONS)
    return PageKey(kdf.derive(password.encode("utf-8")), salt)


def seal(key: PageKey, nonce: bytes, data: bytes) -> str:
    """``data`` encrypted and authenticated, as base64 text: the 12-byte nonce, then the ciphertext and its tag."""
    return base64.b64encode(nonce + AESGCM(key.key).encrypt(nonce, data, None)).decode("ascii")


def unseal(key: PageKey, sealed: str) -> bytes:
    """The inverse of ``seal`` (for tests and the password sheet's self-check)."""
    raw = base64.b64decode(sealed)
    return AESGCM(key.key).decrypt(raw[:12], raw[12:], None)


def article(page: str) -> str:
    """The content of a rendered page (what is inside its ``<article>``)."""
    found = _ARTICLE.search(page)
    if found is None:
        raise LockError("expected a page with one <article class=\"md-content__inner md-typeset\">")
    return found.group(2)


def lock_page(page: str, locked_article: str, files: dict[str, tuple[str, str]], key: PageKey) -> str:
    """``page`` (which shows only what is not sensitive) with the sealed full article and phone files appended to its
    article, and the unlock form at its top. ``files``: site path → (MIME type, sealed bytes)."""
    blobs = [f'<script type="application/octet-stream" id="lo-locked" data-salt="{base64.b64encode(key.salt).decode()}" '
             f'data-iterations="{PBKDF2_ITERATIONS}">{locked_article}</script>']
    blobs += [f'<script type="application/octet-stream" data-lo-locked-file="{html.escape(path)}" '
              f'data-type="{html.escape(mime)}">{sealed}</script>' for path, (mime, sealed) in sorted(files.items())]
    form = (
        '<form class="lo-lock admonition warning" data-lo-lock>'
        '<p class="admonition-title">ข้อมูลอ่อนไหวถูกล็อก (Sensitive details locked)</p>'
        "<p>ห้องพัก เบอร์โทร รถ สุขภาพ ศาสนา และหนังสือเดินทางของแขกถูกเข้ารหัสไว้ในเครื่องนี้ "
        "ใส่รหัสผ่านของ LO เพื่อเปิดดู (ครั้งเดียวต่อการเปิดเบราว์เซอร์) — "
        "room, phones, car, health, religion and passport are encrypted on this device: type the LO password to see them.</p>"
        '<p><label for="lo-passphrase">รหัสผ่าน LO (LO password)</label> '
        '<input id="lo-passphrase" name="passphrase" type="password" autocomplete="current-password" '
        'autocapitalize="off" spellcheck="false" required> '
        '<button type="submit" class="md-button md-button--primary">ปลดล็อก (Unlock)</button></p>'
        '<p class="lo-lock__status" role="status" aria-live="polite"></p></form>'
    )

    def replace(match: re.Match[str]) -> str:
        return match.group(1) + form + match.group(2) + "".join(blobs) + match.group(3)

    locked, count = _ARTICLE.subn(replace, page, count=1)
    if not count:
        raise LockError("expected a page with one <article class=\"md-content__inner md-typeset\">")
    return locked


#: qpdf writes the object streams anew, deflated at zlib's default level 6: level 1 takes a fifth less of the CPU of
#: locking a bundle's PDFs (1.48 → 1.18 s for one LO's 18, measured) for files about 4 % larger.
PDF_DEFLATE_LEVEL = 1


def lock_pdfs(source: Path, copies: list[tuple[Path, str, str]]) -> None:
    """``source`` encrypted with AES-256 (PDF 2.0 / revision 6) once per copy ``(target, user password, owner
    password)``: each copy opens only with its own user password.

    The source is parsed once for all its copies: a guest's documents go into the coordinators' bundle and into the
    bundle of each LO who escorts or backs up that guest, the orientation handbook into every bundle. Parsing is
    most of opening a tagged handbook (11,000 objects, 46 ms of its 100 ms lock, measured); a copy's save is then
    what differs between bundles (qpdf's password hashing for revision 6 alone is 18 ms per file)."""
    import pikepdf

    pikepdf.settings.set_flate_compression_level(PDF_DEFLATE_LEVEL)  # this process only locks bundles
    with pikepdf.open(source) as pdf:
        for target, user_password, owner_password in copies:
            encryption = pikepdf.Encryption(user=user_password, owner=owner_password, R=6, aes=True)
            # The PDF version stays 1.7 (AES-256 adds an extension level), so the metadata is kept as WeasyPrint
            # wrote it: pikepdf would parse and write it again for nothing (a twelfth of the locking time, measured).
            pdf.save(target, encryption=encryption, fix_metadata_version=False)
