"""Issue 11 on real database files: retention, checkpoints that report busy, the key check, rotation."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.aggregation import Answer
from bot.anonymity import checkin_receipt, legacy_member_key, member_key, open_user, seal_user
from bot.keys import KeyMismatch, rekey, upgrade_legacy_seals, verify_key
from bot.retention import forget_what_is_due
from bot.schedule import WeeklySlot
from bot.store import Database, shares
from bot.store import subscriptions as subs
from bot.store.checkins import has_receipt, record_checkin
from tests.backends import open_store, sqlite_only

KEY = b"retention-test-key-0123456789abcdef0123"
NEW = b"rotated-test-key-0123456789abcdef012345"
GUILD = 77
NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)  # Wednesday of 2026-W49


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = open_store(tmp_path / "k.sqlite3")
    await database.open()
    yield database
    await database.close()


def subscription(user: int, secret: bytes = KEY, kind: str = "checkin") -> subs.Subscription:
    return subs.Subscription(
        member=member_key(secret, GUILD, user),
        guild_id=GUILD,
        kind=kind,
        recipient=seal_user(secret, user, guild_id=GUILD, purpose=f"subscription:{kind}"),
        slot=WeeklySlot(0, time(9, 30), "UTC"),
        next_due=NOW + timedelta(days=5),
    )


async def test_files_are_private_to_kindred(db: Database) -> None:
    for path in db.files:
        assert path.stat().st_mode & 0o777 == 0o600, path.name


def busy_since(db: Database) -> datetime | None:
    """Read afresh (a plain attribute access stays narrowed across the awaits that change it)."""
    return db.checkpoint_busy_since


@sqlite_only
async def test_a_busy_checkpoint_is_noticed_and_clears(db: Database) -> None:
    await db.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
    reader = sqlite3.connect(db.path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM meta").fetchone()  # a read transaction, as a sqlite3 shell holds
    await db.execute("UPDATE meta SET value = 'z' WHERE key = 'x'")
    assert await db.checkpoint(attempts=2) is False
    assert busy_since(db) is not None
    reader.execute("COMMIT")
    reader.close()
    assert await db.checkpoint() is True
    assert busy_since(db) is None
    assert not db.path.with_name("k.sqlite3-wal").stat().st_size


async def test_deliveries_keep_one_outcome_are_pruned_and_go_with_the_subscription(db: Database) -> None:
    sub = subscription(1)
    await subs.save_subscription(db, sub, NOW)
    await subs.complete_delivery(db, sub, "2026-W45", True, sub.next_due)
    await subs.complete_delivery(db, sub, "2026-W49", True, sub.next_due)
    assert [r["outcome"] for r in await db.fetchall("SELECT outcome FROM deliveries")] == ["done", "done"]
    await forget_what_is_due(db, NOW)
    assert await subs.deliveries_of(db, [sub.member]) == [(GUILD, "checkin", "2026-W49")]
    await subs.remove_subscription(db, sub.member, GUILD, "checkin")
    assert await subs.deliveries_of(db, [sub.member]) == []


async def test_share_counts_blocks_and_review_shares_do_not_outlive_their_use(db: Database) -> None:
    today = NOW.date().isoformat()
    assert await shares.take_quota(db, GUILD, "author", "2026-12-01", 3)
    assert await shares.take_quota(db, GUILD, "author", today, 3)
    assert [r["day"] for r in await db.fetchall("SELECT day FROM share_quota")] == [today]
    await shares.block(db, GUILD, "author", "2026-12-05")
    assert await shares.is_blocked(db, GUILD, ["other", "author"], today)
    assert not await shares.is_blocked(db, GUILD, ["author"], "2026-12-05")
    await shares.hold(db, GUILD, "text", None, "author", state="review", expires_on="2026-12-02")
    await shares.hold(db, GUILD, "later", None, "author", state="review", expires_on="2026-12-09")
    await forget_what_is_due(db, NOW)
    assert [r["body"] for r in await db.fetchall("SELECT body FROM pending_shares")] == ["later"]
    await forget_what_is_due(db, NOW + timedelta(days=3))
    assert await db.fetchone("SELECT 1 FROM share_blocks") is None


async def test_receipts_are_kept_for_the_open_weeks_and_the_one_before(db: Database) -> None:
    for week, user in (("2026-W47", 1), ("2026-W48", 2), ("2026-W49", 3)):
        assert await record_checkin(
            db,
            guild_id=GUILD,
            week=week,
            receipt=checkin_receipt(KEY, GUILD, user, week),
            answer=Answer(3, 3),
        )
    await forget_what_is_due(db, NOW)
    assert not await has_receipt(db, checkin_receipt(KEY, GUILD, 1, "2026-W47"))
    assert await has_receipt(db, checkin_receipt(KEY, GUILD, 2, "2026-W48"))
    assert await has_receipt(db, checkin_receipt(KEY, GUILD, 3, "2026-W49"))


async def test_the_key_check_refuses_another_key_unless_told(db: Database) -> None:
    await verify_key(db, KEY)
    await verify_key(db, KEY)
    with pytest.raises(KeyMismatch, match="another secret key"):
        await verify_key(db, NEW)
    await verify_key(db, NEW, accept_new=True)
    await verify_key(db, NEW)


async def test_rotation_reseals_subscriptions_and_drops_what_cannot_be_carried(db: Database) -> None:
    await verify_key(db, KEY)
    await subs.save_subscription(db, subscription(5), NOW)
    await shares.block(db, GUILD, "author", "2027-01-01")
    await record_checkin(
        db,
        guild_id=GUILD,
        week="2026-W49",
        receipt=checkin_receipt(KEY, GUILD, 5, "2026-W49"),
        answer=Answer(2, 2),
    )
    done = await rekey(db, KEY, NEW)
    assert (done.subscriptions, done.unreadable, done.receipts_dropped, done.blocks_dropped) == (1, 0, 1, 1)
    [sub] = await subs.subscriptions_of(db, [member_key(NEW, GUILD, 5)])
    assert open_user(NEW, sub.recipient, guild_id=GUILD, purpose="subscription:checkin") == 5
    await verify_key(db, NEW)
    with pytest.raises(KeyMismatch):
        await verify_key(db, KEY)


async def test_version_1_rows_are_upgraded_in_place(tmp_path: Path) -> None:
    import hashlib
    import hmac

    def mac(label: str, *parts: object) -> bytes:
        return hmac.new(KEY, "\x1f".join([label, *(str(p) for p in parts)]).encode(), hashlib.sha256).digest()

    nonce = bytes(16)
    cipher = bytes(
        a ^ b
        for a, b in zip(
            (9).to_bytes(8, "big"), mac("kindred/seal-stream/v1", nonce.hex(), 0)[:8], strict=True
        )
    )
    legacy = nonce + cipher + mac("kindred/seal-tag/v1", (nonce + cipher).hex())[:16]
    db = Database(tmp_path / "k.sqlite3")
    await db.open()
    old = subs.Subscription(
        member=legacy_member_key(KEY, 9),
        guild_id=GUILD,
        kind="prompt",
        recipient=legacy,
        slot=WeeklySlot(1, time(8), "UTC"),
        next_due=NOW,
    )
    await subs.save_subscription(db, old, NOW)
    assert await upgrade_legacy_seals(db, KEY) == 1
    [sub] = await subs.subscriptions_of(db, [member_key(KEY, GUILD, 9)])
    assert open_user(KEY, sub.recipient, guild_id=GUILD, purpose="subscription:prompt") == 9
    assert await upgrade_legacy_seals(db, KEY) == 0
    await db.close()


@sqlite_only
async def test_kindred_0_1_check_ins_move_out_of_the_main_file(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    db = Database(path)
    await db.open()
    await db.close()
    with sqlite3.connect(path) as raw:  # what 0.1 left: receipts and answers in the main file
        raw.execute(
            "CREATE TABLE checkin_receipts (receipt BLOB PRIMARY KEY, week TEXT NOT NULL) STRICT, WITHOUT ROWID"
        )
        raw.execute("INSERT INTO checkin_receipts VALUES (x'01', '2026-W49')")
        raw.execute("INSERT INTO checkins VALUES (x'02', ?, '2026-W49', 3, 3, 'money')", (GUILD,))
    db = Database(path)
    await db.open()
    assert await has_receipt(db, b"\x01")
    assert await db.answers.fetchone("SELECT 1 FROM open_checkins WHERE topics = 'money'") is not None
    assert await db.fetchone("SELECT 1 FROM sqlite_master WHERE name = 'checkin_receipts'") is None
    assert await db.fetchone("SELECT 1 FROM checkins") is None
    await db.close()
    assert b"money" not in path.read_bytes()


@sqlite_only
def test_check_looks_at_both_anonymous_files_too(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = tmp_path / "k.sqlite3"
    sqlite3.connect(path).close()
    answers = tmp_path / "k.sqlite3-answers"
    answers.write_bytes(b"\x00not a database at all\x00" * 256)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_"))}
    env |= {"DISCORD_TOKEN": "offline.check.token", "KINDRED_DB_PATH": str(path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 1
    assert "k.sqlite3-answers" in result.stderr


async def test_rotation_reseals_check_on_me_reminders_and_drops_unreadable_ones(db: Database) -> None:
    from bot.keys import REMINDER_PURPOSE
    from bot.store import calendar as calendar_store

    due = datetime(2026, 5, 14, 9, 0, tzinfo=UTC)
    readable = seal_user(KEY, 42, guild_id=7, purpose=REMINDER_PURPOSE)
    foreign = seal_user(b"some-other-key-0123456789abcdef0123456", 43, guild_id=7, purpose=REMINDER_PURPOSE)
    await calendar_store.set_reminder(db, b"r1", member_key(KEY, 7, 42), 7, readable, "en", due)
    await calendar_store.set_reminder(db, b"r2", member_key(KEY, 7, 43), 7, foreign, "en", due)
    await rekey(db, KEY, NEW)
    [reminder] = await calendar_store.due_reminders(db, due)
    assert open_user(NEW, reminder.recipient, guild_id=7, purpose=REMINDER_PURPOSE) == 42
    assert await calendar_store.reminders_of(db, [member_key(NEW, 7, 42)]) == [(7, due)]
