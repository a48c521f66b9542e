"""SQL queries for logins in progress and linked identities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models.oidc import OidcIdentity, OidcLogin
from ..models.user import User
from ..services.errors import ConflictError


class SqlOidcRepository:
    """OpenID Connect state in the database."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_login(self, login: OidcLogin) -> None:
        self.session.add(login)
        self.session.flush()

    def take_login(self, state_hash: str) -> OidcLogin | None:
        """Remove and return the login with this state; of two concurrent takers one gets it."""
        login = self.session.scalars(
            select(OidcLogin).where(OidcLogin.state_hash == state_hash)
        ).one_or_none()
        if login is None:
            return None
        result = self.session.execute(
            delete(OidcLogin)
            .where(OidcLogin.id == login.id)
            .execution_options(synchronize_session=False)
        )
        self.session.expunge(login)
        return login if getattr(result, "rowcount", 0) == 1 else None

    def delete_expired_logins(self, now: datetime) -> int:
        result = self.session.execute(
            delete(OidcLogin)
            .where(OidcLogin.expires_at <= now)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0))

    def get_user(self, issuer: str, subject: str) -> User | None:
        statement = (
            select(User)
            .join(OidcIdentity, OidcIdentity.user_id == User.id)
            .where(OidcIdentity.issuer == issuer, OidcIdentity.subject == subject)
        )
        return self.session.scalars(statement).one_or_none()

    def email_taken(self, email: str) -> bool:
        return self.session.scalar(select(User.id).where(User.email == email)) is not None

    def add_user(self, issuer: str, subject: str, email: str | None) -> User:
        user = User(email=email)
        self.session.add(user)
        try:
            self.session.flush()
            self.session.add(OidcIdentity(user_id=user.id, issuer=issuer, subject=subject))
            self.session.flush()
        except IntegrityError as exc:  # a concurrent first login of the same person won the race
            raise ConflictError("this account was created by another login; try again") from exc
        self.session.refresh(user)
        return user

    def set_email(self, user: User, email: str) -> None:
        user.email = email
        self.session.flush()
