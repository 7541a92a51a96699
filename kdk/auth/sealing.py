"""TOTP secrets encrypted at rest, and the app's secret key they are sealed with.

The key is KDK_SECRET_KEY, or else a random one kept in `.hemmelig_noegle` beside the marts (made on first use, mode
0600), so every worker and `kdk users` agree; it also signs the cookies. A Fernet key (AES-128-CBC with
HMAC-SHA256, from `cryptography`) is derived from it by HKDF-SHA256, so the user database alone gives no second
factor away. Reads the environment and the key file; writes the key file when it is missing. Changing or losing the
secret key makes the sealed secrets unreadable (`Unreadable`, answered 503 by web/login.py): keep it with the database.
"""
from __future__ import annotations

import base64
import functools
import os
import re
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kdk.config import settings

# A TOTP secret as pyotp makes it and as older versions stored it: base32. A Fernet token never looks like this.
_PLAIN = re.compile(r"[A-Z2-7]+=*")


def secret_key() -> str:
    """KDK_SECRET_KEY, or the key kept beside the marts (made now if there is none)."""
    if key := settings().secret_key:
        return key
    path = settings().marts_path.parent / ".hemmelig_noegle"
    if not path.exists():
        tmp = Path(f"{path}.{os.getpid()}")
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        os.replace(tmp, path) if not path.exists() else tmp.unlink()
    return path.read_text().strip()


@functools.lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"kdk totp-hemmeligheder v1").derive(
        key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(plain: str) -> str:
    return _fernet(secret_key()).encrypt(plain.encode()).decode()


class Unreadable(Exception):
    """A sealed secret that the current secret key does not open (the key has changed or been lost)."""


def unseal(sealed: str) -> str:
    try:
        return _fernet(secret_key()).decrypt(sealed.encode()).decode()
    except InvalidToken as exc:
        raise Unreadable("a TOTP secret cannot be decrypted: was KDK_SECRET_KEY (or the key file) changed?") from exc


def is_plain(value: str) -> bool:
    """True for a secret stored unsealed (by a version before encryption at rest)."""
    return bool(_PLAIN.fullmatch(value))
