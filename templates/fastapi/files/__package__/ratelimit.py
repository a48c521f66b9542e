"""Rate limiting behind a small interface; the in-memory limiter suits one process."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    """At most `limit` hits per `period` seconds."""

    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Parse `5/minute`, `100/hour`, ..."""
        count, _, unit = text.partition("/")
        return cls(limit=int(count), period=_PERIODS[unit])


class RateLimiter(Protocol):
    """Record a hit; return None when allowed, else the seconds to wait."""

    def hit(self, key: str, rate: Rate) -> int | None: ...


class InMemoryRateLimiter:
    """Sliding-window limiter in process memory (use a shared store, e.g. Redis, to scale out)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._longest_period = 0
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, rate: Rate) -> int | None:
        now = self._clock()
        with self._lock:
            self._longest_period = max(self._longest_period, rate.period)
            if len(self._hits) >= self._max_keys:
                self._forget_idle(now)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - rate.period:
                hits.popleft()
            if len(hits) >= rate.limit:
                return max(1, math.ceil(hits[0] + rate.period - now))
            hits.append(now)
            return None

    def _forget_idle(self, now: float) -> None:
        """Drop clients with no hit inside the longest window, so memory stays bounded."""
        horizon = now - self._longest_period
        for key in [key for key, hits in self._hits.items() if not hits or hits[-1] <= horizon]:
            del self._hits[key]
