"""SQL queries for refresh tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from ..models.token import RefreshToken


class SqlRefreshTokenRepository:
    """Refresh tokens in the database."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, token: RefreshToken) -> None:
        self.session.add(token)
        self.session.flush()

    def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        statement = select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        return self.session.scalars(statement).one_or_none()

    def mark_used(self, token: RefreshToken, when: datetime) -> None:
        token.used_at = when
        self.session.flush()

    def revoke_family(self, family_id: str, when: datetime) -> None:
        self._revoke(RefreshToken.family_id == family_id, when)

    def revoke_user(self, user_id: int, when: datetime) -> None:
        self._revoke(RefreshToken.user_id == user_id, when)

    def _revoke(self, condition: ColumnElement[bool], when: datetime) -> None:
        self.session.execute(
            update(RefreshToken)
            .where(condition, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=when)
            .execution_options(synchronize_session=False)
        )
        self.session.flush()
