"""Issue 21: two real kindred processes on shards 0/2 and 1/2, one fake Discord, one database.

Each process gets only its shard's guild (READY, GUILD_CREATE, interactions), both answer
commands, /admin status names the right shard, and every weekly DM goes out exactly once, sent
by the process of its guild's shard (the DM names the guild, which only that process has).

The database is whatever the other e2e tests use (`bot_env`, and the harness's default SQLite
file, here shared by both processes), so a PostgreSQL run needs no change here.
"""

from __future__ import annotations

import asyncio
import sys
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import REPO_ROOT, BotProcess, running_bot
from tests.e2e.conftest import sync_commands
from tests.e2e.messages import text_of
from tests.e2e.timing import slot_a_minute_ago

pytestmark = pytest.mark.e2e

SHARDS = 2
MODAL = 9  # the interaction callback that opens a form
MISSING_ACCESS = {"message": "Missing Access", "code": 50001}  # a refusal kindred retries next pass


@dataclass(frozen=True)
class ShardLab:
    """A lab guild placed on one shard, with its owner (a moderator) and two members."""

    shard: int
    guild_id: int
    name: str
    owner: int
    members: tuple[int, int]


def shard_lab(fake: FakeDiscord, shard: int) -> ShardLab:
    name = f"Lab on shard {shard}"
    owner = fake.add_user(f"pi-{shard}", locale="en-GB")
    guild = fake.add_guild(name, owner_id=owner.id, shard=(shard, SHARDS))
    fake.add_text_channel(guild.id, "general")
    members = []
    for n in range(2):
        user = fake.add_user(f"member-{shard}-{n}", locale="zh-CN" if n else "en-GB")
        fake.add_member(guild.id, user.id)
        members.append(user.id)
    return ShardLab(shard, guild.id, name, owner.id, (members[0], members[1]))


