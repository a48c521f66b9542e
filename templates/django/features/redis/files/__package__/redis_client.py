"""The Redis connection the shared rate limits and the job queue use (the item cache goes through
Django's cache framework, on the same Redis and with the same bounds: see `pool_options`).

Every call is bounded (`REDIS_TIMEOUT_SECONDS` to connect, read or write, and no silent retries),
so a Redis that is down or stuck costs a request that long at most: the callers then answer a 503
problem or fall back, never a 500 or a hung request.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from .config import Settings, get_settings

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait (Retry-After) when Redis is unreachable.
REDIS_RETRY_AFTER = 5


class RedisUnavailableError(Exception):
    """A path that needs Redis found it down: a 503 problem with Retry-After."""

    def __init__(self, detail: str, retry_after: int = REDIS_RETRY_AFTER) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after


def pool_options(settings: Settings) -> dict[str, Any]:
    """Connection-pool options: bounded timeouts and no retries. redis-py retries a failed
    command 3 times by default, which would triple the bound."""
    timeout = settings.redis_timeout_seconds
    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": Retry(NoBackoff(), 0),
        "retry_on_timeout": False,
        "health_check_interval": 30,
        "max_connections": settings.redis_max_connections,
    }


def cache_key(key: str, key_prefix: str, version: int) -> str:
    """Django's KEY_FUNCTION for the cache on Redis: REDIS_KEY_PREFIX + key (`demo:item:…`),
    readable in `redis-cli` and separate per prefix (entries carry their own generations)."""
    return f"{key_prefix}{key}"


def make_redis(settings: Settings) -> Redis:
    """A client with bounded timeouts; it connects at its first command, so the app starts
    (and reports itself not ready) while Redis is down."""
    client: Redis = Redis.from_url(settings.redis_url, **pool_options(settings))
    return client


@lru_cache(maxsize=1)
def redis_client() -> Redis:
    """The process's client (one bounded connection pool, shared by its threads)."""
    return make_redis(get_settings())


def unavailable(error: RedisError) -> RedisUnavailableError:
    """The 503 problem a path that needs Redis answers when it is down."""
    logger.warning("redis call failed: %s", type(error).__name__)
    return RedisUnavailableError(f"Redis is unreachable ({type(error).__name__}); retry shortly.")


def redis_problem() -> str | None:
    """Readiness: None when Redis answers PING, else why not."""
    try:
        redis_client().ping()
    except RedisError as error:
        return f"Redis is unreachable ({type(error).__name__})."
    return None


def redis_unavailable_problem(exc: Exception) -> tuple[int, str, dict[str, str]] | None:
    """errors.py: RedisUnavailableError is a 503 problem with Retry-After."""
    if not isinstance(exc, RedisUnavailableError):
        return None
    return 503, exc.detail, {"Retry-After": str(exc.retry_after)}
