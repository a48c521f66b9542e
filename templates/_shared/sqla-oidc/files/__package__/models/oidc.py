"""OpenID Connect: logins in progress and the issuer identities linked to accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime

STATE_HASH_LENGTH = 64
NONCE_MAX = 64
CODE_VERIFIER_MAX = 128
ISSUER_MAX = 255
SUBJECT_MAX = 255


class OidcLogin(Base):
    """A login sent to the issuer and not back yet: `state` (stored as its SHA-256), `nonce`
    and the PKCE verifier stay on the server; the callback consumes the row, so it works once.
    `browser_hash` is the SHA-256 of the secret in the cookie set on the browser that started
    the login: the callback works only in that browser (no login CSRF, no replayed URL)."""

    __tablename__ = "oidc_logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_hash: Mapped[str] = mapped_column(String(STATE_HASH_LENGTH), unique=True)
    browser_hash: Mapped[str] = mapped_column(String(STATE_HASH_LENGTH))
    nonce: Mapped[str] = mapped_column(String(NONCE_MAX))
    code_verifier: Mapped[str] = mapped_column(String(CODE_VERIFIER_MAX))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())


class OidcIdentity(Base):
    """An account's identity at an issuer: (issuer, subject) names one person for good."""

    __tablename__ = "oidc_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(ISSUER_MAX))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
