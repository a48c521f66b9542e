"""The Redis connection the cache, the shared rate limits and the job queue use.

Every call is bounded (`REDIS_TIMEOUT_SECONDS` to connect, read or write, and no silent retries),
so a Redis that is down or stuck costs a request that long at most: the callers then answer a 503
problem or fall back, never a 500 or a hung request.
"""

from __future__ import annotations

import logging

from fastapi import Request
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from .integrations.errors import ProviderUnavailableError
from .settings import Settings

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait (Retry-After) when Redis is unreachable.
REDIS_RETRY_AFTER = 5


def make_redis(settings: Settings) -> Redis:
    """A client with bounded timeouts; it connects at its first command, so the app starts
    (and reports itself not ready) while Redis is down."""
    timeout = settings.redis_timeout_seconds
    client: Redis = Redis.from_url(
        settings.redis_url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        # redis-py retries failed commands 3 times by default: that would triple the bound.
        retry=Retry(NoBackoff(), 0),
        retry_on_timeout=False,
        health_check_interval=30,
        max_connections=settings.redis_max_connections,
    )
    return client


def unavailable(error: RedisError) -> ProviderUnavailableError:
    """The 503 problem (with Retry-After) a path that needs Redis answers when it is down."""
    logger.warning("redis call failed: %s", type(error).__name__)
    return ProviderUnavailableError(
        "redis", f"unreachable ({type(error).__name__})", retry_after=REDIS_RETRY_AFTER
    )


def redis_problem(request: Request) -> str | None:
    """Readiness: None when Redis answers PING, else why not."""
    client: Redis = request.app.state.redis
    try:
        client.ping()
    except RedisError as error:
        return f"Redis is unreachable ({type(error).__name__})."
    return None
