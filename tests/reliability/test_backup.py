"""`python -m bot backup PATH` while members are checking in; restoring that backup loses nothing it promised.

A check-in or subscription is acknowledged to the member only after its transaction committed, so
everything acknowledged before the backup started must be in the backup, and nothing can be half
in it (receipt without answer or the reverse). After restoring, those members are recognised as
already checked in and subscribed, and everything else works.

Several labs write at once, two members at a time in each, with subscriptions written beside them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.store.db import migrations
from bot.store.pg import pg_migrations
from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import REPO_ROOT, BotProcess
from tests.backends import ON_POSTGRES, database_url
from tests.dbview import rows
from tests.reliability.helpers import (
    BASE_ENV,
    SUBSCRIBED,
    answer,
    bounded,
    build_lab,
    check_in,
    kindred,
    not_due,
)

LABS = 4
MEMBERS = 60  # per lab
SUBSCRIBERS = 4  # concurrent /subscribe writers beside the check-ins

OPEN_WEEK = ("open_checkins", "receipts")  # kept apart from backups (issue 11)


def _pg_tool(name: str, *argv: str) -> str:
    """Run a PostgreSQL client tool; its stdout (the test fails on a non-zero exit)."""
    tool = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None)
    assert tool is not None, f"{name} is not installed"
    result = subprocess.run([str(tool), *argv], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def inspect_pg_dump(dump: Path, scratch: Path) -> tuple[int, int]:
    """Restore a PostgreSQL backup whole into a scratch database: it restores cleanly, its schema is
    current and the open week's tables came empty. Returns its closed-week answers and subscriptions."""
    _pg_tool("pg_restore", "--exit-on-error", "--no-owner", "--dbname", database_url(scratch), str(dump))
    assert rows(scratch, "SELECT max(version) FROM kindred_schema")[0][0] == len(pg_migrations())
    for table in OPEN_WEEK:  # issue 11: this week's answers and receipts stay out of backups
        assert rows(scratch, f"SELECT count(*) FROM {table}")[0][0] == 0, table  # noqa: S608 - fixed names
    answers = int(rows(scratch, "SELECT count(*) FROM checkins")[0][0])
    return answers, int(rows(scratch, "SELECT count(*) FROM subscriptions")[0][0])


def restore_pg_dump(dump: Path, db_path: Path) -> None:
    """PostgreSQL's restore in place: every object of the backup but the open week's two tables
    (dropped and recreated from it), as SQLite's restore replaces the main file and keeps the
    -answers and -receipts files beside it."""
    listing = _pg_tool("pg_restore", "--list", str(dump)).splitlines()
    kept = [line for line in listing if not any(f" {table} " in f"{line} " for table in OPEN_WEEK)]
    assert len(kept) < len(listing)  # the open week's objects were in the list
    toc = dump.with_name("restore.list")
    toc.write_text("\n".join(kept) + "\n")
    url = database_url(db_path)
    _pg_tool(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--exit-on-error",
        "--no-owner",
        "--use-list",
        str(toc),
        "--dbname",
        url,
        str(dump),
    )


