"""Benchmark 6: the Monday-morning burst. One lab's weekly nudge, then most of the lab checks in at once.

A lab of `members` members, every one subscribed to the weekly check-in nudge (written with the
real `save_subscription`, due one minute before the bot starts: the 09:00 slot of the story). The
real dispatcher sends the DMs through the fake with Discord's rate limits on (the real fan-out,
two requests per DM). Then `share` of the members (80%), at arrival times spread uniformly at
random over `window` seconds (two minutes), press the check-in button in their DM, take a few
seconds to fill in the form, and submit it. A member never presses before their DM has arrived.

The bare discord.py bot (benchmarks/bare_bot.py) runs beside it on its own fake, in the same
process and the same two minutes, and gets a /ping at exactly the moments kindred gets a press and
a submit (the same arrival pattern). Latency is the fake's own clock, from queueing
INTERACTION_CREATE to the callback request arriving (as in benchmark 1). The figure is p99 of the
submit against p99 of the bare bot's pings mirrored to the submits.

`compress` divides every time in the pattern (window and form-filling) to shorten a smoke run;
the full run uses 1 (real time); the results name the factor used.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.bench_latency import CHECKIN_ANSWER, TIMEOUT, build_world
from benchmarks.common import BARE_BOT, SECRET, Figure, median, percentile, sync_commands, wait_for_log
from bot.anonymity import member_key, seal_user
from bot.schedule import WeeklySlot
from bot.store import Database
from bot.store.subscriptions import Subscription, save_subscription
from fakediscord.fake_discord import FakeDiscord, InteractionHandle
from fakediscord.harness import running_bot
from fakediscord.interactions import InteractionRecord
from fakediscord.ratelimits import DISCORD_ROUTES, GLOBAL_PER_SECOND, RateLimits

GOAL_RATIO = 1.1
FILL_SECONDS = (3.0, 10.0)  # a person reading the form and choosing answers
SEED = 19


def _ms(rec: InteractionRecord) -> float:
    if rec.callback_received_at is None:  # pragma: no cover - response() waited for the callback
        raise RuntimeError(f"no callback for {rec.describe()}")
    return (rec.callback_received_at - rec.dispatched_at) * 1000


async def seed_nudges(db_path: Path, user_ids: list[int], guild_id: int, now: datetime) -> None:
    """One weekly check-in nudge per member, due one minute ago, through the real store function."""
    secret = SECRET.encode()
    due = now - timedelta(minutes=1)
    slot = WeeklySlot(due.weekday(), due.time().replace(second=0, microsecond=0), "UTC")
    db = Database(db_path)
    await db.open()
    try:
        for user_id in user_ids:
            await save_subscription(
                db,
                Subscription(
                    member=member_key(secret, guild_id, user_id),
                    guild_id=guild_id,
                    kind="checkin",
                    recipient=seal_user(secret, user_id, guild_id=guild_id, purpose="subscription:checkin"),
                    slot=slot,
                    next_due=due,
                ),
                now,
            )
    finally:
        await db.close()


async def run(
    workdir: Path, *, members: int = 300, share: float = 0.8, window: float = 120.0, compress: float = 1.0
) -> list[Figure]:
    """Run the burst against kindred and the bare bot at once; p99 of the submit against bare."""
    rng = random.Random(SEED)
    limits = RateLimits(global_per_second=GLOBAL_PER_SECOND, routes=DISCORD_ROUTES)
    async with FakeDiscord(rate_limits=limits) as kin_fake, FakeDiscord(rate_limits=limits) as bare_fake:
        kin = build_world(kin_fake, members, "Burst Lab")
        bare = build_world(bare_fake, members, "Burst Lab")
        await seed_nudges(
            workdir / "kindred" / "kindred.sqlite3", kin.members, kin.guild_id, datetime.now(UTC)
        )
        await sync_commands(kin_fake, workdir / "sync")
        env = {"KINDRED_SECRET_KEY": SECRET, "KINDRED_DISPATCH_INTERVAL": "5"}
        async with (
            running_bot(kin_fake, workdir / "kindred", env=env, ready_timeout=60) as kin_bot,
            running_bot(bare_fake, workdir / "bare", module=BARE_BOT) as bare_bot,
        ):
            await wait_for_log(bare_bot, "bare ready", 30)
            await wait_for_log(kin_bot, "ready as", 30)  # on_ready wakes the dispatcher: 09:00
            started = time.monotonic()
            takers = rng.sample(range(members), round(members * share))
            plan = []
            for index in takers:
                fill_for = rng.uniform(*FILL_SECONDS) / compress
                plan.append((index, rng.uniform(0.0, window / compress - fill_for), fill_for))
            button = f"kindred:checkin:{kin.guild_id}"
            waited_for_dm: list[float] = []

            async def member(index: int, press: float, fill: float) -> tuple[float, float, float, float]:
                user = kin.members[index]
                await asyncio.sleep(max(0.0, started + press - time.monotonic()))
                before = time.monotonic()
                await kin_fake.wait_until(
                    lambda: bool(kin_fake.dm_messages(user)), TIMEOUT * 4, description="the weekly nudge"
                )
                waited_for_dm.append(time.monotonic() - before)
                bare_press = await bare_fake.invoke(
                    "ping", user_id=bare.members[index], guild_id=bare.guild_id
                )
                clicked = await kin_fake.click(kin_fake.dm_messages(user)[0], button, user_id=user)
                modal = await clicked.modal(TIMEOUT)
                await asyncio.sleep(fill)
                bare_submit = await bare_fake.invoke(
                    "ping", user_id=bare.members[index], guild_id=bare.guild_id
                )
                submitted: InteractionHandle = await kin_fake.submit_modal(
                    modal["custom_id"], CHECKIN_ANSWER, user_id=user
                )
                await asyncio.gather(
                    submitted.response(TIMEOUT), bare_press.response(TIMEOUT), bare_submit.response(TIMEOUT)
                )
                return (
                    _ms(submitted.record),
                    _ms(clicked.record),
                    _ms(bare_submit.record),
                    _ms(bare_press.record),
                )

            results = await asyncio.gather(*(member(i, p, f) for i, p, f in plan))
            wall = time.monotonic() - started
            late = len(kin_fake.late_interactions) + len(bare_fake.late_interactions)
            global_429 = kin_fake.rate_limiter.stats.rejected if kin_fake.rate_limiter else 0
    submit = [r[0] for r in results]
    presses = [r[1] for r in results]
    bare_submit = [r[2] for r in results]
    bare_all = bare_submit + [r[3] for r in results]
    p99, bare_p99 = percentile(submit, 99), percentile(bare_submit, 99)
    ratio = p99 / bare_p99
    section = (
        f"6. Burst: {members} members nudged at 09:00, {share:.0%} check in within "
        f"{window / 60:.0f} min" + (f" (time compressed {compress:g}x)" if compress != 1 else "")
    )
    delayed = sum(1 for w in waited_for_dm if w > 0.05)
    return [
        Figure(
            section,
            "kindred check-in submit p99",
            p99,
            "ms",
            f"<= {GOAL_RATIO}x bare",
            ratio <= GOAL_RATIO,
            note=f"{ratio:.2f}x bare; p50 {median(submit):.1f} ms; n={len(submit)}",
            ratio=ratio,
        ),
        Figure(
            section,
            "bare discord.py /ping p99 at the same moments",
            bare_p99,
            "ms",
            note=f"p50 {median(bare_submit):.1f} ms; all {len(bare_all)} mirrored pings: "
            f"p99 {percentile(bare_all, 99):.1f} ms",
        ),
        Figure(
            section,
            "kindred check-in button (opens the form) p99",
            percentile(presses, 99),
            "ms",
            note=f"p50 {median(presses):.1f} ms",
        ),
        Figure(section, "interactions answered after the 3 s deadline", late, "", "0", late == 0),
        Figure(
            section,
            "members who pressed before their nudge had arrived",
            delayed,
            "",
            note=f"they waited for it; 429s during the fan-out: {global_429}; wall {wall:.0f} s",
        ),
    ]
