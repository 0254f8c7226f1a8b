"""The reader beside the writer, and the guild cache, on real SQLite files (issue 19).

Reads use their own connection: they answer while a write transaction is open, and see a commit
as soon as it returned. The guild cache serves settings, overlay and lab topics from memory but is
never stale: every change (settings, resource edits, forgetting a moderator) shows on the next read,
also through a second Database on the same file (a restart).
"""

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import RESOURCES_DIR
from bot.content import Library, require_library
from bot.resource_edits import Change, LabTopic, OverlayRow
from bot.store import Database, StoreUnavailable
from bot.store.guilds import get_settings, save_settings, with_changes
from bot.store.overlay import apply_change, overlay_rows, undo
from bot.store.resources import effective_topic, effective_topics, search, sync_default_index
from tests.backends import open_store, sqlite_only

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
LAB, OTHER = 1001, 1002
MOD = 77


@pytest.fixture(scope="module")
def library() -> Library:
    return require_library(RESOURCES_DIR)


@pytest.fixture
async def db(tmp_path: Path, library: Library):  # type: ignore[no-untyped-def]
    database = open_store(tmp_path / "k.sqlite3")
    await database.open()
    await sync_default_index(database, library)
    yield database
    await database.close()


def first_item(library: Library, slug: str = "sudden-money") -> tuple[str, str]:
    topic = library.pack("en").topic(slug)
    assert topic is not None
    return topic.slug, topic.items[0].id


def edited_row(item_id: str, slug: str, title: str) -> OverlayRow:
    return OverlayRow(item_id, slug, "edited", title, "https://example.edu/x", "organisation", "Kind words.")


async def test_a_read_answers_while_a_write_transaction_is_open(db: Database) -> None:
    held = asyncio.Event()
    release = asyncio.Event()

    async def long_write() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('slow', 'write')")
            held.set()
            await release.wait()

    writer = asyncio.create_task(long_write())
    await held.wait()
    # The writer's lock is held: before issue 19 this read waited for it (and gave up after 1.5 s).
    rows = await asyncio.wait_for(db.fetchall("SELECT value FROM meta WHERE key = 'slow'"), 0.5)
    assert rows == []  # the uncommitted row is not visible to the reader
    release.set()
    await writer
    assert [r[0] for r in await db.fetchall("SELECT value FROM meta WHERE key = 'slow'")] == ["write"]


async def test_a_read_right_after_each_commit_sees_it(db: Database) -> None:
    for n in range(200):
        await db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"n{n}", str(n)))
        row = await db.fetchone("SELECT count(*) FROM meta WHERE key LIKE 'n%'")
        assert row is not None and row[0] == n + 1


