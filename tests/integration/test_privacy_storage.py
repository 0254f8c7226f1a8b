"""The anonymity promise, checked on the bytes of the real database file and its WAL."""

import hashlib
import hmac
import shutil
import tempfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.aggregation import Answer
from bot.anonymity import checkin_receipt, member_key, seal_user
from bot.schedule import WeeklySlot
from bot.store import Database
from bot.store.checkins import record_checkin
from bot.store.subscriptions import Subscription, save_subscription
from tests.backends import sqlite_only

# The bytes of SQLite's files; on PostgreSQL, tests/integration/test_pg_store.py and the e2e byte
# scans (tests/dbview.stored_bytes) check the server's relation files instead.
pytestmark = sqlite_only

KEY = b"s3cret-key-for-tests-only-0123456789abcdef"
GUILD = 987654321098765432
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)

# Real user ids are Discord snowflakes: milliseconds since 2015 << 22 | worker | process | counter.
# (Arbitrary 64-bit integers such as 0x00FFFFFFFFFFFFFF occur by chance in any SQLite page.)
DISCORD_EPOCH_MS = 1420070400000
snowflakes = st.builds(
    lambda ms, worker, process, counter: (ms << 22) | (worker << 17) | (process << 12) | counter,
    st.integers(
        datetime(2016, 1, 1, tzinfo=UTC).timestamp().__int__() * 1000 - DISCORD_EPOCH_MS,
        datetime(2030, 1, 1, tzinfo=UTC).timestamp().__int__() * 1000 - DISCORD_EPOCH_MS,
    ),
    st.integers(0, 31),
    st.integers(0, 31),
    st.integers(0, 4095),
)
checkins = st.lists(
    st.tuples(
        snowflakes,
        st.integers(1, 5),
        st.integers(1, 5),
        st.frozensets(st.sampled_from(["money", "job-market", "publishing-limbo"])),
    ),
    min_size=1,
    max_size=12,
)


def unkeyed_digests(user_id: int) -> list[bytes]:
    """Every hash of a user id that someone without the secret key could compute and match."""
    forms = [
        str(user_id).encode(),
        user_id.to_bytes(8, "big"),
        user_id.to_bytes(8, "little"),
        f"{GUILD}:{user_id}".encode(),
        f"{GUILD}{user_id}".encode(),
    ]
    out = []
    for form in forms:
        for name in ("md5", "sha1", "sha256", "sha512", "blake2b"):
            digest = hashlib.new(name, form).digest()
            out += [digest, digest.hex().encode()]
        out.append(hmac.new(b"", form, hashlib.sha256).digest())
    return out


def identifying_forms(user_id: int) -> list[bytes]:
    raw = [user_id.to_bytes(8, "big"), user_id.to_bytes(8, "little")]
    # An id whose 8 bytes are nearly all zero (such as 2**57) also spells a WAL frame header or a
    # page number, so its raw form occurs by chance; its decimal text and hashes are still checked.
    # With four zero bytes a form differs from the zero runs and small numbers of page and frame
    # headers in only three or four bytes, and CI once found such a form (b"J1\n\0\0\0\0\x10") in
    # the WAL by chance; forms are checked raw when at most three of their bytes are zero.
    raw = [form for form in raw if sum(1 for b in form if b) >= 5]
    return [str(user_id).encode(), str(user_id).encode("utf-16-le"), *raw, *unkeyed_digests(user_id)]


