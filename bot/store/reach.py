"""/reach conversations: capability-hashed rows, the member outbox, rep replies, blocks and limits.

No function here takes a user id of a member: conversations are found by the keyed hash of the
member's code, by their public handle or by their thread. See migration 007 for what each
column may hold.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import aiosqlite

from bot.anonymity import random_id
from bot.reach import StateCounts, count_states
from bot.store.db import Database


@dataclass(frozen=True)
class Conversation:
    """One /reach conversation as stored (no member id, no time finer than the week)."""

    id: bytes
    guild_id: int
    handle: str
    thread_id: int | None
    week: str
    state: str
    urgent: bool
    named: bool
    lang: str
    author_sealed: bytes | None
    notify_sealed: bytes | None


@dataclass(frozen=True)
class Outgoing:
    """A member message waiting to be posted in its conversation's thread."""

    id: bytes
    conversation: Conversation
    body: str
    flagged: bool


@dataclass(frozen=True)
class Reply:
    """A rep's answer as the member reads it."""

    seq: int
    as_team: bool
    rep_id: int
    rep_name: str
    body: str


@dataclass(frozen=True)
class Block:
    """A block on the author of a conversation; `handle` names it in an appeal."""

    guild_id: int
    handle: str
    expires_on: str
    blocked_by: int
    appealed: bool


_COLUMNS = "id, guild_id, handle, thread_id, week, state, urgent, named, lang, author_sealed, notify_sealed"


def _conversation(row: sqlite3.Row, offset: int = 0) -> Conversation:
    values = tuple(row)[offset : offset + 11]
    return Conversation(
        id=values[0],
        guild_id=values[1],
        handle=values[2],
        thread_id=values[3],
        week=values[4],
        state=values[5],
        urgent=bool(values[6]),
        named=bool(values[7]),
        lang=values[8],
        author_sealed=values[9],
        notify_sealed=values[10],
    )


async def open_conversation(
    db: Database,
    conversation_id: bytes,
    *,
    guild_id: int,
    code_hash: bytes,
    handle: str,
    week: str,
    named_key: bytes | None,
    lang: str,
    author_sealed: bytes,
    notify_sealed: bytes | None,
    body: str,
    flagged: bool,
    post_after: datetime,
) -> None:
    """Store a new conversation and its first message together (one transaction: both or neither)."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO reach_conversations (id, guild_id, code_hash, handle, week, state, urgent, named,"
            " lang, author_sealed, named_key, notify_sealed)"
            " VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?)",
            (
                conversation_id,
                guild_id,
                code_hash,
                handle,
                week,
                int(flagged),
                int(named_key is not None),
                lang,
                author_sealed,
                named_key,
                notify_sealed,
            ),
        )
        await conn.execute(
            "INSERT INTO reach_outbox (id, conversation, body, flagged, post_after) VALUES (?, ?, ?, ?, ?)",
            (random_id(), conversation_id, body, int(flagged), post_after.isoformat()),
        )


async def handle_taken(db: Database, handle: str) -> bool:
    """True if a conversation or a block already uses this public handle."""
    row = await db.fetchone(
        "SELECT 1 FROM reach_conversations WHERE handle = ?"
        " UNION ALL SELECT 1 FROM reach_blocks WHERE handle = ?",
        (handle, handle),
    )
    return row is not None


async def by_code(db: Database, code_hash: bytes) -> Conversation | None:
    """The conversation a code opens, if it still exists."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM reach_conversations WHERE code_hash = ?",  # noqa: S608 - fixed names
        (code_hash,),
    )
    return _conversation(row) if row else None


