"""Outbox rows: messages to providers, written in the transaction of the event that caused them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, func
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime

PENDING = "pending"
SENT = "sent"
# Gave up after the last attempt, or the provider refused the message: kept for a person to look
# at (`make outbox-dead`) and requeue (`make outbox-retry ID=...`).
DEAD = "dead"


class OutboxMessage(Base):
    """One message for a provider (an email, an SMS ...), delivered at least once.

    `kind` names the handler that delivers it; `payload` is what the handler needs, never a
    secret. A deliverer claims a row by setting `locked_until` with a conditional UPDATE, so two
    workers never deliver the same row at the same time; a crashed deliverer's claim expires.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON())
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
