"""SIGKILL in the middle of the weekly fan-out, then restart: every due DM arrives, duplicates are bounded."""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.anonymity import member_key, seal_user
from bot.delivery import CONCURRENCY
from bot.schedule import WeeklySlot
from bot.store.subscriptions import Subscription, save_subscription
from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess
from fakediscord.ratelimits import RateLimits
from fakediscord.rest import DiscordHTTPError, Reply, RequestContext
from tests.backends import open_store
from tests.dbview import rows
from tests.reliability.helpers import BASE_ENV, SECRET, bounded, build_lab, count, publish

SUBSCRIBERS = 60


def kind(n: int) -> str:
    return "checkin" if n % 2 else "prompt"


async def seed_due(db_path: Path, guild_id: int, users: list[int]) -> None:
    """One weekly DM per member, due a minute ago, written with the real store function (on the
    database a bot process with this `db_path` uses: the SQLite file, or its PostgreSQL database)."""
    secret = SECRET.encode()
    now = datetime.now(UTC)
    due = now - timedelta(minutes=1)
    slot = WeeklySlot(due.weekday(), due.time().replace(second=0, microsecond=0), "UTC")
    db = open_store(db_path)
    try:
        for n, user in enumerate(users):
            await save_subscription(
                db,
                Subscription(
                    member=member_key(secret, guild_id, user),
                    guild_id=guild_id,
                    kind=kind(n),
                    recipient=seal_user(secret, user, guild_id=guild_id, purpose=f"subscription:{kind(n)}"),
                    slot=slot,
                    next_due=due,
                ),
                now,
            )
    finally:
        await db.close()


def copies(fake: FakeDiscord, users: list[int]) -> Counter[int]:
    """How many weekly DMs each member has."""
    return Counter({u: len(fake.dm_messages(u)) for u in users})


def delivered(fake: FakeDiscord, users: list[int]) -> int:
    return sum(1 for u in users if fake.dm_messages(u))


def reached(fake: FakeDiscord, users: list[int], target: int) -> bool:
    return delivered(fake, users) >= target


async def start(fake: FakeDiscord, folder: Path) -> BotProcess:
    bot = BotProcess(fake, folder, env=BASE_ENV)
    await bot.start()
    await bot.wait_ready(30)
    return bot


async def kill(bot: BotProcess) -> None:
    bot.kill()
    assert await bot.wait(10) == -9


@bounded(60)
async def test_sigkill_twice_mid_fanout_loses_nothing_and_duplicates_stay_bounded(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    # Discord's limits make the fan-out take a few seconds, so the kills land in the middle of it.
    async with FakeDiscord(rate_limits=RateLimits()) as fake:
        lab, users = build_lab(fake, extra_members=SUBSCRIBERS)
        await publish(fake, commands)
        db_path = tmp_path / "kindred.sqlite3"
        await seed_due(db_path, lab.guild_id, users)
        kills = 0
        for stop_at in (SUBSCRIBERS // 3, 2 * SUBSCRIBERS // 3):
            bot = await start(fake, tmp_path)
            await fake.wait_until(
                functools.partial(reached, fake, users, stop_at), 30, description=f"{stop_at} weekly DMs"
            )
            await kill(bot)
            kills += 1
        bot = await start(fake, tmp_path)
        try:
            await fake.wait_until(lambda: delivered(fake, users) == SUBSCRIBERS, 30, description="every DM")
            await fake.wait_until(
                lambda: count(db_path, "SELECT count(*) FROM deliveries") == SUBSCRIBERS,
                10,
                description="every delivery recorded",
            )
            await asyncio.sleep(1.0)  # two more dispatcher runs: a duplicate would show now
        finally:
            assert await bot.stop() == 0, bot.log_tail()
        per_member = copies(fake, users)
        duplicates = sum(n - 1 for n in per_member.values() if n > 1)
        assert min(per_member.values()) >= 1, "a due DM was lost"
        assert max(per_member.values()) <= 2, "a member got the same week more than twice"
        # Only sends in flight at a kill can repeat (at most CONCURRENCY of them); their nonce lets
        # Discord drop the repeat, so the bound of one duplicate per kill holds with room.
        assert duplicates <= kills, f"{duplicates} duplicates after {kills} kills (CONCURRENCY={CONCURRENCY})"
        assert count(db_path, "SELECT count(*) FROM deliveries") == SUBSCRIBERS
        next_dues = [
            datetime.fromisoformat(row[0]) for row in rows(db_path, "SELECT next_due FROM subscriptions")
        ]
        assert min(next_dues) > datetime.now(UTC), "every subscription moved on to next week"
        assert fake.rate_limiter is not None and fake.rate_limiter.stats.rejected_route == 0


@bounded(45)
async def test_a_kill_while_sends_are_in_flight_repeats_at_most_one_dm(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    """Discord has stored the DMs but the bot is killed before it hears back (and before it commits)."""
    async with FakeDiscord() as fake:
        lab, users = build_lab(fake, extra_members=16)
        await publish(fake, commands)
        db_path = tmp_path / "kindred.sqlite3"
        await seed_due(db_path, lab.guild_id, users)
        killed = asyncio.Event()
        in_flight: list[int] = []

        async def reply_after_the_kill(ctx: RequestContext) -> Reply | None:
            route = ctx.route
            if (
                ctx.method != "POST"
                or route is None
                or route.template != "/channels/{channel_id}/messages"
                or not fake.state.channel(ctx.int_param("channel_id")).is_dm
            ):
                return None
            try:
                reply = await route.handler(ctx)  # the member has the DM from here on
            except DiscordHTTPError as exc:
                return exc.to_reply()
            in_flight.append(ctx.int_param("channel_id"))
            await killed.wait()
            return reply

        fake.add_hook(reply_after_the_kill)
        bot = await start(fake, tmp_path)
        await fake.wait_until(lambda: len(in_flight) >= 2, 15, description="two DMs stored, unanswered")
        await asyncio.sleep(0.3)
        await kill(bot)
        killed.set()
        fake.hooks.remove(reply_after_the_kill)
        bot = await start(fake, tmp_path)
        try:
            await fake.wait_until(lambda: delivered(fake, users) == len(users), 20, description="every DM")
        finally:
            await bot.stop()
        per_member = copies(fake, users)
        duplicates = sum(n - 1 for n in per_member.values() if n > 1)
        assert min(per_member.values()) >= 1
        assert duplicates <= 1, f"one kill repeated {duplicates} DMs ({len(in_flight)} were in flight)"
