"""Issue 16 on real SQLite files: /reach conversations, outbox, replies, blocks, retention, rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.anonymity import (
    open_value,
    random_id,
    reach_author,
    reach_code_hash,
    reach_named_key,
    seal_value,
)
from bot.keys import rekey, verify_key
from bot.retention import forget_what_is_due
from bot.store import Database
from bot.store import reach as store
from bot.store.guilds import GuildSettings, save_settings
from tests.backends import open_store

KEY = b"reach-test-key-0123456789abcdef0123456"
NEW = b"reach-rotated-key-0123456789abcdef01234"
GUILD = 91
MEMBER = 424242424242424242
NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = open_store(tmp_path / "k.sqlite3")
    await database.open()
    yield database
    await database.close()


async def open_one(
    db: Database,
    code: str = "c" * 24,
    *,
    handle: str = "abcdefgh",
    named: bool = False,
    after: datetime = NOW,
) -> bytes:
    conversation_id = random_id()
    await store.open_conversation(
        db,
        conversation_id,
        guild_id=GUILD,
        code_hash=reach_code_hash(KEY, code),
        handle=handle,
        week="2026-W49",
        named_key=reach_named_key(KEY, GUILD, MEMBER) if named else None,
        lang="en",
        author_sealed=seal_value(KEY, reach_author(KEY, GUILD, MEMBER).encode(), context=f"t:{handle}"),
        notify_sealed=None,
        body="first message",
        flagged=False,
        post_after=after,
    )
    return conversation_id


async def test_a_conversation_is_found_by_its_code_only_and_keeps_no_id(db: Database, tmp_path: Path) -> None:
    conversation_id = await open_one(db)
    found = await store.by_code(db, reach_code_hash(KEY, "c" * 24))
    assert found is not None and found.id == conversation_id and found.state == "waiting"
    assert await store.by_code(db, reach_code_hash(KEY, "d" * 24)) is None
    assert await store.by_code(db, reach_code_hash(NEW, "c" * 24)) is None  # keyed: another key finds nothing
    assert (await store.by_handle(db, GUILD, "abcdefgh")) == found
    assert await store.handle_taken(db, "abcdefgh") and not await store.handle_taken(db, "zzzzzzzz")
    token = open_value(KEY, found.author_sealed or b"", context="t:abcdefgh").decode()
    assert token == reach_author(KEY, GUILD, MEMBER)
    await db.checkpoint()
    for path in tmp_path.glob("k.sqlite3*"):
        data = path.read_bytes()
        assert str(MEMBER).encode() not in data and MEMBER.to_bytes(8, "big") not in data
        assert token.encode() not in data  # the author token is only there sealed
        assert b"c" * 24 not in data  # nor the code itself


async def test_the_outbox_waits_for_its_time_and_forgets_text_once_posted(db: Database) -> None:
    conversation_id = await open_one(db, after=NOW + timedelta(minutes=2))
    assert await store.due_messages(db, NOW) == []
    [due] = await store.due_messages(db, NOW + timedelta(minutes=2))
    assert due.body == "first message" and due.conversation.id == conversation_id
    await store.set_thread(db, conversation_id, 555)
    await store.posted(db, due.id, conversation_id)
    after = await store.by_handle(db, GUILD, "abcdefgh")
    assert after is not None and after.state == "open" and after.thread_id == 555
    assert await store.due_messages(db, NOW + timedelta(days=1)) == []
    row = await db.fetchone("SELECT count(*) FROM reach_outbox")
    assert row is not None and row[0] == 0


async def test_replies_are_numbered_and_set_the_state(db: Database) -> None:
    conversation_id = await open_one(db)
    [due] = await store.due_messages(db, NOW)
    await store.posted(db, due.id, conversation_id)
    assert await store.add_reply(db, conversation_id, as_team=True, rep_id=7, rep_name="Ana", body="hi") == 1
    assert await store.add_reply(db, conversation_id, as_team=False, rep_id=8, rep_name="Bo", body="yo") == 2
    replies = await store.replies(db, conversation_id)
    assert [(r.seq, r.as_team, r.rep_id, r.body) for r in replies] == [
        (1, True, 7, "hi"),
        (2, False, 8, "yo"),
    ]
    conversation = await store.by_handle(db, GUILD, "abcdefgh")
    assert conversation is not None and conversation.state == "answered"
    await store.queue_message(db, conversation_id, "thanks", flagged=True, post_after=NOW, state="open")
    conversation = await store.by_handle(db, GUILD, "abcdefgh")
    assert conversation is not None and conversation.state == "open" and conversation.urgent
    counts = await store.counts(db, GUILD)
    assert (counts.open, counts.urgent, counts.active) == (1, 1, 1)


async def test_delete_takes_replies_and_queues_the_thread(db: Database) -> None:
    conversation_id = await open_one(db)
    await store.set_thread(db, conversation_id, 999)
    await store.add_reply(
        db, conversation_id, as_team=True, rep_id=7, rep_name="Ana", body="kept until delete"
    )
    assert await store.delete(db, conversation_id)
    assert await store.replies(db, conversation_id) == []
    assert await store.threads_to_delete(db) == [(GUILD, 999)]
    await store.thread_deleted(db, 999)
    assert await store.threads_to_delete(db) == []


async def test_privacy_delete_finds_named_conversations_only(db: Database) -> None:
    await open_one(db, "a" * 24, handle="aaaaaaaa", named=True)
    await open_one(db, "b" * 24, handle="bbbbbbbb")
    assert await store.delete_named(db, [reach_named_key(KEY, GUILD, MEMBER)]) == 1
    assert await store.by_handle(db, GUILD, "aaaaaaaa") is None
    assert await store.by_handle(db, GUILD, "bbbbbbbb") is not None


async def test_closed_conversations_are_forgotten_after_the_guilds_kept_days(db: Database) -> None:
    await save_settings(db, GuildSettings(GUILD, reach_kept_days=10), NOW)
    conversation_id = await open_one(db)
    await store.set_thread(db, conversation_id, 321)
    await store.add_reply(db, conversation_id, as_team=True, rep_id=7, rep_name="Ana", body="old reply")
    await db.execute(
        "UPDATE reach_conversations SET notify_sealed = ? WHERE id = ?", (b"\x00", conversation_id)
    )
    assert await store.close(db, conversation_id, "2026-11-25")
    closed = await store.by_handle(db, GUILD, "abcdefgh")
    assert closed is not None and closed.notify_sealed is None  # the DM address goes on close
    assert not await store.close(db, conversation_id, "2026-11-25")  # once
    assert (await forget_what_is_due(db, NOW)).conversations == 0  # 7 days: kept
    gone = await forget_what_is_due(db, NOW + timedelta(days=3))  # 10 days
    assert gone.conversations == 1
    assert await store.by_handle(db, GUILD, "abcdefgh") is None
    assert await store.threads_to_delete(db) == [(GUILD, 321)]
    row = await db.fetchone("SELECT count(*) FROM reach_replies")
    assert row is not None and row[0] == 0


async def test_blocks_expire_appeal_once_and_lift(db: Database) -> None:
    token = reach_author(KEY, GUILD, MEMBER)
    await store.block(db, GUILD, token, handle="blockaaa", expires_on="2026-12-16", blocked_by=7)
    found = await store.find_block(db, GUILD, token, "2026-12-02")
    assert found is not None and found.blocked_by == 7 and not found.appealed
    assert await store.find_block(db, GUILD, token, "2026-12-16") is None  # ends on its day
    assert await store.find_block(db, GUILD, reach_author(KEY, GUILD, MEMBER + 1), "2026-12-02") is None
    assert await store.mark_appealed(db, GUILD, "blockaaa")
    assert not await store.mark_appealed(db, GUILD, "blockaaa")
    assert await store.lift(db, GUILD, "blockaaa")
    assert await store.find_block(db, GUILD, token, "2026-12-02") is None
    await store.block(db, GUILD, token, handle="blockbbb", expires_on="2026-12-03", blocked_by=7)
    assert await store.expire(db, "2026-12-03") == 1


async def test_the_daily_limit_counts_per_token_and_day(db: Database) -> None:
    for _ in range(2):
        assert await store.take_quota(db, GUILD, "t1", "2026-12-02", 2)
    assert not await store.take_quota(db, GUILD, "t1", "2026-12-02", 2)
    assert await store.take_quota(db, GUILD, "t2", "2026-12-02", 2)
    assert await store.take_quota(db, GUILD, "t1", "2026-12-03", 2)  # a new day
    row = await db.fetchone("SELECT count(*) FROM reach_quota WHERE day < '2026-12-03'")
    assert row is not None and row[0] == 0  # yesterday's counts are gone


async def test_rotation_drops_reach_blocks_and_closes_conversations_their_codes_no_longer_open(
    db: Database,
) -> None:
    await verify_key(db, KEY)
    await open_one(db)
    await store.block(db, GUILD, "tok", handle="blockccc", expires_on="2027-01-01", blocked_by=7)
    done = await rekey(db, KEY, NEW)
    assert (done.blocks_dropped, done.conversations_closed) == (1, 1)
    conversation = await store.by_handle(db, GUILD, "abcdefgh")
    assert conversation is not None and conversation.state == "closed"
    assert conversation.author_sealed is None and conversation.notify_sealed is None
    assert len(await store.due_messages(db, NOW)) == 1  # a message still waiting is posted anyway
