"""Queries for refresh tokens and their families, through the Django ORM."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from ..models.token import RefreshToken, RefreshTokenFamily


class DjangoRefreshTokenRepository:
    """Refresh tokens in the database. Every decision is a conditional UPDATE whose row count
    says who won, so two requests with the same token cannot both pass a check in Python."""

    def add_family(self, family: RefreshTokenFamily) -> None:
        family.save(force_insert=True)

    def add(self, token: RefreshToken) -> None:
        token.save(force_insert=True)

    def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        return RefreshToken.objects.filter(token_hash=token_hash).first()

    def lock_live_family(self, family_id: str) -> bool:
        """Lock the family's row until the transaction ends; false if the family is revoked.

        The no-op UPDATE takes the row lock on PostgreSQL and MySQL (and the write lock on
        SQLite), so a rotation and a revocation of one family never interleave: a revocation
        waits for the rotation's new token to be committed and then revokes it too.
        """
        live = RefreshTokenFamily.objects.filter(id=family_id, revoked_at__isnull=True)
        return live.update(revoked_at=None) == 1

    def claim(self, token: RefreshToken, when: datetime) -> bool:
        """Mark the token used if nobody did; true only for the one caller that did."""
        unused = RefreshToken.objects.filter(
            id=token.id, used_at__isnull=True, revoked_at__isnull=True
        )
        return unused.update(used_at=when) == 1

    def extend_family(self, family_id: str, expires_at: datetime) -> None:
        RefreshTokenFamily.objects.filter(id=family_id).update(expires_at=expires_at)

    def revoke_family(self, family_id: str, when: datetime) -> None:
        # The family row first: it waits for a rotation in flight, so the token UPDATE below
        # (a new statement, so a fresh snapshot) also sees the token that rotation minted.
        self._revoke(Q(id=family_id), Q(family_id=family_id), when)

    def revoke_user(self, user_id: int, when: datetime) -> None:
        self._revoke(Q(user_id=user_id), Q(user_id=user_id), when)

    def purge_expired(self, now: datetime) -> int:
        """Delete every token past its expiry, and the families whose newest token expired.
        Unexpired rows stay, used or revoked, so replaying one is still detected as reuse."""
        tokens, _ = RefreshToken.objects.filter(expires_at__lte=now).delete()
        families, _ = RefreshTokenFamily.objects.filter(expires_at__lte=now).delete()
        return tokens + families

    @staticmethod
    def _revoke(families: Q, tokens: Q, when: datetime) -> None:
        RefreshTokenFamily.objects.filter(families, revoked_at__isnull=True).update(revoked_at=when)
        RefreshToken.objects.filter(tokens, revoked_at__isnull=True).update(revoked_at=when)
