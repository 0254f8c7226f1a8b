"""Published shares and their replies: where they are, reply order, the author's code hash, the log.

No user id is stored. Author tokens are kept only sealed to their own row (the cog seals them),
reply text only until it is posted or decided.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.anonymity import random_id
from bot.store.db import Database


@dataclass(frozen=True)
class Post:
    """A published share."""

    id: bytes
    guild_id: int
    channel_id: int
    message_id: int
    thread_id: int | None
    code_hash: bytes | None
    author_sealed: bytes
    replies: int
    locked: bool


@dataclass(frozen=True)
class Reply:
    """A reply (or the author's update) waiting, held for review, or posted (then without text)."""

    id: bytes
    share_id: bytes
    kind: str
    state: str
    body: str | None
    author_sealed: bytes
    categories: tuple[str, ...]
    number: int | None
    message_id: int | None


_POST = "id, guild_id, channel_id, message_id, thread_id, code_hash, author_sealed, replies, locked"
_REPLY = "id, share_id, kind, state, body, author_sealed, categories, number, message_id"


def _post(row: sqlite3.Row) -> Post:
    return Post(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        code_hash=row["code_hash"],
        author_sealed=row["author_sealed"],
        replies=row["replies"],
        locked=bool(row["locked"]),
    )


def _reply(row: sqlite3.Row) -> Reply:
    return Reply(
        id=row["id"],
        share_id=row["share_id"],
        kind=row["kind"],
        state=row["state"],
        body=row["body"],
        author_sealed=row["author_sealed"],
        categories=tuple(row["categories"].split(",")) if row["categories"] else (),
        number=row["number"],
        message_id=row["message_id"],
    )


async def publish(
    db: Database,
    share_id: bytes,
    *,
    guild_id: int,
    channel_id: int,
    message_id: int,
    code_hash: bytes | None,
    author_sealed: bytes,
    today: str,
) -> None:
    """Record a share just posted and delete its text from the queue, in one transaction."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM pending_shares WHERE id = ?", (share_id,))
        await conn.execute(
            f"INSERT INTO published_shares ({_POST}, published_on)"  # noqa: S608 - fixed names
            " VALUES (?, ?, ?, ?, NULL, ?, ?, 0, 0, ?)",
            (share_id, guild_id, channel_id, message_id, code_hash, author_sealed, today),
        )
    await db.checkpoint()


async def set_thread(db: Database, share_id: bytes, thread_id: int) -> None:
    """Remember the post's reply thread."""
    await db.execute("UPDATE published_shares SET thread_id = ? WHERE id = ?", (thread_id, share_id))


async def post(db: Database, share_id: bytes) -> Post | None:
    """A published share by id."""
    row = await db.fetchone(f"SELECT {_POST} FROM published_shares WHERE id = ?", (share_id,))  # noqa: S608
    return _post(row) if row else None


async def by_code(db: Database, code_hash: bytes) -> Post | None:
    """The published share whose author holds this code."""
    row = await db.fetchone(
        f"SELECT {_POST} FROM published_shares WHERE code_hash = ?",  # noqa: S608
        (code_hash,),
    )
    return _post(row) if row else None


async def lock(db: Database, share_id: bytes) -> bool:
    """Stop replies to a post; False if it was gone or locked already."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE published_shares SET locked = 1 WHERE id = ? AND locked = 0", (share_id,)
        )
        return cursor.rowcount == 1


async def delete_post(db: Database, share_id: bytes) -> bool:
    """Forget a post and every reply to it; False if it was already gone."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM share_replies WHERE share_id = ?", (share_id,))
        cursor = await conn.execute("DELETE FROM published_shares WHERE id = ?", (share_id,))
        gone = cursor.rowcount == 1
    await db.checkpoint()
    return gone


async def reply_messages(db: Database, share_id: bytes) -> list[int]:
    """The message ids of a post's replies in its thread."""
    rows = await db.fetchall(
        "SELECT message_id FROM share_replies WHERE share_id = ? AND message_id IS NOT NULL", (share_id,)
    )
    return [int(r["message_id"]) for r in rows]


async def hold_reply(
    db: Database,
    share_id: bytes,
    *,
    kind: str,
    body: str,
    author_sealed: bytes,
    state: str,
    categories: tuple[str, ...] = (),
    publish_after: datetime | None = None,
    review_after: datetime | None = None,
) -> bytes:
    """Keep a reply (or update) until it is posted or decided; returns its random id."""
    reply_id = random_id()
    await db.execute(
        "INSERT INTO share_replies (id, share_id, kind, state, body, author_sealed, categories,"
        " publish_after, review_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            reply_id,
            share_id,
            kind,
            state,
            body,
            author_sealed,
            ",".join(categories) or None,
            publish_after.isoformat() if publish_after else None,
            review_after.isoformat() if review_after else None,
        ),
    )
    return reply_id


