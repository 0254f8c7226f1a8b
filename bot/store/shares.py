"""Anonymous shares waiting to be posted or reviewed, author blocks and the daily limit."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.anonymity import random_id
from bot.store.db import Database


@dataclass(frozen=True)
class PendingShare:
    """A share not yet posted: waiting for its publication time or for a moderator."""

    id: bytes
    guild_id: int
    body: str
    warning: str | None
    author_token: str
    state: str
    categories: tuple[str, ...]
    publish_after: datetime | None
    code_hash: bytes | None = None
    #: A memory for gentle mode's condolences thread (posted there, not in the peer channel).
    thread_id: int | None = None


def _row(row: sqlite3.Row) -> PendingShare:
    return PendingShare(
        id=row["id"],
        guild_id=row["guild_id"],
        body=row["body"],
        warning=row["warning"],
        author_token=row["author_token"],
        state=row["state"],
        categories=tuple(row["categories"].split(",")) if row["categories"] else (),
        publish_after=datetime.fromisoformat(row["publish_after"]) if row["publish_after"] else None,
        code_hash=row["code_hash"],
        thread_id=row["thread_id"],
    )


_COLUMNS = "id, guild_id, body, warning, author_token, state, categories, publish_after, code_hash, thread_id"


REVIEW_KEPT_DAYS = 14
BLOCK_DAYS = 30


async def is_blocked(db: Database, guild_id: int, tokens: Sequence[str], today: str) -> bool:
    """True if moderators blocked this author (under any of their tokens) and the block has not ended."""
    marks = ", ".join("?" for _ in tokens)
    row = await db.fetchone(
        f"SELECT 1 FROM share_blocks WHERE guild_id = ? AND author_token IN ({marks})"  # noqa: S608
        " AND expires_on > ?",
        (guild_id, *tokens, today),
    )
    return row is not None


async def take_quota(db: Database, guild_id: int, token: str, day: str, limit: int) -> bool:
    """Count one share for today; False (and nothing counted) if the daily limit is reached."""
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT count FROM share_quota WHERE guild_id = ? AND author_token = ? AND day = ?",
            (guild_id, token, day),
        ) as cursor:
            row = await cursor.fetchone()
        used = int(row[0]) if row else 0
        if used >= limit:
            return False
        await conn.execute(
            "INSERT INTO share_quota (guild_id, author_token, day, count) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (guild_id, author_token, day) DO UPDATE SET count = share_quota.count + 1",
            (guild_id, token, day),
        )
        await conn.execute("DELETE FROM share_quota WHERE day < ?", (day,))
    return True


async def hold(
    db: Database,
    guild_id: int,
    body: str,
    warning: str | None,
    token: str,
    *,
    state: str,
    categories: tuple[str, ...] = (),
    publish_after: datetime | None = None,
    review_after: datetime | None = None,
    expires_on: str | None = None,
    code_hash: bytes | None = None,
    thread_id: int | None = None,
) -> bytes:
    """Keep a share until it is posted or decided; returns its random id (a memory names its thread)."""
    share_id = random_id()
    await db.execute(
        f"INSERT INTO pending_shares ({_COLUMNS}, review_after, expires_on)"  # noqa: S608 - fixed names
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            share_id,
            guild_id,
            body,
            warning,
            token,
            state,
            ",".join(categories) or None,
            publish_after.isoformat() if publish_after else None,
            code_hash,
            thread_id,
            review_after.isoformat() if review_after else None,
            expires_on,
        ),
    )
    return share_id


async def due_reviews(db: Database, now: datetime) -> list[PendingShare]:
    """Shares held for review whose (jittered) review request is due to be posted."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM pending_shares WHERE state = 'review' AND review_after <= ?",  # noqa: S608
        (now.isoformat(),),
    )
    return [_row(r) for r in rows]


async def review_requested(db: Database, share_id: bytes) -> None:
    """Record that the review request was posted (it is not posted again)."""
    await db.execute("UPDATE pending_shares SET review_after = NULL WHERE id = ?", (share_id,))


async def expire(db: Database, today: str) -> int:
    """Delete review shares nobody decided in time, ended blocks and old quota counts."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM pending_shares WHERE state = 'review' AND expires_on <= ?", (today,)
        )
        removed = cursor.rowcount
        await conn.execute("DELETE FROM share_blocks WHERE expires_on <= ?", (today,))
        await conn.execute("DELETE FROM share_quota WHERE day < ?", (today,))
    if removed:
        await db.checkpoint()
    return removed


async def get(db: Database, share_id: bytes) -> PendingShare | None:
    """A pending share by id."""
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM pending_shares WHERE id = ?", (share_id,))  # noqa: S608
    return _row(row) if row else None


async def due(db: Database, now: datetime) -> list[PendingShare]:
    """Scheduled shares whose publication time has come."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM pending_shares WHERE state = 'scheduled' AND publish_after <= ?",  # noqa: S608
        (now.isoformat(),),
    )
    return [_row(r) for r in rows]


async def schedule(db: Database, share_id: bytes, publish_after: datetime) -> bool:
    """Move a reviewed share to the publication queue; False if it was already decided."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE pending_shares SET state = 'scheduled', publish_after = ?"
            " WHERE id = ? AND state = 'review'",
            (publish_after.isoformat(), share_id),
        )
        return cursor.rowcount == 1


async def forget(db: Database, share_id: bytes) -> bool:
    """Delete a share's text once posted or rejected; False if it was already gone."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM pending_shares WHERE id = ?", (share_id,))
        gone = cursor.rowcount == 1
    await db.checkpoint()
    return gone


async def memories_waiting(db: Database, guild_id: int) -> int:
    """How many memories for a condolences thread are still in review or queued in this guild."""
    row = await db.fetchone(
        "SELECT count(*) FROM pending_shares WHERE guild_id = ? AND thread_id IS NOT NULL", (guild_id,)
    )
    return int(row[0]) if row else 0


async def block(db: Database, guild_id: int, token: str, expires_on: str) -> None:
    """Refuse further shares from this author in this guild until `expires_on` (a date)."""
    await db.execute(
        "INSERT INTO share_blocks (guild_id, author_token, expires_on) VALUES (?, ?, ?)"
        " ON CONFLICT (guild_id, author_token)"
        " DO UPDATE SET expires_on = max(share_blocks.expires_on, excluded.expires_on)",
        (guild_id, token, expires_on),
    )


async def forget_guild(db: Database, guild_id: int) -> int:
    """Delete every share still waiting in a guild kindred was removed from."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM pending_shares WHERE guild_id = ?", (guild_id,))
        removed = cursor.rowcount
    await db.checkpoint()
    return removed
