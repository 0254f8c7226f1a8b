"""Claims: each due item is sent by exactly one process, even when several share one database.

A process about to send something due (a weekly DM, a reminder, a queued share, a share's review
request, a reply, a /reach message, the weekly prompt) first claims it: `claim` inserts one row for
the item, or takes over a row whose lease has lapsed, in one atomic upsert, and says whether this
process won. The winner sends; a send that failed (and may be retried) is `release`d at once, a
successful one keeps its claim until the lease lapses, by which time the item's own table says it
is done. A process that dies mid-send leaves its claim behind: its successor (the process started
again for the same shards, `Database.claimant`) releases its claims at start (`release_mine`), and
any other process takes one over once its lease lapsed. Either way the item is sent again, so a
crash costs at most one duplicate, never a loss. Expired claims are pruned with the other retention
work.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.db import Database

LEASE = timedelta(minutes=10)  # longer than any one send takes, rate limits included


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


async def claim(db: Database, kind: str, key: bytes, now: datetime, lease: timedelta = LEASE) -> bool:
    """Claim one due item for this process; True if no other process holds a live claim on it."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO claims (kind, key, until, owner) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (kind, key) DO UPDATE SET until = excluded.until, owner = excluded.owner"
            " WHERE claims.until <= ? RETURNING kind",
            (kind, key, _iso(now + lease), db.claimant, _iso(now)),
        )
        won = await cursor.fetchone()
    return won is not None


async def release(db: Database, kind: str, key: bytes) -> None:
    """Give a claim up (the send failed and should be retried by whichever process comes next)."""
    await db.execute("DELETE FROM claims WHERE kind = ? AND key = ?", (kind, key))


async def release_mine(db: Database) -> int:
    """At start: drop the claims this process's previous run held (it died holding them)."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM claims WHERE owner = ?", (db.claimant,))
    return int(cursor.rowcount)


async def forget_expired(db: Database, now: datetime) -> int:
    """Drop lapsed claims; returns how many."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM claims WHERE until <= ?", (_iso(now),))
    return int(cursor.rowcount)
