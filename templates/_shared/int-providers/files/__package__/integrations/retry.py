"""Bounded retries with exponential backoff and full jitter, for calls to providers.

Only failures that may pass are retried (`ProviderError.retryable`: timeouts, connection errors,
429 and 5xx); a `Retry-After` the provider sent is honoured up to `max_delay`. After the last
attempt the error propagates: the API answers a 502/503/504 problem, or the outbox schedules a
later delivery.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from .errors import ProviderError

T = TypeVar("T")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` calls at most, waiting a random time up to base * 2**n (capped) in between."""

    attempts: int = 3
    base_delay: float = 0.2
    max_delay: float = 5.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return random.uniform(0, ceiling)  # noqa: S311  (jitter, not cryptography)


def call_with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run a blocking provider call, retrying the failures that may pass."""
    attempt = 1
    while True:
        try:
            return call()
        except ProviderError as error:
            if not error.retryable or attempt >= policy.attempts:
                raise
            wait = policy.delay(attempt, error.retry_after)
            logger.info("retrying %s in %.2fs after: %s", error.provider, wait, error)
            sleep(wait)
            attempt += 1


async def call_with_retries_async(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """The same, for a coroutine: the waits do not block the event loop."""
    attempt = 1
    while True:
        try:
            return await call()
        except ProviderError as error:
            if not error.retryable or attempt >= policy.attempts:
                raise
            wait = policy.delay(attempt, error.retry_after)
            logger.info("retrying %s in %.2fs after: %s", error.provider, wait, error)
            await sleep(wait)
            attempt += 1