async def health(bot: BotProcess) -> tuple[int, str]:
    """`python -m bot health` with the process's own environment: (exit status, what it printed)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "health",
        cwd=REPO_ROOT,
        env=bot.env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return await proc.wait(), out.decode()


def logged(bot: BotProcess, text: str) -> bool:
    return text in bot.logs()


def guild_creates(fake: FakeDiscord, shard: int) -> list[int]:
    return [
        int(d.data["id"])
        for d in fake.gateway.dispatched
        if d.event == "GUILD_CREATE" and d.shard[0] == shard
    ]


async def test_two_processes_split_the_guilds_and_send_each_dm_once(
    tmp_path: Path, bot_env: dict[str, str]
) -> None:
    async with FakeDiscord(shards=SHARDS) as fake:
        labs = [shard_lab(fake, shard) for shard in range(SHARDS)]
        zero, one = labs
        await sync_commands(fake, tmp_path / "sync")
        database = tmp_path / "kindred.sqlite3"  # both processes: one database

        def process(shard: int, folder: str) -> AbstractAsyncContextManager[BotProcess]:
            env = {**bot_env, "KINDRED_SHARDS": f"{shard}/{SHARDS}"}
            return running_bot(fake, tmp_path / folder, env=env, db_path=database, shards=[shard])

        # One after the other, as an operator's rollout would: the first runs the migrations.
        async with process(0, "shard-0") as first:
            async with process(1, "shard-1") as second:
                assert first.db_path == second.db_path
                # Each process identified as its own shard and was sent only its own guild.
                identifies = sorted(s.identify["shard"] for s in fake.gateway.sessions)
                assert identifies == [[0, SHARDS], [1, SHARDS]]
                assert [guild_creates(fake, s) for s in range(SHARDS)] == [[lab.guild_id] for lab in labs]
                for bot, lab in ((first, zero), (second, one)):
                    await fake.wait_until(partial(logged, bot, "ready as"), 15, description="on_ready")
                    assert f"in 1 guilds on shards {lab.shard}/{SHARDS}" in bot.logs()
                    # Its own heartbeat file beside the shared database, read by its own `health`.
                    beat = database.with_name(f"kindred-shards-{lab.shard}-of-{SHARDS}.heartbeat")
                    await fake.wait_until(beat.exists, 10, description="the heartbeat")
                    code, said = await health(bot)
                    assert code == 0 and "healthy: last gateway heartbeat" in said, said
                    assert f"(shards {lab.shard}/{SHARDS})" in said

                # Both answer commands; each guild's interactions reach only its shard's process.
                for lab in labs:
                    crisis = await fake.invoke(
                        "crisis", {"country": "GB"}, user_id=lab.members[0], guild_id=lab.guild_id
                    )
                    assert "116 123" in text_of(await crisis.wait_message())
                for record in fake.gateway.dispatched:
                    if record.event == "INTERACTION_CREATE":
                        lab = next(lab for lab in labs if str(lab.guild_id) == record.data["guild_id"])
                        assert record.shard == (lab.shard, SHARDS)

                # /admin status in each guild names its shard and the process's range, in en and zh.
                for lab in labs:
                    status = await fake.invoke("admin status", user_id=lab.owner, guild_id=lab.guild_id)
                    text = text_of(await status.wait_message())
                    assert f"Shard {lab.shard} of {SHARDS} (this process runs {lab.shard})" in text, text
                    zh = await fake.invoke(
                        "admin status", user_id=lab.owner, guild_id=lab.guild_id, locale="zh-CN"
                    )
                    assert f"共 {SHARDS} 个分片，本服务器在 {lab.shard} 号" in text_of(
                        await zh.wait_message()
                    )

                # Weekly DMs: four members of two guilds, due a minute ago. Discord refuses every
                # DM for now, so they stay due, in the database both processes read.
                refusals = [
                    fake.fail_next(
                        "POST",
                        f"/channels/{fake.dm_channel_id(m)}/messages$",
                        403,
                        MISSING_ACCESS,
                        times=10_000,
                    )
                    for lab in labs
                    for m in lab.members
                ]
                day, time = slot_a_minute_ago()
                for lab in labs:
                    for member in lab.members:
                        subscribed = await fake.invoke(
                            "subscribe",
                            {"kind": "checkin", "day": day, "time": time, "timezone": "UTC"},
                            user_id=member,
                            guild_id=lab.guild_id,
                        )
                        await subscribed.wait_message()
                await fake.wait_until(
                    lambda: all(rule.hits for rule in refusals), 15, description="a first try at every DM"
                )

            # Shard 1's process is gone: its health says so, though shard 0's process still beats.
            assert (await health(second))[0] == 1 and (await health(first))[0] == 0
            # Its members' DMs are due. Discord takes DMs again.
            for rule in refusals:
                rule.remaining = 0
            await fake.wait_until(
                lambda: all(fake.dm_messages(m) for m in zero.members), 15, description="shard 0's DMs"
            )
            await asyncio.sleep(2.0)  # four more passes of shard 0's dispatcher (0.5 s interval)
            assert [len(fake.dm_messages(m)) for m in zero.members] == [1, 1]
            assert [fake.dm_messages(m) for m in one.members] == [[], []], "shard 0 sent shard 1's DMs"

            async with process(1, "shard-1-again") as restarted:
                await fake.wait_until(
                    lambda: all(fake.dm_messages(m) for m in one.members), 15, description="shard 1's DMs"
                )
                await asyncio.sleep(2.0)  # more passes in both processes: nothing is sent twice

                # Every DM interaction arrives on shard 0. A shard 1 member's check-in button and
                # /privacy in the DM are answered by shard 0's process, which asks Discord's REST
                # API for the guild it does not have.
                member = one.members[0]
                [dm] = fake.dm_messages(member)
                before = len(fake.gateway.dispatched)
                pressed = await fake.click(dm, f"kindred:checkin:{one.guild_id}", user_id=member)
                assert (await pressed.response())["type"] == MODAL, text_of(await pressed.wait_message())
                show = await fake.invoke("privacy show", user_id=member)
                shown = text_of(await show.wait_message())
                assert f"in **{one.name}**" in shown, shown
                dm_shards = {
                    d.shard for d in fake.gateway.dispatched[before:] if d.event == "INTERACTION_CREATE"
                }
                assert dm_shards == {(0, SHARDS)}

        for lab in labs:
            for member in lab.members:
                dms = fake.dm_messages(member)
                assert len(dms) == 1, f"a member on shard {lab.shard} got {len(dms)} weekly DMs"
                # Named by the guild's own process: no other process has that guild cached.
                assert lab.name in text_of(dms[0])
        for bot in (first, second, restarted):
            assert bot.returncode == 0
            assert "Traceback" not in bot.logs(), bot.log_tail()
