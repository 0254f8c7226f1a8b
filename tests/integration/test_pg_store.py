"""The PostgreSQL store on a real server (scripts/pg-server): check-ins that pair with nothing, faults.

Skipped unless KINDRED_TEST_DATABASE_URL is set; CI starts a server and sets it. The promise under
test is the one DESIGN.md makes for SQLite's files, on the server's own terms: PostgreSQL stamps
each row with the transaction that wrote it (`xmin`) and places rows in arrival order (`ctid`), so
the tests read both, as whoever holds the database could, and try to pair answers with receipts.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from bot.aggregation import Answer
from bot.anonymity import checkin_receipt, open_value, seal_value
from bot.schedule import iso_week
from bot.store import StoreUnavailable
from bot.store.checkins import answers_by_week, close_weeks, has_receipt, record_checkin
from bot.store.guilds import get_settings, save_settings, with_changes
from bot.store.pg import PgDatabase, pg_migrations
from tests.backends import database_url, postgres_only

pytestmark = postgres_only

KEY = b"pg-store-test-key-0123456789abcdef012345"
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday: its week is open everywhere
WEEK = iso_week(NOW, "UTC")
AFTER = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)  # that week has closed everywhere


def open_pg(path: Path, *, carry: bool = True) -> PgDatabase:
    db = PgDatabase(database_url(path))
    if carry:
        db.held_checkins.seal = lambda plain: seal_value(KEY, plain, context="held-checkins/")
        db.held_checkins.unseal = lambda sealed: open_value(KEY, sealed, context="held-checkins/")
        db.held_checkins.carry_file = path.with_name("kindred-held-checkins.sealed")
    return db


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = open_pg(tmp_path / "k")
    await database.open()
    yield database
    await database.close()


async def set_k(db: PgDatabase, guild_id: int, k: int) -> None:
    await save_settings(db, with_changes(await get_settings(db, guild_id), k_threshold=k), NOW)


async def check_in(db: PgDatabase, guild_id: int, member: int, mood: int = 3) -> bool:
    # The member's number rides in `topics` only so the test knows the truth it then tries to recover.
    answer = Answer(mood=mood, energy=3, topics=frozenset({f"m{member}"}))
    receipt = checkin_receipt(KEY, guild_id, member, WEEK)
    return await record_checkin(db, guild_id=guild_id, week=WEEK, receipt=receipt, answer=answer)


async def raw(db: PgDatabase, sql: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(db.url)
    try:
        return list(await conn.fetch(sql))
    finally:
        await conn.close()


async def test_answers_wait_for_k_and_then_arrive_together_in_one_transaction(db: PgDatabase) -> None:
    await set_k(db, 1, 3)
    assert await check_in(db, 1, 1) and await check_in(db, 1, 2)
    assert await raw(db, "SELECT * FROM open_checkins") == []
    assert len(await raw(db, "SELECT * FROM receipts")) == 2
    assert await has_receipt(db, checkin_receipt(KEY, 1, 1, WEEK))
    assert await check_in(db, 1, 3)
    rows = await raw(db, "SELECT xmin::text AS x FROM open_checkins")
    assert len(rows) == 3 and len({r["x"] for r in rows}) == 1
    assert db.held_checkins.held == 0
    assert not await check_in(db, 1, 2)  # the same member again this week: not counted twice
    assert len(await raw(db, "SELECT * FROM open_checkins")) == 3


async def test_no_answer_shares_a_transaction_or_an_order_with_its_receipt(db: PgDatabase) -> None:
    """Many check-ins from three labs, interleaved; then every pairing an attacker could try."""
    k = {1: 3, 2: 5, 3: 4}
    for guild_id, threshold in k.items():
        await set_k(db, guild_id, threshold)
    arrivals = [(g, m) for g in k for m in range(60)]
    random.Random(21).shuffle(arrivals)
    for guild_id, member in arrivals:
        assert await check_in(db, guild_id, member)
    receipts = await raw(db, "SELECT receipt, xmin::text::bigint AS x, ctid::text AS c FROM receipts")
    answers = await raw(
        db,
        "SELECT guild_id, topics, xmin::text::bigint AS x, ctid::text AS c FROM open_checkins ORDER BY ctid",
    )
    truth = {checkin_receipt(KEY, g, m, WEEK): (g, f"m{m}") for g, m in arrivals}
    by_receipt = {bytes(r["receipt"]): r for r in receipts}

    # 1. No transaction wrote both a receipt and an answer.
    assert not {r["x"] for r in receipts} & {a["x"] for a in answers}
    # 2. Every transaction of answers holds at least its lab's k answers, all of one lab.
    batches: dict[int, list[asyncpg.Record]] = defaultdict(list)
    for a in answers:
        batches[a["x"]].append(a)
    for rows in batches.values():
        assert len({r["guild_id"] for r in rows}) == 1
        assert len(rows) >= k[rows[0]["guild_id"]]
    held = db.held_checkins.held
    assert len(answers) + held == len(arrivals)
    assert held < sum(k.values())

    # 3. The attacker's best guesses, scored against the truth. Within a batch the receipts of its
    # members are known (those written since the lab's previous batch); the guesses pair the i-th
    # answer by ctid with the i-th receipt by xmin, or with the receipt whose xmin is nearest below.
    ranked_hits = nearest_hits = guesses = 0
    expected = 0.0
    for x, rows in sorted(batches.items()):
        guild_id = rows[0]["guild_id"]
        members = sorted(
            (
                r
                for rec, r in by_receipt.items()
                if truth[rec][0] == guild_id and truth[rec][1] in {a["topics"] for a in rows}
            ),
            key=lambda r: r["x"],
        )
        assert len(members) == len(rows)
        owner = {r["receipt"]: truth[bytes(r["receipt"])][1] for r in members}
        for i, a in enumerate(
            sorted(rows, key=lambda a: tuple(int(p) for p in a["c"].strip("()").split(",")))
        ):
            guesses += 1
            ranked_hits += owner[members[i]["receipt"]] == a["topics"]
            below = [r for r in members if r["x"] < x]
            nearest_hits += owner[max(below, key=lambda r: r["x"])["receipt"]] == a["topics"]
        expected += 1.0  # one right guess per batch on average, by chance alone
    chance = expected / guesses
    spread = (chance * (1 - chance) / guesses) ** 0.5
    assert ranked_hits / guesses < chance + 4 * spread, (ranked_hits, guesses, chance)
    # Nearest-below always names the batch's last receipt: right exactly once per batch, chance.
    assert nearest_hits == len(batches)


async def test_a_closing_week_takes_the_held_answers_into_one_key_ordered_transaction(db: PgDatabase) -> None:
    await set_k(db, 1, 3)
    for member in range(5):  # 3 written, 2 held
        await check_in(db, 1, member, mood=1 + member % 5)
    await set_k(db, 2, 3)
    await check_in(db, 2, 1)  # fewer than k all week: never written anywhere
    assert db.held_checkins.held == 3
    assert await close_weeks(db, AFTER) == 1
    closed = await raw(db, "SELECT id, xmin::text AS x FROM checkins WHERE guild_id = 1 ORDER BY ctid")
    assert len(closed) == 5 and len({r["x"] for r in closed}) == 1
    assert [bytes(r["id"]) for r in closed] == sorted(bytes(r["id"]) for r in closed)
    assert await raw(db, "SELECT * FROM checkins WHERE guild_id = 2") == []
    assert await raw(db, "SELECT * FROM open_checkins") == []
    assert db.held_checkins.held == 0
    week = await answers_by_week(db, 1, [WEEK])
    assert sorted(a.mood for a in week[WEEK]) == [1, 2, 3, 4, 5]


async def test_a_clean_stop_seals_held_answers_beside_the_heartbeat_and_the_next_start_takes_them(
    tmp_path: Path,
) -> None:
    db = open_pg(tmp_path / "k")
    await db.open()
    await set_k(db, 1, 3)
    await check_in(db, 1, 1, mood=5)
    await check_in(db, 1, 2, mood=4)
    await db.close()
    carry = tmp_path / "kindred-held-checkins.sealed"
    assert carry.exists() and carry.stat().st_mode & 0o777 == 0o600
    assert b"m1" not in carry.read_bytes()  # sealed, not readable without the key
    again = open_pg(tmp_path / "k")
    await again.open()
    try:
        assert not carry.exists()
        assert again.held_checkins.held == 2
        assert await raw(again, "SELECT * FROM open_checkins") == []
        assert not await check_in(again, 1, 1)  # still counted: the receipt is on the server
        assert await check_in(again, 1, 3, mood=3)
        assert len(await raw(again, "SELECT * FROM open_checkins")) == 3
    finally:
        await again.close()


async def test_a_crash_loses_at_most_the_held_answers_and_counts_nobody_twice(tmp_path: Path) -> None:
    db = open_pg(tmp_path / "k")
    await db.open()
    await set_k(db, 1, 4)
    for member in range(6):  # 4 written, 2 held
        await check_in(db, 1, member)
    await db._drop()  # the process dies: no close, nothing sealed
    again = open_pg(tmp_path / "k")
    await again.open()
    try:
        assert again.held_checkins.held == 0
        assert len(await raw(again, "SELECT * FROM open_checkins")) == 4  # lost: 2, fewer than k
        assert len(await raw(again, "SELECT * FROM receipts")) == 6
        assert not await check_in(again, 1, 5)
    finally:
        await again.close()


async def test_two_processes_count_one_member_once(tmp_path: Path) -> None:
    first, second = open_pg(tmp_path / "k"), open_pg(tmp_path / "k")
    await first.open()
    await second.open()
    try:
        results = await asyncio.gather(*(check_in(db, 1, 7) for db in (first, second) for _ in range(3)))
        assert sorted(results) == [False] * 5 + [True]
    finally:
        await first.close()
        await second.close()


async def test_processes_starting_together_migrate_once(tmp_path: Path) -> None:
    starts = [open_pg(tmp_path / "k", carry=False) for _ in range(3)]
    await asyncio.gather(*(db.open() for db in starts))
    try:
        assert {db.version for db in starts} == {len(pg_migrations())}
        assert [r[0] for r in await raw(starts[0], "SELECT version FROM kindred_schema")] == [
            len(pg_migrations())
        ]
    finally:
        for db in starts:
            await db.close()


async def test_a_held_row_lock_is_busy_and_changes_nothing(db: PgDatabase) -> None:
    await set_k(db, 1, 5)
    other = await asyncpg.connect(db.url)
    try:
        await other.execute("BEGIN")
        await other.execute("SELECT * FROM guild_settings WHERE guild_id = 1 FOR UPDATE")
        with pytest.raises(StoreUnavailable, match="busy"):
            await set_k(db, 1, 7)
        await other.execute("ROLLBACK")
    finally:
        await other.close()
    db.guilds.clear()
    assert (await get_settings(db, 1)).k_threshold == 5
    await set_k(db, 1, 7)
    assert (await get_settings(db, 1)).k_threshold == 7


async def test_a_lost_connection_loses_nothing_and_the_store_reconnects(db: PgDatabase) -> None:
    await db.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
    admin = await asyncpg.connect(db.url)
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()
    # asyncpg may notice the lost connection first (the write then reconnects and succeeds) or
    # meet it mid-write (StoreUnavailable, nothing written): either way nothing half-done.
    try:
        await db.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")
        wrote = ["b"]
    except StoreUnavailable:
        wrote = []
    await db.execute("INSERT INTO meta (key, value) VALUES ('c', '3')")
    keys = sorted(r[0] for r in await db.fetchall("SELECT key FROM meta WHERE key IN ('a', 'b', 'c')"))
    assert keys == sorted(["a", *wrote, "c"])


async def test_reads_cannot_write(db: PgDatabase) -> None:
    with pytest.raises(StoreUnavailable):
        await db.fetchall("INSERT INTO meta (key, value) VALUES ('via', 'reader') RETURNING key")


async def test_a_backup_leaves_open_weeks_out(db: PgDatabase, tmp_path: Path) -> None:
    await set_k(db, 1, 3)
    for member in range(3):
        await check_in(db, 1, member)
    target = tmp_path / "backup.dump"
    await db.backup_to(target)
    assert target.exists() and target.stat().st_mode & 0o777 == 0o600
    listing = target.read_bytes()
    assert b"guild_settings" in listing
    for member in range(3):
        assert checkin_receipt(KEY, 1, member, WEEK) not in listing
        assert f"m{member}".encode() not in listing


async def test_answers_arriving_while_a_batch_is_written_join_the_next_one(db: PgDatabase) -> None:
    """Six at once with k = 5: at least five are written together, the rest held, none is dropped."""
    await set_k(db, 1, 5)
    assert all(await asyncio.gather(*(check_in(db, 1, member) for member in range(6))))
    stored = len(await raw(db, "SELECT * FROM open_checkins"))
    assert stored + db.held_checkins.held == 6
    assert stored >= 5 and db.held_checkins.held < 5
    assert all(await asyncio.gather(*(check_in(db, 1, member) for member in range(6, 12))))
    assert len(await raw(db, "SELECT * FROM open_checkins")) + db.held_checkins.held == 12


async def test_a_settings_change_in_one_process_reaches_the_other_processes_cache(tmp_path: Path) -> None:
    first, second = open_pg(tmp_path / "k", carry=False), open_pg(tmp_path / "k", carry=False)
    await first.open()
    await second.open()
    try:
        await set_k(first, 1, 5)
        assert (await get_settings(second, 1)).k_threshold == 5  # now cached in the second process
        loads = second.guilds.loads
        await set_k(first, 1, 8)  # the guild's own process changes it
        for _ in range(50):  # the notification arrives asynchronously, within milliseconds
            if (await get_settings(second, 1)).k_threshold == 8:
                break
            await asyncio.sleep(0.02)
        assert (await get_settings(second, 1)).k_threshold == 8
        assert second.guilds.loads > loads
    finally:
        await first.close()
        await second.close()


async def test_a_carry_file_against_another_database_is_dropped_not_counted_twice(tmp_path: Path) -> None:
    """A restore into a new database has no receipts for the held answers: they must not come back."""
    db = open_pg(tmp_path / "k")
    await db.open()
    await set_k(db, 1, 3)
    await check_in(db, 1, 1)
    await db.close()
    carry = tmp_path / "kindred-held-checkins.sealed"
    assert carry.exists()
    moved = tmp_path / "elsewhere" / "k"  # another database, same carry file beside it
    moved.parent.mkdir()
    carry.rename(moved.with_name(carry.name))
    other = open_pg(moved)
    await other.open()
    try:
        assert other.held_checkins.held == 0
        assert not moved.with_name(carry.name).exists()
        assert await check_in(other, 1, 1)  # counted once, here, as a new check-in
    finally:
        await other.close()


async def test_answers_one_process_still_held_never_reach_the_database_in_fewer_than_k(
    tmp_path: Path,
) -> None:
    """A lab's check-ins split between two processes (DMs on shard 0, commands on the lab's shard).

    The week closes with the first process's batch; the two answers the second still held are
    fewer than k, so they are dropped rather than written as a small, pairable group.
    """
    first, second = open_pg(tmp_path / "k", carry=False), open_pg(tmp_path / "k", carry=False)
    await first.open()
    await second.open()
    try:
        await set_k(first, 1, 3)
        for member in range(3):  # written as a batch by the first process
            await check_in(first, 1, member)
        second.guilds.clear()
        for member in range(3, 5):  # the second holds two, fewer than k
            await check_in(second, 1, member)
        assert await close_weeks(first, AFTER) == 1
        assert await close_weeks(second, AFTER) == 0
        assert second.held_checkins.held == 0
        groups = await raw(first, "SELECT xmin::text AS x, count(*) AS n FROM checkins GROUP BY xmin")
        assert [g["n"] for g in groups] == [3]  # one group, of k
    finally:
        await first.close()
        await second.close()
