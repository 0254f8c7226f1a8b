"""Pacing REST requests to the limits Discord announces, so bursts (the weekly fan-out) meet few 429s.

Discord limits a bot twice (developer docs, "Rate Limits"):

- **globally**: 50 requests per second across every route that carries the bot token
  (interaction callbacks and interaction webhooks are exempt). Discord sends no headers about it
  until a request is refused with a global 429, and discord.py, unmodified, learns it only then
  (it pauses every request after each such 429).
- **per route**: each response carries ``X-RateLimit-Limit / -Remaining / -Reset-After /
  -Bucket`` for its bucket; discord.py already waits when a bucket it knows is empty.

:class:`GlobalWindow` keeps kindred inside the global limit before Discord has to say so: it
counts requests in windows of one period (one second), the shape Discord enforces, and lets the
next window open only ``margin`` after the last one closed, so a request that left a little late
never lands in the server's previous window. After a global 429 it waits the announced time and
widens the margin a step (the clocks drifted apart further than assumed); every quiet window
narrows it again. :class:`RouteBuckets` remembers each bucket's ``Remaining`` and
``Reset-After`` from the headers and holds a request back while its bucket is known to be empty.

Pure: no discord.py, no aiohttp, no clock of its own (tests pass one); ``bot.rest_pacing`` wires it
into discord.py's HTTP session.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

#: Discord's documented global limit for a bot: requests per second.
GLOBAL_PER_SECOND = 50
#: Margin between one window's end and the next one's start, and how far a 429 may widen it.
MARGIN_S = 0.015
MARGIN_STEP_S = 0.01
MAX_MARGIN_S = 0.1
QUIET_WINDOWS_TO_NARROW = 20
#: Buckets remembered before those whose window has reset are forgotten.
MAX_BUCKETS = 512


@dataclass
class GlobalWindow:
    """At most ``limit`` requests in any window of ``period`` seconds, windows ``margin`` apart."""

    clock: Callable[[], float]
    limit: int = GLOBAL_PER_SECOND
    period: float = 1.0
    margin: float = MARGIN_S
    opened_at: float | None = None
    used: int = 0
    blocked_until: float = 0.0
    rejected: int = 0
    _quiet: int = 0

    def __post_init__(self) -> None:
        """Refuse a limit that could never let a request through."""
        if self.limit < 1 or not self.period > 0:
            raise ValueError(f"a global limit needs limit >= 1 and period > 0: {self.limit}/{self.period}")

    def reserve(self) -> float:
        """Take a place for one request now and return 0.0, or return how long to wait first.

        A caller that got a wait sleeps that long and asks again (nothing was taken).
        """
        now = self.clock()
        if now < self.blocked_until:
            return self.blocked_until - now
        if self.opened_at is None or now >= self.opened_at + self.period + self.margin:
            if self.opened_at is not None:
                self._window_closed()
            self.opened_at = now
            self.used = 0
        if self.used < self.limit:
            self.used += 1
            return 0.0
        return self.opened_at + self.period + self.margin - now

    def _window_closed(self) -> None:
        self._quiet += 1
        if self._quiet >= QUIET_WINDOWS_TO_NARROW and self.margin > MARGIN_S:
            self.margin = max(MARGIN_S, self.margin - MARGIN_STEP_S)
            self._quiet = 0

    def refused(self, retry_after: float) -> None:
        """Discord answered a global 429: nothing more until ``retry_after`` has passed, then a new window."""
        self.rejected += 1
        now = self.clock()
        self.blocked_until = max(self.blocked_until, now + max(0.0, retry_after))
        self.opened_at = None  # the next request opens a fresh window after the block
        self.used = 0
        self.margin = min(MAX_MARGIN_S, self.margin + MARGIN_STEP_S)
        self._quiet = 0


@dataclass
class _Bucket:
    remaining: int
    resets_at: float


@dataclass
class RouteBuckets:
    """What the ``X-RateLimit-*`` headers said about each route, so an empty bucket is waited out."""

    clock: Callable[[], float]
    margin: float = MARGIN_S
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def observe(self, route: str, status: int, headers: Mapping[str, str]) -> None:
        """Learn from one response's headers (any casing of the header names)."""
        lower = {k.lower(): v for k, v in headers.items()}
        remaining = _number(lower.get("x-ratelimit-remaining"))
        reset_after = _number(lower.get("x-ratelimit-reset-after"))
        if status == 429 and lower.get("x-ratelimit-scope", "user") != "global":
            reset_after = _number(lower.get("retry-after")) if reset_after is None else reset_after
            remaining = 0
        if remaining is None or reset_after is None:
            return
        now = self.clock()
        self._buckets[route] = _Bucket(int(remaining), now + reset_after)
        if len(self._buckets) > MAX_BUCKETS:  # one per DM channel in a fan-out: forget the reset ones
            self._buckets = {k: b for k, b in self._buckets.items() if b.resets_at + self.margin > now}

    def reserve(self, route: str) -> float:
        """0.0 and one place taken if the route's bucket has room (or is unknown); else the wait."""
        bucket = self._buckets.get(route)
        if bucket is None:
            return 0.0
        now = self.clock()
        if now >= bucket.resets_at + self.margin:
            del self._buckets[route]  # the window reset: the next response tells the new state
            return 0.0
        if bucket.remaining > 0:
            bucket.remaining -= 1
            return 0.0
        return bucket.resets_at + self.margin - now

    def __len__(self) -> int:
        """How many buckets are remembered."""
        return len(self._buckets)


def _number(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value >= 0 else None


def counts_globally(path: str) -> bool:
    """True if a request to this REST path counts against the global limit.

    Interaction callbacks (``/interactions/{id}/{token}/callback``) and interaction webhooks
    (``/webhooks/{application_id}/{token}/...``, follow-ups and edits) are exempt, as on Discord.
    """
    parts = [p for p in path.split("/") if p]
    for i, part in enumerate(parts):
        if part == "interactions":
            return False
        if part == "webhooks" and len(parts) - i >= 3:  # a webhook with its token
            return False
    return True
