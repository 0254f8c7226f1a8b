"""Anonymous check-ins: answers without identity, and receipts without answers.

Where each piece lives, and why (the anonymity model in DESIGN.md):

- A receipt (keyed HMAC of guild, member, week) lives in the receipts file; the answer of an
  open week in the answers file. They are written in separate transactions on the two files,
  receipts first, so no page, journal or commit holds them side by side. Check-ins submitted
  together are written as one batch (group commit, `bot.store.db.CheckinBatches`): each file is
  laid out again in key order once per batch, not once per check-in, and a member is thanked
  only once the batch is on disk. A crash loses only check-ins nobody was thanked for.
- On PostgreSQL (`bot.store.pg.HeldCheckins`) the receipt is written at once and the answer is
  held in memory until its lab has k answers of that week, then written with them in one
  shuffled batch; `close_weeks` takes the answers still held for a closing week with it.
- A week closes when it has ended in every timezone (Monday 12:00 UTC, see `bot.schedule`).
  `close_weeks` then moves it into the main database's `checkins` table in one transaction,
  all rows at once in key order, or drops it if it had fewer than the lab's k check-ins (such a
  week can never be shown, so it is not kept). /pulse reads closed weeks only.
- Receipts are kept for the open weeks and the one before, then pruned.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.aggregation import Answer
from bot.anonymity import random_id
from bot.schedule import first_open_week, previous_weeks
from bot.store.db import Database
from bot.store.guilds import DEFAULT_K

log = logging.getLogger(__name__)


async def record_checkin(db: Database, *, guild_id: int, week: str, receipt: bytes, answer: Answer) -> bool:
    """Store one check-in unless this receipt was already used this week; True if counted.

    It joins the next batch (`Database.checkins`, bot.store.db.CheckinBatches) and returns once
    that batch is on disk: receipts first, in their own file, then the answers in theirs. If the
    batch cannot be stored, StoreUnavailable, and nothing of it counts (the member can try again).
    """
    row = (random_id(), guild_id, week, answer.mood, answer.energy, ",".join(sorted(answer.topics)))
    return await db.checkins.submit(receipt, week, row)


async def has_receipt(db: Database, receipt: bytes) -> bool:
    """True if a member with this receipt already checked in that week."""
    return await db.receipts.fetchone("SELECT 1 FROM receipts WHERE receipt = ?", (receipt,)) is not None


async def prune_receipts(db: Database, now: datetime) -> int:
    """Drop receipts older than the week before the earliest open week: they have no use then."""
    oldest_kept = previous_weeks(first_open_week(now), 1)[0]
    return await db.receipts.delete_where("week < ?", (oldest_kept,))


async def close_weeks(db: Database, now: datetime) -> int:
    """Move every week that has ended everywhere into the main database; returns weeks moved.

    A week with fewer check-ins than its lab's k is dropped instead: /pulse could never show it.
    Each week moves in one transaction, rows in key order; a crash between the copy and the
    delete repeats the copy harmlessly (the random ids are the primary key).
    """
    open_from = first_open_week(now)
    rows = await db.answers.fetchall(
        "SELECT id, guild_id, week, mood, energy, topics FROM open_checkins WHERE week < ? ORDER BY id",
        (open_from,),
    )
    held = db.checkins.take_closed(open_from)  # PostgreSQL: answers still held in memory (fewer than k)
    if not rows and not held:
        return 0
    by_week: dict[tuple[int, str], list[tuple[Any, ...]]] = defaultdict(list)
    for row in [*(tuple(r) for r in rows), *held]:
        by_week[(int(row[1]), str(row[2]))].append(tuple(row))
    thresholds = {
        r["guild_id"]: r["k_threshold"]
        for r in await db.fetchall("SELECT guild_id, k_threshold FROM guild_settings")
    }
    moved = 0
    pending = sorted(by_week)
    for guild_id, week in pending:
        answers = sorted(by_week[(guild_id, week)], key=lambda answer: bytes(answer[0]))
        try:
            if len(answers) >= thresholds.get(guild_id, DEFAULT_K):
                async with db.transaction() as conn:
                    await conn.executemany(
                        "INSERT INTO checkins (id, guild_id, week, mood, energy, topics)"
                        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        answers,
                    )
                moved += 1
            await db.answers.delete_where("guild_id = ? AND week = ?", (guild_id, week))
        except BaseException:
            # Held answers of weeks not yet moved stay held for the next pass (none are lost).
            left = set(pending[pending.index((guild_id, week)) :])
            db.checkins.restore(r for r in held if (int(r[1]), str(r[2])) in left)
            raise
    return moved


async def answers_by_week(db: Database, guild_id: int, weeks: Iterable[str]) -> dict[str, list[Answer]]:
    """All answers of a guild's closed weeks among `weeks` (aggregation happens in bot.aggregation)."""
    wanted = sorted(set(weeks))
    result: dict[str, list[Answer]] = {week: [] for week in wanted}
    if not wanted:
        return result
    placeholders = ", ".join("?" for _ in wanted)
    rows = await db.fetchall(
        f"SELECT week, mood, energy, topics FROM checkins WHERE guild_id = ? AND week IN ({placeholders})",  # noqa: S608
        (guild_id, *wanted),
    )
    for row in rows:
        topics = frozenset(t for t in row["topics"].split(",") if t)
        result[row["week"]].append(Answer(mood=row["mood"], energy=row["energy"], topics=topics))
    return result
