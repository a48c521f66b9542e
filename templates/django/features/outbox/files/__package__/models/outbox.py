"""Outbox rows: messages to providers, written in the transaction of the event that caused them."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now

PENDING = "pending"
SENT = "sent"
# Gave up after the last attempt, or the provider refused the message: kept for a person to look
# at (`make outbox-dead`) and requeue (`make outbox-retry ID=...`).
DEAD = "dead"


class OutboxMessage(models.Model):
    """One message for a provider (an email, an SMS ...), delivered at least once.

    `kind` names the handler that delivers it; `payload` is what the handler needs, never a
    secret. A deliverer claims a row by setting `locked_until` with a conditional UPDATE, so two
    workers never deliver the same row at the same time; a crashed deliverer's claim expires.
    """

    id = models.AutoField(primary_key=True)
    kind = models.CharField(max_length=50)
    payload = models.JSONField()
    status = models.CharField(max_length=16, default=PENDING, db_index=True)
    attempts = models.IntegerField(default=0)
    available_at = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True)
    # None (not ""): no failure yet.
    last_error = models.CharField(max_length=500, null=True)
    created_at = models.DateTimeField(db_default=Now())
    sent_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "outbox_messages"

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"
