"""The event secret and what is derived from it: each LO's password, and the salts and nonces of their bundle.

The secret is 32 random bytes made on first use (``secrets.token_bytes``) in a file outside the repository's tracked
files and outside every output: ``.secrets/event.key`` beside mkdocs.yml (listed in .gitignore; folder 0700, file
0600), or wherever ``LO_SECRET_FILE`` points. Everything else is derived from it with HMAC-SHA-256, so a rebuild
gives the same passwords and byte-identical bundles. Nothing here is a cipher of our own: HMAC from the standard
library, PBKDF2 and AES-GCM from ``cryptography`` (see ``lock``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_FILE = Path(".secrets") / "event.key"
# No 0/o, 1/l/i: read off paper and typed on a phone. 25 letters of 31 symbols ≈ 124 bits.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
GROUPS, GROUP = 5, 5
PBKDF2_ITERATIONS = 600_000  # OWASP's figure for PBKDF2-HMAC-SHA256; the browser derives the same key


class SecretError(Exception):
    """The secret file cannot be made or read: the message says where and what to do."""


def secret_path(root: Path) -> Path:
    return Path(os.environ.get("LO_SECRET_FILE") or root / SECRET_FILE)


def event_secret(root: Path) -> bytes:
    """The event's secret, made on first use."""
    path = secret_path(root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = secrets.token_bytes(32)
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
        except FileExistsError:  # made meanwhile by another build
            data = path.read_bytes()
        except OSError as exc:
            raise SecretError(f"{path}: cannot create the event secret ({exc.strerror}); set LO_SECRET_FILE to a "
                              "private place you can write") from None
    except OSError as exc:
        raise SecretError(f"{path}: cannot read the event secret ({exc.strerror})") from None
    if len(data) != 32:
        raise SecretError(f"{path}: expected the 32-byte event secret made by a build, got {len(data)} bytes; restore "
                          "it from your backup (a new one changes every LO's password)")
    return data


def _derive(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, purpose.encode("utf-8"), hashlib.sha256).digest()


def password(secret: bytes, bundle_id: str) -> str:
    """The password of one bundle, e.g. ``k7mq2-xfp9a-hd3we-tn4cr-8jsbv``."""
    number = int.from_bytes(_derive(secret, f"password\0{bundle_id}"), "big")
    letters = []
    for _ in range(GROUPS * GROUP):
        number, index = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[index])
    return "-".join("".join(letters[i : i + GROUP]) for i in range(0, len(letters), GROUP))


def owner_password(secret: bytes, bundle_id: str) -> str:
    """The PDFs' owner password: never handed out (permissions are not a protection; the user password is)."""
    return _derive(secret, f"owner\0{bundle_id}").hex()


def salt(secret: bytes, bundle_id: str) -> bytes:
    """The PBKDF2 salt of one bundle's page key (16 bytes, public: it sits in the bundle)."""
    return _derive(secret, f"salt\0{bundle_id}")[:16]


def nonce(secret: bytes, bundle_id: str, name: str, plaintext: bytes) -> bytes:
    """AES-GCM nonce for one locked item: unique per (bundle, item, content), so a nonce never repeats for another
    plaintext under the same key, and the same input gives the same bytes."""
    return _derive(secret, f"nonce\0{bundle_id}\0{name}\0" + hashlib.sha256(plaintext).hexdigest())[:12]
