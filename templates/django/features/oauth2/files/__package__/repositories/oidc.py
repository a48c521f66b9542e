"""Queries for OpenID Connect logins in progress and linked identities, through the Django ORM."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models.functions import Now

from ..models.oidc import OidcIdentity, OidcLogin
from ..models.user import User
from ..services.errors import ConflictError


class DjangoOidcRepository:
    """OpenID Connect state in the database."""

    def add_login(self, login: OidcLogin) -> None:
        login.save(force_insert=True)

    def take_login(self, state_hash: str) -> OidcLogin | None:
        """Remove and return the login with this state; of two concurrent takers one gets it
        (the second one's DELETE waits for the first's and then deletes nothing)."""
        login = OidcLogin.objects.filter(state_hash=state_hash).first()
        if login is None:
            return None
        deleted, _ = OidcLogin.objects.filter(id=login.id).delete()
        return login if deleted == 1 else None

    def delete_expired_logins(self, now: datetime) -> int:
        deleted, _ = OidcLogin.objects.filter(expires_at__lte=now).delete()
        return deleted

    def purge_expired(self, now: datetime) -> int:
        """`manage.py purge`: the logins nobody came back from."""
        return self.delete_expired_logins(now)

    def get_user(self, issuer: str, subject: str) -> User | None:
        identity = (
            OidcIdentity.objects.select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        return identity.user if identity is not None else None

    def email_taken(self, email: str) -> bool:
        return User.objects.filter(email=email).exists()

    def add_user(self, issuer: str, subject: str, email: str | None) -> User:
        user = User(email=email)
        try:
            with transaction.atomic():  # a savepoint: the request's transaction survives
                user.save(force_insert=True)
                OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        except IntegrityError as exc:  # a concurrent first login of the same person won the race
            raise ConflictError("this account was created by another login; try again") from exc
        user.refresh_from_db()
        return user

    def set_email(self, user: User, email: str) -> None:
        User.objects.filter(id=user.id).update(email=email, updated_at=Now())
        user.email = email