@sqlite_only
async def test_the_reader_does_not_hold_up_a_checkpoint(db: Database) -> None:
    for n in range(20):
        await db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"c{n}", "v"))
        await db.fetchall("SELECT * FROM meta")
    assert await db.checkpoint()
    wal = db.path.with_name(db.path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


async def test_the_reader_cannot_write(db: Database) -> None:
    with pytest.raises(StoreUnavailable):
        await db.fetchall("INSERT INTO meta (key, value) VALUES ('via', 'reader') RETURNING key")
    assert await db.fetchall("SELECT * FROM meta WHERE key = 'via'") == []


@sqlite_only
async def test_a_read_during_another_process_write_lock_still_answers(db: Database) -> None:
    other = sqlite3.connect(db.path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert await asyncio.wait_for(db.fetchall("SELECT count(*) FROM guild_settings"), 0.5)
        with pytest.raises(StoreUnavailable, match="busy"):
            await db.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_settings_are_cached_and_a_save_shows_at_once(db: Database) -> None:
    before = await get_settings(db, LAB)
    loads = db.guilds.loads
    assert await get_settings(db, LAB) == before
    assert db.guilds.loads == loads  # served from memory
    await save_settings(db, with_changes(before, k_threshold=7, country="GB"), NOW)
    after = await get_settings(db, LAB)
    assert (after.k_threshold, after.country) == (7, "GB")
    assert (await get_settings(db, OTHER)).k_threshold == before.k_threshold


async def test_every_overlay_change_shows_at_once_in_topics_search_and_rows(
    db: Database, library: Library
) -> None:
    slug, item_id = first_item(library)
    # Warm every cached view first, so a stale one would be caught.
    shipped = await effective_topic(db, library, LAB, "en", slug)
    assert shipped is not None
    await overlay_rows(db, LAB)
    await search(db, library, LAB, "en", "money")
    loads = db.guilds.loads
    await effective_topics(db, library, LAB, "en")
    await overlay_rows(db, LAB)
    assert db.guilds.loads == loads

    entry = await apply_change(
        db,
        LAB,
        Change(items={item_id: edited_row(item_id, slug, "Our own advice")}),
        action="edit",
        actor_id=MOD,
        now=NOW,
    )
    assert entry is not None
    topic = await effective_topic(db, library, LAB, "en", slug)
    assert topic is not None and topic.items[0].title == "Our own advice"
    assert [r.title for r in await overlay_rows(db, LAB)] == ["Our own advice"]
    assert [i.title for i in await search(db, library, LAB, "en", "own advice")][:1] == ["Our own advice"]

    await apply_change(
        db,
        LAB,
        Change(items={item_id: OverlayRow(item_id, slug, "hidden")}),
        action="remove",
        actor_id=MOD,
        now=NOW,
    )
    topic = await effective_topic(db, library, LAB, "en", slug)
    assert topic is not None and item_id not in [i.id for i in topic.items]

    reset = await apply_change(db, LAB, Change(items={item_id: None}), action="reset", actor_id=MOD, now=NOW)
    assert reset is not None
    assert await effective_topic(db, library, LAB, "en", slug) == shipped
    assert await overlay_rows(db, LAB) == []

    assert await undo(db, LAB, reset, actor_id=MOD, now=NOW) is not None  # hidden again
    topic = await effective_topic(db, library, LAB, "en", slug)
    assert topic is not None and item_id not in [i.id for i in topic.items]
    assert [r.state for r in await overlay_rows(db, LAB)] == ["hidden"]


async def test_a_lab_topic_shows_at_once_in_every_locale(db: Database, library: Library) -> None:
    for locale in ("en", "zh"):
        await effective_topics(db, library, LAB, locale)
    mine = LabTopic("our-lab", "Our lab", "Things we share")
    await apply_change(db, LAB, Change(topics={"our-lab": mine}), action="topic", actor_id=MOD, now=NOW)
    for locale in ("en", "zh"):
        assert "our-lab" in [t.slug for t in await effective_topics(db, library, LAB, locale)]
    assert "our-lab" not in [t.slug for t in await effective_topics(db, library, OTHER, "en")]


async def test_a_change_another_connection_made_is_seen_after_a_restart(
    tmp_path: Path, db: Database, library: Library
) -> None:
    slug, item_id = first_item(library)
    await effective_topic(db, library, LAB, "en", slug)
    await get_settings(db, LAB)
    await db.close()
    # Another run of kindred (or an upgrade) edits the file while this one is down.
    edit = open_store(tmp_path / "k.sqlite3")
    await edit.open()
    await save_settings(edit, with_changes(await get_settings(edit, LAB), k_threshold=9), NOW)
    await apply_change(
        edit,
        LAB,
        Change(items={item_id: edited_row(item_id, slug, "Edited elsewhere")}),
        action="edit",
        actor_id=MOD,
        now=NOW,
    )
    await edit.close()
    again = open_store(tmp_path / "k.sqlite3")
    await again.open()
    try:
        assert (await get_settings(again, LAB)).k_threshold == 9
        topic = await effective_topic(again, library, LAB, "en", slug)
        assert topic is not None and topic.items[0].title == "Edited elsewhere"
    finally:
        await again.close()


async def test_a_reconnect_clears_the_cache(db: Database) -> None:
    await get_settings(db, LAB)
    assert len(db.guilds) == 1
    await db._drop()  # what a fault does; the next use reconnects and migrates if needed
    await db.execute("INSERT INTO meta (key, value) VALUES ('after', 'reconnect')")
    assert len(db.guilds) == 0


@sqlite_only
async def test_a_failed_edit_leaves_the_cache_correct(db: Database, library: Library) -> None:
    slug, item_id = first_item(library)
    shipped = await effective_topic(db, library, LAB, "en", slug)
    other = sqlite3.connect(db.path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreUnavailable):
            await apply_change(
                db,
                LAB,
                Change(items={item_id: edited_row(item_id, slug, "Never saved")}),
                action="edit",
                actor_id=MOD,
                now=NOW,
            )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert await effective_topic(db, library, LAB, "en", slug) == shipped
