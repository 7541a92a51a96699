"""Passwords: argon2id with OWASP's recommended parameters, and the password policy.

OWASP (Password Storage Cheat Sheet): argon2id, m = 19 MiB, t = 2, p = 1 — about 25 ms per check here, so a
webinar's login storm does not queue for seconds as the library default (about 100 ms) would. Policy: at least
12 characters and not easy to guess (zxcvbn score 3 or more, which rejects common and dictionary passwords).
"""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from kdk.sprog import gettext

HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
MIN_LENGTH = 12
# Verifying against this when a user does not exist keeps the answer time the same (no user enumeration).
_DUMMY = HASHER.hash("kend-din-kommune-dummy")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def problems(password: str, *context: str) -> list[str]:
    """The reasons, in the active language, the password is not good enough (empty when it is)."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(gettext("Adgangskoden skal have mindst {antal} tegn.").format(antal=MIN_LENGTH))
    elif zxcvbn(password[:100], user_inputs=[c for c in context if c])["score"] < 3:
        found.append(gettext("Adgangskoden er for let at gætte (fx et almindeligt ord, et navn eller et mønster)."))
    return found
