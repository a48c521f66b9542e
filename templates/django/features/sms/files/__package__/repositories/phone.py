"""Queries of phone verifications and SMS messages, through the Django ORM."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q, QuerySet

from ..models.sms import PhoneVerification, SmsMessage


class DjangoPhoneRepository:
    """Every decision is a conditional UPDATE whose row count says who won."""

    def add_message(self, user_id: int, to_number: str, status: str) -> SmsMessage:
        message = SmsMessage(user_id=user_id, to_number=to_number, status=status)
        message.save(force_insert=True)
        return message

    def add_verification(self, verification: PhoneVerification) -> PhoneVerification:
        verification.save(force_insert=True)
        return verification

    def expire_open(self, user_id: int, now: datetime) -> None:
        """End the user's unused verifications: only the newest code is good."""
        self._open(user_id, now).update(expires_at=now)

    def _open(self, user_id: int, now: datetime) -> QuerySet[PhoneVerification]:
        return PhoneVerification.objects.filter(
            user_id=user_id, verified_at__isnull=True, expires_at__gt=now
        )

    def open_verification(self, user_id: int, now: datetime) -> PhoneVerification | None:
        """The user's newest unused, unexpired verification."""
        return self._open(user_id, now).order_by("-id").first()

    def last_verified(self, user_id: int) -> PhoneVerification | None:
        rows = PhoneVerification.objects.filter(user_id=user_id, verified_at__isnull=False)
        return rows.order_by("-verified_at", "-id").first()

    def count_wrong_code(self, verification_id: int, max_attempts: int) -> bool:
        """Add a wrong attempt unless the budget is spent (False then); atomic, so parallel
        guesses cannot exceed it."""
        counted = PhoneVerification.objects.filter(
            id=verification_id, verified_at__isnull=True, attempts__lt=max_attempts
        ).update(attempts=F("attempts") + 1)
        return counted == 1

    def mark_verified(self, verification_id: int, now: datetime, max_attempts: int) -> bool:
        """Use the verification once: of two requests with the right code, one wins."""
        used = PhoneVerification.objects.filter(
            id=verification_id,
            verified_at__isnull=True,
            expires_at__gt=now,
            attempts__lt=max_attempts,
        ).update(verified_at=now)
        return used == 1

    def message(self, message_id: int) -> SmsMessage | None:
        return SmsMessage.objects.filter(id=message_id).first()

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
        moved = SmsMessage.objects.filter(
            Q(provider_sid__isnull=True) | Q(provider_sid=sid),
            id=message_id,
            status__in=earlier,
        ).update(status=status, provider_sid=sid, error_code=error_code, updated_at=now)
        return moved == 1
