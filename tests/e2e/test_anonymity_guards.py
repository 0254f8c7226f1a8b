"""Issue 11 end to end: logs at DEBUG, the key check, timezone changes and the share-delay floor."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from pathlib import Path

import asyncpg
import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot
from fakediscord.interactions import Channel
from tests.backends import database_url, postgres_only, sqlite_only, store_env
from tests.dbview import rows
from tests.e2e.conftest import Lab, sync_commands
from tests.e2e.messages import text_of
from tests.e2e.test_checkins import check_in
from tests.e2e.test_share import setup_sharing, share

pytestmark = pytest.mark.e2e
SECRET_TEXT = "purple-elephant-sentence about my advisor"


async def test_debug_logs_carry_no_share_text_answer_or_user_id(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    await sync_commands(fake, tmp_path / "sync")
    async with running_bot(fake, tmp_path, env={**bot_env, "KINDRED_LOG_LEVEL": "DEBUG"}) as bot:
        await setup_sharing(fake, lab)
        assert "Shared anonymously" in text_of(await share(fake, lab, SECRET_TEXT))
        assert "Thank you" in await check_in(fake, lab, lab.member)
        log = bot.logs()
    assert "DEBUG" in log  # the level really was DEBUG
    assert "purple-elephant" not in log
    assert str(lab.member) not in log
    assert "sudden-money" not in log  # the topic the member picked


async def check_in_at_once(fake: FakeDiscord, lab: Lab, members: list[int]) -> list[str]:
    """Every member opens the form, then all submit at the same moment; their replies."""
    modals = []
    for member_id in members:  # opened one by one: the bot registers each form after answering
        handle = await fake.invoke(
            "checkin", user_id=member_id, guild_id=lab.guild_id, channel_id=lab.general
        )
        modals.append(await handle.modal())
    submitted = await asyncio.gather(
        *(
            fake.submit_modal(
                modal["custom_id"], {"mood": ["2"], "energy": ["3"], "topics": ["sudden-money"]}, user_id=m
            )
            for modal, m in zip(modals, members, strict=True)
        )
    )
    return [text_of(await s.wait_message()) for s in submitted]


@sqlite_only
async def test_a_burst_of_check_ins_and_a_refused_batch_log_nothing_identifying(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    """Issue 19: check-ins written in batches, one batch refused (answers file locked); DEBUG logs."""
    members = []
    for n in range(12):
        user = fake.add_user(f"burst-{n}", locale="en-GB")
        fake.add_member(lab.guild_id, user.id)
        members.append(user.id)
    await sync_commands(fake, tmp_path / "sync")
    async with running_bot(fake, tmp_path, env={**bot_env, "KINDRED_LOG_LEVEL": "DEBUG"}) as bot:
        first = await check_in_at_once(fake, lab, members[:6])
        assert all("Thank you" in reply for reply in first), first
        holder = sqlite3.connect(bot.db_path.with_name(bot.db_path.name + "-answers"), timeout=0)
        holder.isolation_level = None
        holder.execute("BEGIN IMMEDIATE")  # another program holds the answers file: the batch can't land
        try:
            refused = await check_in_at_once(fake, lab, members[6:])
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert all("can't reach its storage" in reply for reply in refused), refused
        again = await check_in_at_once(fake, lab, members[6:])
        assert all("Thank you" in reply for reply in again), again  # their receipts were taken back
        log = bot.logs()
    assert "DEBUG" in log
    for member_id in members:
        assert str(member_id) not in log
    assert "sudden-money" not in log
    with sqlite3.connect(bot.db_path.with_name(bot.db_path.name + "-answers")) as answers:
        assert answers.execute("SELECT count(*) FROM open_checkins").fetchone()[0] == 12
    with sqlite3.connect(bot.db_path.with_name(bot.db_path.name + "-receipts")) as receipts:
        assert receipts.execute("SELECT count(*) FROM receipts").fetchone()[0] == 12
        assert receipts.execute("SELECT count(*) FROM pending_receipts").fetchone()[0] == 0


@postgres_only
async def test_on_postgres_a_burst_and_a_refused_one_log_nothing_and_pair_nothing(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    """The same burst on PostgreSQL: a refused one (receipts locked by another program), DEBUG logs."""
    members = []
    for n in range(12):
        user = fake.add_user(f"burst-{n}", locale="en-GB")
        fake.add_member(lab.guild_id, user.id)
        members.append(user.id)
    await sync_commands(fake, tmp_path / "sync")
    async with running_bot(fake, tmp_path, env={**bot_env, "KINDRED_LOG_LEVEL": "DEBUG"}) as bot:
        first = await check_in_at_once(fake, lab, members[:6])
        assert all("Thank you" in reply for reply in first), first
        holder = await asyncpg.connect(database_url(bot.db_path))
        try:
            await holder.execute("BEGIN")
            await holder.execute("LOCK TABLE receipts IN EXCLUSIVE MODE")  # no receipt can be written
            refused = await check_in_at_once(fake, lab, members[6:])
            await holder.execute("ROLLBACK")
        finally:
            await holder.close()
        assert all("can't reach its storage" in reply for reply in refused), refused
        again = await check_in_at_once(fake, lab, members[6:])
        assert all("Thank you" in reply for reply in again), again  # nothing was counted the first time
        log = bot.logs()
    assert "DEBUG" in log
    for member_id in members:
        assert str(member_id) not in log
    assert "sudden-money" not in log
    assert rows(bot.db_path, "SELECT count(*) FROM receipts") == [(12,)]
    # The default k is 5: answers went in batches of at least five, each in a transaction of its
    # own; fewer than five may still wait (a clean stop sealed them beside the heartbeat, never
    # into the database).
    answers = rows(bot.db_path, "SELECT xmin::text FROM open_checkins")
    assert all(size >= 5 for size in Counter(x for (x,) in answers).values())
    waiting = 12 - len(answers)
    assert 0 <= waiting < 5
    receipt_xmins = {x for (x,) in rows(bot.db_path, "SELECT xmin::text FROM receipts")}
    assert not receipt_xmins & {x for (x,) in answers}
    assert bool(list(tmp_path.glob("kindred-held-checkins*.sealed"))) == (waiting > 0)


async def test_unsafe_debug_switch_warns_loudly(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    env = {**bot_env, "KINDRED_LOG_LEVEL": "DEBUG", "KINDRED_UNSAFE_DEBUG_LOGS": "1"}
    async with running_bot(fake, tmp_path, env=env) as bot:
        assert "KINDRED_UNSAFE_DEBUG_LOGS is set" in bot.logs()


async def test_a_database_sealed_under_another_key_is_refused(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    async with running_bot(fake, tmp_path, env=bot_env):
        pass
    other = {**bot_env, "KINDRED_SECRET_KEY": "another-key-entirely-" + "y" * 32}
    refused = BotProcess(fake, tmp_path, env=other)
    await refused.start()
    assert await refused.wait(30) == 2
    assert "sealed under another secret key" in refused.logs()
    accepted = {**other, "KINDRED_ACCEPT_NEW_KEY": "1"}
    async with running_bot(fake, tmp_path, env=accepted) as bot:
        assert "now belongs to a new secret key" in bot.logs()


async def test_generated_key_is_kept_outside_the_data_folder_and_files_are_private(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    env = {k: v for k, v in bot_env.items() if k != "KINDRED_SECRET_KEY"}
    data = tmp_path / "data"
    async with running_bot(fake, tmp_path, env={**env, "KINDRED_DB_PATH": str(data / "kindred.sqlite3")}):
        assert "Thank you" in await check_in(fake, lab, lab.member)
    keys = list((tmp_path / "config" / "kindred").glob("*.key"))
    assert len(keys) == 1 and keys[0].stat().st_mode & 0o777 == 0o600
    assert not list(data.glob("*.key"))
    for path in data.glob("kindred.sqlite3*"):
        assert path.stat().st_mode & 0o077 == 0, path.name


async def test_a_timezone_change_waits_for_next_week_and_is_announced(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    handle = await fake.invoke(
        "admin setup",
        {"alerts_channel": Channel(lab.alerts), "timezone": "Pacific/Kiritimati"},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    reply = text_of(await handle.wait_message())
    assert "changes from UTC to Pacific/Kiritimati" in reply
    await fake.wait_until(
        lambda: any("Pacific/Kiritimati" in text_of(m) for m in fake.messages(lab.alerts)),
        10,
        description="the timezone announcement in the alerts channel",
    )
    assert rows(kindred.db_path, "SELECT timezone, timezone_next FROM guild_settings") == [
        ("UTC", "Pacific/Kiritimati")
    ]
    back = await fake.invoke("admin setup", {"timezone": "UTC"}, user_id=lab.owner, guild_id=lab.guild_id)
    assert "changes from" not in text_of(
        await back.wait_message()
    )  # back to the one in force: nothing pending


async def test_moderators_cannot_go_below_the_share_delay_floor(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    env = {k: v for k, v in bot_env.items() if k != "KINDRED_MIN_SHARE_DELAY_MINUTES"}  # the default, 2
    await sync_commands(fake, tmp_path / "sync")
    async with running_bot(fake, tmp_path, env=env):
        handle = await fake.invoke(
            "admin setup",
            {"peer_channel": Channel(lab.peer), "alerts_channel": Channel(lab.alerts), "share_delay": 0},
            user_id=lab.owner,
            guild_id=lab.guild_id,
        )
        assert "at least 2 minutes" in text_of(await handle.wait_message())
        await setup_sharing(fake, lab, share_delay=5)
        reply = text_of(await share(fake, lab, "Timing should not point to me."))
        assert "within about 5 minutes" in reply
        assert fake.messages(lab.peer) == []


async def test_rotate_key_reseals_subscriptions_so_they_still_work(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    env = {k: v for k, v in bot_env.items() if k != "KINDRED_SECRET_KEY"}  # the generated key file
    await sync_commands(fake, tmp_path / "sync")
    async with running_bot(fake, tmp_path, env=env):
        handle = await fake.invoke(
            "subscribe",
            {"kind": "prompt", "day": "friday", "time": "16:00", "timezone": "Europe/London"},
            user_id=lab.member,
            guild_id=lab.guild_id,
        )
        assert "Done" in text_of(await handle.wait_message())
    [key_file] = (tmp_path / "config" / "kindred").glob("*.key")
    old_key = key_file.read_text()
    unconfirmed = BotProcess(
        fake,
        tmp_path / "cli",
        args=["rotate-key"],
        env={
            **env,
            "KINDRED_DB_PATH": str(tmp_path / "kindred.sqlite3"),
            **store_env(tmp_path / "kindred.sqlite3"),  # the bot's database, on either backend
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        },
    )
    await unconfirmed.start()
    assert await unconfirmed.wait(30) == 2 and "--yes" in unconfirmed.logs()
    rotate = BotProcess(
        fake,
        tmp_path / "cli2",
        args=["rotate-key", "--yes"],
        env={
            **env,
            "KINDRED_DB_PATH": str(tmp_path / "kindred.sqlite3"),
            **store_env(tmp_path / "kindred.sqlite3"),  # the bot's database, on either backend
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        },
    )
    await rotate.start()
    assert await rotate.wait(30) == 0, rotate.logs()
    assert "1 subscriptions re-sealed" in rotate.logs()
    assert key_file.read_text() != old_key and key_file.stat().st_mode & 0o777 == 0o600
    async with running_bot(fake, tmp_path, env=env):
        show = await fake.invoke("privacy show", user_id=lab.member, guild_id=lab.guild_id)
        assert "Friday 16:00 (Europe/London)" in text_of(await show.wait_message())
