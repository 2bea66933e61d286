"""Password hashes: argon2id (``argon2-cffi``) at OWASP's recommended minimum cost,
m=19 MiB, t=2, p=1: about 20 ms of CPU a sign-in, a quarter of werkzeug's default
scrypt (n=2^15, ~85 ms) that made the load test's 210 sign-ins hold up every page.

Hashes made before (werkzeug's ``scrypt:...`` or ``pbkdf2:...``) still verify, and a
sign-in with the right password replaces them (``needs_rehash``).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash as _werkzeug_check

_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
ARGON2_PREFIX = "$argon2"


def hash_password(password: str) -> str:
    """A salted argon2id hash of ``password`` (a new salt each time)."""
    return _hasher.hash(password)


def check_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches the ``stored`` hash (argon2, or an older werkzeug one)."""
    if not stored.startswith(ARGON2_PREFIX):
        return _werkzeug_check(stored, password)
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made another way or at another cost than ``hash_password``."""
    return not stored.startswith(ARGON2_PREFIX) or _hasher.check_needs_rehash(stored)
