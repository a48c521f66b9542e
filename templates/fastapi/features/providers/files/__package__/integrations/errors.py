"""Provider failures, answered as 502/503/504 problems (never as a 500 or a hung request)."""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.responses import JSONResponse

from ..errors import problem_response

logger = logging.getLogger(__name__)


class ProviderError(Exception):
    """A provider call that failed; `status` is the problem the API answers with.

    `retryable` says whether the same call may succeed later (timeouts, 429, 5xx); a provider
    that refused the request itself (other 4xx) will refuse it again.
    """

    status = 502
    retryable = False

    def __init__(self, provider: str, detail: str, *, retry_after: float | None = None) -> None:
        super().__init__(f"{provider}: {detail}")
        self.provider = provider
        self.detail = detail
        self.retry_after = retry_after


class ProviderRejectedError(ProviderError):
    """The provider refused the request (a 4xx other than 429): retrying will not help."""

    status = 502


class ProviderUnavailableError(ProviderError):
    """The provider is down, overloaded or rate limiting us (connection refused, 429, 5xx)."""

    status = 503
    retryable = True


class ProviderTimeoutError(ProviderError):
    """The provider did not answer in time."""

    status = 504
    retryable = True


def error_for_status(
    provider: str, status: int, *, retry_after: str | None = None
) -> ProviderError | None:
    """The error an HTTP answer from a provider stands for, or None for a success."""
    if status < 400:
        return None
    if status == 429 or status >= 500:
        return ProviderUnavailableError(
            provider, f"answered {status}", retry_after=parse_retry_after(retry_after)
        )
    return ProviderRejectedError(provider, f"refused the request ({status})")


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header given in seconds (HTTP dates are ignored)."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


async def provider_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProviderError)  # noqa: S101
    logger.warning("provider call failed: %s", exc)
    headers = None
    if exc.retryable:
        headers = {"Retry-After": str(max(1, round(exc.retry_after or 1)))}
    return problem_response(
        exc.status,
        f"{exc.provider} is not available right now; retry later."
        if exc.retryable
        else f"{exc.provider} refused the request.",
        instance=request.url.path,
        headers=headers,
    )
