"""Issue 17 on real SQLite files: published shares, reply order, text dropped once posted, retention, rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.anonymity import open_value, seal_value, share_code_hash, share_token
from bot.keys import rekey, verify_key
from bot.retention import forget_what_is_due
from bot.share_posts import KEPT_DAYS
from bot.store import Database, shares
from bot.store import share_posts as store
from tests.backends import open_store

KEY = b"share-posts-test-key-0123456789abcdef01"
NEW = b"share-posts-rotated-key-0123456789abcde"
GUILD = 17
MEMBER = 171717171717171717
NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)
CODE = "c" * 24


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = open_store(tmp_path / "k.sqlite3")
    await database.open()
    await verify_key(database, KEY, accept_new=True)
    yield database
    await database.close()


async def published(db: Database, message_id: int = 500) -> bytes:
    token = share_token(KEY, GUILD, MEMBER, "e1")
    share_id = await shares.hold(
        db,
        GUILD,
        "the share text",
        None,
        token,
        state="scheduled",
        publish_after=NOW,
        code_hash=share_code_hash(KEY, CODE),
    )
    pending = await shares.get(db, share_id)
    assert pending is not None and pending.code_hash == share_code_hash(KEY, CODE)
    await store.publish(
        db,
        share_id,
        guild_id=GUILD,
        channel_id=400,
        message_id=message_id,
        code_hash=pending.code_hash,
        author_sealed=seal_value(KEY, token.encode(), context="post"),
        today=NOW.date().isoformat(),
    )
    return share_id


async def test_publishing_moves_a_share_out_of_the_queue_and_the_code_finds_it(db: Database) -> None:
    share_id = await published(db)
    assert await shares.get(db, share_id) is None  # the text is gone with the queue row
    post = await store.by_code(db, share_code_hash(KEY, CODE))
    assert post is not None and post.id == share_id and post.message_id == 500 and not post.locked
    assert await store.by_code(db, share_code_hash(KEY, "d" * 24)) is None
    assert open_value(KEY, post.author_sealed, context="post").decode() == share_token(
        KEY, GUILD, MEMBER, "e1"
    )
    assert await store.lock(db, share_id) and not await store.lock(db, share_id)


async def test_replies_are_numbered_in_order_and_lose_their_text_once_posted(
    db: Database, tmp_path: Path
) -> None:
    share_id = await published(db)
    ids = [
        await store.hold_reply(
            db,
            share_id,
            kind="reply",
            body=f"reply text {n}",
            author_sealed=b"s",
            state="scheduled",
            publish_after=NOW,
        )
        for n in range(3)
    ]
    assert len(await store.due_replies(db, NOW)) == 3
    assert len(await store.due_replies(db, NOW - timedelta(seconds=1))) == 0
    for n, reply_id in enumerate(ids, start=1):
        assert await store.next_number(db, share_id) == n
        await store.posted(db, reply_id, number=n, message_id=600 + n)
    assert await store.due_replies(db, NOW) == []
    rows = await db.fetchall("SELECT body, number FROM share_replies ORDER BY number")
    assert [(r["body"], r["number"]) for r in rows] == [(None, 1), (None, 2), (None, 3)]
    assert sorted(await store.reply_messages(db, share_id)) == [601, 602, 603]
    for path in tmp_path.glob("k.sqlite3*"):  # secure_delete and the checkpoint leave no trace
        assert b"reply text" not in path.read_bytes(), path.name


async def test_review_is_decided_once(db: Database) -> None:
    share_id = await published(db)
    reply_id = await store.hold_reply(
        db, share_id, kind="op", body="held", author_sealed=b"s", state="review", review_after=NOW
    )
    assert [r.id for r in await store.due_reviews(db, NOW)] == [reply_id]
    await store.review_requested(db, reply_id)
    assert await store.due_reviews(db, NOW) == []
    assert await store.approve(db, reply_id, NOW) and not await store.approve(db, reply_id, NOW)


async def test_posts_and_their_replies_are_forgotten_after_the_kept_days_or_with_the_guild(
    db: Database,
) -> None:
    share_id = await published(db)
    await store.hold_reply(db, share_id, kind="reply", body="x", author_sealed=b"s", state="review")
    await store.log_action(db, GUILD, NOW, 99, "lock", "post")
    await forget_what_is_due(db, NOW + timedelta(days=KEPT_DAYS))
    assert await store.post(db, share_id) is not None  # published on day 0: kept through day 90
    await forget_what_is_due(db, NOW + timedelta(days=KEPT_DAYS + 1))
    assert await store.post(db, share_id) is None
    assert await db.fetchall("SELECT 1 FROM share_replies") == []
    other = await published(db, message_id=501)
    await store.forget_guild(db, GUILD)
    assert await store.post(db, other) is None and await store.moderation_log(db, GUILD) == []


async def test_a_key_rotation_drops_author_code_hashes(db: Database) -> None:
    share_id = await published(db)
    await rekey(db, KEY, NEW)
    assert await store.by_code(db, share_code_hash(KEY, CODE)) is None
    assert await store.by_code(db, share_code_hash(NEW, CODE)) is None
    post = await store.post(db, share_id)
    assert post is not None and post.code_hash is None  # the post itself still takes replies


async def test_a_memory_keeps_its_thread_and_is_counted_until_it_is_posted_or_decided(db: Database) -> None:
    token = share_token(KEY, GUILD, MEMBER, "e1")
    memory = await shares.hold(db, GUILD, "a memory", None, token, state="review", thread_id=4242)
    plain = await shares.hold(db, GUILD, "a share", None, token, state="review")
    held, other = await shares.get(db, memory), await shares.get(db, plain)
    assert held is not None and held.thread_id == 4242 and other is not None and other.thread_id is None
    assert await shares.memories_waiting(db, GUILD) == 1 and await shares.memories_waiting(db, GUILD + 1) == 0
    assert await shares.schedule(db, memory, NOW)
    assert [(s.id, s.thread_id) for s in await shares.due(db, NOW)] == [(memory, 4242)]
    assert await shares.memories_waiting(db, GUILD) == 1  # approved but not yet posted: still waiting
    assert await shares.forget(db, memory) and await shares.memories_waiting(db, GUILD) == 0
