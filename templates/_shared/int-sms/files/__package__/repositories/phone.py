"""Queries of phone verifications and SMS messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..models.sms import PhoneVerification, SmsMessage


class SqlPhoneRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_message(self, user_id: int, to_number: str, status: str) -> SmsMessage:
        message = SmsMessage(user_id=user_id, to_number=to_number, status=status)
        self.session.add(message)
        self.session.flush()
        return message

    def add_verification(self, verification: PhoneVerification) -> PhoneVerification:
        self.session.add(verification)
        self.session.flush()
        return verification

    def expire_open(self, user_id: int, now: datetime) -> None:
        """End the user's unused verifications: only the newest code is good."""
        self.session.execute(
            update(PhoneVerification)
            .where(
                PhoneVerification.user_id == user_id,
                PhoneVerification.verified_at.is_(None),
                PhoneVerification.expires_at > now,
            )
            .values(expires_at=now)
            .execution_options(synchronize_session=False)
        )

    def open_verification(self, user_id: int, now: datetime) -> PhoneVerification | None:
        """The user's newest unused, unexpired verification."""
        return self.session.scalars(
            select(PhoneVerification)
            .where(
                PhoneVerification.user_id == user_id,
                PhoneVerification.verified_at.is_(None),
                PhoneVerification.expires_at > now,
            )
            .order_by(PhoneVerification.id.desc())
            .limit(1)
        ).first()

    def last_verified(self, user_id: int) -> PhoneVerification | None:
        return self.session.scalars(
            select(PhoneVerification)
            .where(
                PhoneVerification.user_id == user_id,
                PhoneVerification.verified_at.is_not(None),
            )
            .order_by(PhoneVerification.verified_at.desc(), PhoneVerification.id.desc())
            .limit(1)
        ).first()

    def count_wrong_code(self, verification_id: int, max_attempts: int) -> bool:
        """Add a wrong attempt unless the budget is spent (False then); atomic, so parallel
        guesses cannot exceed it."""
        result = self.session.execute(
            update(PhoneVerification)
            .where(
                PhoneVerification.id == verification_id,
                PhoneVerification.verified_at.is_(None),
                PhoneVerification.attempts < max_attempts,
            )
            .values(attempts=PhoneVerification.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def mark_verified(self, verification_id: int, now: datetime, max_attempts: int) -> bool:
        """Use the verification once: of two requests with the right code, one wins."""
        result = self.session.execute(
            update(PhoneVerification)
            .where(
                PhoneVerification.id == verification_id,
                PhoneVerification.verified_at.is_(None),
                PhoneVerification.expires_at > now,
                PhoneVerification.attempts < max_attempts,
            )
            .values(verified_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def message(self, message_id: int) -> SmsMessage | None:
        return self.session.get(SmsMessage, message_id)

    def advance_status(
        self,
        message_id: int,
        status: str,
        earlier: list[str],
        sid: str,
        error_code: str | None,
        now: datetime,
    ) -> bool:
        """Move a message to `status` only from an earlier state and for its own Twilio SID."""
        result = self.session.execute(
            update(SmsMessage)
            .where(
                SmsMessage.id == message_id,
                SmsMessage.status.in_(earlier),
                or_(SmsMessage.provider_sid.is_(None), SmsMessage.provider_sid == sid),
            )
            .values(status=status, provider_sid=sid, error_code=error_code, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]
