"""Queries for server-side sessions, through the Django ORM."""

from __future__ import annotations

from datetime import datetime

from ..models.session import UserSession


class DjangoSessionRepository:
    """Sessions in the database."""

    def add(self, record: UserSession) -> None:
        record.save(force_insert=True)

    def get_by_hash(self, token_hash: str) -> UserSession | None:
        return UserSession.objects.filter(token_hash=token_hash).first()

    def delete(self, record: UserSession) -> None:
        UserSession.objects.filter(id=record.id).delete()

    def delete_for_user(self, user_id: int, keep_id: int | None = None) -> None:
        rows = UserSession.objects.filter(user_id=user_id)
        if keep_id is not None:
            rows = rows.exclude(id=keep_id)
        rows.delete()

    def purge_expired(self, now: datetime) -> int:
        deleted, _ = UserSession.objects.filter(expires_at__lte=now).delete()
        return deleted
