"""Password hashing (Argon2id) and the password policy (NIST SP 800-63B)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher as Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import ValidationFailedError

PASSWORD_MIN = 12
PASSWORD_MAX = 128


class PasswordHasher:
    """Argon2id hashing with rehash detection when the cost parameters change."""

    def __init__(self, *, time_cost: int, memory_cost: int, parallelism: int) -> None:
        self._argon2 = Argon2Hasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
        )
        self._dummy_hash: str | None = None

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._argon2.check_needs_rehash(password_hash)

    def verify_dummy(self, password: str) -> None:
        """Spend the time of a real verification, so unknown emails are not revealed by timing."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hash("dummy password for timing equalisation")
        self.verify(self._dummy_hash, password)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords too common to accept (lower-case)."""
    text = Path(__file__).with_name("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def check_password_policy(password: str, email: str = "") -> None:
    """Length 12-128, not a common password, not the email. No composition rules."""
    if len(password) < PASSWORD_MIN:
        raise ValidationFailedError("password", f"must be at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise ValidationFailedError("password", f"must be at most {PASSWORD_MAX} characters")
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 3:
        raise ValidationFailedError("password", "is too common; choose a less guessable one")
    if email and lowered in {email.lower(), email.lower().partition("@")[0]}:
        raise ValidationFailedError("password", "must not be your email address")
