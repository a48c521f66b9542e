"""JWT access tokens and rotating, family-tracked refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import jwt

from ..models.token import RefreshToken, RefreshTokenFamily
from .errors import AuthenticationError

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "jti", "sub"]
# Access tokens this process has verified, by token and the key, issuer and audience they were
# checked against: (user id, expiry as Unix time). A token's signature and claims never change
# and its `iat` was already past, so a token seen again needs only its expiry checked (decoding
# took some 5 % of the CPU of an authenticated get, about 85 microseconds). Emptied when full.
VERIFIED_TOKENS_MAX = 4096
_verified: dict[tuple[str, str, str, str], tuple[int, float]] = {}


class TokenReuseError(AuthenticationError):
    """A refresh token was used twice: its whole family is revoked, and that must be kept."""

    commit_transaction = True


class RefreshTokenRepository(Protocol):
    """The queries the token rules need."""

    def add_family(self, family: RefreshTokenFamily) -> None: ...
    def add(self, token: RefreshToken) -> None: ...
    def get_by_hash(self, token_hash: str) -> RefreshToken | None: ...
    def lock_live_family(self, family_id: str) -> bool: ...
    def claim(self, token: RefreshToken, when: datetime) -> bool: ...
    def extend_family(self, family_id: str, expires_at: datetime) -> None: ...
    def revoke_family(self, family_id: str, when: datetime) -> None: ...
    def revoke_user(self, user_id: int, when: datetime) -> None: ...


@dataclass(frozen=True)
class TokenConfig:
    """Signing key and lifetimes."""

    secret: str
    issuer: str
    audience: str
    access_ttl: timedelta
    refresh_ttl: timedelta


@dataclass(frozen=True)
class IssuedTokens:
    """What the client receives after login or refresh."""

    access_token: str
    refresh_token: str
    expires_in: int


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _utcnow() -> datetime:
    return datetime.now(UTC)


class TokenService:
    """Issue, verify, rotate and revoke tokens."""

    def __init__(
        self,
        tokens: RefreshTokenRepository,
        config: TokenConfig,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.tokens = tokens
        self.config = config
        self.clock = clock

    def issue(self, user_id: int, family_id: str | None = None) -> IssuedTokens:
        now = self.clock()
        claims = {
            "sub": str(user_id),
            "iat": now,
            "exp": now + self.config.access_ttl,
            "iss": self.config.issuer,
            "aud": self.config.audience,
            "jti": uuid.uuid4().hex,
        }
        access = jwt.encode(claims, self.config.secret, algorithm=ALGORITHM)
        raw_refresh = secrets.token_urlsafe(32)
        expires_at = now + self.config.refresh_ttl
        if family_id is None:
            family_id = uuid.uuid4().hex
            self.tokens.add_family(
                RefreshTokenFamily(id=family_id, user_id=user_id, expires_at=expires_at)
            )
        else:
            self.tokens.extend_family(family_id, expires_at)
        self.tokens.add(
            RefreshToken(
                user_id=user_id,
                family_id=family_id,
                token_hash=_hash(raw_refresh),
                expires_at=expires_at,
            )
        )
        return IssuedTokens(access, raw_refresh, int(self.config.access_ttl.total_seconds()))

    def verify_access(self, token: str) -> int:
        """Return the user id of a valid access token."""
        key = (token, self.config.secret, self.config.issuer, self.config.audience)
        known = _verified.get(key)
        if known is not None and time.time() < known[1]:
            return known[0]
        try:
            claims = jwt.decode(
                token,
                self.config.secret,
                algorithms=[ALGORITHM],
                audience=self.config.audience,
                issuer=self.config.issuer,
                options={"require": REQUIRED_CLAIMS},
            )
            user_id = int(claims["sub"])
        except (jwt.PyJWTError, ValueError) as exc:
            raise AuthenticationError("the access token is invalid or expired") from exc
        if len(_verified) >= VERIFIED_TOKENS_MAX:
            _verified.clear()
        _verified[key] = (user_id, float(claims["exp"]))
        return user_id

    def rotate(self, raw_refresh: str) -> IssuedTokens:
        """Exchange a refresh token for a new pair; a second use revokes the whole family.

        Of concurrent requests with one token exactly one wins the conditional `claim`; the
        others are reuse. The family lock taken first makes the revocation wait for the
        winner's commit, so the token the winner got is revoked with the rest.
        """
        now = self.clock()
        token = self.tokens.get_by_hash(_hash(raw_refresh))
        if token is None:
            raise AuthenticationError("the refresh token is invalid")
        if not self.tokens.lock_live_family(token.family_id):
            raise TokenReuseError("the refresh token was already used; please log in again")
        if not self.tokens.claim(token, now):
            self.tokens.revoke_family(token.family_id, now)
            raise TokenReuseError("the refresh token was already used; please log in again")
        if token.expires_at <= now:
            # Raising rolls the claim back: an expired token stays as it was.
            raise AuthenticationError("the refresh token has expired")
        return self.issue(token.user_id, token.family_id)

    def revoke(self, raw_refresh: str) -> None:
        """Log out: revoke the family of this refresh token (unknown tokens are ignored)."""
        token = self.tokens.get_by_hash(_hash(raw_refresh))
        if token is not None:
            self.tokens.revoke_family(token.family_id, self.clock())

    def revoke_all(self, user_id: int) -> None:
        """Revoke every refresh token of a user (after a password change)."""
        self.tokens.revoke_user(user_id, self.clock())
