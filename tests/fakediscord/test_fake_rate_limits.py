"""The fake's opt-in rate limits (Discord's headers and 429s, honoured by discord.py unmodified) and nonces."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from fakediscord.fake_discord import FakeDiscord, RateLimits, RouteLimit
from fakediscord.harness import running_bot

pytestmark = pytest.mark.e2e

MESSAGES = "POST /channels/{channel_id}/messages"
TOY = "tests.fakediscord._toy_bot"


async def post(
    session: aiohttp.ClientSession, fake: FakeDiscord, path: str, body: dict[str, Any] | None = None
) -> tuple[int, dict[str, str], Any]:
    async with session.post(
        f"{fake.api_base}{path}",
        json=body or {"content": "hi"},
        headers={"Authorization": f"Bot {fake.token}"},
    ) as response:
        return response.status, dict(response.headers), await response.json(content_type=None)


async def test_route_buckets_send_discords_headers_and_429() -> None:
    limits = RateLimits(global_per_second=None, routes={MESSAGES: RouteLimit(2, 0.5)})
    async with FakeDiscord(rate_limits=limits) as fake, aiohttp.ClientSession() as session:
        guild = fake.add_guild("Lab")
        first = fake.add_text_channel(guild.id, "a")
        second = fake.add_text_channel(guild.id, "b")
        path = f"/channels/{first.id}/messages"
        status, headers, _ = await post(session, fake, path)
        assert status == 200
        assert headers["X-RateLimit-Limit"] == "2" and headers["X-RateLimit-Remaining"] == "1"
        assert 0 < float(headers["X-RateLimit-Reset-After"]) <= 0.5
        assert float(headers["X-RateLimit-Reset"]) > 1_600_000_000
        bucket = headers["X-RateLimit-Bucket"]
        status, headers, _ = await post(session, fake, path)
        assert (status, headers["X-RateLimit-Remaining"]) == (200, "0")
        status, headers, body = await post(session, fake, path)
        assert status == 429
        assert body["global"] is False and body["message"] and 0 < body["retry_after"] <= 0.5
        assert headers["Retry-After"] == "1" and headers["X-RateLimit-Scope"] == "user"
        assert headers["Via"] and "X-RateLimit-Global" not in headers
        # Another channel is another bucket (a major parameter) with the same bucket hash.
        status, headers, _ = await post(session, fake, f"/channels/{second.id}/messages")
        assert (status, headers["X-RateLimit-Bucket"]) == (200, bucket)
        await asyncio.sleep(float(body["retry_after"]) + 0.05)
        status, headers, _ = await post(session, fake, path)
        assert (status, headers["X-RateLimit-Remaining"]) == (200, "1")
        stats = fake.rate_limiter.stats if fake.rate_limiter else None
        assert stats is not None and (stats.rejected_route, stats.rejected_global) == (1, 0)
        assert len([r for r in fake.requests if r.status == 200]) == 4  # the 429 created nothing
        assert len(fake.messages(first.id)) == 3


async def test_the_global_limit_spares_interaction_routes() -> None:
    async with (
        FakeDiscord(rate_limits=RateLimits(global_per_second=3, routes={})) as fake,
        aiohttp.ClientSession() as session,
    ):
        guild = fake.add_guild("Lab")
        channel = fake.add_text_channel(guild.id, "a")
        statuses = [(await post(session, fake, f"/channels/{channel.id}/messages"))[0] for _ in range(3)]
        status, headers, body = await post(session, fake, f"/channels/{channel.id}/messages")
        assert statuses == [200, 200, 200] and status == 429
        assert body["global"] is True and headers["X-RateLimit-Global"] == "true"
        assert headers["X-RateLimit-Scope"] == "global" and "X-RateLimit-Limit" not in headers
        async with session.get(f"{fake.api_base}/gateway") as response:  # no token: not counted
            assert response.status == 200
        stats = fake.rate_limiter.stats if fake.rate_limiter else None
        assert stats is not None and stats.rejected_global == 1 and len(stats.accepted_at) == 3


def test_rate_limits_are_off_by_default_and_checked() -> None:
    assert FakeDiscord().rate_limiter is None
    with pytest.raises(ValueError, match="routes the fake does not serve"):
        FakeDiscord(rate_limits=RateLimits(routes={"POST /channels/{id}/messages": RouteLimit(1, 1)}))
    with pytest.raises(ValueError):
        RouteLimit(0, 1.0)


async def test_discord_py_waits_for_route_buckets_and_retries_global_429s(tmp_path: Path) -> None:
    """The toy bot's /panel posts twice in one channel, edits and deletes: 4 requests in a burst."""
    limits = RateLimits(global_per_second=3, routes={MESSAGES: RouteLimit(1, 0.4)})
    async with FakeDiscord(rate_limits=limits) as fake:
        guild = fake.add_guild("Lab")
        channel = fake.add_text_channel(guild.id, "general")
        alice = fake.add_user("alice")
        fake.add_member(guild.id, alice.id)
        async with running_bot(fake, tmp_path, module=TOY):
            await asyncio.sleep(1.1)  # let the start-up requests' global window pass
            limiter = fake.rate_limiter
            assert limiter is not None
            route_429s, global_429s = limiter.stats.rejected_route, limiter.stats.rejected_global
            handle = await fake.invoke("panel", user_id=alice.id, guild_id=guild.id, channel_id=channel.id)
            assert (await handle.wait_message(10))["content"] == "panel sent"
        posts = fake.find_requests("POST", "/channels/{channel_id}/messages", status=200)
        assert len(posts) == 2 and posts[1].at - posts[0].at >= 0.35  # it waited for the bucket
        assert limiter.stats.rejected_route == route_429s  # ... instead of hitting it
        assert limiter.stats.rejected_global > global_429s  # the burst crossed 3/s; retried after retry_after
        assert [m["content"] for m in fake.messages(channel.id)] == ["panel"]


async def test_enforce_nonce_returns_the_first_message_instead_of_a_second() -> None:
    """Discord's idempotency key for sends (discord.py sets enforce_nonce whenever nonce= is given)."""
    async with FakeDiscord() as fake, aiohttp.ClientSession() as session:
        guild = fake.add_guild("Lab")
        channel = fake.add_text_channel(guild.id, "a")
        path = f"/channels/{channel.id}/messages"
        body = {"content": "weekly", "nonce": "week-48-member-1", "enforce_nonce": True}
        first = await post(session, fake, path, body)
        again = await post(session, fake, path, body)
        plain = await post(session, fake, path, {"content": "weekly", "nonce": "week-48-member-1"})
        too_long = await post(session, fake, path, {**body, "nonce": "x" * 26})
        assert first[0] == again[0] == 200 and again[2]["id"] == first[2]["id"]
        assert plain[2]["id"] != first[2]["id"]  # without enforce_nonce a nonce is only echoed
        assert too_long[0] == 400
        assert len(fake.messages(channel.id)) == 2
