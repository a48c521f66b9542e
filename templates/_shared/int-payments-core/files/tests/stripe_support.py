"""Stripe in the tests: the stripe-mock server, and webhook payloads signed as Stripe signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import pytest

# What tests/conftest.py gives every test app (make_settings).
WEBHOOK_SECRET = "whsec_tests0nly"
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "http://127.0.0.1:12111")
WEBHOOK_URL = "/api/v1/payments/webhook"


def require_stripe_mock() -> str:
    """stripe-mock's address; the test fails (never skips) when nothing answers there."""
    parts = urlsplit(STRIPE_API_BASE)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as error:
        pytest.fail(
            f"stripe-mock is not reachable at {STRIPE_API_BASE} ({error}). Start it: "
            "`go install github.com/stripe/stripe-mock@v0.203.0 && stripe-mock -http-port 12111 "
            "-https-port 12112`, or set STRIPE_API_BASE to where it runs.",
            pytrace=False,
        )
    return STRIPE_API_BASE


def intent_event(
    stripe_id: str,
    status: str,
    *,
    event_id: str,
    created: int,
    event_type: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """A payment_intent.* event as Stripe sends it (the parts the service reads, and a few more)."""
    kind = {"requires_payment_method": "payment_failed" if error else "created"}.get(status, status)
    return {
        "id": event_id,
        "object": "event",
        "type": event_type or f"payment_intent.{kind}",
        "created": created,
        "livemode": False,
        "data": {
            "object": {
                "id": stripe_id,
                "object": "payment_intent",
                "status": status,
                "last_payment_error": {"message": error} if error else None,
            }
        },
    }


def sign(payload: bytes, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header for `payload`: t=<seconds>,v1=<HMAC-SHA256 of "t.payload">."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def signed(event: dict[str, Any], **options: Any) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a webhook delivery of `event`."""
    payload = json.dumps(event).encode()
    return payload, {
        "Stripe-Signature": sign(payload, **options),
        "Content-Type": "application/json",
    }
