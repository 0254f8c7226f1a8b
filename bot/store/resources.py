"""Resource lists as a guild sees them: shipped defaults plus that guild's overlay; FTS5 search."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import cast

from bot.content import Library, ResourceItem, Topic
from bot.resource_edits import OverlayRow
from bot.store.db import Database

_CJK_RE = re.compile(r"([\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af])")
_TOKEN_RE = re.compile(r"[\w']+", re.UNICODE)
DEFAULTS_GUILD = 0
ANY_LOCALE = "*"
FINGERPRINT_KEY = "defaults_fingerprint"


def fts_text(text: str) -> str:
    """Space out CJK characters so FTS5's unicode61 tokenizer indexes each one."""
    return _CJK_RE.sub(r" \1 ", text)


def fts_terms(query: str) -> list[str]:
    """The search terms of free text (at most 12), each a phrase of words; CJK runs spaced out."""
    terms = []
    for token in _TOKEN_RE.findall(query.replace("'", " ")):
        spaced = fts_text(token).replace('"', "").split()
        if spaced:
            terms.append(" ".join(spaced))
    return terms[:12]


def _pg_search_sql(terms: Sequence[str], *, any_term: bool) -> str:
    """The same search on PostgreSQL: one phrase query per term, ranked title > keywords > description."""
    combined = (" || " if any_term else " && ").join("phraseto_tsquery('kindred_search', ?)" for _ in terms)
    return (
        f"SELECT guild_id, item_id FROM resource_fts, (SELECT {combined} AS q) AS query"  # noqa: S608 - marks only
        " WHERE document @@ query.q AND guild_id IN (?, ?) AND locale IN (?, ?)"
        " ORDER BY ts_rank(document, query.q, 1) DESC, item_id LIMIT ?"
    )


def _index_rows(library: Library) -> Iterable[tuple[str, str, str, int, str, str, str]]:
    for locale, pack in library.packs.items():
        for topic in pack.topics:
            topic_words = " ".join([topic.title, *topic.keywords, topic.summary])
            for item in topic.items:
                yield (
                    fts_text(item.title),
                    fts_text(item.description),
                    fts_text(topic_words),
                    DEFAULTS_GUILD,
                    locale,
                    topic.slug,
                    item.id,
                )


async def sync_default_index(db: Database, library: Library) -> bool:
    """Rebuild the search index of shipped items when the packs changed; True if rebuilt."""
    fingerprint = library.fingerprint()
    row = await db.fetchone("SELECT value FROM meta WHERE key = ?", (FINGERPRINT_KEY,))
    if row is not None and row["value"] == fingerprint:
        return False
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM resource_fts WHERE guild_id = ?", (DEFAULTS_GUILD,))
        await conn.executemany(
            "INSERT INTO resource_fts (title, description, keywords, guild_id, locale, topic, item_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            list(_index_rows(library)),
        )
        await conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (FINGERPRINT_KEY, fingerprint),
        )
    return True


async def _overlay(db: Database, guild_id: int | None) -> tuple[OverlayRow, ...]:
    """The guild's overlay in display order (from memory after the first read)."""
    if guild_id is None:
        return ()
    return await db.guilds.get(guild_id, "overlay_in_order", lambda: _load_overlay(db, guild_id))


async def _load_overlay(db: Database, guild_id: int) -> tuple[OverlayRow, ...]:
    rows = await db.fetchall(
        "SELECT item_id, topic, state, title, url, kind, description, position FROM resource_overlay"
        " WHERE guild_id = ? ORDER BY position, updated_at",
        (guild_id,),
    )
    return tuple(OverlayRow(*tuple(r)) for r in rows)


async def _visible_lab_topics(db: Database, guild_id: int) -> tuple[tuple[str, str, str], ...]:
    async def load() -> tuple[tuple[str, str, str], ...]:
        rows = await db.fetchall(
            "SELECT slug, title, summary FROM guild_topics WHERE guild_id = ? AND hidden = 0"
            " ORDER BY updated_at",
            (guild_id,),
        )
        return tuple((r["slug"], r["title"], r["summary"]) for r in rows)

    return await db.guilds.get(guild_id, "visible_lab_topics", load)


def _row_item(row: OverlayRow) -> ResourceItem:
    # Edited and added rows carry every column (bot.resource_edits); passed on exactly as stored.
    return ResourceItem(
        row.item_id,
        row.topic,
        cast(str, row.title),
        cast(str, row.url),
        cast(str, row.kind),
        cast(str, row.description),
    )


