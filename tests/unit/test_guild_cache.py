"""The per-guild cache on its own: hits, invalidation per guild and overall, and loads racing changes."""

import asyncio
import re
from pathlib import Path

import pytest

from bot.store.guild_cache import GuildCache


class Source:
    """A stand-in for the database: a value per guild, and a count of reads."""

    def __init__(self) -> None:
        self.values: dict[int, str] = {1: "a", 2: "b"}
        self.reads = 0
        self.gate: asyncio.Event | None = None

    async def load(self, guild_id: int) -> str:
        self.reads += 1
        value = self.values[guild_id]  # read at the start, as a database snapshot would be
        if self.gate is not None:
            await self.gate.wait()
        return value


async def test_a_second_read_is_served_from_memory() -> None:
    cache, source = GuildCache(), Source()
    assert await cache.get(1, "k", lambda: source.load(1)) == "a"
    assert await cache.get(1, "k", lambda: source.load(1)) == "a"
    assert source.reads == 1
    assert (cache.hits, cache.loads) == (1, 1)


async def test_a_change_forgets_that_guild_only() -> None:
    cache, source = GuildCache(), Source()
    await cache.get(1, "k", lambda: source.load(1))
    await cache.get(2, "k", lambda: source.load(2))
    async with cache.changing(1):
        source.values[1] = "a2"
    assert await cache.get(1, "k", lambda: source.load(1)) == "a2"
    assert await cache.get(2, "k", lambda: source.load(2)) == "b"
    assert source.reads == 3


async def test_a_failed_change_still_forgets() -> None:
    cache, source = GuildCache(), Source()
    await cache.get(1, "k", lambda: source.load(1))
    with pytest.raises(RuntimeError):
        async with cache.changing(1):
            source.values[1] = "half-written"
            raise RuntimeError("the commit failed")
    assert await cache.get(1, "k", lambda: source.load(1)) == "half-written"


async def test_a_change_to_every_guild_clears_all() -> None:
    cache, source = GuildCache(), Source()
    await cache.get(1, "k", lambda: source.load(1))
    await cache.get(2, "k", lambda: source.load(2))
    async with cache.changing(None):
        source.values = {1: "x", 2: "y"}
    assert await cache.get(1, "k", lambda: source.load(1)) == "x"
    assert await cache.get(2, "k", lambda: source.load(2)) == "y"
    assert len(cache) == 2


async def test_a_load_that_raced_a_change_is_returned_but_not_kept() -> None:
    cache, source = GuildCache(), Source()
    source.gate = asyncio.Event()
    slow = asyncio.create_task(cache.get(1, "k", lambda: source.load(1)))
    await asyncio.sleep(0)  # the load has read the old value and waits
    async with cache.changing(1):
        source.values[1] = "new"
    source.gate.set()
    assert await slow == "a"  # what it read before the change
    source.gate = None
    assert await cache.get(1, "k", lambda: source.load(1)) == "new"  # but it was not cached


async def test_a_load_that_raced_a_clear_is_not_kept() -> None:
    cache, source = GuildCache(), Source()
    source.gate = asyncio.Event()
    slow = asyncio.create_task(cache.get(1, "k", lambda: source.load(1)))
    await asyncio.sleep(0)
    cache.clear()
    source.values[1] = "migrated"
    source.gate.set()
    await slow
    source.gate = None
    assert await cache.get(1, "k", lambda: source.load(1)) == "migrated"


async def test_errors_are_not_cached() -> None:
    cache, source = GuildCache(), Source()

    async def broken() -> str:
        raise OSError("disk")

    with pytest.raises(OSError):
        await cache.get(1, "k", broken)
    assert await cache.get(1, "k", lambda: source.load(1)) == "a"


async def test_keys_of_one_guild_are_independent() -> None:
    cache, source = GuildCache(), Source()
    await cache.get(1, "settings", lambda: source.load(1))
    source.values[1] = "other"
    assert await cache.get(1, ("topics", "en"), lambda: source.load(1)) == "other"
    assert await cache.get(1, "settings", lambda: source.load(1)) == "a"


CACHED_TABLES = ("guild_settings", "resource_overlay", "guild_topics")
#: The modules whose writes to the cached tables run inside `db.guilds.changing(...)`.
CHANGE_MODULES = {"bot/store/guilds.py", "bot/store/overlay.py", "bot/store/resources.py"}


def test_only_the_change_modules_write_the_cached_tables() -> None:
    """A write to a cached table anywhere else would leave the cache stale: it must go through them."""
    repo = Path(__file__).resolve().parents[2]
    write = re.compile(
        r"(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+("
        + "|".join(CACHED_TABLES)
        + r")\b",
        re.IGNORECASE,
    )
    writers = {
        str(path.relative_to(repo))
        for package in ("bot", "cogs")
        for path in (repo / package).rglob("*.py")
        if write.search(path.read_text(encoding="utf-8"))
    }
    assert {"bot/store/guilds.py", "bot/store/overlay.py"} <= writers  # the scan does see writes
    assert writers <= CHANGE_MODULES, sorted(writers - CHANGE_MODULES)
    for name in CHANGE_MODULES & writers:
        assert "db.guilds.changing(" in (repo / name).read_text(encoding="utf-8"), name
