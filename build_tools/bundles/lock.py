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
import os
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


class OpenedPdfs:
    """Source PDFs kept open by a process that locks them for one bundle after another: every bundle carries the
    orientation handbook, and qpdf then parses it once per process instead of once per bundle (its lock 0.30 → 0.16 s
    of CPU, measured; what is written is the same, page for page and stream for stream, but for the second half of the
    file identifier, which qpdf makes anew for every file it encrypts anyway). For documents that many bundles carry:
    one kept open is held in memory whole once it has been written.

    Keyed by path, size and modification time, the last ``keep`` used kept; a forked process starts with none of its
    parent's (they share its open files)."""

    def __init__(self, keep: int = 2) -> None:
        self._keep = keep
        self._pid = os.getpid()
        self._open: OrderedDict[tuple[str, int, int], Any] = OrderedDict()

    def get(self, source: Path) -> Any:
        """``source`` as an open ``pikepdf.Pdf`` (do not change it, do not close it)."""
        import pikepdf

        if self._pid != os.getpid():
            self._pid, self._open = os.getpid(), OrderedDict()
        stat = source.stat()
        key = (str(source), stat.st_size, stat.st_mtime_ns)
        pdf = self._open.get(key)
        if pdf is None:
            pdf = self._open[key] = pikepdf.open(source)
            while len(self._open) > self._keep:
                self._open.popitem(last=False)[1].close()
        self._open.move_to_end(key)
        return pdf


def lock_pdf(source: Path, target: Path, user_password: str, owner_password: str,
             opened: OpenedPdfs | None = None) -> None:
    """``source`` encrypted with AES-256 (PDF 2.0 / revision 6) into ``target``: opens only with ``user_password``.
    ``opened``: where the process keeps its source PDFs open (else ``source`` is opened for this call only)."""
    import pikepdf

    pikepdf.settings.set_flate_compression_level(PDF_DEFLATE_LEVEL)  # this process only locks bundles
    encryption = pikepdf.Encryption(user=user_password, owner=owner_password, R=6, aes=True)
    # The PDF version stays 1.7 (AES-256 adds an extension level), so the metadata is kept as WeasyPrint wrote it:
    # pikepdf would parse and write it again for nothing (a twelfth of the locking time, measured).
    if opened is not None:
        opened.get(source).save(target, encryption=encryption, fix_metadata_version=False)
        return
    with pikepdf.open(source) as pdf:
        pdf.save(target, encryption=encryption, fix_metadata_version=False)
