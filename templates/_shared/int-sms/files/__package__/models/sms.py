"""Phone verifications and the SMS sent for them, with the delivery status Twilio reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime

# E.164: "+" and at most 15 digits.
PHONE_LENGTH = 16
CODE_HASH_LENGTH = 64


class PhoneVerification(Base):
    """A code texted to a number. The code is stored only as an HMAC; `verified_at` marks the
    single successful use (a conditional UPDATE sets it), and `attempts` counts wrong codes."""

    __tablename__ = "phone_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(PHONE_LENGTH))
    code_hash: Mapped[str] = mapped_column(String(CODE_HASH_LENGTH))
    attempts: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sms_message_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())


class SmsMessage(Base):
    """One SMS: `pending` until Twilio reports on it, then Twilio's status (queued, sent,
    delivered, undelivered, failed ...). No body: it may hold a code."""

    __tablename__ = "sms_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_number: Mapped[str] = mapped_column(String(PHONE_LENGTH))
    status: Mapped[str] = mapped_column(String(16))
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    error_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
