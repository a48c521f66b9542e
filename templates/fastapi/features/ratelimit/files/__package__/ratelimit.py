"""Rate limiting behind a small interface (the in-memory limiter suits one process), and the
client address the per-IP limits are keyed on."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from typing import Protocol

Network = IPv4Network | IPv6Network

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
    """`hit` records a hit and returns None when allowed, else the seconds to wait; `forgive`
    takes back the latest hit on a key (an attempt that turned out to be legitimate)."""

    def hit(self, key: str, rate: Rate) -> int | None: ...
    def forgive(self, key: str) -> None: ...


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

    def forgive(self, key: str) -> None:
        with self._lock:
            hits = self._hits.get(key)
            if hits:
                hits.pop()

    def _forget_idle(self, now: float) -> None:
        """Drop clients with no hit inside the longest window, so memory stays bounded."""
        horizon = now - self._longest_period
        for key in [key for key, hits in self._hits.items() if not hits or hits[-1] <= horizon]:
            del self._hits[key]


def _parse_ip(text: str) -> IPv4Address | IPv6Address | None:
    try:
        address = ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # a dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d
    return address


def client_ip(peer: str | None, forwarded_for: Iterable[str], trusted: Sequence[Network]) -> str:
    """The address a request comes from, for per-IP limits.

    `X-Forwarded-For` is anyone's to write, so it counts only when the direct peer is a trusted
    proxy (`TRUSTED_PROXIES`). Then the list is read from the right, where each trusted proxy
    appended the peer it saw, skipping trusted hops: the first untrusted address is the client.
    What lies left of it came from the client and is ignored. An unparsable hop stops the walk
    at the last trusted address, so garbage never becomes a fresh rate-limit key.
    """
    if peer is None:
        return "unknown"
    nearest = _parse_ip(peer)
    if nearest is None or not any(nearest in network for network in trusted):
        return peer
    hops = [hop for header in forwarded_for for hop in header.split(",")]
    for hop in reversed(hops):
        address = _parse_ip(hop)
        if address is None:
            break
        nearest = address
        if not any(address in network for network in trusted):
            break
    return str(nearest)
