"""Database faults while the bot runs: locked by another writer, read-only, disk full.

Each fault is real, not simulated inside the bot:
- locked: another process holds SQLite's write lock (BEGIN IMMEDIATE) for longer than busy_timeout;
- read-only while running: `chattr +i` on the database and its WAL, which stops writes even through
  the descriptors the bot opened before, even for root (chmod would not: root ignores it);
- read-only at start: the volume is remounted read-only (a tmpfs), as a read-only Docker volume is;
- disk full: a size-limited tmpfs filled to the last block.
Every case checks: a clear reply, /crisis still answers, nothing half-written, the process keeps
running, and it recovers when the fault clears (without a restart).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fakediscord.fake_discord import FakeDiscord
from tests.reliability.helpers import (
    STORE_UNAVAILABLE,
    SUBSCRIBED,
    UNEXPECTED,
    answer,
    answers_file,
    bounded,
    build_lab,
    check_in,
    count,
    fill_disk,
    kindred,
    not_due,
    receipts_file,
    remount,
    search_hits,
    set_immutable,
    tmpfs,
)

FUTURE = not_due()
CRISIS_GB = "116 123"


@contextlib.contextmanager
def write_lock(db_path: Path) -> Iterator[None]:
    """Another process's transaction holding SQLite's write lock for the block."""
    holder = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def consistent(db_path: Path) -> None:
    """Every counted check-in has its receipt and vice versa: no transaction was half applied."""
    answers = count(answers_file(db_path), "SELECT count(*) FROM open_checkins")
    assert answers == count(receipts_file(db_path), "SELECT count(*) FROM receipts")
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def crisis_answers(fake: FakeDiscord, guild_id: int, user_id: int) -> None:
    text = await answer(fake, "crisis", {"country": "GB"}, user_id=user_id, guild_id=guild_id, timeout=5)
    assert CRISIS_GB in text


@bounded(45)
async def test_locked_by_another_writer(tmp_path: Path, commands: list[dict[str, Any]]) -> None:
    async with FakeDiscord() as fake:
        lab, _ = build_lab(fake)
        async with kindred(fake, tmp_path, commands) as bot:
            assert SUBSCRIBED in (
                await answer(fake, "subscribe", FUTURE, user_id=lab.member, guild_id=lab.guild_id)
            )
            assert "Thank you" in await check_in(fake, lab.guild_id, lab.member)
            with write_lock(bot.db_path):
                blocked = await fake.invoke("subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id)
                await asyncio.sleep(0.2)
                await crisis_answers(fake, lab.guild_id, lab.member)  # even while a write waits
                await fake.wait_until(
                    lambda: "store unavailable during an interaction" in bot.logs(),
                    10,
                    description="the blocked write to give up",
                )
                assert blocked.record.callback is None or STORE_UNAVAILABLE in str(blocked.record.callback)
                assert bot.running
            consistent(bot.db_path)
            assert count(bot.db_path, "SELECT count(*) FROM subscriptions") == 1  # the refused one is absent
            # The fault has cleared: the same request now works, no restart needed.
            assert SUBSCRIBED in (
                await answer(fake, "subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id)
            )
            assert "Thank you" in await check_in(fake, lab.guild_id, lab.other)
            consistent(bot.db_path)


@bounded(45)
async def test_locked_database_answers_every_interaction_in_time(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    async with FakeDiscord() as fake:
        lab, _ = build_lab(fake)
        async with kindred(fake, tmp_path, commands) as bot:
            await check_in(fake, lab.guild_id, lab.member)
            with write_lock(bot.db_path):
                write = await fake.invoke("subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id)
                await asyncio.sleep(0.1)
                read = await fake.invoke(
                    "resources show", {"topic": "compute-gap"}, user_id=lab.member, guild_id=lab.guild_id
                )
                await fake.wait_until(
                    lambda: "store unavailable during an interaction" in bot.logs(),
                    10,
                    description="the blocked write to give up",
                )
                await asyncio.sleep(0.5)
            assert not fake.late_interactions, (
                f"answered after Discord's deadline: {[r.describe() for r in fake.late_interactions]}"
            )
            assert STORE_UNAVAILABLE in str(write.record.callback)
            assert read.record.callback is not None


@bounded(45)
async def test_read_only_file_while_running(tmp_path: Path, commands: list[dict[str, Any]]) -> None:
    async with FakeDiscord() as fake:
        lab, extra = build_lab(fake, extra_members=2)
        async with kindred(fake, tmp_path, commands) as bot:
            assert "Thank you" in await check_in(fake, lab.guild_id, lab.member)
            files = [
                bot.db_path,
                bot.db_path.with_name(bot.db_path.name + "-wal"),
                answers_file(bot.db_path),
                receipts_file(bot.db_path),
            ]  # every file kindred writes
            set_immutable(files, on=True)
            try:
                refused = await check_in(fake, lab.guild_id, lab.other, timeout=5)
                assert STORE_UNAVAILABLE in refused, refused
                refused = await answer(
                    fake, "subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id, timeout=5
                )
                assert STORE_UNAVAILABLE in refused, refused
                await crisis_answers(fake, lab.guild_id, lab.other)
                shown = await answer(
                    fake,
                    "resources show",
                    {"topic": "compute-gap"},
                    user_id=lab.other,
                    guild_id=lab.guild_id,
                    timeout=5,
                )
                assert UNEXPECTED not in shown
                assert not fake.late_interactions
                assert bot.running
            finally:
                set_immutable(files, on=False)
            consistent(bot.db_path)
            assert count(answers_file(bot.db_path), "SELECT count(*) FROM open_checkins") == 1
            assert "Traceback" not in bot.logs()  # refused writes are answered kindly, not with tracebacks
            # Writable again: requests succeed without a restart (see the next test for the first one).
            attempts = [await check_in(fake, lab.guild_id, lab.other) for _ in range(2)]
            assert "Thank you" in attempts[-1], attempts
            assert SUBSCRIBED in await answer(
                fake, "subscribe", FUTURE, user_id=extra[0], guild_id=lab.guild_id
            )
            consistent(bot.db_path)


@bounded(45)
async def test_first_write_after_a_read_only_spell_succeeds(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    async with FakeDiscord() as fake:
        lab, _ = build_lab(fake)
        async with kindred(fake, tmp_path, commands) as bot:
            assert "Thank you" in await check_in(fake, lab.guild_id, lab.member)
            files = [
                bot.db_path,
                bot.db_path.with_name(bot.db_path.name + "-wal"),
                answers_file(bot.db_path),
                receipts_file(bot.db_path),
            ]  # every file kindred writes
            set_immutable(files, on=True)
            try:
                assert STORE_UNAVAILABLE in await check_in(fake, lab.guild_id, lab.other, timeout=5)
                refused = await answer(
                    fake, "subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id, timeout=5
                )  # a failed write drops the main connection...
                assert STORE_UNAVAILABLE in refused, refused
                await answer(
                    fake,
                    "resources show",
                    {"topic": "compute-gap"},
                    user_id=lab.other,
                    guild_id=lab.guild_id,
                    timeout=5,
                )  # ...and a read reopens it during the fault
            finally:
                set_immutable(files, on=False)
            # The first write to each file after the spell succeeds: the main file, then the anonymous ones.
            first = await answer(fake, "subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id)
            assert SUBSCRIBED in first, first
            first = await check_in(fake, lab.guild_id, lab.other)
            assert "Thank you" in first, first


@bounded(45)
async def test_read_only_volume_at_start(tmp_path: Path, commands: list[dict[str, Any]]) -> None:
    with tmpfs(tmp_path / "volume", "32m") as volume:
        env = {
            "KINDRED_DB_PATH": str(volume / "kindred.sqlite3"),
            "KINDRED_HEARTBEAT_PATH": str(tmp_path / "kindred.heartbeat"),
        }
        async with FakeDiscord() as fake:
            lab, _ = build_lab(fake)
            async with kindred(fake, tmp_path / "before", commands, env=env):  # last week's run
                assert "Thank you" in await check_in(fake, lab.guild_id, lab.member)
            remount(volume, "ro")
            try:
                async with kindred(fake, tmp_path / "now", commands, env=env) as bot:
                    assert "database unavailable at start" in bot.logs()
                    await crisis_answers(fake, lab.guild_id, lab.other)
                    refused = await answer(
                        fake, "subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id
                    )
                    assert STORE_UNAVAILABLE in refused, refused
                    refused = await answer(
                        fake, "resources search", {"query": "money"}, user_id=lab.other, guild_id=lab.guild_id
                    )
                    assert STORE_UNAVAILABLE in refused, refused
                    remount(volume, "rw")
                    saved = await answer(fake, "subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id)
                    assert SUBSCRIBED in saved, saved
                    assert await search_hits(fake, "money", user_id=lab.other, guild_id=lab.guild_id) > 0
                    assert "wasn't counted twice" in await check_in(fake, lab.guild_id, lab.member)
                    assert bot.running
            finally:
                remount(volume, "rw")
            consistent(volume / "kindred.sqlite3")


@bounded(45)
async def test_search_recovers_when_the_database_was_unavailable_from_the_start(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    with tmpfs(tmp_path / "volume", "32m") as volume:
        env = {
            "KINDRED_DB_PATH": str(volume / "db" / "kindred.sqlite3"),
            "KINDRED_HEARTBEAT_PATH": str(tmp_path / "kindred.heartbeat"),
        }
        remount(volume, "ro")  # first start on a volume that is not writable yet
        try:
            async with FakeDiscord() as fake:
                lab, _ = build_lab(fake)
                async with kindred(fake, tmp_path, commands, env=env) as bot:
                    assert "database unavailable at start" in bot.logs()
                    remount(volume, "rw")
                    saved = await answer(fake, "subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id)
                    assert SUBSCRIBED in saved, saved  # the store itself recovered
                    assert await search_hits(fake, "money", user_id=lab.other, guild_id=lab.guild_id) > 0
        finally:
            remount(volume, "rw")


@bounded(45)
async def test_disk_full(tmp_path: Path, commands: list[dict[str, Any]]) -> None:
    with tmpfs(tmp_path / "volume", "8m") as volume:
        db = volume / "kindred.sqlite3"
        env = {"KINDRED_DB_PATH": str(db)}  # the heartbeat file shares the full volume
        async with FakeDiscord() as fake:
            lab, extra = build_lab(fake, extra_members=2)
            async with kindred(fake, tmp_path, commands, env=env) as bot:
                assert "Thank you" in await check_in(fake, lab.guild_id, lab.member)
                filler = fill_disk(volume)
                try:
                    refused = await check_in(fake, lab.guild_id, lab.other, timeout=5)
                    assert STORE_UNAVAILABLE in refused, refused
                    refused = await answer(
                        fake, "subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id, timeout=5
                    )
                    assert STORE_UNAVAILABLE in refused, refused
                    await crisis_answers(fake, lab.guild_id, lab.other)
                    assert not fake.late_interactions
                    assert "disk is full" in bot.logs()
                    assert bot.running
                finally:
                    filler.unlink()
                consistent(db)
                assert count(answers_file(db), "SELECT count(*) FROM open_checkins") == 1
                assert count(db, "SELECT count(*) FROM subscriptions") == 0
                assert "Thank you" in await check_in(fake, lab.guild_id, lab.other)
                saved = await answer(fake, "subscribe", FUTURE, user_id=extra[0], guild_id=lab.guild_id)
                assert SUBSCRIBED in saved, saved
                consistent(db)
