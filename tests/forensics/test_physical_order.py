"""Issue 11: no page, cell offset, journal or backup pairs a check-in's answer with its receipt.

These tests read the raw files (tests/forensics/sqlite_pages.py), as whoever holds the disk
could, after many check-ins through the real store functions. A control built the way kindred
0.1 stored check-ins (one file, one transaction, a WAL) shows the same attack succeeding, so the
tests can see what they look for.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.aggregation import Answer
from bot.anonymity import checkin_receipt, random_id
from bot.store import Database
from bot.store.checkins import close_weeks, record_checkin
from bot.store.guilds import GuildSettings, save_settings
from tests.forensics.sqlite_pages import Cell, blob, cells_of, physical_rank, spearman

KEY = b"forensic-test-key-0123456789abcdef0123"
GUILD = 424242
WEEK = "2026-W48"
MEMBERS = 150
# Under chance the rank correlation of n=150 has sd ~0.082: 0.3 is more than 3.5 sd.
CHANCE_RHO = 0.3
# Pairing i-th receipt with i-th answer is right ~once by chance (Poisson(1): P(>= 8) < 1e-5).
CHANCE_PAIRS = 8


def topic(n: int) -> str:
    return f"t{n:03d}"


def answers_in(path: Path) -> list[Cell]:
    return [
        c
        for c in cells_of(path)
        if len(c.values) == 6 and isinstance(c.values[5], str) and c.values[5].startswith("t")
    ]


def receipts_in(path: Path, receipts: dict[bytes, int]) -> list[Cell]:
    return [c for c in cells_of(path) if c.values and c.values[0] in receipts]


def arrival_order(
    answer_cells: list[Cell], receipt_cells: list[Cell], receipts: dict[bytes, int]
) -> tuple[list[int], list[int]]:
    """Submission index of each answer and each receipt, in physical order."""
    answers = [int(str(c.values[5])[1:]) for c in physical_rank(answer_cells)]
    owners = [receipts[blob(c.values[0])] for c in physical_rank(receipt_cells)]
    return answers, owners


def right_pairs(answers: list[int], owners: list[int]) -> int:
    """How many members the attack "i-th receipt wrote i-th answer" names correctly."""
    return sum(a == o for a, o in zip(answers, owners, strict=True))


async def check_in_everyone(db: Database, order: list[int]) -> dict[bytes, int]:
    receipts = {}
    for n in order:
        receipt = checkin_receipt(KEY, GUILD, 10_000 + n, WEEK)
        receipts[receipt] = n
        assert await record_checkin(
            db,
            guild_id=GUILD,
            week=WEEK,
            receipt=receipt,
            answer=Answer(1 + n % 5, 1 + n % 3, frozenset({topic(n)})),
        )
    return receipts


def snapshot(db: Database, folder: Path) -> Path:
    folder.mkdir()
    for path in db.path.parent.glob(db.path.name + "*"):
        shutil.copyfile(path, folder / path.name)
    return folder


async def test_the_control_shows_the_attack_works_on_one_file_with_one_transaction(tmp_path: Path) -> None:
    """How kindred 0.1 stored check-ins: the raw pages pair every answer with its receipt."""
    conn = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    conn.executescript(
        "PRAGMA journal_mode = WAL; PRAGMA secure_delete = ON;"
        "CREATE TABLE checkins (id BLOB PRIMARY KEY, guild_id INTEGER, week TEXT, mood INTEGER,"
        " energy INTEGER, topics TEXT) STRICT, WITHOUT ROWID;"
        "CREATE TABLE checkin_receipts (receipt BLOB PRIMARY KEY, week TEXT) STRICT, WITHOUT ROWID;"
    )
    receipts = {}
    for n in range(60):
        receipt = checkin_receipt(KEY, GUILD, 10_000 + n, WEEK)
        receipts[receipt] = n
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO checkin_receipts VALUES (?, ?)", (receipt, WEEK))
        conn.execute("INSERT INTO checkins VALUES (?, ?, ?, 3, 3, ?)", (random_id(), GUILD, WEEK, topic(n)))
        conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    path = tmp_path / "old.sqlite3"
    answer_cells, receipt_cells = answers_in(path), receipts_in(path, receipts)
    # Within each page, offsets fall as rows arrive: sorting by offset recovers arrival order.
    by_offset_answers = [
        int(str(c.values[5])[1:]) for c in sorted(answer_cells, key=lambda c: (c.page, -c.offset))
    ]
    by_offset_owners = [
        receipts[blob(c.values[0])] for c in sorted(receipt_cells, key=lambda c: (c.page, -c.offset))
    ]
    assert right_pairs(by_offset_answers, by_offset_owners) == 60


async def test_raw_pages_of_both_files_pair_no_better_than_chance(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    await db.open()
    order = list(range(MEMBERS))
    random.Random(11).shuffle(order)
    receipts = await check_in_everyone(db, order[: MEMBERS // 2])
    middle = snapshot(db, tmp_path / "middle")
    receipts |= await check_in_everyone(db, order[MEMBERS // 2 :])
    final = snapshot(db, tmp_path / "final")  # taken while kindred holds the files open
    await db.close()
    for folder, arrived in ((middle, order[: MEMBERS // 2]), (final, order)):
        answer_cells = answers_in(folder / "k.sqlite3-answers")
        receipt_cells = receipts_in(folder / "k.sqlite3-receipts", receipts)
        assert len(answer_cells) == len(receipt_cells) == len(arrived)  # every row found, once
        arrival = {n: i for i, n in enumerate(arrived)}
        for key in (lambda c: (c.page, c.offset), lambda c: (c.page, -c.offset)):
            answers = [arrival[int(str(c.values[5])[1:])] for c in sorted(answer_cells, key=key)]
            owners = [arrival[receipts[blob(c.values[0])]] for c in sorted(receipt_cells, key=key)]
            assert abs(spearman(list(range(len(answers))), answers)) < CHANCE_RHO
            assert abs(spearman(list(range(len(owners))), owners)) < CHANCE_RHO
            assert right_pairs(answers, owners) < CHANCE_PAIRS


async def test_no_journal_keeps_history_and_freed_space_holds_no_old_copy(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    await db.open()
    receipts = await check_in_everyone(db, list(range(40)))
    copy = snapshot(db, tmp_path / "copy")
    await db.close()
    names = {p.name for p in copy.iterdir()}
    # The anonymous files use a rollback journal deleted at each commit: no WAL, no journal left.
    assert not names & {
        "k.sqlite3-answers-wal",
        "k.sqlite3-receipts-wal",
        "k.sqlite3-answers-journal",
        "k.sqlite3-receipts-journal",
    }
    answers = (copy / "k.sqlite3-answers").read_bytes()
    for n in range(40):
        assert answers.count(f"{topic(n)}".encode()) == 1  # rewritten 40 times, kept once
    receipts_raw = (copy / "k.sqlite3-receipts").read_bytes()
    assert all(receipts_raw.count(r) == 1 for r in receipts)
    main = b"".join(
        (copy / n).read_bytes() for n in ("k.sqlite3", "k.sqlite3-wal", "k.sqlite3-shm") if n in names
    )
    assert "k.sqlite3" in names
    assert not any(r in main for r in receipts) and b"t001" not in main


async def test_two_backups_do_not_show_who_arrived_between_them(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    await db.open()
    await check_in_everyone(db, list(range(20)))
    await db.backup_to(tmp_path / "monday.sqlite3")
    await check_in_everyone(db, list(range(20, 45)))
    await db.backup_to(tmp_path / "tuesday.sqlite3")
    for name in ("monday.sqlite3", "tuesday.sqlite3"):
        copy = sqlite3.connect(tmp_path / name)
        assert copy.execute("SELECT count(*) FROM checkins").fetchone()[0] == 0  # the open week stays out
        assert (
            copy.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE '%receipt%'").fetchone()[0] == 0
        )
        copy.close()
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
    # Once the week has ended everywhere, it moves into the main file at once, in key order.
    after = datetime(2026, 11, 30, 12, 30, tzinfo=UTC)  # Monday of W49, 12:30 UTC
    await save_settings(db, GuildSettings(GUILD, k_threshold=5), after)
    assert await close_weeks(db, after - timedelta(hours=1)) == 0  # still Sunday at UTC-12
    assert await close_weeks(db, after) == 1
    await db.backup_to(tmp_path / "later.sqlite3")
    await db.close()
    copy = sqlite3.connect(tmp_path / "later.sqlite3")
    assert copy.execute("SELECT count(*) FROM checkins WHERE week = ?", (WEEK,)).fetchone()[0] == 45
    copy.close()
    cells = [c for c in cells_of(tmp_path / "later.sqlite3") if len(c.values) == 6 and c.values[2] == WEEK]
    arrived = [int(str(c.values[5])[1:]) for c in physical_rank(cells)]
    assert abs(spearman(list(range(len(arrived))), arrived)) < 0.4  # n=45: sd ~0.15


async def test_a_week_below_k_is_dropped_when_it_closes(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    await db.open()
    await check_in_everyone(db, list(range(4)))
    after = datetime(2026, 11, 30, 12, 30, tzinfo=UTC)
    await save_settings(db, GuildSettings(GUILD, k_threshold=5), after)
    assert await close_weeks(db, after) == 0
    assert await db.fetchone("SELECT 1 FROM checkins") is None
    assert await db.answers.fetchone("SELECT 1 FROM open_checkins") is None
    await db.close()
