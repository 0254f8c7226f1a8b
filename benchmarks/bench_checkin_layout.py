"""What the forensic-proof check-in costs: record_checkin against kindred 0.1's way, in one run.

    .venv/bin/python -m benchmarks.bench_checkin_layout [--members 300] [--rounds 3]

kindred 0.1 wrote the receipt and the answer in one transaction to the main WAL file and then
checkpointed (TRUNCATE) after every check-in. kindred now writes them to two rollback-journal
files in two transactions and lays each table out again in key order (issue 11). Both run here
on the same machine, in the same process, on fresh files, for one lab of `--members` members
checking in during one open week. The figure that counts is the ratio in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, percentile
from bot.aggregation import Answer
from bot.anonymity import checkin_receipt, random_id
from bot.store import Database
from bot.store.checkins import record_checkin

KEY = b"benchmark-layout-key-0123456789abcdef0123"
WEEK = "2026-W49"


async def current_way(folder: Path, members: int) -> list[float]:
    db = Database(folder / "k.sqlite3")
    await db.open()
    times = []
    for n in range(members):
        started = time.perf_counter()
        await record_checkin(
            db,
            guild_id=1,
            week=WEEK,
            receipt=checkin_receipt(KEY, 1, n, WEEK),
            answer=Answer(1 + n % 5, 1 + n % 3, frozenset({"money"})),
        )
        times.append(time.perf_counter() - started)
    await db.close()
    return times


def old_way(folder: Path, members: int) -> list[float]:
    conn = sqlite3.connect(folder / "old.sqlite3", isolation_level=None)
    conn.executescript(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;"
        "CREATE TABLE checkins (id BLOB PRIMARY KEY, guild_id INTEGER, week TEXT, mood INTEGER,"
        " energy INTEGER, topics TEXT) STRICT, WITHOUT ROWID;"
        "CREATE TABLE checkin_receipts (receipt BLOB PRIMARY KEY, week TEXT) STRICT, WITHOUT ROWID;"
    )
    times = []
    for n in range(members):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO checkin_receipts VALUES (?, ?)", (checkin_receipt(KEY, 1, n, WEEK), WEEK))
        conn.execute("INSERT INTO checkins VALUES (?, 1, ?, 3, 3, 'money')", (random_id(), WEEK))
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        times.append(time.perf_counter() - started)
    conn.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    new: list[float] = []
    old: list[float] = []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            old += old_way(Path(tmp), args.members)
            new += asyncio.run(current_way(Path(tmp), args.members))
    print(f"machine: {machine()}")
    print(f"{args.rounds} rounds of {args.members} check-ins in one open week")
    for name, times in (
        ("kindred 0.1 (one WAL transaction + checkpoint)", old),
        ("kindred now (two files, key-order layout)", new),
    ):
        print(
            f"  {name}: p50 {percentile(times, 50) * 1000:.2f} ms,"
            f" p99 {percentile(times, 99) * 1000:.2f} ms, "
            f"{len(times) / sum(times):.0f} check-ins/s"
        )
    print(
        f"  ratio now/0.1: p50 {percentile(new, 50) / percentile(old, 50):.2f}x, "
        f"p99 {percentile(new, 99) / percentile(old, 99):.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
