"""SQL queries for refresh tokens and their families."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from ..models.token import RefreshToken, RefreshTokenFamily


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0))


class SqlRefreshTokenRepository:
    """Refresh tokens in the database. Every decision is a conditional UPDATE whose row count
    says who won, so two requests with the same token cannot both pass a check in Python."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_family(self, family: RefreshTokenFamily) -> None:
        self.session.add(family)
        self.session.flush()

    def add(self, token: RefreshToken) -> None:
        self.session.add(token)
        self.session.flush()

    def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        statement = select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        return self.session.scalars(statement).one_or_none()

    def lock_live_family(self, family_id: str) -> bool:
        """Lock the family's row until the transaction ends; false if the family is revoked.

        The no-op UPDATE takes the row lock on PostgreSQL and MySQL (and the write lock on
        SQLite), so a rotation and a revocation of one family never interleave: a revocation
        waits for the rotation's new token to be committed and then revokes it too.
        """
        result = self.session.execute(
            update(RefreshTokenFamily)
            .where(RefreshTokenFamily.id == family_id, RefreshTokenFamily.revoked_at.is_(None))
            .values(revoked_at=None)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    def claim(self, token: RefreshToken, when: datetime) -> bool:
        """Mark the token used if nobody did; true only for the one caller that did."""
        result = self.session.execute(
            update(RefreshToken)
            .where(
                RefreshToken.id == token.id,
                RefreshToken.used_at.is_(None),
                RefreshToken.revoked_at.is_(None),
            )
            .values(used_at=when)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    def extend_family(self, family_id: str, expires_at: datetime) -> None:
        self.session.execute(
            update(RefreshTokenFamily)
            .where(RefreshTokenFamily.id == family_id)
            .values(expires_at=expires_at)
            .execution_options(synchronize_session=False)
        )

    def revoke_family(self, family_id: str, when: datetime) -> None:
        # The family row first: it waits for a rotation in flight, so the token UPDATE below
        # (a new statement, so a fresh snapshot) also sees the token that rotation minted.
        self._revoke_families(RefreshTokenFamily.id == family_id, when)
        self._revoke_tokens(RefreshToken.family_id == family_id, when)

    def revoke_user(self, user_id: int, when: datetime) -> None:
        self._revoke_families(RefreshTokenFamily.user_id == user_id, when)
        self._revoke_tokens(RefreshToken.user_id == user_id, when)

    def purge_expired(self, now: datetime) -> int:
        """Delete every token past its expiry, and the families whose newest token expired.
        Unexpired rows stay, used or revoked, so replaying one is still detected as reuse."""
        tokens = self.session.execute(
            delete(RefreshToken)
            .where(RefreshToken.expires_at <= now)
            .execution_options(synchronize_session=False)
        )
        families = self.session.execute(
            delete(RefreshTokenFamily)
            .where(RefreshTokenFamily.expires_at <= now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(tokens) + _rowcount(families)

    def _revoke_families(self, condition: ColumnElement[bool], when: datetime) -> None:
        self.session.execute(
            update(RefreshTokenFamily)
            .where(condition, RefreshTokenFamily.revoked_at.is_(None))
            .values(revoked_at=when)
            .execution_options(synchronize_session=False)
        )

    def _revoke_tokens(self, condition: ColumnElement[bool], when: datetime) -> None:
        self.session.execute(
            update(RefreshToken)
            .where(condition, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=when)
            .execution_options(synchronize_session=False)
        )
