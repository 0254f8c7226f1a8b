"""Check-ins written in batches (issue 19), on real files: grouping, duplicates, faults, crashes, close.

A member is answered only once their answer is on disk; a crash between the two files' commits
is resolved from the batch numbers at the next start, so nothing counts twice and nobody stays
blocked by a receipt without its answer.
"""

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot.aggregation import Answer
from bot.anonymity import checkin_receipt
from bot.store import Database, StoreUnavailable
from bot.store.checkins import has_receipt, record_checkin

KEY = b"batch-test-key-0123456789abcdef0123456"
GUILD = 5150
WEEK = "2026-W48"


def receipt(member: int, week: str = WEEK) -> bytes:
    return checkin_receipt(KEY, GUILD, member, week)


async def check_in(db: Database, member: int, mood: int = 3) -> bool:
    return await record_checkin(
        db, guild_id=GUILD, week=WEEK, receipt=receipt(member), answer=Answer(mood, 3)
    )


def count(path: Path, sql: str) -> int:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(sql).fetchone()[0])


def answers(db: Database) -> int:
    return count(db.answers.path, "SELECT count(*) FROM open_checkins")


def receipts(db: Database) -> int:
    return count(db.receipts.path, "SELECT count(*) FROM receipts")


def pending(db: Database) -> int:
    return count(db.receipts.path, "SELECT count(*) FROM pending_receipts") + count(
        db.receipts.path, "SELECT count(*) FROM flush_state"
    )


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = Database(tmp_path / "k.sqlite3")
    await database.open()
    yield database
    await database.close()


async def test_check_ins_at_once_share_flushes_and_all_count(db: Database) -> None:
    results = await asyncio.gather(*(check_in(db, n) for n in range(120)))
    assert all(results)
    assert answers(db) == receipts(db) == 120
    assert db.checkins.flushes < 10  # grouped: not one flush (and key-order rewrite) per check-in
    assert pending(db) == 0  # nothing is noted once no check-in is being written


async def test_one_at_a_time_each_is_on_disk_when_answered(db: Database) -> None:
    for n in range(5):
        assert await check_in(db, n)
        assert answers(db) == receipts(db) == n + 1
        assert pending(db) == 0


async def test_the_same_member_twice_in_one_batch_counts_once(db: Database) -> None:
    first, second, other = await asyncio.gather(check_in(db, 1, 5), check_in(db, 1, 1), check_in(db, 2))
    assert (first, second, other) == (True, False, True)
    assert answers(db) == 2
    rows = await db.answers.fetchall("SELECT mood FROM open_checkins ORDER BY mood")
    assert [r[0] for r in rows] == [3, 5]  # the second submission's answer was not stored
    assert not await check_in(db, 1)  # and later ones are refused too


async def test_a_member_already_counted_is_refused_inside_a_mixed_batch(db: Database) -> None:
    assert await check_in(db, 7)
    results = await asyncio.gather(*(check_in(db, n) for n in (5, 6, 7, 8)))
    assert results == [True, True, False, True]
    assert answers(db) == receipts(db) == 4


async def test_answers_file_locked_refuses_the_batch_and_takes_receipts_back(db: Database) -> None:
    assert await check_in(db, 1)
    holder = sqlite3.connect(db.answers.path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        results = await asyncio.gather(*(check_in(db, n) for n in (2, 3, 4)), return_exceptions=True)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert all(isinstance(r, StoreUnavailable) for r in results), results
    assert answers(db) == receipts(db) == 1
    assert pending(db) == 0
    assert not await has_receipt(db, receipt(2))
    assert all(await asyncio.gather(*(check_in(db, n) for n in (2, 3, 4))))  # they can try again
    assert answers(db) == receipts(db) == 4


async def test_receipts_file_locked_refuses_and_changes_nothing(db: Database) -> None:
    holder = sqlite3.connect(db.receipts.path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreUnavailable):
            await check_in(db, 1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answers(db) == receipts(db) == 0
    assert await check_in(db, 1)


def crash_state(db_path: Path, *, noted: list[bytes], batch: int, stored_batch: int) -> None:
    """What the files hold if kindred died after step 1 of batch `batch` (answers at `stored_batch`)."""
    with contextlib.closing(sqlite3.connect(db_path.with_name(db_path.name + "-receipts"))) as conn:
        conn.executemany("INSERT INTO receipts (receipt, week) VALUES (?, ?)", [(r, WEEK) for r in noted])
        conn.executemany("INSERT INTO pending_receipts (receipt) VALUES (?)", [(r,) for r in noted])
        conn.execute("INSERT OR REPLACE INTO flush_state (id, batch) VALUES (1, ?)", (batch,))
        conn.commit()
    with contextlib.closing(sqlite3.connect(db_path.with_name(db_path.name + "-answers"))) as conn:
        conn.execute("INSERT OR REPLACE INTO flush_state (id, batch) VALUES (1, ?)", (stored_batch,))
        conn.commit()


async def test_a_crash_before_the_answers_were_stored_takes_the_receipts_back(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    db = Database(path)
    await db.open()
    assert await check_in(db, 1)
    await db.close()
    crash_state(path, noted=[receipt(2), receipt(3)], batch=9, stored_batch=8)
    again = Database(path)
    await again.open()
    try:
        assert pending(again) == 0
        assert receipts(again) == answers(again) == 1
        assert not await has_receipt(again, receipt(2))  # never thanked, so not blocked
        assert await check_in(again, 2) and await check_in(again, 3)
        assert not await check_in(again, 1)
        assert receipts(again) == answers(again) == 3
    finally:
        await again.close()


async def test_a_crash_after_the_answers_were_stored_keeps_the_receipts(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    db = Database(path)
    await db.open()
    assert await check_in(db, 1)
    await db.close()
    # Step 2 of batch 9 committed (its answer is the one above in this simulation); step 3 did not.
    crash_state(path, noted=[receipt(2)], batch=9, stored_batch=9)
    again = Database(path)
    await again.open()
    try:
        assert pending(again) == 0
        assert await has_receipt(again, receipt(2))  # counted once, never twice
        assert not await check_in(again, 2)
        assert await check_in(again, 4)
    finally:
        await again.close()


async def test_close_waits_for_check_ins_under_way_and_then_refuses(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    await db.open()
    submitted = [asyncio.create_task(check_in(db, n)) for n in range(40)]
    await asyncio.sleep(0)  # they are queued; the first flush has started
    await db.close()
    assert all(task.done() for task in submitted)
    assert all(task.result() for task in submitted)
    assert answers(db) == receipts(db) == 40
    assert pending(db) == 0
    with pytest.raises(StoreUnavailable):
        await check_in(db, 99)


async def test_a_cancelled_waiter_does_not_stop_the_batch(db: Database) -> None:
    waiter = asyncio.create_task(check_in(db, 1))
    others = [asyncio.create_task(check_in(db, n)) for n in range(2, 6)]
    await asyncio.sleep(0)
    waiter.cancel()
    assert all(await asyncio.gather(*others))
    await asyncio.sleep(0.05)
    assert answers(db) == receipts(db)  # the cancelled one was stored whole or not at all
