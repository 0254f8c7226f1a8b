"""bot.pacing: the global window and the route buckets, on an injected clock (issue 19)."""

from __future__ import annotations

import asyncio

import pytest

from bot.pacing import MARGIN_S, MAX_BUCKETS, MAX_MARGIN_S, GlobalWindow, RouteBuckets, counts_globally
from bot.rest_pacing import RestPacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_window_lets_the_limit_through_then_says_how_long_to_wait() -> None:
    clock = Clock()
    window = GlobalWindow(clock, limit=50)
    assert [window.reserve() for _ in range(50)] == [0.0] * 50
    clock.now += 0.3
    wait = window.reserve()
    assert wait == pytest.approx(0.7 + MARGIN_S)
    assert window.used == 50  # a wait takes nothing
    clock.now += wait
    assert window.reserve() == 0.0 and window.used == 1


def test_no_one_second_interval_ever_holds_more_than_the_limit() -> None:
    clock = Clock()
    window = GlobalWindow(clock, limit=50)
    sent: list[float] = []
    while len(sent) < 500:
        wait = window.reserve()
        if wait == 0.0:
            sent.append(clock.now)
            clock.now += 0.001  # requests leave one millisecond apart when they can
        else:
            clock.now += wait
    for i, at in enumerate(sent):
        inside = [t for t in sent[i:] if t < at + 1.0]
        assert len(inside) <= 50
    rate = len(sent) / (sent[-1] - sent[0] + 1.0)
    assert rate >= 0.98 * 50  # the margin costs under 2% of the limit


def test_a_global_429_blocks_for_the_announced_time_and_widens_the_margin() -> None:
    clock = Clock()
    window = GlobalWindow(clock, limit=5)
    window.reserve()
    window.refused(0.4)
    assert window.reserve() == pytest.approx(0.4)
    clock.now += 0.4
    assert window.reserve() == 0.0
    assert window.margin == pytest.approx(MARGIN_S + 0.01)
    for _ in range(20):
        window.refused(1.0)
    assert window.margin == MAX_MARGIN_S


def test_quiet_windows_narrow_the_margin_back() -> None:
    clock = Clock()
    window = GlobalWindow(clock, limit=1)
    window.refused(0.0)
    widened = window.margin
    for _ in range(25):
        clock.now += 1.0 + window.margin
        assert window.reserve() == 0.0
    assert window.margin < widened


def test_limits_that_let_nothing_through_are_refused() -> None:
    with pytest.raises(ValueError):
        GlobalWindow(Clock(), limit=0)


def test_route_buckets_follow_the_headers() -> None:
    clock = Clock()
    routes = RouteBuckets(clock)
    route = "POST /api/v10/channels/1/messages"
    assert routes.reserve(route) == 0.0  # unknown: discord.py and the first response will tell
    headers = {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "1", "X-RateLimit-Reset-After": "4.0"}
    routes.observe(route, 200, headers)
    assert routes.reserve(route) == 0.0
    assert routes.reserve(route) == pytest.approx(4.0 + MARGIN_S)
    assert routes.reserve("POST /api/v10/channels/2/messages") == 0.0  # another channel, another bucket
    clock.now += 4.0 + MARGIN_S
    assert routes.reserve(route) == 0.0 and len(routes) == 0


def test_a_route_429_empties_its_bucket_and_a_global_one_does_not() -> None:
    clock = Clock()
    routes = RouteBuckets(clock)
    routes.observe("r", 429, {"retry-after": "2", "x-ratelimit-scope": "user"})
    assert routes.reserve("r") == pytest.approx(2 + MARGIN_S)
    routes.observe(
        "g", 429, {"Retry-After": "1", "X-RateLimit-Scope": "global", "X-RateLimit-Global": "true"}
    )
    assert routes.reserve("g") == 0.0
    routes.observe("junk", 200, {"X-RateLimit-Remaining": "lots", "X-RateLimit-Reset-After": "-1"})
    assert len(routes) == 1


@pytest.mark.parametrize(
    ("path", "counts"),
    [
        ("/api/v10/users/@me/channels", True),
        ("/api/v10/channels/1/messages", True),
        ("/api/v10/interactions/1/tok/callback", False),
        ("/api/v10/webhooks/9/tok/messages/@original", False),
        ("/api/v10/webhooks/9", True),
    ],
)
def test_interaction_routes_are_exempt_from_the_global_limit(path: str, counts: bool) -> None:
    assert counts_globally(path) is counts


def test_the_rest_pacer_holds_requests_and_learns_from_a_global_429() -> None:
    async def scenario() -> RestPacer:
        pacer = RestPacer(limit=3)
        for _ in range(3):
            await pacer.before("POST", "/api/v10/users/@me/channels")
        await pacer.before("POST", "/api/v10/interactions/1/t/callback")  # exempt: no wait
        assert pacer.held == 0
        pacer.after(
            "POST", "/api/v10/channels/1/messages", 429, {"Retry-After": "0.05", "X-RateLimit-Global": "true"}
        )
        await pacer.before("POST", "/api/v10/users/@me/channels")
        return pacer

    pacer = asyncio.run(scenario())
    assert pacer.held >= 1 and pacer.global_window.rejected == 1


def test_buckets_whose_window_reset_are_forgotten_once_there_are_many() -> None:
    clock = Clock()
    routes = RouteBuckets(clock)
    headers = {"X-RateLimit-Remaining": "4", "X-RateLimit-Reset-After": "5"}
    for n in range(MAX_BUCKETS):
        routes.observe(f"POST /channels/{n}/messages", 200, headers)
    clock.now += 6
    routes.observe("POST /channels/last/messages", 200, headers)
    assert len(routes) == 1


def test_interaction_callbacks_are_never_remembered() -> None:
    pacer = RestPacer()
    for n in range(100):
        path = f"/api/v10/interactions/{n}/token/callback"
        pacer.after("POST", path, 200, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "1"})
        asyncio.run(pacer.before("POST", path))
    assert len(pacer.routes) == 0 and pacer.held == 0
