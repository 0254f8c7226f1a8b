"""Discord's REST rate limits for the fake: a global limit and per-route buckets, opt-in.

Behaviour modelled on Discord's documentation ("Rate Limits" topic):

- Every response of a limited route carries ``X-RateLimit-Limit``, ``-Remaining``, ``-Reset``
  (epoch seconds), ``-Reset-After`` (seconds) and ``-Bucket`` (an opaque hash shared by every
  major-parameter value of the route). A bucket is a fixed window that opens with its first request.
- A request over a route's limit gets 429 with ``{"message", "retry_after", "global": false}``,
  ``Retry-After`` and ``X-RateLimit-Scope: user``; one over the global limit (requests per second
  across all authenticated routes) gets the same body with ``"global": true`` plus
  ``X-RateLimit-Global: true`` and ``X-RateLimit-Scope: global``. Rejected requests consume nothing.
- Interaction callbacks and interaction webhooks (the routes that need no bot token) are exempt
  from the global limit, as on Discord.
- 429s carry ``Via: 1.1 google``: discord.py treats a 429 without ``Via`` as a Cloudflare ban.

The limiter plugs into :class:`fakediscord.api.RestApi` as a request hook (rejects) and a response
hook (adds headers), and counts what it did so benchmarks can report throughput and 429s.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from fakediscord.rest import Reply, RequestContext

#: Discord's documented default global limit for bots.
GLOBAL_PER_SECOND = 50
RATE_LIMITED_MESSAGE = "You are being rate limited."


@dataclass(frozen=True)
class RouteLimit:
    """``limit`` requests per ``per`` seconds for each major-parameter value of one route."""

    limit: int
    per: float

    def __post_init__(self) -> None:
        """Reject limits that could never let a request through."""
        if self.limit < 1 or not self.per > 0:
            raise ValueError(f"a route limit needs limit >= 1 and per > 0, got {self.limit}/{self.per}s")


#: Per-route limits close to what Discord reports for the routes a bot uses most.
DISCORD_ROUTES: Mapping[str, RouteLimit] = {
    "POST /channels/{channel_id}/messages": RouteLimit(5, 5.0),
    "PATCH /channels/{channel_id}/messages/{message_id}": RouteLimit(5, 5.0),
    "DELETE /channels/{channel_id}/messages/{message_id}": RouteLimit(5, 1.0),
    "POST /channels/{channel_id}/messages/{message_id}/threads": RouteLimit(10, 10.0),
    "POST /users/@me/channels": RouteLimit(50, 1.0),
}


@dataclass(frozen=True)
class RateLimits:
    """What the fake enforces. ``routes`` keys are ``"METHOD /template"`` as the router spells them."""

    global_per_second: int | None = GLOBAL_PER_SECOND
    routes: Mapping[str, RouteLimit] = field(default_factory=lambda: dict(DISCORD_ROUTES))


@dataclass
class _Window:
    """A fixed window: ``used`` requests since it opened; it closes at ``resets_at`` (monotonic)."""

    limit: int
    per: float
    used: int = 0
    resets_at: float = 0.0

    def roll(self, now: float) -> bool:
        """Open a new window if the old one has closed; True if it did."""
        if now < self.resets_at:
            return False
        self.used = 0
        self.resets_at = now + self.per
        return True

    @property
    def remaining(self) -> int:
        """Requests left in the current window."""
        return max(0, self.limit - self.used)


@dataclass
class RateLimitStats:
    """What the limiter did: accepted requests (timestamps) and 429s by scope."""

    accepted_at: list[float] = field(default_factory=list)
    global_windows: list[float] = field(default_factory=list)
    rejected_global: int = 0
    rejected_route: int = 0

    @property
    def rejected(self) -> int:
        """All 429s the limiter answered."""
        return self.rejected_global + self.rejected_route

    def accepted_between(self, start: float, end: float) -> int:
        """Accepted globally-limited requests with ``start <= at <= end`` (monotonic seconds)."""
        return sum(1 for at in self.accepted_at if start <= at <= end)

    def global_utilisation(self, start: float, end: float, per_second: int) -> float:
        """Accepted requests over what the global windows opened in ``[start, end]`` allowed.

        The global limit is a series of fixed one-second windows, so this is the fair measure of
        "achieved rate / limit": windows only partly inside the interval count in full (conservative).
        """
        windows = sum(1 for at in self.global_windows if start - 1.0 < at <= end)
        if windows == 0:
            return float("nan")
        return self.accepted_between(start, end) / (windows * per_second)

    def peak_per_second(self) -> int:
        """The most accepted requests in any sliding one-second interval."""
        best = 0
        left = 0
        times = self.accepted_at
        for right, at in enumerate(times):
            while at - times[left] >= 1.0:
                left += 1
            best = max(best, right - left + 1)
        return best


def bucket_hash(route_key: str) -> str:
    """A stable opaque bucket id for a route, like Discord's ``X-RateLimit-Bucket``."""
    return hashlib.sha256(route_key.encode()).hexdigest()[:32]


