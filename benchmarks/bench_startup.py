"""Benchmark 4: memory and start-up with 100 guilds of 100 members (no privileged intents).

Times are from spawning the process to (a) the fake sending READY and every GUILD_CREATE, i.e. the
bot can take interactions, and (b) discord.py's `on_ready` ("ready as" in kindred's log), which
discord.py fires only after 2 s without a further GUILD_CREATE (`guild_ready_timeout`). RSS is read
from /proc/<pid>/status after `on_ready` and a short settle, for kindred and for the bare bot.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from benchmarks.common import BARE_BOT, SECRET, Figure, median, rss_kib, wait_for_log
from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess

TARGET_MIB = 80.0
SETTLE_SECONDS = 3.0


def build(fake: FakeDiscord, guilds: int, members: int) -> None:
    """`guilds` guilds, each with three text channels and `members` members (including its owner)."""
    for g in range(guilds):
        owner = fake.add_user(f"pi-{g}")
        guild = fake.add_guild(f"Lab {g}", owner_id=owner.id)
        for name in ("general", "peer-support", "prompts"):
            fake.add_text_channel(guild.id, name)
        for m in range(members - 1):
            user = fake.add_user(f"member-{g}-{m}")
            fake.add_member(guild.id, user.id)


async def start_once(
    fake: FakeDiscord, folder: Path, *, module: str | None, ready_line: str
) -> tuple[float, float, int, int]:
    """Start a bot; return (s to READY sent, s to on_ready, RSS KiB, peak RSS KiB); then stop it."""
    bot = BotProcess(fake, folder, env={"KINDRED_SECRET_KEY": SECRET}, module=module)
    since = len(bot.logs())  # the log file is appended to across restarts in one folder
    started = time.monotonic()
    await bot.start()
    try:
        await bot.wait_ready(60)
        connected = time.monotonic()
        on_ready = await wait_for_log(bot, ready_line, 60, since=since)
        await asyncio.sleep(SETTLE_SECONDS)
        if bot.pid is None:  # pragma: no cover - started above
            raise RuntimeError("no pid")
        rss, hwm = rss_kib(bot.pid)
    finally:
        await bot.stop()
    return connected - started, on_ready - started, rss, hwm


async def run(workdir: Path, *, guilds: int, members: int, repeats: int) -> list[Figure]:
    """Start kindred on a fresh database, then `repeats` times on the existing one; then the bare bot."""
    async with FakeDiscord() as fake:
        build(fake, guilds, members)
        first = await start_once(fake, workdir / "kindred", module=None, ready_line="ready as")
        again = [
            await start_once(fake, workdir / "kindred", module=None, ready_line="ready as")
            for _ in range(repeats)
        ]
        bare = await start_once(fake, workdir / "bare", module=BARE_BOT, ready_line="bare ready")
    section = f"4. Memory and start-up ({guilds} guilds x {members} members, no privileged intents)"
    rss = median([r[2] for r in again]) / 1024
    return [
        Figure(
            section,
            "kindred RSS after READY",
            rss,
            "MiB",
            f"<= {TARGET_MIB:.0f} MiB",
            rss <= TARGET_MIB,
            note=f"peak {median([r[3] for r in again]) / 1024:.1f} MiB; median of {repeats} starts",
        ),
        Figure(section, "bare discord.py bot RSS after READY", bare[2] / 1024, "MiB", note="reference"),
        Figure(
            section,
            "kindred start to READY (existing database)",
            median([r[0] for r in again]),
            "s",
            note="process spawn to READY + all GUILD_CREATEs sent; interactions are served from here",
        ),
        Figure(
            section,
            "kindred start to on_ready (existing database)",
            median([r[1] for r in again]),
            "s",
            note="includes discord.py's fixed 2 s guild_ready_timeout",
        ),
        Figure(section, "kindred start to READY (fresh database: migrations, search index)", first[0], "s"),
        Figure(section, "bare discord.py bot start to READY", bare[0], "s", note="reference"),
    ]
