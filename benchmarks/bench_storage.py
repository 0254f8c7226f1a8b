"""Benchmark 3: storage at scale. Check-in insert throughput, the /pulse query, database size.

Seeding: a sample goes through the real `record_checkin` and is timed, twice: one member at a
time (each check-in is its own batch: receipts file, answers file, each rewritten in key order)
and 50 members at once (issue 19: submissions made while a flush runs share the next one, so the
key-order rewrite and the commits are paid once per batch). Every commit on the anonymous files
waits for the disk (rollback journal, fsync), so the disk's own fsync time is measured beside.
The rest is batch-inserted through the same schema (random 16-byte keys, the same columns) in
one transaction per 100,000 rows, which is only setup. Receipts exist for the three newest weeks
only, as `prune_receipts` keeps them.

The /pulse query is exactly what /pulse runs: `answers_by_week` for 12 closed weeks of one guild,
then `pulse_series` over them, through the bot's own `Database` (aiosqlite).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import SECRET, Figure, median, percentile
from bot.aggregation import Answer, category_floor, pulse_series
from bot.anonymity import checkin_receipt, random_id
from bot.schedule import iso_week, previous_weeks
from bot.store import Database
from bot.store.checkins import answers_by_week, record_checkin
from bot.store.db import BUSY_TIMEOUT_MS

WEEKS = 52
PULSE_WEEKS = 12
TARGET_MS = 50.0
RECORD_TARGET = 2_000  # check-ins/s (issue 19)
CONCURRENT = 50
K = 5
TOPICS = (
    "publishing-limbo",
    "job-market",
    "compute-gap",
    "sudden-money",
    "lonely-startups",
    "social-anxiety",
    "imposter",
    "visa",
    "burnout",
    "advisor",
)


def _answer(rng: random.Random) -> tuple[int, int, str]:
    chosen = sorted(rng.sample(TOPICS, rng.randint(0, 3)))
    return rng.randint(1, 5), rng.randint(1, 5), ",".join(chosen)


async def _pulse_ms(db: Database, guild_id: int, weeks: list[str], current: str) -> float:
    started = time.perf_counter()
    answers = await answers_by_week(db, guild_id, weeks)
    pulse_series(weeks, current, answers, k=K, floor=category_floor(K))
    return (time.perf_counter() - started) * 1000


async def _backup_while_writing(
    path: Path, target: Path, guild_ids: list[int], week: str
) -> tuple[float, list[float]]:
    """Back up with one connection while another keeps calling record_checkin; (seconds, latencies ms)."""
    secret = SECRET.encode()
    writer, source = Database(path), Database(path)
    await writer.open()
    await source.open()
    latencies: list[float] = []
    done = asyncio.Event()

    async def keep_writing() -> None:
        n = 0
        while not done.is_set():
            started = time.perf_counter()
            await record_checkin(
                writer,
                guild_id=guild_ids[n % len(guild_ids)],
                week=week,
                receipt=checkin_receipt(secret, guild_ids[0], 10**9 + n, week),
                answer=Answer(3, 3, frozenset()),
            )
            latencies.append((time.perf_counter() - started) * 1000)
            n += 1

    try:
        task = asyncio.create_task(keep_writing())
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        await source.backup_to(target)
        seconds = time.perf_counter() - started
        done.set()
        await task
    finally:
        await writer.close()
        await source.close()
    return seconds, latencies


def _fsync_ms(workdir: Path) -> float:
    """The median time of one 4 KiB write and fsync on this disk (what each commit waits for)."""
    probe = workdir / "fsync.probe"
    times = []
    with probe.open("wb") as handle:
        for _ in range(50):
            started = time.perf_counter()
            handle.write(b"\0" * 4096)
            handle.flush()
            os.fsync(handle.fileno())
            times.append((time.perf_counter() - started) * 1000)
    probe.unlink()
    return median(times)


def _files_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


async def _at_once(path: Path, guild_ids: list[int], week: str, sample: int) -> tuple[float, float]:
    """`sample` check-ins, CONCURRENT members at a time, into fresh files; (check-ins/s, per flush).

    Fresh files, so the tables grow from empty exactly as in the sequential sample they are
    compared with (the key-order rewrite costs O(table) per flush).
    """
    secret = SECRET.encode()
    db = Database(path)
    await db.open()
    gate = asyncio.Semaphore(CONCURRENT)

    async def one(n: int) -> None:
        guild = guild_ids[n % len(guild_ids)]
        async with gate:
            counted = await record_checkin(
                db,
                guild_id=guild,
                week=week,
                receipt=checkin_receipt(secret, guild, n, week),
                answer=Answer(3, 3, frozenset()),
            )
        if not counted:
            raise RuntimeError("a fresh member's check-in was not counted")

    try:
        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(sample)))
        rate = sample / (time.perf_counter() - started)
        return rate, sample / max(1, db.checkins.flushes)
    finally:
        await db.close()


async def run(workdir: Path, *, total: int, guilds: int, sample: int) -> list[Figure]:
    """Seed `total` check-ins over `guilds` guilds and 52 weeks; time inserts and the /pulse query."""
    rng = random.Random(7)
    secret = SECRET.encode()
    path = workdir / "storage.sqlite3"
    current = iso_week(datetime.now(UTC), "UTC")
    weeks = previous_weeks(current, WEEKS)
    guild_ids = [10_000_000 + g for g in range(guilds)]
    db = Database(path)
    await db.open()
    try:
        # 1. The real write path, timed.
        started = time.perf_counter()
        for n in range(sample):
            guild = guild_ids[n % guilds]
            mood, energy, topics = _answer(rng)
            answer = Answer(mood, energy, frozenset(t for t in topics.split(",") if t))
            await record_checkin(
                db,
                guild_id=guild,
                week=current,
                receipt=checkin_receipt(secret, guild, n, current),
                answer=answer,
            )
        record_rate = sample / (time.perf_counter() - started)
        # The same two inserts into the same two files without the key-order rewrite, for comparison.
        started = time.perf_counter()
        for n in range(sample):
            async with db.receipts.transaction() as bare:
                await bare.execute(
                    "INSERT INTO receipts (receipt, week) VALUES (?, ?)",
                    (checkin_receipt(secret, 0, n, current), current),
                )
            async with db.answers.transaction() as bare:
                await bare.execute(
                    "INSERT INTO open_checkins (id, guild_id, week, mood, energy, topics)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (random_id(), guild_ids[n % guilds], current, 3, 3, ""),
                )
        bare_rate = sample / (time.perf_counter() - started)
    finally:
        await db.close()

    # 2. Setup: the rest in batches through the same schema.
    started = time.perf_counter()
    with sqlite3.connect(path, isolation_level=None) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        remaining = total - 2 * sample  # both timed samples are already in
        batch = 100_000
        n = 0
        while n < remaining:
            size = min(batch, remaining - n)
            rows = []
            for i in range(n, n + size):
                mood, energy, topics = _answer(rng)
                rows.append(
                    (random_id(), guild_ids[i % guilds], weeks[(i // guilds) % WEEKS], mood, energy, topics)
                )
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO checkins (id, guild_id, week, mood, energy, topics) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.execute("COMMIT")
            n += size
        recent = [*weeks[-2:], current]
        receipts_per_week = total // WEEKS
        with contextlib.closing(sqlite3.connect(path.with_name(path.name + "-receipts"))) as receipts:
            receipts.execute("BEGIN")
            receipts.executemany(
                "INSERT INTO receipts (receipt, week) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [
                    (checkin_receipt(secret, guild_ids[i % guilds], i, week), week)
                    for week in recent
                    for i in range(receipts_per_week)
                ],
            )
            receipts.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        count = conn.execute("SELECT count(*) FROM checkins").fetchone()[0]
    seed_rate = (total - 2 * sample) / (time.perf_counter() - started)
    size = _files_size(path)

    # 3. The /pulse query: warm (one long-lived connection, as the bot has) and first-after-open.
    pulse_weeks = weeks[-PULSE_WEEKS:]
    probes = rng.sample(guild_ids, min(200, guilds))
    db = Database(path)
    await db.open()
    try:
        first = await _pulse_ms(db, probes[0], pulse_weeks, current)
        warm = [await _pulse_ms(db, g, pulse_weeks, current) for g in probes for _ in range(2)]
        rows_per_query = sum(len(v) for v in (await answers_by_week(db, probes[0], pulse_weeks)).values())
    finally:
        await db.close()
    cold = []
    for g in probes[:20]:
        fresh = Database(path)
        await fresh.open()
        try:
            cold.append(await _pulse_ms(fresh, g, pulse_weeks, current))
        finally:
            await fresh.close()

    concurrent_rate, per_flush = await _at_once(workdir / "burst.sqlite3", guild_ids, current, sample)
    backup_seconds, during = await _backup_while_writing(path, workdir / "backup.sqlite3", guild_ids, current)

    section = f"3. Storage at scale ({count:,} check-ins, {guilds} guilds, {WEEKS} weeks)"
    p99 = percentile(warm, 99)
    cold_p99 = percentile(cold, 99)
    fsync = _fsync_ms(workdir)
    return [
        Figure(
            section,
            f"Check-in throughput (record_checkin), {CONCURRENT} members at once",
            concurrent_rate,
            "check-ins/s",
            f">= {RECORD_TARGET:,}/s",
            concurrent_rate >= RECORD_TARGET,
            note=f"sample of {sample:,}; {per_flush:.0f} check-ins per flush (group commit)",
        ),
        Figure(
            section,
            "Check-in throughput (record_checkin), one member at a time",
            record_rate,
            "check-ins/s",
            note=f"sample of {sample:,}, sequential: every check-in is a batch of one "
            "(three commits on the anonymous files, two key-order rewrites)",
        ),
        Figure(
            section,
            "The same two inserts, one commit each, without the key-order rewrite",
            bare_rate,
            "check-ins/s",
            note=f"for comparison; this disk's fsync takes {fsync:.2f} ms (median of 50)",
        ),
        Figure(section, "Batch seeding throughput (setup only)", seed_rate, "rows/s"),
        Figure(
            section,
            "/pulse query p50 (12 weeks, one guild)",
            median(warm),
            "ms",
            note=f"{rows_per_query} rows per query, n={len(warm)}",
        ),
        Figure(section, "/pulse query p99", p99, "ms", f"<= {TARGET_MS:.0f} ms", p99 <= TARGET_MS),
        Figure(
            section,
            "/pulse query p99, first query on a fresh connection",
            cold_p99,
            "ms",
            f"<= {TARGET_MS:.0f} ms",
            cold_p99 <= TARGET_MS,
            note=f"n={len(cold)}; very first query: {first:.1f} ms",
        ),
        Figure(
            section,
            "Online backup of this database (Database.backup_to)",
            backup_seconds,
            "s",
            note="what `python -m bot backup` runs, while check-ins are being written",
        ),
        Figure(
            section,
            "record_checkin during that backup, max",
            max(during, default=float("nan")),
            "ms",
            note=f"n={len(during)}; p50 {median(during):.1f} ms (busy_timeout "
            f"{BUSY_TIMEOUT_MS / 1000:g} s; the anonymous files are not part of the backup)",
        ),
        Figure(
            section,
            "Database size",
            size / 1024 / 1024,
            "MiB",
            note=f"{size / count:.0f} bytes per check-in, indexes and {receipts_per_week * 3:,} "
            "receipts included",
        ),
    ]
