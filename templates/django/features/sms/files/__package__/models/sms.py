"""Phone verifications and the SMS sent for them, with the delivery status Twilio reports."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now

# E.164: "+" and at most 15 digits.
PHONE_LENGTH = 16
CODE_HASH_LENGTH = 64


class PhoneVerification(models.Model):
    """A code texted to a number. The code is stored only as an HMAC; `verified_at` marks the
    single successful use (a conditional UPDATE sets it), and `attempts` counts wrong codes."""

    id = models.AutoField(primary_key=True)
    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=PHONE_LENGTH)
    code_hash = models.CharField(max_length=CODE_HASH_LENGTH)
    attempts = models.IntegerField(default=0)
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True)
    sms_message_id = models.IntegerField(null=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "phone_verifications"

    def __str__(self) -> str:
        return f"phone verification {self.id}"


class SmsMessage(models.Model):
    """One SMS: `pending` until Twilio reports on it, then Twilio's status (queued, sent,
    delivered, undelivered, failed ...). No body: it may hold a code."""

    id = models.AutoField(primary_key=True)
    user = models.ForeignKey("User", on_delete=models.SET_NULL, null=True, related_name="+")
    to_number = models.CharField(max_length=PHONE_LENGTH)
    status = models.CharField(max_length=16)
    # None (not ""): Twilio has not reported yet; unique once set.
    provider_sid = models.CharField(max_length=64, unique=True, null=True)
    error_code = models.CharField(max_length=16, null=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "sms_messages"

    def __str__(self) -> str:
        return f"sms {self.id} ({self.status})"
