"""The bot's shard bookkeeping without a gateway: the heartbeat, owns_guild and /admin status's figures.

discord.py dispatches on_shard_connect / on_shard_resumed / on_shard_disconnect per shard; the
heartbeat file (what `python -m bot health` reads) may be written only while every shard this
process runs is connected.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.app import KindredBot
from bot.config import settings_from
from bot.heartbeat import check_health, last_beat
from bot.startup import Content, build_bot, load_content

SECRET = "unit-test-secret-key-0123456789abcdef"


def connected(bot: KindredBot) -> bool:
    """Read afresh each time (a property mypy would otherwise narrow between asserts)."""
    return bot.gateway_connected


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    settings = settings_from(
        {"KINDRED_DB_PATH": str(tmp_path_factory.mktemp("c") / "k.db")}, require_token=False
    )
    loaded, problems = load_content(settings)
    assert loaded is not None, problems
    return loaded


@pytest.fixture
async def make_bot(tmp_path: Path, content: Content) -> AsyncIterator[Callable[[str | None], KindredBot]]:
    made: list[KindredBot] = []

    def make(shards: str | None) -> KindredBot:
        env = {"DISCORD_TOKEN": "unit.test.token", "KINDRED_DB_PATH": str(tmp_path / "k.db")}
        env["KINDRED_SECRET_KEY"] = SECRET
        if shards is not None:
            env["KINDRED_SHARDS"] = shards
        bot = build_bot(settings_from(env), content)
        made.append(bot)
        return bot

    yield make
    for bot in made:
        await bot.db.close()


async def test_the_heartbeat_waits_for_every_shard_of_the_process(
    make_bot: Callable[[str | None], KindredBot],
) -> None:
    bot = make_bot("2-3/4")
    path = bot.settings.heartbeat_path
    assert path.name == "kindred-shards-2,3-of-4.heartbeat"
    assert bot.expected_shards == {2, 3}
    await bot.on_shard_connect(2)
    assert not connected(bot) and not path.exists()  # shard 3 is not connected yet
    await bot.on_shard_connect(3)
    assert connected(bot) and last_beat(path) is not None
    path.unlink()
    await bot.on_shard_disconnect(3)
    await bot._mark_connected()  # what the 20 s beat loop does
    assert not path.exists(), "one shard down: no beat, so health fails after KINDRED_HEALTH_MAX_AGE"
    await bot.on_shard_resumed(3)
    ok, reason = check_health(path, bot.clock(), bot.settings.health_max_age)
    assert ok, reason


async def test_unsharded_expects_every_shard_discord_recommended(
    make_bot: Callable[[str | None], KindredBot],
) -> None:
    bot = make_bot(None)
    assert bot.settings.heartbeat_path.name == "kindred.heartbeat"
    await bot.on_shard_connect(0)
    assert not connected(bot)  # discord.py has not asked GET /gateway/bot for the count yet
    bot.shard_count = 2  # what AutoShardedClient.launch_shards sets from the recommendation
    await bot.on_shard_connect(0)
    assert not connected(bot)
    await bot.on_shard_connect(1)
    assert connected(bot) and bot.settings.heartbeat_path.exists()
    assert bot.owns_guild(1 << 22) and bot.owns_guild(2 << 22)  # one process: every guild is its own
    assert bot.shard_status(3 << 22) == (1, 2, "0,1")
    assert bot.shard_status(None) == (0, 2, "0,1")


async def test_owns_guild_and_status_follow_the_configured_range(
    make_bot: Callable[[str | None], KindredBot],
) -> None:
    bot = make_bot("0-2/8")
    assert [bot.owns_guild((n << 22) + 99) for n in range(10)] == [n % 8 <= 2 for n in range(10)]
    assert bot.shard_status((6 << 22) + 1) == (6, 8, "0-2")  # a guild of another process (DM flows)
    assert bot.shard_status((9 << 22) + 1) == (1, 8, "0-2")
    assert bot.shard_status(None) == (0, 8, "0-2")
    assert bot.shard_ids == [0, 1, 2] and bot.shard_count == 8  # what discord.py will launch