async def by_handle(db: Database, guild_id: int, handle: str) -> Conversation | None:
    """A conversation by its public handle in one guild (what rep buttons carry)."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM reach_conversations WHERE guild_id = ? AND handle = ?",  # noqa: S608
        (guild_id, handle),
    )
    return _conversation(row) if row else None


async def queue_message(
    db: Database, conversation_id: bytes, body: str, *, flagged: bool, post_after: datetime, state: str
) -> None:
    """Queue a member's answer for the thread and record the new state (and urgency if flagged)."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO reach_outbox (id, conversation, body, flagged, post_after) VALUES (?, ?, ?, ?, ?)",
            (random_id(), conversation_id, body, int(flagged), post_after.isoformat()),
        )
        await conn.execute(
            "UPDATE reach_conversations SET state = ?, urgent = max(urgent, ?) WHERE id = ?",
            (state, int(flagged), conversation_id),
        )


async def due_messages(db: Database, now: datetime) -> list[Outgoing]:
    """Member messages whose delay is over, by due time (a rep's close drops its waiting ones)."""
    cols = ", ".join(f"c.{c.strip()}" for c in _COLUMNS.split(","))
    rows = await db.fetchall(
        f"SELECT o.id, o.body, o.flagged, {cols} FROM reach_outbox o"  # noqa: S608 - fixed names
        " JOIN reach_conversations c ON c.id = o.conversation"
        " WHERE o.post_after <= ? ORDER BY o.post_after",
        (now.isoformat(),),
    )
    return [Outgoing(r[0], _conversation(r, 3), r[1], bool(r[2])) for r in rows]


async def set_thread(db: Database, conversation_id: bytes, thread_id: int) -> None:
    """Record the thread made for a conversation (its first message is about to be posted there)."""
    await db.execute(
        "UPDATE reach_conversations SET thread_id = ? WHERE id = ? AND thread_id IS NULL",
        (thread_id, conversation_id),
    )


async def posted(db: Database, outgoing_id: bytes, conversation_id: bytes) -> None:
    """Forget a member message once it is in the thread; a first message opens the conversation."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM reach_outbox WHERE id = ?", (outgoing_id,))
        await conn.execute(
            "UPDATE reach_conversations SET state = 'open' WHERE id = ? AND state = 'waiting'",
            (conversation_id,),
        )
    await db.checkpoint()


async def waiting_messages(db: Database, conversation_id: bytes) -> int:
    """How many of the member's messages are still waiting for their delay."""
    row = await db.fetchone("SELECT count(*) FROM reach_outbox WHERE conversation = ?", (conversation_id,))
    return int(row[0]) if row else 0


async def add_reply(
    db: Database, conversation_id: bytes, *, as_team: bool, rep_id: int, rep_name: str, body: str
) -> int:
    """Keep a rep's answer for the member to read; returns its number in the conversation."""
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM reach_replies WHERE conversation = ?", (conversation_id,)
        ) as cursor:
            row = await cursor.fetchone()
        seq = int(row[0]) if row else 1
        await conn.execute(
            "INSERT INTO reach_replies (id, conversation, seq, as_team, rep_id, rep_name, body)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (random_id(), conversation_id, seq, int(as_team), rep_id, rep_name, body),
        )
        await conn.execute(
            "UPDATE reach_conversations SET state = 'answered' WHERE id = ? AND state != 'closed'",
            (conversation_id,),
        )
    return seq


async def replies(db: Database, conversation_id: bytes) -> list[Reply]:
    """Every rep answer in order."""
    rows = await db.fetchall(
        "SELECT seq, as_team, rep_id, rep_name, body FROM reach_replies WHERE conversation = ? ORDER BY seq",
        (conversation_id,),
    )
    return [Reply(r[0], bool(r[1]), r[2], r[3], r[4]) for r in rows]


async def mark_urgent(db: Database, conversation_id: bytes) -> None:
    """Mark a conversation urgent for the reps (a member message used crisis language)."""
    await db.execute("UPDATE reach_conversations SET urgent = 1 WHERE id = ?", (conversation_id,))


async def set_named(db: Database, conversation_id: bytes, named_key: bytes) -> None:
    """The member revealed who they are: the conversation is named from now on."""
    await db.execute(
        "UPDATE reach_conversations SET named = 1, named_key = ? WHERE id = ?", (named_key, conversation_id)
    )


