"""Database faults while the bot runs: locked by another writer, read-only, disk full, server gone.

Each fault is real, not simulated inside the bot. On SQLite (the file faults, `sqlite_only`):
- locked: another process holds SQLite's write lock (BEGIN IMMEDIATE) for longer than busy_timeout;
- read-only while running: `chattr +i` on the database and its WAL, which stops writes even through
  the descriptors the bot opened before, even for root (chmod would not: root ignores it);
- read-only at start: the volume is remounted read-only (a tmpfs), as a read-only Docker volume is;
- disk full: a size-limited tmpfs filled to the last block.
On PostgreSQL (`postgres_only`): another connection holding a row lock in an open transaction
(`SELECT ... FOR UPDATE`) for longer than kindred's lock_timeout; the server unreachable at start
and while running (a TCP relay in front of it stops listening and cuts every connection); and the
server ending kindred's connections (`pg_terminate_backend`).
Every case checks: a clear reply, /crisis still answers, nothing half-written, the process keeps
running, and it recovers when the fault clears (without a restart).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from cogs.prompts import RETRY_SECONDS
from fakediscord.fake_discord import FakeDiscord
from fakediscord.interactions import Channel
from tests.backends import SERVER_URL, database_url, postgres_only, sqlite_only
from tests.dbview import checkins_counted, rows
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
    answers = count(db_path, "SELECT count(*) FROM open_checkins")
    assert answers == count(db_path, "SELECT count(*) FROM receipts")
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def crisis_answers(fake: FakeDiscord, guild_id: int, user_id: int) -> None:
    text = await answer(fake, "crisis", {"country": "GB"}, user_id=user_id, guild_id=guild_id, timeout=5)
    assert CRISIS_GB in text


@sqlite_only
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


@sqlite_only
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


@sqlite_only
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
            assert count(bot.db_path, "SELECT count(*) FROM open_checkins") == 1
            assert "Traceback" not in bot.logs()  # refused writes are answered kindly, not with tracebacks
            # Writable again: requests succeed without a restart (see the next test for the first one).
            attempts = [await check_in(fake, lab.guild_id, lab.other) for _ in range(2)]
            assert "Thank you" in attempts[-1], attempts
            assert SUBSCRIBED in await answer(
                fake, "subscribe", FUTURE, user_id=extra[0], guild_id=lab.guild_id
            )
            consistent(bot.db_path)


@sqlite_only
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


@sqlite_only
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


@sqlite_only
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


@sqlite_only
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
                assert count(db, "SELECT count(*) FROM open_checkins") == 1
                assert count(db, "SELECT count(*) FROM subscriptions") == 0
                assert "Thank you" in await check_in(fake, lab.guild_id, lab.other)
                saved = await answer(fake, "subscribe", FUTURE, user_id=extra[0], guild_id=lab.guild_id)
                assert SUBSCRIBED in saved, saved
                consistent(db)


# -- PostgreSQL -----------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def row_lock(db_path: Path, sql: str) -> AsyncIterator[None]:
    """Another connection's open transaction holding the row locks of `sql` (a SELECT ... FOR UPDATE)."""
    import asyncpg

    holder = await asyncpg.connect(database_url(db_path))
    try:
        transaction = holder.transaction()
        await transaction.start()
        assert await holder.fetch(sql), "nothing to lock"
        try:
            yield
        finally:
            await transaction.rollback()
    finally:
        await holder.close()


