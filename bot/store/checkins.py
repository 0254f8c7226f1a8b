"""Anonymous check-ins: answers without identity, and receipts without answers."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.aggregation import Answer
from bot.anonymity import random_id
from bot.store.db import Database, StoreUnavailable

log = logging.getLogger(__name__)


async def record_checkin(db: Database, *, guild_id: int, week: str, receipt: bytes,
                         answer: Answer) -> bool:
    """Store one check-in unless this receipt was already used this week; True if counted.

    The receipt and the answer are written in one transaction (never one without the other),
    then the WAL is checkpointed and truncated so no journal keeps their commit side by side.
    """
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO checkin_receipts (receipt, week) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (receipt, week),
        )
        counted = cursor.rowcount == 1
        if counted:
            await conn.execute(
                "INSERT INTO checkins (id, guild_id, week, mood, energy, topics) VALUES (?, ?, ?, ?, ?, ?)",
                (random_id(), guild_id, week, answer.mood, answer.energy, ",".join(sorted(answer.topics))),
            )
    if counted:
        try:
            await db.checkpoint()
        except StoreUnavailable:  # the check-in is committed; the next checkpoint truncates the WAL
            log.warning("WAL checkpoint after a check-in deferred: the database is busy")
    return counted


async def has_receipt(db: Database, receipt: bytes) -> bool:
    """True if a member with this receipt already checked in that week."""
    return await db.fetchone("SELECT 1 FROM checkin_receipts WHERE receipt = ?", (receipt,)) is not None


async def forget_receipts(db: Database, receipts: Iterable[bytes]) -> int:
    """Delete the given receipts (for /privacy delete); answers stay, being unlinkable."""
    removed = 0
    async with db.transaction() as conn:
        for receipt in receipts:
            cursor = await conn.execute("DELETE FROM checkin_receipts WHERE receipt = ?", (receipt,))
            removed += cursor.rowcount
    return removed


async def prune_receipts(db: Database, oldest_kept_week: str) -> int:
    """Drop receipts of weeks before `oldest_kept_week`: they have no use once a week is over."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM checkin_receipts WHERE week < ?", (oldest_kept_week,))
        return cursor.rowcount


async def answers_by_week(db: Database, guild_id: int, weeks: Iterable[str]) -> dict[str, list[Answer]]:
    """All answers of a guild for the given weeks (aggregation happens in bot.aggregation)."""
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