async def effective_topics(db: Database, library: Library, guild_id: int | None, locale: str) -> list[Topic]:
    """Every topic with the items this guild sees, in the pack's order then the guild's own.

    Computed once per guild, library and locale and kept in `db.guilds` until the guild's next
    change (bot.store.guild_cache): the cached value holds the library itself, so the key's
    `id(library)` cannot be reused by another library while the entry lives.
    """
    if guild_id is None:
        return list(_compose(library, locale, (), ()))

    async def load() -> tuple[Library, tuple[Topic, ...]]:
        rows = await _overlay(db, guild_id)
        lab = await _visible_lab_topics(db, guild_id)
        return library, _compose(library, locale, rows, lab)

    _, topics = await db.guilds.get(guild_id, ("effective_topics", id(library), locale), load)
    return list(topics)


def _compose(
    library: Library, locale: str, rows: tuple[OverlayRow, ...], lab: tuple[tuple[str, str, str], ...]
) -> tuple[Topic, ...]:
    pack = library.pack(locale)
    by_id = {row.item_id: row for row in rows}
    topics: list[Topic] = []
    shipped = [(t.slug, t.title, t.summary, t.keywords, t.items) for t in pack.topics]
    shipped += [(slug, title, summary, (), ()) for slug, title, summary in lab]
    for slug, title, summary, keywords, defaults in shipped:
        items: list[ResourceItem] = []
        for item in defaults:
            row = by_id.get(item.id)
            if row is None:
                items.append(item)
            elif row.state == "edited":
                items.append(_row_item(row))
        items += [_row_item(r) for r in rows if r.state == "added" and r.topic == slug]
        topics.append(Topic(slug, title, summary, keywords, tuple(items)))
    return tuple(topics)


async def effective_topic(
    db: Database, library: Library, guild_id: int | None, locale: str, slug: str
) -> Topic | None:
    """One topic as this guild sees it."""
    return next((t for t in await effective_topics(db, library, guild_id, locale) if t.slug == slug), None)


async def search(
    db: Database, library: Library, guild_id: int | None, locale: str, query: str, limit: int = 8
) -> list[ResourceItem]:
    """Items matching `query` (all terms first, then any term), best first, overlay applied.

    A shipped item the guild edited or hid is matched only through the guild's own index row,
    so searching never finds an item by words a moderator removed from it.
    """
    visible = {
        item.id: item
        for topic in await effective_topics(db, library, guild_id, locale)
        for item in topic.items
    }
    overridden = {row.item_id for row in await _overlay(db, guild_id)}
    terms = fts_terms(query)
    if not terms:
        return []
    scope = (DEFAULTS_GUILD, guild_id or DEFAULTS_GUILD, library.pack(locale).locale, ANY_LOCALE, limit * 4)
    for any_term in (False, True):
        if db.dialect == "postgresql":
            rows = await db.fetchall(_pg_search_sql(terms, any_term=any_term), (*terms, *scope))
        else:
            rows = await db.fetchall(
                "SELECT guild_id, item_id FROM resource_fts WHERE resource_fts MATCH ?"
                " AND guild_id IN (?, ?) AND locale IN (?, ?)"
                " ORDER BY bm25(resource_fts, 5.0, 1.0, 2.0) LIMIT ?",
                ((" OR " if any_term else " ").join(f'"{term}"' for term in terms), *scope),
            )
        found: list[ResourceItem] = []
        for row in rows:
            if row["guild_id"] == DEFAULTS_GUILD and row["item_id"] in overridden:
                continue
            item = visible.get(row["item_id"])
            if item is not None and item not in found:
                found.append(item)
        if found:
            return found[:limit]
    return []


async def changes_by(db: Database, actor_id: int) -> list[sqlite3.Row]:
    """Every recorded resource change made by one moderator (for /privacy export)."""
    return await db.fetchall(
        "SELECT guild_id, topic, item_id, action, at FROM resource_history WHERE actor_id = ? ORDER BY id",
        (actor_id,),
    )


async def forget_actor(db: Database, actor_id: int) -> int:
    """Replace a moderator's id in the edit history with 0 ("a former moderator")."""
    async with db.guilds.changing(None), db.transaction() as conn:
        changed = 0
        for table, column in (
            ("resource_history", "actor_id"),
            ("resource_overlay", "updated_by"),
            ("guild_topics", "updated_by"),
        ):
            cursor = await conn.execute(
                f"UPDATE {table} SET {column} = 0 WHERE {column} = ?",  # noqa: S608 - fixed names
                (actor_id,),
            )
            changed += cursor.rowcount
        return changed
