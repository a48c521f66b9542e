"""SQL queries for server-side sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models.session import UserSession


class SqlSessionRepository:
    """Sessions in the database."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: UserSession) -> None:
        self.session.add(record)
        self.session.flush()

    def get_by_hash(self, token_hash: str) -> UserSession | None:
        statement = select(UserSession).where(UserSession.token_hash == token_hash)
        return self.session.scalars(statement).one_or_none()

    def delete(self, record: UserSession) -> None:
        self.session.delete(record)
        self.session.flush()

    def delete_for_user(self, user_id: int, keep_id: int | None = None) -> None:
        statement = delete(UserSession).where(UserSession.user_id == user_id)
        if keep_id is not None:
            statement = statement.where(UserSession.id != keep_id)
        self.session.execute(statement.execution_options(synchronize_session=False))

    def delete_expired(self, now: datetime) -> int:
        result = self.session.execute(
            delete(UserSession)
            .where(UserSession.expires_at <= now)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0))
