"""Measure how well whoever holds a PostgreSQL kindred database could pair answers with receipts.

    .venv/bin/python scripts/measure_pg_pairing.py postgresql://user@host/postgres [--seeds 5]

For each seed, a fresh database `kindred_pairing` gets 300 check-ins from three labs (k = 3, 4, 5)
in a shuffled order, some one at a time and some two or three together, through the real
`record_checkin`. Then it reads what the server stores, as the database's holder could: every
receipt's and answer's `xmin`, every answer's `ctid`. The holder is given more than they have:
the key (so each receipt names its member) and, for each batch of answers, exactly which members'
receipts belong to it. The attack pairs the i-th answer of a batch by `ctid` with the i-th of
those receipts by `xmin`. Chance is one right guess per batch. The test
`tests/integration/test_pg_store.py` asserts the same on every CI run; this prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import random
from collections import defaultdict
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.aggregation import Answer
from bot.anonymity import checkin_receipt
from bot.schedule import iso_week
from bot.store.checkins import record_checkin
from bot.store.guilds import get_settings, save_settings, with_changes
from bot.store.pg import PgDatabase

KEY = b"pairing-measure-key-0123456789abcdef0123"
NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
WEEK = iso_week(NOW, "UTC")
LABS = {1: 3, 2: 5, 3: 4}  # guild -> k
MEMBERS = 100


def _ctid(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.strip("()").split(","))


async def one_run(server: str, seed: int) -> tuple[int, int, int, int, int]:
    """(attack hits, guesses, batches, xmins shared by a receipt and an answer, smallest batch)."""
    parts = urlsplit(server)
    admin = await asyncpg.connect(server)
    try:
        await admin.execute("DROP DATABASE IF EXISTS kindred_pairing WITH (FORCE)")
        await admin.execute("CREATE DATABASE kindred_pairing")
    finally:
        await admin.close()
    url = urlunsplit((parts.scheme, parts.netloc, "/kindred_pairing", "", ""))
    db = PgDatabase(url)
    await db.open()
    for guild, k in LABS.items():
        await save_settings(db, with_changes(await get_settings(db, guild), k_threshold=k), NOW)
    arrivals = [(g, m) for g in LABS for m in range(MEMBERS)]
    random.Random(seed).shuffle(arrivals)  # noqa: S311 - a reproducible order, not a secret
    together = random.Random(seed + 1)  # noqa: S311

    async def check_in(guild: int, member: int) -> None:
        receipt = checkin_receipt(KEY, guild, member, WEEK)
        answer = Answer(3, 3, frozenset({f"m{member}"}))  # the member rides along, for scoring only
        await record_checkin(db, guild_id=guild, week=WEEK, receipt=receipt, answer=answer)

    i = 0
    while i < len(arrivals):
        n = together.choice([1, 1, 1, 2, 3])
        await asyncio.gather(*(check_in(g, m) for g, m in arrivals[i : i + n]))
        i += n
    conn = await asyncpg.connect(url)
    try:
        receipts = await conn.fetch("SELECT receipt, xmin::text::bigint AS x FROM receipts")
        answers = await conn.fetch(
            "SELECT guild_id, topics, xmin::text::bigint AS x, ctid::text AS c FROM open_checkins"
        )
    finally:
        await conn.close()
    db.held_checkins.carry_file = None  # what is still held is not part of the measurement
    await db.close()
    truth = {checkin_receipt(KEY, g, m, WEEK): (g, f"m{m}") for g, m in arrivals}
    batches: dict[int, list[asyncpg.Record]] = defaultdict(list)
    for a in answers:
        batches[a["x"]].append(a)
    shared = len({r["x"] for r in receipts} & {a["x"] for a in answers})
    hits = guesses = 0
    for rows in batches.values():
        guild, topics = rows[0]["guild_id"], {a["topics"] for a in rows}
        members = sorted(
            (
                r
                for r in receipts
                if truth[bytes(r["receipt"])][0] == guild and truth[bytes(r["receipt"])][1] in topics
            ),
            key=lambda r: r["x"],
        )
        owners = [truth[bytes(r["receipt"])][1] for r in members]
        for position, a in enumerate(sorted(rows, key=lambda a: _ctid(a["c"]))):
            guesses += 1
            hits += owners[position] == a["topics"]
    return hits, guesses, len(batches), shared, min(len(rows) for rows in batches.values())


async def main() -> None:
    """Run every seed and print each run's figures and the total."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("server", help="a PostgreSQL URL of a database to create others from")
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    total_hits = total_guesses = total_batches = 0
    for seed in range(args.seeds):
        hits, guesses, batches, shared, smallest = await one_run(args.server, seed)
        total_hits, total_guesses, total_batches = (
            total_hits + hits,
            total_guesses + guesses,
            total_batches + batches,
        )
        print(
            f"seed {seed}: {guesses} answers written in {batches} batches (smallest {smallest}); "
            f"xmins shared with a receipt: {shared}; attack {hits}/{guesses}, chance {batches}/{guesses}"
        )
    print(
        f"all seeds: attack {total_hits}/{total_guesses} = {total_hits / total_guesses:.3f}, "
        f"chance {total_batches}/{total_guesses} = {total_batches / total_guesses:.3f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
