"""Refresh tokens, stored as SHA-256 hashes and grouped in rotation families."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime

TOKEN_HASH_LENGTH = 64
FAMILY_ID_LENGTH = 32


class RefreshTokenFamily(Base):
    """The chain of refresh tokens that one login produced. Its row is the lock that
    rotations and revocations of the family queue behind, and its `revoked_at` is the
    family-wide verdict: once set, no token of the family (even one minted a moment ago by
    a concurrent rotation) can be redeemed."""

    __tablename__ = "refresh_token_families"

    id: Mapped[str] = mapped_column(String(FAMILY_ID_LENGTH), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The expiry of the family's newest token: once passed, every row of the family is dead.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())


class RefreshToken(Base):
    """One issued refresh token. Using it marks it used; reusing a used one revokes its family."""

    __tablename__ = "refresh_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[str] = mapped_column(
        ForeignKey("refresh_token_families.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_LENGTH), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
