"""Benchmark 4: memory and start-up with 100 guilds of 100 members (no privileged intents).

Times are from spawning the process to (a) the fake sending READY and every GUILD_CREATE, i.e. the
bot can take interactions, and (b) discord.py's `on_ready` ("ready as" in kindred's log), which
discord.py fires only after 2 s without a further GUILD_CREATE (`guild_ready_timeout`). RSS is read
from /proc/<pid>/status after `on_ready` and a short settle, for kindred and for the bare bot.
"""

from __future__ import annotations

import asyncio
import compileall
import time
from pathlib import Path

from benchmarks.common import BARE_BOT, REPO_ROOT, SECRET, Figure, median, rss_kib, wait_for_log
from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess

SETTLE_SECONDS = 3.0
#: Byte-compiled before timing, as the Docker image does at build (`python -m compileall bot cogs`):
#: with PYTHONDONTWRITEBYTECODE set, every start would otherwise compile kindred from source,
#: while discord.py's bytecode (the bare bot's) comes with its wheel install.
COMPILED = ("bot", "cogs", "fakediscord", "benchmarks")


def byte_compile() -> None:
    """Write __pycache__ for kindred's packages (what the image ships), so starts read bytecode."""
    for name in COMPILED:
        compileall.compile_dir(str(REPO_ROOT / name), quiet=1)


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


READY_GOAL_S = 1.0
RSS_GOAL_RATIO = 1.3


async def run(workdir: Path, *, guilds: int, members: int, repeats: int) -> list[Figure]:
    """kindred on a fresh database once, then `repeats` starts of kindred and the bare bot, alternating."""
    byte_compile()
    async with FakeDiscord() as fake:
        build(fake, guilds, members)
        first = await start_once(fake, workdir / "kindred", module=None, ready_line="ready as")
        again: list[tuple[float, float, int, int]] = []
        bare: list[tuple[float, float, int, int]] = []
        for _ in range(repeats):  # alternating, so both meet the same moments of a shared machine
            again.append(await start_once(fake, workdir / "kindred", module=None, ready_line="ready as"))
            bare.append(await start_once(fake, workdir / "bare", module=BARE_BOT, ready_line="bare ready"))
    section = f"4. Memory and start-up ({guilds} guilds x {members} members, no privileged intents)"
    rss = median([r[2] for r in again]) / 1024
    bare_rss = median([r[2] for r in bare]) / 1024
    ready = median([r[0] for r in again])
    bare_ready = median([r[0] for r in bare])
    rss_ratio = rss / bare_rss
    return [
        Figure(
            section,
            "kindred RSS after READY",
            rss,
            "MiB",
            f"<= {RSS_GOAL_RATIO}x bare",
            rss_ratio <= RSS_GOAL_RATIO,
            note=f"{rss_ratio:.2f}x bare; peak {median([r[3] for r in again]) / 1024:.1f} MiB; "
            f"median of {repeats} starts",
            ratio=rss_ratio,
        ),
        Figure(section, "bare discord.py bot RSS after READY", bare_rss, "MiB", note="reference, same run"),
        Figure(
            section,
            "kindred start to READY (existing database)",
            ready,
            "s",
            f"<= {READY_GOAL_S:.1f} s",
            ready <= READY_GOAL_S,
            note=f"{ready / bare_ready:.2f}x bare; process spawn to READY + all GUILD_CREATEs sent; "
            "interactions are served from here",
            ratio=ready / bare_ready,
        ),
        Figure(
            section,
            "kindred start to on_ready (existing database)",
            median([r[1] for r in again]),
            "s",
            note="includes discord.py's fixed 2 s guild_ready_timeout",
        ),
        Figure(section, "kindred start to READY (fresh database: migrations, search index)", first[0], "s"),
        Figure(
            section,
            "bare discord.py bot start to READY",
            bare_ready,
            "s",
            note=f"reference, same run, median of {repeats}",
        ),
    ]
