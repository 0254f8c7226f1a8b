"""The store on real SQLite files: migrations, PRAGMAs, faults and recovery, backups."""

import sqlite3
from pathlib import Path

import pytest

from bot.store import Database, StoreUnavailable
from bot.store.db import migrations
from tests.backends import open_store


async def test_migrations_apply_once_and_set_user_version(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "k.sqlite3"
    db = Database(path)
    await db.open()
    latest = migrations()[-1][0]
    assert db.version == latest
    row = await db.fetchone("PRAGMA journal_mode")
    assert row is not None and row[0] == "wal"
    row = await db.fetchone("PRAGMA foreign_keys")
    assert row is not None and row[0] == 1
    await db.close()
    again = Database(path)
    await again.open()
    assert again.version == latest
    await again.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == latest


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = open_store(tmp_path / "k.sqlite3")

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
            raise Boom
    assert await db.fetchall("SELECT * FROM meta WHERE key = 'a'") == []
    await db.close()


async def test_corrupt_file_is_unavailable_then_recovers(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    path.write_bytes(b"this is not a database, just bytes" * 100)
    db = Database(path)
    with pytest.raises(StoreUnavailable):
        await db.open()
    with pytest.raises(StoreUnavailable):
        await db.fetchall("SELECT 1")
    path.unlink()
    rows = await db.fetchall("SELECT count(*) FROM guild_settings")
    assert rows[0][0] == 0
    await db.close()


async def test_locked_database_is_reported_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    db = Database(path, busy_timeout_ms=100)
    await db.open()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreUnavailable, match="busy"):
            await db.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert await db.fetchall("SELECT * FROM meta WHERE key = 'x'") == []
    await db.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
    assert len(await db.fetchall("SELECT * FROM meta WHERE key = 'x'")) == 1
    await db.close()


async def test_backup_is_a_complete_database(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    for n in range(50):
        await db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{n}", "v"))
    target = tmp_path / "backups" / "copy.sqlite3"
    await db.backup_to(target)
    await db.close()
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM meta WHERE key LIKE 'k%'").fetchone()[0] == 50
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