async def write_everything(folder: Path, entries: list[tuple[int, int, int, frozenset[str]]]) -> list[Path]:
    db = Database(folder / "k.sqlite3")
    for user_id, mood, energy, topics in entries:
        await record_checkin(
            db,
            guild_id=GUILD,
            week="2026-W48",
            receipt=checkin_receipt(KEY, GUILD, user_id, "2026-W48"),
            answer=Answer(mood, energy, topics),
        )
        await save_subscription(
            db,
            Subscription(
                member=member_key(KEY, GUILD, user_id),
                guild_id=GUILD,
                kind="checkin",
                recipient=seal_user(KEY, user_id, guild_id=GUILD, purpose="subscription:checkin"),
                slot=WeeklySlot(0, time(9, 30), "Europe/London"),
                next_due=NOW + timedelta(days=7),
            ),
            NOW,
        )
    # Read the files while the connection is still open, as a curious owner could.
    files = [p for p in folder.iterdir() if p.name.startswith("k.sqlite3")]
    snapshot = folder / "snapshot"
    snapshot.mkdir()
    copies = []
    for path in files:
        copies.append(snapshot / path.name)
        shutil.copyfile(path, copies[-1])
    await db.close()
    return copies + [p for p in folder.iterdir() if p.name.startswith("k.sqlite3")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=checkins)
async def test_database_and_wal_hold_no_user_id(entries: list[tuple[int, int, int, frozenset[str]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = await write_everything(Path(tmp), entries)
        blobs = [path.read_bytes() for path in paths]
        assert any(b"2026-W48" in blob for blob in blobs)  # the data really is in these files
        for user_id, *_ in entries:
            for form in identifying_forms(user_id):
                for path, blob in zip(paths, blobs, strict=True):
                    assert form not in blob, f"{path.name} contains a form of a user id"


async def test_checkin_rows_carry_only_guild_week_and_answers(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    await record_checkin(
        db,
        guild_id=GUILD,
        week="2026-W48",
        receipt=checkin_receipt(KEY, GUILD, 1, "2026-W48"),
        answer=Answer(2, 3, frozenset({"money"})),
    )
    for store, table in ((db.answers, "open_checkins"), (db, "checkins")):
        columns = [row[1] for row in await store.fetchall(f"PRAGMA table_info({table})")]
        assert columns == ["id", "guild_id", "week", "mood", "energy", "topics"]
        without_rowid = await store.fetchone("SELECT sql FROM sqlite_master WHERE name = ?", (table,))
        assert without_rowid is not None and "WITHOUT ROWID" in without_rowid[0]
    rows = await db.answers.fetchall("SELECT id FROM open_checkins")
    assert len(rows[0][0]) == 16
    receipt_columns = [row[1] for row in await db.receipts.fetchall("PRAGMA table_info(receipts)")]
    assert receipt_columns == ["receipt", "week"]
    await db.close()


async def test_second_checkin_same_week_is_not_counted(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    receipt = checkin_receipt(KEY, GUILD, 5, "2026-W48")
    assert await record_checkin(db, guild_id=GUILD, week="2026-W48", receipt=receipt, answer=Answer(3, 3))
    assert not await record_checkin(db, guild_id=GUILD, week="2026-W48", receipt=receipt, answer=Answer(1, 1))
    next_week = checkin_receipt(KEY, GUILD, 5, "2026-W49")
    assert await record_checkin(db, guild_id=GUILD, week="2026-W49", receipt=next_week, answer=Answer(4, 4))
    rows = await db.answers.fetchall("SELECT week, mood FROM open_checkins ORDER BY week")
    assert [tuple(r) for r in rows] == [("2026-W48", 3), ("2026-W49", 4)]
    await db.close()


async def test_insertion_order_is_not_storage_order(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    for n in range(40):
        await record_checkin(
            db,
            guild_id=GUILD,
            week="2026-W48",
            receipt=checkin_receipt(KEY, GUILD, n, "2026-W48"),
            answer=Answer(1 + n % 5, 3),
        )
    stored = [
        row["mood"]
        for row in await db.answers.fetchall("SELECT mood FROM open_checkins WHERE guild_id = ?", (GUILD,))
    ]
    assert sorted(stored) == sorted(1 + n % 5 for n in range(40))
    assert stored != [1 + n % 5 for n in range(40)]
    await db.close()
