"""The same store work on SQLite and on PostgreSQL, in one run (issue 21).

    .venv/bin/python -m benchmarks.bench_backends [--url postgresql://...] [--rows 200000] [--sample 600]

Without `--url` (or KINDRED_BENCH_DATABASE_URL) it starts a throwaway server with scripts/pg-server
(root: installs Debian's postgresql if missing) and stops it afterwards. For each backend:

- check-in throughput through the real `record_checkin`: one member at a time, and 50 at once;
  on SQLite every check-in is on disk before the member is thanked (group commit); on PostgreSQL
  the receipt is, and the answer joins its lab's batch of k (bot.store.pg.HeldCheckins);
- the /pulse query exactly as /pulse runs it (`answers_by_week` for 12 closed weeks of one guild,
  then `pulse_series`), p50 and p99 over 200 queries, on `--rows` closed check-ins over 100 guilds
  and 52 weeks, seeded in bulk (setup only, not timed).

The figure that counts is each backend's own, measured here on the same machine in the same run;
writes `benchmarks/RESULTS-backends.md`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from benchmarks.common import REPO_ROOT, machine, median, percentile
from bot.aggregation import Answer, category_floor, pulse_series
from bot.anonymity import checkin_receipt, random_id
from bot.schedule import iso_week, previous_weeks
from bot.store import Database
from bot.store.checkins import answers_by_week, record_checkin
from bot.store.pg import PgDatabase

KEY = b"benchmark-backends-key-0123456789abcdef01"
GUILDS = 100
WEEKS = 52
PULSE_WEEKS = 12
AT_ONCE = 50
K = 5


def _answer(rng: random.Random) -> Answer:
    topics = frozenset(
        rng.sample(("job-market", "compute-gap", "burnout", "visa", "advisor"), rng.randint(0, 2))
    )
    return Answer(rng.randint(1, 5), rng.randint(1, 5), topics)


async def _throughput(db: Database, week: str, sample: int, *, at_once: int) -> float:
    rng = random.Random(at_once)
    base = 1_000_000 * at_once

    async def one(n: int) -> None:
        guild = 1 + n % 10
        receipt = checkin_receipt(KEY, guild, base + n, week)
        assert await record_checkin(db, guild_id=guild, week=week, receipt=receipt, answer=_answer(rng))

    started = time.perf_counter()
    for start in range(0, sample, at_once):
        await asyncio.gather(*(one(n) for n in range(start, min(sample, start + at_once))))
    return sample / (time.perf_counter() - started)


def _closed_rows(total: int) -> list[tuple[bytes, int, str, int, int, str]]:
    rng = random.Random(21)
    weeks = previous_weeks(iso_week(datetime.now(UTC), "UTC"), WEEKS)
    rows = []
    for n in range(total):
        answer = _answer(rng)
        rows.append(
            (random_id(), 10_000 + n % GUILDS, weeks[(n // GUILDS) % WEEKS], answer.mood, answer.energy,
             ",".join(sorted(answer.topics)))
        )  # fmt: skip
    return rows


async def _pulse(db: Database, rounds: int) -> list[float]:
    current = iso_week(datetime.now(UTC), "UTC")
    weeks = previous_weeks(current, PULSE_WEEKS)
    rng = random.Random(3)
    times = []
    for _ in range(rounds):
        guild = 10_000 + rng.randrange(GUILDS)
        started = time.perf_counter()
        answers = await answers_by_week(db, guild, weeks)
        pulse_series(weeks, current, answers, k=K, floor=category_floor(K))
        times.append((time.perf_counter() - started) * 1000)
    return times


async def sqlite_figures(folder: Path, rows: Sequence[tuple[object, ...]], sample: int) -> dict[str, float]:
    week = iso_week(datetime.now(UTC), "UTC")
    db = Database(folder / "bench.sqlite3")
    await db.open()
    try:
        one = await _throughput(db, week, sample, at_once=1)
        many = await _throughput(db, week, sample, at_once=AT_ONCE)
    finally:
        await db.close()
    with sqlite3.connect(folder / "bench.sqlite3") as conn:
        conn.executemany("INSERT INTO checkins VALUES (?, ?, ?, ?, ?, ?)", rows)
    db = Database(folder / "bench.sqlite3")
    await db.open()
    try:
        await _pulse(db, 20)  # warm-up
        pulse = await _pulse(db, 200)
    finally:
        await db.close()
    return {"one": one, "many": many, "p50": median(pulse), "p99": percentile(pulse, 99)}


async def postgres_figures(url: str, rows: Sequence[tuple[object, ...]], sample: int) -> dict[str, float]:
    parts = urlsplit(url)
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    bench_url = urlunsplit((parts.scheme, parts.netloc, "/kindred_bench", "", ""))
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute("DROP DATABASE IF EXISTS kindred_bench WITH (FORCE)")
        await admin.execute("CREATE DATABASE kindred_bench")
    finally:
        await admin.close()
    week = iso_week(datetime.now(UTC), "UTC")
    db = PgDatabase(bench_url)
    await db.open()
    try:
        one = await _throughput(db, week, sample, at_once=1)
        many = await _throughput(db, week, sample, at_once=AT_ONCE)
        conn = await asyncpg.connect(bench_url)
        try:
            await conn.copy_records_to_table("checkins", records=rows)
            await conn.execute("ANALYZE checkins")
        finally:
            await conn.close()
        await _pulse(db, 20)
        pulse = await _pulse(db, 200)
    finally:
        await db.close()
    return {"one": one, "many": many, "p50": median(pulse), "p99": percentile(pulse, 99)}


def _server() -> tuple[str, bool]:
    given = os.environ.get("KINDRED_BENCH_DATABASE_URL", "").strip()
    if given:
        return given, False
    started = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "pg-server"), "start"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "KINDRED_PG_PORT": "54339"},
    )
    return started.stdout.strip(), True


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="", help="a PostgreSQL server URL (default: start one)")
    parser.add_argument("--rows", type=int, default=200_000, help="closed check-ins behind /pulse")
    parser.add_argument("--sample", type=int, default=600, help="check-ins timed per mode")
    args = parser.parse_args()
    url, ours = (args.url, False) if args.url else _server()
    rows = _closed_rows(args.rows)
    try:
        with tempfile.TemporaryDirectory() as folder:
            lite = await sqlite_figures(Path(folder), rows, args.sample)
        pg = await postgres_figures(url, rows, args.sample)
    finally:
        if ours:
            subprocess.run(
                ["bash", str(REPO_ROOT / "scripts" / "pg-server"), "stop"],
                check=False,
                env={**os.environ, "KINDRED_PG_PORT": "54339"},
            )
    lines = [
        f"{args.rows:,} closed check-ins ({GUILDS} guilds, {WEEKS} weeks);"
        f" {args.sample} check-ins timed per mode",
        f"{'':44} {'SQLite':>12} {'PostgreSQL':>12}",
        f"{'record_checkin, one member at a time (/s)':44} {lite['one']:>12,.0f} {pg['one']:>12,.0f}",
        f"{f'record_checkin, {AT_ONCE} members at once (/s)':44} {lite['many']:>12,.0f} {pg['many']:>12,.0f}",
        f"{'/pulse query p50 (ms)':44} {lite['p50']:>12.2f} {pg['p50']:>12.2f}",
        f"{'/pulse query p99 (ms)':44} {lite['p99']:>12.2f} {pg['p99']:>12.2f}",
    ]
    print("\n".join(lines))
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ")
    server = "a local server started by scripts/pg-server" if ours else "the server given"
    report = (
        "# Store on both backends (issue 21)\n\n"
        f"Recorded {stamp} with `.venv/bin/python -m benchmarks.bench_backends` against {server} "
        "on the same machine (PostgreSQL over TCP on 127.0.0.1, fsync on).\n\n"
        f"```\nmachine: {machine()}\n" + "\n".join(lines) + "\n```\n"
    )
    (REPO_ROOT / "benchmarks" / "RESULTS-backends.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