async def clear_notify(db: Database, conversation_id: bytes) -> None:
    """Drop the sealed DM address (the member turned it off, or the conversation closed)."""
    await db.execute("UPDATE reach_conversations SET notify_sealed = NULL WHERE id = ?", (conversation_id,))
    await db.checkpoint()


async def close(db: Database, conversation_id: bytes, today: str) -> bool:
    """A rep closed the conversation: no more messages, DM address gone, deleted after the kept days."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE reach_conversations SET state = 'closed', closed_on = ?, notify_sealed = NULL"
            " WHERE id = ? AND state != 'closed'",
            (today, conversation_id),
        )
        await conn.execute("DELETE FROM reach_outbox WHERE conversation = ?", (conversation_id,))
        done = cursor.rowcount == 1
    await db.checkpoint()
    return done


async def _delete(conn: aiosqlite.Connection, where: str, params: Sequence[object]) -> int:
    queue = (
        "INSERT INTO reach_thread_deletions (thread_id, guild_id) SELECT thread_id, guild_id"  # noqa: S608
        f" FROM reach_conversations WHERE thread_id IS NOT NULL AND ({where}) ON CONFLICT DO NOTHING"
    )
    await conn.execute(queue, params)
    cursor = await conn.execute(f"DELETE FROM reach_conversations WHERE {where}", params)  # noqa: S608
    return int(cursor.rowcount)


async def delete(db: Database, conversation_id: bytes) -> bool:
    """Delete a conversation and everything stored with it now; its thread is queued for deletion."""
    async with db.transaction() as conn:
        gone = await _delete(conn, "id = ?", (conversation_id,))
    await db.checkpoint()
    return gone == 1


async def delete_named(db: Database, named_keys: Sequence[bytes]) -> int:
    """Delete the member's NAMED conversations (by their keyed value); anonymous ones cannot be found."""
    if not named_keys:
        return 0
    marks = ", ".join("?" for _ in named_keys)
    async with db.transaction() as conn:
        gone = await _delete(conn, f"named_key IN ({marks})", tuple(named_keys))
    await db.checkpoint()
    return gone


async def named_of(db: Database, named_keys: Sequence[bytes]) -> list[Conversation]:
    """The member's NAMED conversations (for /privacy show and export)."""
    if not named_keys:
        return []
    marks = ", ".join("?" for _ in named_keys)
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM reach_conversations WHERE named_key IN ({marks})",  # noqa: S608
        tuple(named_keys),
    )
    return [_conversation(r) for r in rows]


async def forget_closed(db: Database, today: str) -> int:
    """Delete conversations closed at least the guild's kept days ago (default 30); threads are queued."""
    day = date.fromisoformat(today)
    rows = await db.fetchall(
        "SELECT c.id, c.closed_on, coalesce(g.reach_kept_days, 30) FROM reach_conversations c"
        " LEFT JOIN guild_settings g ON g.guild_id = c.guild_id"
        " WHERE c.state = 'closed' AND c.closed_on IS NOT NULL"
    )
    due = [bytes(r[0]) for r in rows if date.fromisoformat(r[1]) <= day - timedelta(days=int(r[2]))]
    gone = 0
    for start in range(0, len(due), 500):
        chunk = due[start : start + 500]
        async with db.transaction() as conn:
            gone += await _delete(conn, f"id IN ({', '.join('?' for _ in chunk)})", chunk)
    if gone:
        await db.checkpoint()
    return gone


async def threads_to_delete(db: Database) -> list[tuple[int, int]]:
    """(guild, thread) pairs whose conversation is gone but whose Discord thread may remain."""
    rows = await db.fetchall("SELECT guild_id, thread_id FROM reach_thread_deletions")
    return [(r[0], r[1]) for r in rows]


async def thread_deleted(db: Database, thread_id: int) -> None:
    """Discord deleted the thread (or it was already gone)."""
    await db.execute("DELETE FROM reach_thread_deletions WHERE thread_id = ?", (thread_id,))