class Relay:
    """A TCP relay in front of the PostgreSQL server: `cut()` makes the server unreachable (nothing
    listens, every connection through it is cut), `open()` makes it reachable again, on one port."""

    def __init__(self) -> None:
        with socket.socket() as probe:  # a free port, closed until open()
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        target = urlsplit(SERVER_URL)
        self.target = (target.hostname or "127.0.0.1", target.port or 5432)
        self.server: asyncio.Server | None = None
        self.links: set[asyncio.StreamWriter] = set()

    def url(self, db_path: Path) -> str:
        """The test database's URL, through this relay."""
        parts = urlsplit(database_url(db_path))
        user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        return urlunsplit((parts.scheme, f"{user}127.0.0.1:{self.port}", parts.path, parts.query, ""))

    async def open(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", self.port, reuse_address=True)

    async def cut(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.links):
            writer.transport.abort()
        self.links.clear()

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.links |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, ConnectionError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self.links -= {writer, up_writer}


def subscription_times(db_path: Path) -> list[str]:
    return sorted(str(r[0]) for r in rows(db_path, "SELECT at FROM subscriptions"))


@postgres_only
@bounded(45)
async def test_postgres_row_lock_held_by_another_transaction(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    """A busy database gets the kind reply within Discord's deadline, changes nothing, loses nothing."""
    later = {**FUTURE, "time": "13:00"}
    async with FakeDiscord() as fake:
        lab, _ = build_lab(fake)
        async with kindred(fake, tmp_path, commands) as bot:
            assert SUBSCRIBED in (
                await answer(fake, "subscribe", FUTURE, user_id=lab.member, guild_id=lab.guild_id)
            )
            assert "Thank you" in await check_in(fake, lab.guild_id, lab.member)
            before = subscription_times(bot.db_path)
            async with row_lock(bot.db_path, "SELECT * FROM subscriptions FOR UPDATE"):
                blocked = await fake.invoke("subscribe", later, user_id=lab.member, guild_id=lab.guild_id)
                await asyncio.sleep(0.1)
                read = await fake.invoke(
                    "resources show", {"topic": "compute-gap"}, user_id=lab.other, guild_id=lab.guild_id
                )
                await crisis_answers(fake, lab.guild_id, lab.other)  # even while a write waits
                await fake.wait_until(
                    lambda: "store unavailable during an interaction" in bot.logs(),
                    10,
                    description="the blocked write to give up",
                )
                await asyncio.sleep(0.5)
                assert bot.running
            assert "database is busy" in bot.logs()
            assert STORE_UNAVAILABLE in str(blocked.record.callback)
            assert read.record.callback is not None and UNEXPECTED not in str(read.record.callback)
            assert not fake.late_interactions, [r.describe() for r in fake.late_interactions]
            assert subscription_times(bot.db_path) == before  # the refused change is absent
            assert checkins_counted(bot.db_path) == 1
            # The lock is gone: the same request now works, no restart needed.
            assert SUBSCRIBED in (
                await answer(fake, "subscribe", later, user_id=lab.member, guild_id=lab.guild_id)
            )
            assert subscription_times(bot.db_path) == ["13:00"]
            assert "Thank you" in await check_in(fake, lab.guild_id, lab.other)
            assert checkins_counted(bot.db_path) == 2
            assert "Traceback" not in bot.logs()


@postgres_only
@bounded(60)
async def test_postgres_server_unreachable_at_start(tmp_path: Path, commands: list[dict[str, Any]]) -> None:
    """Started while the server cannot be reached: /crisis answers, the rest refuses kindly, and it
    all works once the server is back, with last run's check-ins still counted once."""
    relay = Relay()
    db_path = tmp_path / "kindred.sqlite3"
    env = {"KINDRED_DB_PATH": str(db_path), "KINDRED_DATABASE_URL": relay.url(db_path)}
    async with FakeDiscord() as fake:
        lab, extra = build_lab(fake, extra_members=3)
        await relay.open()
        async with kindred(fake, tmp_path / "before", commands, env=env):  # last week's run
            assert "Thank you" in await check_in(fake, lab.guild_id, lab.member)
            weekly = {
                "prompts_channel": Channel(lab.prompts),
                **{f"prompt_{k}": FUTURE[k] for k in ("day", "time")},
            }
            assert "Saved" in await answer(
                fake, "admin setup", weekly, user_id=lab.owner, guild_id=lab.guild_id
            )
        await relay.cut()
        try:
            async with kindred(fake, tmp_path / "now", commands, env=env) as bot:
                assert "database unavailable at start" in bot.logs()
                await crisis_answers(fake, lab.guild_id, lab.other)
                refused = await answer(fake, "subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id)
                assert STORE_UNAVAILABLE in refused, refused
                refused = await answer(
                    fake, "resources search", {"query": "money"}, user_id=lab.other, guild_id=lab.guild_id
                )
                assert STORE_UNAVAILABLE in refused, refused
                assert STORE_UNAVAILABLE in await check_in(fake, lab.guild_id, lab.other, timeout=5)
                assert not fake.late_interactions
                await relay.open()
                saved = await answer(fake, "subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id)
                assert SUBSCRIBED in saved, saved
                assert await search_hits(fake, "money", user_id=lab.other, guild_id=lab.guild_id) > 0
                assert "wasn't counted twice" in await check_in(fake, lab.guild_id, lab.member)
                for user in (lab.other, *extra):
                    assert "Thank you" in await check_in(fake, lab.guild_id, user)
                # Five check-ins (the lab's k), one of them held over from the last run: all written.
                await fake.wait_until(
                    lambda: count(db_path, "SELECT count(*) FROM open_checkins") == 5,
                    5,
                    description="the lab's five answers written together",
                )
                assert checkins_counted(db_path) == 5
                # The lab's weekly prompt job, which could not be read at start, is registered now.
                for _ in range(RETRY_SECONDS + 5):
                    status = await answer(
                        fake, "admin status", None, user_id=lab.owner, guild_id=lab.guild_id
                    )
                    if "this lab's weekly prompt: next run" in status:
                        break
                    await asyncio.sleep(1)
                assert "this lab's weekly prompt: next run" in status, status
                assert bot.running
                assert "Traceback" not in bot.logs()
        finally:
            await relay.cut()
        assert count(db_path, "SELECT count(*) FROM subscriptions") == 1


@postgres_only
@bounded(60)
async def test_postgres_server_unreachable_while_running(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    relay = Relay()
    db_path = tmp_path / "kindred.sqlite3"
    env = {"KINDRED_DATABASE_URL": relay.url(db_path)}
    async with FakeDiscord() as fake:
        lab, extra = build_lab(fake, extra_members=2)
        await relay.open()
        try:
            async with kindred(fake, tmp_path, commands, env=env) as bot:
                assert bot.db_path == db_path
                assert "Thank you" in await check_in(fake, lab.guild_id, lab.member)
                await relay.cut()  # every connection kindred holds is cut, and nothing listens
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
                assert checkins_counted(db_path) == 1  # read directly, not through the relay
                assert count(db_path, "SELECT count(*) FROM subscriptions") == 0
                await relay.open()
                # Reachable again: the first requests succeed, without a restart.
                assert "Thank you" in await check_in(fake, lab.guild_id, lab.other)
                saved = await answer(fake, "subscribe", FUTURE, user_id=extra[0], guild_id=lab.guild_id)
                assert SUBSCRIBED in saved, saved
                assert checkins_counted(db_path) == 2
                assert count(db_path, "SELECT count(*) FROM subscriptions") == 1
                assert "Traceback" not in bot.logs()
        finally:
            await relay.cut()


@postgres_only
@bounded(45)
async def test_postgres_connections_ended_by_the_server(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    """The server ends every connection kindred holds (an operator, a failover): the next requests
    reconnect, nothing is lost or counted twice."""
    async with FakeDiscord() as fake:
        lab, extra = build_lab(fake, extra_members=2)
        async with kindred(fake, tmp_path, commands) as bot:
            assert SUBSCRIBED in (
                await answer(fake, "subscribe", FUTURE, user_id=lab.member, guild_id=lab.guild_id)
            )
            assert "Thank you" in await check_in(fake, lab.guild_id, lab.member)
            ended = rows(
                bot.db_path,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            assert ended and all(r[0] for r in ended)
            await asyncio.sleep(0.2)
            assert await search_hits(fake, "money", user_id=lab.other, guild_id=lab.guild_id) > 0
            saved = await answer(fake, "subscribe", FUTURE, user_id=lab.other, guild_id=lab.guild_id)
            assert SUBSCRIBED in saved, saved
            assert "Thank you" in await check_in(fake, lab.guild_id, lab.other)
            assert "wasn't counted twice" in await check_in(fake, lab.guild_id, lab.member)
            assert checkins_counted(bot.db_path) == 2
            assert count(bot.db_path, "SELECT count(*) FROM subscriptions") == 2
            await crisis_answers(fake, lab.guild_id, extra[0])
            assert bot.running
            assert "Traceback" not in bot.logs()