async def reply(db: Database, reply_id: bytes) -> Reply | None:
    """A reply by id."""
    row = await db.fetchone(f"SELECT {_REPLY} FROM share_replies WHERE id = ?", (reply_id,))  # noqa: S608
    return _reply(row) if row else None


async def due_replies(db: Database, now: datetime) -> list[Reply]:
    """Scheduled replies and updates whose time has come."""
    rows = await db.fetchall(
        f"SELECT {_REPLY} FROM share_replies WHERE state = 'scheduled' AND publish_after <= ?",  # noqa: S608
        (now.isoformat(),),
    )
    return [_reply(r) for r in rows]


async def due_reviews(db: Database, now: datetime) -> list[Reply]:
    """Held replies whose (jittered) review request is due to be posted."""
    rows = await db.fetchall(
        f"SELECT {_REPLY} FROM share_replies WHERE state = 'review' AND review_after <= ?",  # noqa: S608
        (now.isoformat(),),
    )
    return [_reply(r) for r in rows]


async def review_requested(db: Database, reply_id: bytes) -> None:
    """Record that the review request was posted."""
    await db.execute("UPDATE share_replies SET review_after = NULL WHERE id = ?", (reply_id,))


async def approve(db: Database, reply_id: bytes, publish_after: datetime) -> bool:
    """Move a reviewed reply to the queue; False if it was already decided."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE share_replies SET state = 'scheduled', publish_after = ?"
            " WHERE id = ? AND state = 'review'",
            (publish_after.isoformat(), reply_id),
        )
        return cursor.rowcount == 1


async def next_number(db: Database, share_id: bytes) -> int:
    """Count one more reply under a post and return its number (1, 2, 3, ...)."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE published_shares SET replies = replies + 1 WHERE id = ?", (share_id,))
        async with conn.execute("SELECT replies FROM published_shares WHERE id = ?", (share_id,)) as cursor:
            row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def posted(db: Database, reply_id: bytes, *, number: int, message_id: int) -> None:
    """A reply is in the thread: drop its text, keep its number and message."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE share_replies SET state = 'posted', body = NULL, categories = NULL, publish_after = NULL,"
            " number = ?, message_id = ? WHERE id = ?",
            (number, message_id, reply_id),
        )
    await db.checkpoint()


async def forget_reply(db: Database, reply_id: bytes) -> bool:
    """Delete a reply (rejected, an update applied, or removed by a moderator)."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM share_replies WHERE id = ?", (reply_id,))
        gone = cursor.rowcount == 1
    await db.checkpoint()
    return gone


async def log_action(
    db: Database, guild_id: int, at: datetime, moderator_id: int, action: str, target: str
) -> None:
    """Record a moderator's action after publication (the moderator is named; the author never is)."""
    await db.execute(
        "INSERT INTO share_moderation_log (id, guild_id, at, moderator_id, action, target)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (random_id(), guild_id, at.isoformat(timespec="seconds"), moderator_id, action, target),
    )


async def moderation_log(db: Database, guild_id: int, limit: int = 20) -> list[tuple[str, int, str, str]]:
    """The latest actions: (at, moderator id, action, target)."""
    rows = await db.fetchall(
        "SELECT at, moderator_id, action, target FROM share_moderation_log WHERE guild_id = ?"
        " ORDER BY at DESC LIMIT ?",
        (guild_id, limit),
    )
    return [(r["at"], r["moderator_id"], r["action"], r["target"]) for r in rows]


async def expire(db: Database, published_before: str) -> int:
    """Forget posts published before this day (and their replies); they no longer take answers."""
    async with db.transaction() as conn:
        await conn.execute(
            "DELETE FROM share_replies WHERE share_id IN"
            " (SELECT id FROM published_shares WHERE published_on < ?)",
            (published_before,),
        )
        cursor = await conn.execute(
            "DELETE FROM published_shares WHERE published_on < ?", (published_before,)
        )
        removed = cursor.rowcount
    if removed:
        await db.checkpoint()
    return removed


async def forget_guild(db: Database, guild_id: int) -> None:
    """Delete everything of a guild kindred left."""
    async with db.transaction() as conn:
        await conn.execute(
            "DELETE FROM share_replies WHERE share_id IN"
            " (SELECT id FROM published_shares WHERE guild_id = ?)",
            (guild_id,),
        )
        await conn.execute("DELETE FROM published_shares WHERE guild_id = ?", (guild_id,))
        await conn.execute("DELETE FROM share_moderation_log WHERE guild_id = ?", (guild_id,))
    await db.checkpoint()
