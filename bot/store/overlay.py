"""Moderator edits to resource lists: every change replaces some overlay rows, atomically, with history.

One mechanism serves add, edit, remove, reset, import and undo. A `Change` names the rows it
touches and the state each should end in (None: no row, i.e. the shipped default shows). Applying
it reads the current state of exactly those rows, writes the new one, keeps the search index in
step, and appends a history entry holding both sides, so any entry can be undone by applying its
`before` again (which is itself recorded).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.resource_edits import Change, LabTopic, OverlayRow
from bot.store.db import Database
from bot.store.resources import ANY_LOCALE, fts_text


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change: who, when, what it touched, before and after."""

    id: int
    action: str
    topic: str | None
    item_id: str | None
    before: Change
    after: Change
    actor_id: int
    at: str


def _encode(change: Change) -> str:
    return json.dumps(
        {
            "items": {k: asdict(v) if v else None for k, v in sorted(change.items.items())},
            "topics": {k: asdict(v) if v else None for k, v in sorted(change.topics.items())},
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def _decode(raw: str | None) -> Change:
    data: dict[str, Any] = json.loads(raw) if raw else {}
    return Change(
        items={k: OverlayRow(**v) if v else None for k, v in data.get("items", {}).items()},
        topics={k: LabTopic(**v) if v else None for k, v in data.get("topics", {}).items()},
    )


async def _current(conn: aiosqlite.Connection, guild_id: int, change: Change) -> Change:
    items: dict[str, OverlayRow | None] = {}
    for item_id in change.items:
        async with conn.execute(
            "SELECT item_id, topic, state, title, url, kind, description, position FROM resource_overlay"
            " WHERE guild_id = ? AND item_id = ?",
            (guild_id, item_id),
        ) as cursor:
            row = await cursor.fetchone()
        items[item_id] = OverlayRow(*row) if row else None
    topics: dict[str, LabTopic | None] = {}
    for slug in change.topics:
        async with conn.execute(
            "SELECT slug, title, summary FROM guild_topics WHERE guild_id = ? AND slug = ?", (guild_id, slug)
        ) as cursor:
            row = await cursor.fetchone()
        topics[slug] = LabTopic(*row) if row else None
    return Change(items, topics)


async def _write(conn: aiosqlite.Connection, guild_id: int, change: Change, actor_id: int, now: str) -> None:
    for slug, topic in change.topics.items():
        await conn.execute("DELETE FROM guild_topics WHERE guild_id = ? AND slug = ?", (guild_id, slug))
        if topic is not None:
            await conn.execute(
                "INSERT INTO guild_topics (guild_id, slug, title, summary, updated_by, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (guild_id, slug, topic.title, topic.summary, actor_id, now),
            )
    for item_id, row in change.items.items():
        await conn.execute(
            "DELETE FROM resource_overlay WHERE guild_id = ? AND item_id = ?", (guild_id, item_id)
        )
        await conn.execute("DELETE FROM resource_fts WHERE guild_id = ? AND item_id = ?", (guild_id, item_id))
        if row is None:
            continue
        await conn.execute(
            "INSERT INTO resource_overlay (guild_id, item_id, topic, state, title, url, kind, description,"
            " position, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                item_id,
                row.topic,
                row.state,
                row.title,
                row.url,
                row.kind,
                row.description,
                row.position,
                actor_id,
                now,
            ),
        )
        if row.state != "hidden":
            await conn.execute(
                "INSERT INTO resource_fts (title, description, keywords, guild_id, locale, topic, item_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    fts_text(row.title or ""),
                    fts_text(row.description or ""),
                    row.topic.replace("-", " "),
                    guild_id,
                    ANY_LOCALE,
                    row.topic,
                    item_id,
                ),
            )


async def apply_change(
    db: Database,
    guild_id: int,
    change: Change,
    *,
    action: str,
    actor_id: int,
    now: datetime,
    topic: str | None = None,
    item_id: str | None = None,
) -> int | None:
    """Apply `change` atomically and record it; returns the history id, or None if nothing changed."""
    stamp = now.isoformat()
    async with db.guilds.changing(guild_id), db.transaction() as conn:
        before = await _current(conn, guild_id, change)
        if before == change:
            return None
        await _write(conn, guild_id, change, actor_id, stamp)
        cursor = await conn.execute(
            "INSERT INTO resource_history (guild_id, topic, item_id, action, before_json, after_json,"
            " actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (guild_id, topic, item_id, action, _encode(before), _encode(change), actor_id, stamp),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row is not None else None


async def overlay_rows(db: Database, guild_id: int) -> list[OverlayRow]:
    """Every overlay row of a guild (from memory after the first read; apply_change forgets it)."""
    return list(await db.guilds.get(guild_id, "overlay_rows", lambda: _load_overlay_rows(db, guild_id)))


async def _load_overlay_rows(db: Database, guild_id: int) -> tuple[OverlayRow, ...]:
    rows = await db.fetchall(
        "SELECT item_id, topic, state, title, url, kind, description, position FROM resource_overlay"
        " WHERE guild_id = ? ORDER BY position, item_id",
        (guild_id,),
    )
    return tuple(OverlayRow(*tuple(r)) for r in rows)


async def lab_topics(db: Database, guild_id: int) -> list[LabTopic]:
    """Topics the guild created."""
    rows = await db.fetchall(
        "SELECT slug, title, summary FROM guild_topics WHERE guild_id = ? ORDER BY slug", (guild_id,)
    )
    return [LabTopic(*tuple(r)) for r in rows]


def _entry(row: sqlite3.Row) -> HistoryEntry:
    return HistoryEntry(
        id=row["id"],
        action=row["action"],
        topic=row["topic"],
        item_id=row["item_id"],
        before=_decode(row["before_json"]),
        after=_decode(row["after_json"]),
        actor_id=row["actor_id"],
        at=row["at"],
    )


async def history(
    db: Database, guild_id: int, *, topic: str | None = None, limit: int = 10, offset: int = 0
) -> tuple[list[HistoryEntry], int]:
    """A page of the guild's history, newest first, optionally for one topic; plus the total."""
    where = "guild_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR topic = ?2 OR topic IS NULL)"
    total_row = await db.fetchone(f"SELECT count(*) FROM resource_history WHERE {where}", (guild_id, topic))  # noqa: S608
    rows = await db.fetchall(
        f"SELECT * FROM resource_history WHERE {where} ORDER BY id DESC LIMIT ?3 OFFSET ?4",  # noqa: S608
        (guild_id, topic, limit, offset),
    )
    return [_entry(r) for r in rows], int(total_row[0]) if total_row else 0


async def history_entry(db: Database, guild_id: int, entry_id: int) -> HistoryEntry | None:
    """One history entry of this guild."""
    row = await db.fetchone(
        "SELECT * FROM resource_history WHERE guild_id = ? AND id = ?", (guild_id, entry_id)
    )
    return _entry(row) if row else None


async def undo(db: Database, guild_id: int, entry_id: int, *, actor_id: int, now: datetime) -> int | None:
    """Put back what entry `entry_id` changed (recorded as a new 'undo' entry)."""
    entry = await history_entry(db, guild_id, entry_id)
    if entry is None:
        return None
    return await apply_change(
        db,
        guild_id,
        entry.before,
        action=f"undo #{entry.id}",
        actor_id=actor_id,
        now=now,
        topic=entry.topic,
        item_id=entry.item_id,
    )