async def forget_guild(db: Database, guild_id: int) -> int:
    """Kindred left the guild: its conversations cannot continue; delete them and their blocks."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM reach_conversations WHERE guild_id = ?", (guild_id,))
        gone = int(cursor.rowcount)
        await conn.execute("DELETE FROM reach_thread_deletions WHERE guild_id = ?", (guild_id,))
        await conn.execute("DELETE FROM reach_blocks WHERE guild_id = ?", (guild_id,))
    await db.checkpoint()
    return gone


async def counts(db: Database, guild_id: int) -> StateCounts:
    """Conversations of a guild by state, counts only."""
    rows = await db.fetchall("SELECT state, urgent FROM reach_conversations WHERE guild_id = ?", (guild_id,))
    return count_states((r[0], bool(r[1])) for r in rows)


async def block(
    db: Database, guild_id: int, token: str, *, handle: str, expires_on: str, blocked_by: int
) -> None:
    """Refuse new messages from this author until `expires_on`; a longer block wins over a shorter one."""
    await db.execute(
        "INSERT INTO reach_blocks (guild_id, author_token, handle, expires_on, blocked_by)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, author_token)"
        " DO UPDATE SET expires_on = max(reach_blocks.expires_on, excluded.expires_on),"
        " blocked_by = excluded.blocked_by, appealed = 0",
        (guild_id, token, handle, expires_on, blocked_by),
    )


async def find_block(db: Database, guild_id: int, token: str, today: str) -> Block | None:
    """The block on this author in this guild, if it has not ended."""
    row = await db.fetchone(
        "SELECT guild_id, handle, expires_on, blocked_by, appealed FROM reach_blocks"
        " WHERE guild_id = ? AND author_token = ? AND expires_on > ?",
        (guild_id, token, today),
    )
    return Block(row[0], row[1], row[2], row[3], bool(row[4])) if row else None


async def block_by_handle(db: Database, guild_id: int, handle: str) -> Block | None:
    """A block by the handle an appeal names."""
    row = await db.fetchone(
        "SELECT guild_id, handle, expires_on, blocked_by, appealed FROM reach_blocks"
        " WHERE guild_id = ? AND handle = ?",
        (guild_id, handle),
    )
    return Block(row[0], row[1], row[2], row[3], bool(row[4])) if row else None


async def mark_appealed(db: Database, guild_id: int, handle: str) -> bool:
    """Record that the blocked member appealed (once per block); False if they already had."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE reach_blocks SET appealed = 1 WHERE guild_id = ? AND handle = ? AND appealed = 0",
            (guild_id, handle),
        )
        return cursor.rowcount == 1


async def lift(db: Database, guild_id: int, handle: str) -> bool:
    """End a block now (an appeal was granted)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM reach_blocks WHERE guild_id = ? AND handle = ?", (guild_id, handle)
        )
        return cursor.rowcount == 1


async def take_quota(db: Database, guild_id: int, token: str, day: str, limit: int) -> bool:
    """Count one member message today; False (nothing counted) when the day's limit is reached."""
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT count FROM reach_quota WHERE guild_id = ? AND token = ? AND day = ?",
            (guild_id, token, day),
        ) as cursor:
            row = await cursor.fetchone()
        if row is not None and int(row[0]) >= limit:
            return False
        await conn.execute(
            "INSERT INTO reach_quota (guild_id, token, day, count) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (guild_id, token, day) DO UPDATE SET count = reach_quota.count + 1",
            (guild_id, token, day),
        )
        await conn.execute("DELETE FROM reach_quota WHERE day < ?", (day,))
    return True


async def expire(db: Database, today: str) -> int:
    """Delete ended blocks and old daily counts; returns the blocks removed."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM reach_blocks WHERE expires_on <= ?", (today,))
        removed = int(cursor.rowcount)
        await conn.execute("DELETE FROM reach_quota WHERE day < ?", (today,))
    return removed
