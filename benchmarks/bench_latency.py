"""Benchmark 1: interaction latency, from the gateway dispatch to the callback request arriving.

Two fakes run side by side in this process: one serves kindred (`python -m bot`), one serves a bare
discord.py bot answering /ping (benchmarks/bare_bot.py). Both see the same kind of guild and the same
load: interactions one at a time, then 50 dispatched at once (back to back on the gateway).
Latency is the fake's own record: from queueing INTERACTION_CREATE on the gateway to the callback
request reaching the fake's HTTP handler (`callback_received_at - dispatched_at`, one monotonic clock).
"""

from __future__ import annotations

import asyncio
import gc
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import BARE_BOT, SECRET, Figure, fmt, median, percentile, sync_commands, wait_for_log
from bot.config import RESOURCES_DIR
from bot.content import load_library
from fakediscord.fake_discord import FakeDiscord, InteractionHandle
from fakediscord.harness import running_bot
from fakediscord.interactions import InteractionRecord

TARGET_RATIO = 1.1  # issue 19: every p99 within 1.1x of the bare bot's, same run
TIMEOUT = 30.0
COUNTRIES = ("GB", "US", "DE", "JP", "FR", "CN", "IN", "AU")
QUERIES = ("money", "publishing", "lonely", "job market", "anxiety", "compute", "rejection", "visa")
CHECKIN_ANSWER = {"mood": ["3"], "energy": ["2"], "topics": ["sudden-money"]}
FORM_FILL_SECONDS = 0.2

Make = Callable[[int], Awaitable[InteractionHandle]]


@dataclass
class World:
    """A fake with one lab guild and `members` members."""

    fake: FakeDiscord
    guild_id: int
    channel_id: int
    members: list[int]


def build_world(fake: FakeDiscord, members: int, name: str = "Benchmark Lab") -> World:
    """One lab guild with a general channel and many members (en-GB)."""
    owner = fake.add_user("pi", locale="en-GB")
    guild = fake.add_guild(name, owner_id=owner.id)
    channel = fake.add_text_channel(guild.id, "general")
    users = []
    for n in range(members):
        user = fake.add_user(f"member-{n}", locale="en-GB")
        fake.add_member(guild.id, user.id)
        users.append(user.id)
    return World(fake, guild.id, channel.id, users)


def _latency_ms(rec: InteractionRecord) -> float:
    """Gateway dispatch to the callback request reaching the fake, in ms."""
    if rec.callback_received_at is None:  # pragma: no cover - response() waited for the callback
        raise RuntimeError(f"no callback for {rec.describe()}")
    return (rec.callback_received_at - rec.dispatched_at) * 1000


async def batch(make: Make, first: int, size: int) -> list[float]:
    """Dispatch `size` interactions back to back; their latencies in ms once all are answered."""
    handles = [await make(first + n) for n in range(size)]
    await asyncio.gather(*(h.response(TIMEOUT) for h in handles))
    return [_latency_ms(h.record) for h in handles]


