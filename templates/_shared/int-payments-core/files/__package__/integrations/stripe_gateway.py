"""Stripe, behind this package's retry policy and provider errors.

The client has a timeout on every request and no retries of its own (`max_network_retries=0`):
`call_with_retries` retries what may pass (connection errors, timeouts, 429, 5xx) a bounded
number of times, and the same idempotency key goes with every attempt, so a retry whose first
attempt did reach Stripe cannot create a second PaymentIntent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import requests
import stripe

from .errors import (
    ProviderError,
    ProviderRejectedError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    parse_retry_after,
)
from .retry import RetryPolicy, call_with_retries

PROVIDER = "Stripe"


@dataclass(frozen=True)
class Intent:
    """What this service keeps of a PaymentIntent Stripe created."""

    id: str
    status: str
    client_secret: str | None


class PaymentGateway(Protocol):
    def create_intent(
        self, *, amount: int, currency: str, idempotency_key: str, metadata: dict[str, str]
    ) -> Intent: ...


class StripeGateway:
    def __init__(
        self,
        api_key: str,
        *,
        api_base: str,
        timeout: float,
        policy: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base},
            max_network_retries=0,
            http_client=stripe.RequestsClient(timeout=timeout),
        )
        self._policy = policy
        self._sleep = sleep

    def create_intent(
        self, *, amount: int, currency: str, idempotency_key: str, metadata: dict[str, str]
    ) -> Intent:
        def attempt() -> Intent:
            try:
                intent = self._client.v1.payment_intents.create(
                    params={
                        "amount": amount,
                        "currency": currency,
                        "metadata": metadata,
                        "automatic_payment_methods": {"enabled": True},
                    },
                    options={"idempotency_key": idempotency_key},
                )
            except stripe.StripeError as error:
                raise provider_error(error) from error
            return Intent(id=intent.id, status=intent.status, client_secret=intent.client_secret)

        return call_with_retries(attempt, self._policy, sleep=self._sleep)


def provider_error(error: stripe.StripeError) -> ProviderError:
    """The provider error (and so the 502/503/504 problem) a Stripe failure stands for."""
    if isinstance(error, stripe.APIConnectionError):
        if isinstance(error.__cause__, requests.Timeout):
            return ProviderTimeoutError(PROVIDER, "did not answer in time")
        return ProviderUnavailableError(PROVIDER, "could not be reached")
    status = error.http_status
    if isinstance(error, stripe.RateLimitError) or status == 429:
        retry_after = error.headers.get("Retry-After") if error.headers else None
        return ProviderUnavailableError(
            PROVIDER, "is rate limiting us (429)", retry_after=parse_retry_after(retry_after)
        )
    if status is None or status >= 500:
        # No status: Stripe's answer could not be read (e.g. not JSON), a fault on its side.
        return ProviderUnavailableError(PROVIDER, f"failed ({status or 'unreadable answer'})")
    # 4xx: the request (or our API key) is wrong; sending it again will not help.
    return ProviderRejectedError(
        PROVIDER, f"refused the request ({status} {error.code or type(error).__name__})"
    )
