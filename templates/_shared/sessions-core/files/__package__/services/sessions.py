"""Server-side sessions: random tokens in HttpOnly cookies, CSRF tokens derived from them."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from ..models.session import UserSession
from .errors import AuthenticationError, PermissionDeniedError


class SessionRepository(Protocol):
    """The queries the session rules need."""

    def add(self, record: UserSession) -> None: ...
    def get_by_hash(self, token_hash: str) -> UserSession | None: ...
    def delete(self, record: UserSession) -> None: ...
    def delete_for_user(self, user_id: int, keep_id: int | None = None) -> None: ...


@dataclass(frozen=True)
class ActiveSession:
    """A resolved session: the cookie value and whose it is."""

    token: str
    user_id: int
    expires_at: datetime


@dataclass(frozen=True)
class IssuedSession:
    """What login hands to the client: the cookie value and the CSRF token."""

    token: str
    csrf_token: str
    max_age: int


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SessionService:
    """Start, resolve, protect and end sessions."""

    def __init__(
        self,
        sessions: SessionRepository,
        secret: str,
        ttl: timedelta,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.sessions = sessions
        self.secret = secret.encode()
        self.ttl = ttl
        self.clock = clock

    def _digest(self, purpose: str, token: str) -> str:
        return hmac.new(self.secret, f"{purpose}:{token}".encode(), hashlib.sha256).hexdigest()

    def csrf_token(self, token: str) -> str:
        """The CSRF token bound to a session token (readable by the page, unlike the cookie)."""
        return self._digest("csrf", token)

    def start(self, user_id: int, previous_token: str | None = None) -> IssuedSession:
        """Create a session with a new id; a session the browser already had is ended."""
        if previous_token:
            self.end(previous_token)
        token = secrets.token_urlsafe(32)
        self.sessions.add(
            UserSession(
                user_id=user_id,
                token_hash=self._digest("session", token),
                expires_at=self.clock() + self.ttl,
            )
        )
        return IssuedSession(token, self.csrf_token(token), int(self.ttl.total_seconds()))

    def resolve(self, token: str) -> ActiveSession:
        """The live session for a cookie value, else AuthenticationError."""
        record = self.sessions.get_by_hash(self._digest("session", token))
        if record is None or record.expires_at <= self.clock():
            raise AuthenticationError("the session is missing, expired or ended")
        return ActiveSession(token, record.user_id, record.expires_at)

    def seconds_left(self, active: ActiveSession) -> int:
        return max(0, int((active.expires_at - self.clock()).total_seconds()))

    def check_csrf(self, token: str, presented: str | None) -> None:
        """Unsafe methods must echo the session's CSRF token in the X-CSRF-Token header."""
        if not presented or not hmac.compare_digest(self.csrf_token(token), presented):
            raise PermissionDeniedError("the X-CSRF-Token header is missing or wrong")

    def end(self, token: str) -> None:
        record = self.sessions.get_by_hash(self._digest("session", token))
        if record is not None:
            self.sessions.delete(record)

    def end_others(self, user_id: int, token: str) -> None:
        """End every session of a user except this one (after a password change)."""
        current = self.sessions.get_by_hash(self._digest("session", token))
        self.sessions.delete_for_user(user_id, current.id if current else None)