async def measure(make: Make, count: int, concurrency: int) -> list[float]:
    """Latencies in ms of `count` interactions, dispatched `concurrency` at a time."""
    latencies: list[float] = []
    for start in range(0, max(1, count // concurrency) * concurrency, concurrency):
        latencies += await batch(make, start, concurrency)
    return latencies


Batch = Callable[[int], Awaitable[list[float]]]


async def interleaved(bare: Batch, kindred: Batch, rounds: int) -> tuple[list[float], list[float]]:
    """Alternate a bare-bot batch and a kindred batch, so both meet the same moments of the machine."""
    bare_ms: list[float] = []
    kindred_ms: list[float] = []
    for n in range(rounds):
        bare_ms += await bare(n)
        kindred_ms += await kindred(n)
    return bare_ms, kindred_ms


class Kindred:
    """Makers of kindred's interactions, each a fresh invocation (check-ins by members new this week)."""

    def __init__(self, world: World) -> None:
        self.world = world
        library, _ = load_library(RESOURCES_DIR)
        self.topics = [t.slug for t in library.pack("en").topics]
        self._fresh = iter(world.members)

    async def crisis(self, n: int) -> InteractionHandle:
        w = self.world
        return await w.fake.invoke(
            "crisis",
            {"country": COUNTRIES[n % len(COUNTRIES)]},
            user_id=w.members[n % len(w.members)],
            guild_id=w.guild_id,
        )

    async def resources_show(self, n: int) -> InteractionHandle:
        w = self.world
        return await w.fake.invoke(
            "resources show",
            {"topic": self.topics[n % len(self.topics)]},
            user_id=w.members[n % len(w.members)],
            guild_id=w.guild_id,
        )

    async def resources_search(self, n: int) -> InteractionHandle:
        w = self.world
        return await w.fake.invoke(
            "resources search",
            {"query": QUERIES[n % len(QUERIES)]},
            user_id=w.members[n % len(w.members)],
            guild_id=w.guild_id,
        )

    async def open_checkins(self, count: int) -> list[InteractionHandle]:
        """Open `count` check-in forms at once (not measured), for members who have not checked in yet."""
        w = self.world
        handles = [
            await w.fake.invoke("checkin", user_id=next(self._fresh), guild_id=w.guild_id)
            for _ in range(count)
        ]
        await asyncio.gather(*(h.modal(TIMEOUT) for h in handles))
        # A person takes seconds to fill in the form; the bot registers each form when it hears back from
        # its own callback, so give it that moment (not measured), longer for a bigger batch.
        await asyncio.sleep(max(0.02, FORM_FILL_SECONDS * count / 50))
        return handles

    async def checkin_batch(self, size: int) -> list[float]:
        """Submit `size` check-ins at once (forms opened first, not measured); each a member's first."""
        opened = await self.open_checkins(size)
        handles = [await h.submit_modal(CHECKIN_ANSWER) for h in opened]
        await asyncio.gather(*(h.response(TIMEOUT) for h in handles))
        return [_latency_ms(h.record) for h in handles]


def command_batches(kindred: Kindred, makers: dict[str, Make], size: int) -> dict[str, Batch]:
    """One batch maker per kindred command, batches of `size`."""

    def of(make: Make) -> Batch:
        async def run(n: int) -> list[float]:
            return await batch(make, n * size, size)

        return run

    async def checkins(_n: int) -> list[float]:
        return await kindred.checkin_batch(size)

    return {**{name: of(make) for name, make in makers.items()}, "check-in submit": checkins}


def ping_batches(ping: Make, size: int, counter: itertools.count[int]) -> Batch:
    """The bare bot's batches of `size` /ping, numbered on from `counter` (fresh members each time)."""

    async def run(_n: int) -> list[float]:
        return await batch(ping, next(counter) * size, size)

    return run


async def run(workdir: Path, *, serial: int, concurrent_rounds: int, concurrency: int = 50) -> list[Figure]:
    """Measure p50/p99 for kindred's commands and the bare bot's /ping at 1 and `concurrency`."""
    needed = 10 + serial + concurrent_rounds * concurrency + concurrency
    async with FakeDiscord() as kin_fake, FakeDiscord() as bare_fake:
        kin = build_world(kin_fake, needed)
        bare = build_world(bare_fake, needed)
        await sync_commands(kin_fake, workdir / "sync")
        env = {"KINDRED_SECRET_KEY": SECRET}
        async with (
            running_bot(kin_fake, workdir / "kindred", env=env) as kin_bot,
            running_bot(bare_fake, workdir / "bare", module=BARE_BOT) as bare_bot,
        ):
            await wait_for_log(kin_bot, "ready as", 30)
            await wait_for_log(bare_bot, "bare ready", 30)
            kindred = Kindred(kin)

            async def ping(n: int) -> InteractionHandle:
                return await bare_fake.invoke(
                    "ping", user_id=bare.members[n % len(bare.members)], guild_id=bare.guild_id
                )

            makers: dict[str, Make] = {
                "/crisis": kindred.crisis,
                "/resources show": kindred.resources_show,
                "/resources search": kindred.resources_search,
            }
            # The fakes live in this process: their garbage collection must not add pauses to the bots'
            # figures (the bots' own collections stay in: they are part of what is measured).
            gc.collect()
            gc.freeze()
            gc.disable()
            # Warm-up (first-use costs such as the first FTS query), not measured.
            await measure(ping, 10, 1)
            for make in makers.values():
                await measure(make, 10, 1)
            for _ in range(5):
                await kindred.checkin_batch(1)
            results: dict[tuple[str, int], list[float]] = {}
            counter = itertools.count()
            for level in (1, concurrency):
                rounds = serial if level == 1 else concurrent_rounds
                pooled: list[float] = []
                for name, kindred_batch in command_batches(kindred, makers, level).items():
                    bare_ms, results[(name, level)] = await interleaved(
                        ping_batches(ping, level, counter), kindred_batch, rounds
                    )
                    pooled += bare_ms
                results[("bare /ping", level)] = pooled
            gc.enable()
            late = len(kin_fake.late_interactions) + len(bare_fake.late_interactions)
    return figures(results, concurrency, late)


def figures(results: dict[tuple[str, int], list[float]], concurrency: int, late: int) -> list[Figure]:
    """Turn latencies into p50/p99 figures with the 1.1x-of-bare target on p99."""
    out: list[Figure] = []
    for level in (1, concurrency):
        section = f"1. Interaction latency, {level} concurrent"
        bare = results[("bare /ping", level)]
        bare_p99 = percentile(bare, 99)
        limit = TARGET_RATIO * bare_p99
        out.append(Figure(section, "bare discord.py /ping p50", median(bare), "ms", note=f"n={len(bare)}"))
        out.append(Figure(section, "bare discord.py /ping p99", bare_p99, "ms"))
        for name in ("/crisis", "/resources show", "/resources search", "check-in submit"):
            values = results[(name, level)]
            p99 = percentile(values, 99)
            out.append(Figure(section, f"kindred {name} p50", median(values), "ms", note=f"n={len(values)}"))
            out.append(
                Figure(
                    section,
                    f"kindred {name} p99",
                    p99,
                    "ms",
                    f"<= {fmt(limit)} ms ({TARGET_RATIO}x bare)",
                    p99 <= limit,
                    note=f"{p99 / bare_p99:.2f}x bare",
                    ratio=p99 / bare_p99,
                )
            )
    out.append(
        Figure(
            "1. Interaction latency", "interactions answered after the 3 s deadline", late, "", "0", late == 0
        )
    )
    return out