class RateLimiter:
    """The request hook and response hook that enforce :class:`RateLimits`."""

    def __init__(
        self,
        limits: RateLimits,
        *,
        known_routes: Callable[[str], bool] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Check route keys (``known_routes`` says whether ``"METHOD /template"`` exists) and start empty."""
        if limits.global_per_second is not None and limits.global_per_second < 1:
            raise ValueError("global_per_second must be at least 1 (or None for no global limit)")
        if known_routes is not None:
            unknown = sorted(key for key in limits.routes if not known_routes(key))
            if unknown:
                raise ValueError(f"rate limits name routes the fake does not serve: {unknown}")
        self.limits = limits
        self.stats = RateLimitStats()
        self._clock = clock
        self._global = (
            _Window(limits.global_per_second, 1.0) if limits.global_per_second is not None else None
        )
        self._buckets: dict[str, _Window] = {}
        self._pending_headers: dict[int, dict[str, str]] = {}

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _route_key(ctx: RequestContext) -> str | None:
        return None if ctx.route is None else f"{ctx.method} {ctx.route.template}"

    def _bucket(self, ctx: RequestContext) -> tuple[str, _Window] | None:
        key = self._route_key(ctx)
        limit = self.limits.routes.get(key) if key is not None else None
        if key is None or limit is None:
            return None
        window = self._buckets.get(ctx.bucket_key)
        if window is None:
            window = self._buckets[ctx.bucket_key] = _Window(limit.limit, limit.per)
        return key, window

    def _bucket_headers(self, key: str, window: _Window, now: float) -> dict[str, str]:
        reset_after = max(0.0, window.resets_at - now)
        return {
            "X-RateLimit-Limit": str(window.limit),
            "X-RateLimit-Remaining": str(window.remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket_hash(key),
        }

    @staticmethod
    def _too_many(retry_after: float, *, is_global: bool, headers: dict[str, str]) -> Reply:
        retry_after = max(0.001, round(retry_after, 3))
        headers = {
            **headers,
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Scope": "global" if is_global else "user",
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {"message": RATE_LIMITED_MESSAGE, "retry_after": retry_after, "global": is_global}
        return Reply(429, body, headers)

    # -- hooks --------------------------------------------------------------------------------

    async def __call__(self, ctx: RequestContext) -> Reply | None:
        """Request hook: answer 429 if a limit is exhausted, else consume one request."""
        now = self._clock()
        counts_globally = self._global is not None and ctx.route is not None and ctx.route.auth
        if counts_globally and self._global is not None:
            if self._global.roll(now):
                self.stats.global_windows.append(now)
            if self._global.remaining == 0:
                self.stats.rejected_global += 1
                return self._too_many(self._global.resets_at - now, is_global=True, headers={})
        bucket = self._bucket(ctx)
        if bucket is not None:
            key, window = bucket
            window.roll(now)
            if window.remaining == 0:
                self.stats.rejected_route += 1
                return self._too_many(
                    window.resets_at - now, is_global=False, headers=self._bucket_headers(key, window, now)
                )
            window.used += 1
            self._pending_headers[id(ctx)] = self._bucket_headers(key, window, now)
        if counts_globally and self._global is not None:
            self._global.used += 1
            self.stats.accepted_at.append(now)
        return None

    def decorate(self, ctx: RequestContext, reply: Reply) -> None:
        """Response hook: put the bucket's headers (as of this request) on the reply."""
        headers = self._pending_headers.pop(id(ctx), None)
        if headers is not None and reply.status != 429:
            reply.headers.update(headers)