@bounded(90)
async def test_backup_taken_mid_write_restores_complete(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    async with FakeDiscord() as fake:
        labs = [build_lab(fake, extra_members=MEMBERS) for _ in range(LABS)]
        lab = labs[0][0]
        live = tmp_path / "live"
        target = tmp_path / "backups" / "kindred-backup.sqlite3"
        acknowledged: list[tuple[int, int]] = []
        subscribed: list[int] = []

        enough = asyncio.Event()  # writers finish the request in hand, then stop

        async def keep_checking_in(guild_id: int, users: list[int]) -> None:
            for user in users:
                if enough.is_set():
                    return
                reply = await check_in(fake, guild_id, user)
                assert "Thank you" in reply, reply
                acknowledged.append((guild_id, user))

        async def keep_subscribing(guild_id: int, users: list[int]) -> None:
            for user in users:
                if enough.is_set():
                    return
                reply = await answer(fake, "subscribe", not_due(), user_id=user, guild_id=guild_id)
                assert SUBSCRIBED in reply, reply
                subscribed.append(user)

        async with kindred(fake, live, commands) as bot:
            writers = [
                asyncio.create_task(keep_checking_in(each.guild_id, members[half::2]))
                for each, members in labs
                for half in (0, 1)
            ]
            writers += [
                asyncio.create_task(keep_subscribing(each.guild_id, members[::2]))
                for each, members in labs[:SUBSCRIBERS]
            ]
            await fake.wait_until(lambda: len(acknowledged) >= 30, 20, description="check-ins under way")
            before, subscribed_before = set(acknowledged), len(subscribed)
            cli = BotProcess(
                fake,
                tmp_path / "cli",
                args=["backup", str(target)],
                env={**BASE_ENV, "KINDRED_DB_PATH": str(bot.db_path)},
                db_path=bot.db_path,
            )
            await cli.start()
            assert await cli.wait(30) == 0, cli.log_tail()
            subscribed_after = len(subscribed)
            still_writing = not all(w.done() for w in writers)
            enough.set()
            await asyncio.gather(*writers)
            assert not fake.late_interactions, (
                "an interaction stalled past Discord's deadline during the backup"
            )
        assert still_writing, "the backup should be taken while check-ins are being written"
        assert (
            f"backed up {'PostgreSQL (KINDRED_DATABASE_URL)' if ON_POSTGRES else bot.db_path}" in cli.logs()
        )

        if ON_POSTGRES:
            answers, subscriptions = inspect_pg_dump(target, tmp_path / "copy")
        else:
            with contextlib.closing(sqlite3.connect(target)) as copy:
                assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                assert copy.execute("PRAGMA user_version").fetchone()[0] == len(migrations())
                answers = copy.execute("SELECT count(*) FROM checkins").fetchone()[0]
                tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                subscriptions = copy.execute("SELECT count(*) FROM subscriptions").fetchone()[0]
            # Issue 11: a backup holds closed weeks only; this week's answers and receipts stay out of it.
            assert answers == 0 and not any("receipt" in t for t in tables)
        assert subscribed_before <= subscriptions <= subscribed_after + SUBSCRIBERS
        assert answers < LABS * MEMBERS  # truly mid-write

        # Restore: the bot is stopped; the backup replaces the database (and its WAL) in place, the
        # open week's answers and receipts (files of their own on SQLite, two tables on PostgreSQL)
        # stay as they are.
        if ON_POSTGRES:
            restore_pg_dump(target, bot.db_path)
        else:
            for suffix in ("", "-wal", "-shm"):
                bot.db_path.with_name(bot.db_path.name + suffix).unlink(missing_ok=True)
            shutil.copyfile(target, bot.db_path)
        async with kindred(fake, live, commands) as restored:
            status = await answer(fake, "admin status", None, user_id=lab.owner, guild_id=lab.guild_id)
            assert f"schema version {len(migrations())}" in status
            for guild_id, user in sorted(before)[:10]:
                assert "wasn't counted twice" in await check_in(fake, guild_id, user), user
            assert "Thank you" in await check_in(fake, lab.guild_id, lab.member)
            assert SUBSCRIBED in await answer(
                fake, "subscribe", not_due(), user_id=lab.member, guild_id=lab.guild_id
            )
            assert restored.running
        check = BotProcess(
            fake,
            tmp_path / "check",
            args=["check"],
            env={**BASE_ENV, "KINDRED_DB_PATH": str(bot.db_path)},
            db_path=bot.db_path,
        )
        await check.start()
        assert await check.wait(30) == 0, check.log_tail()
        shutil.rmtree(tmp_path / "backups")


def test_backup_of_a_missing_database_fails_clearly_and_creates_nothing(tmp_path: Path) -> None:
    """A mistyped KINDRED_DB_PATH must not produce an empty "successful" backup."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_"))}
    env |= {**BASE_ENV, "KINDRED_DB_PATH": str(tmp_path / "typo" / "kindred.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "backup", str(tmp_path / "copy.sqlite3")],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "no database at" in result.stderr and "KINDRED_DB_PATH" in result.stderr
    assert not (tmp_path / "copy.sqlite3").exists() and not (tmp_path / "typo").exists()
