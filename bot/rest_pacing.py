"""discord.py's REST requests paced by :mod:`bot.pacing`, through aiohttp's request tracing.

discord.py stays unmodified: it accepts an ``aiohttp.TraceConfig`` (``Client(http_trace=...)``),
and aiohttp awaits a trace's ``on_request_start`` before the request leaves, so waiting there
holds a request back without touching discord.py's own rate-limit handling (which still answers
any 429 that gets through). ``on_request_end`` reads the response's ``X-RateLimit-*`` headers.
Only counts and timings are kept: never a URL, a body or a user id (the paths are held as bucket
keys in memory and never logged).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from types import SimpleNamespace

import aiohttp

from bot.pacing import GlobalWindow, RouteBuckets, counts_globally

log = logging.getLogger(__name__)


class RestPacer:
    """The global window and the route buckets, shared by every request of one bot."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, limit: int | None = None) -> None:
        """Start with Discord's documented global limit (or `limit` per second)."""
        self.global_window = GlobalWindow(clock) if limit is None else GlobalWindow(clock, limit=limit)
        self.routes = RouteBuckets(clock)
        self.held = 0  # requests that waited before leaving
        self.held_seconds = 0.0

    async def before(self, method: str, path: str) -> None:
        """Wait until this request fits its route's bucket and the global window.

        Interaction callbacks and webhooks pass at once: they are exempt from the global limit, each
        has a path of its own (no bucket worth remembering), and discord.py handles their buckets.
        """
        if not counts_globally(path):
            return
        route = f"{method} {path}"
        while (wait := self.routes.reserve(route)) > 0:
            await self._hold(wait)
        while (wait := self.global_window.reserve()) > 0:
            await self._hold(wait)

    async def _hold(self, seconds: float) -> None:
        self.held += 1
        self.held_seconds += seconds
        await asyncio.sleep(seconds)

    def after(self, method: str, path: str, status: int, headers: dict[str, str]) -> None:
        """Learn from a response: its bucket's headers, and a global 429's wait."""
        if not counts_globally(path):
            return
        self.routes.observe(f"{method} {path}", status, headers)
        if status != 429:
            return
        lower = {k.lower(): v for k, v in headers.items()}
        if lower.get("x-ratelimit-global") == "true" or lower.get("x-ratelimit-scope") == "global":
            try:
                retry_after = float(lower.get("retry-after", "1"))
            except ValueError:
                retry_after = 1.0
            self.global_window.refused(min(retry_after, self.global_window.period))
            log.info("global rate limit reached; pacing margin now %.3f s", self.global_window.margin)

    def trace_config(self) -> aiohttp.TraceConfig:
        """The aiohttp trace that discord.py's HTTP session runs every request through."""
        config = aiohttp.TraceConfig()

        async def on_start(
            _session: aiohttp.ClientSession, _ctx: SimpleNamespace, params: aiohttp.TraceRequestStartParams
        ) -> None:
            await self.before(params.method, params.url.path)

        async def on_end(
            _session: aiohttp.ClientSession, _ctx: SimpleNamespace, params: aiohttp.TraceRequestEndParams
        ) -> None:
            self.after(params.method, params.url.path, params.response.status, dict(params.response.headers))

        config.on_request_start.append(on_start)
        config.on_request_end.append(on_end)
        return config
