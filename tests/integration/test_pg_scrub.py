"""On PostgreSQL, a member's deleted or overwritten words leave the server's files too.

PostgreSQL keeps a deleted row's old version in the table's pages, and a plain VACUUM frees that
space without overwriting it (the last row of a page stays readable). SQLite's secure_delete
zeroes such space at once; the PostgreSQL store rewrites the table after the change instead
(`bot.store.pg._scrub`). These read the database's relation files, as whoever holds the server could.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store.pg import PgDatabase
from tests.backends import database_url, postgres_only
from tests.dbview import stored_bytes

pytestmark = postgres_only


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = PgDatabase(database_url(tmp_path / "k"))
    await database.open()
    yield database
    await database.close()


async def add_share(db: PgDatabase, share_id: bytes, body: str) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO pending_shares (id, guild_id, body, author_token, state) VALUES (?, 1, ?, 't', 'review')",
            (share_id, body),
        )


async def test_a_deleted_share_is_gone_from_the_files_even_as_the_last_row_of_its_page(
    db: PgDatabase, tmp_path: Path
) -> None:
    await add_share(db, b"a", "an earlier share that stays")
    await add_share(db, b"b", "NEEDLE reviewer 2 and my drafts")  # the newest row: a plain VACUUM keeps it
    assert b"NEEDLE reviewer" in stored_bytes(tmp_path / "k")
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM pending_shares WHERE id = ?", (b"b",))
    stored = stored_bytes(tmp_path / "k")
    assert b"NEEDLE reviewer" not in stored
    assert b"an earlier share that stays" in stored  # the scan reads the table's file


async def test_overwritten_reply_text_and_cascaded_reach_rows_are_gone_from_the_files(
    db: PgDatabase, tmp_path: Path
) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO share_replies (id, share_id, kind, state, body, author_sealed)"
            " VALUES (?, ?, 'reply', 'review', ?, ?)",
            (b"r", b"s", "NEEDLE same here, it gets better", b"x"),
        )
    async with db.transaction() as conn:  # posted: the text is set to NULL, the row stays
        await conn.execute("UPDATE share_replies SET body = NULL, state = 'posted' WHERE id = ?", (b"r",))
    assert b"NEEDLE same here" not in stored_bytes(tmp_path / "k")
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO reach_conversations (id, guild_id, code_hash, handle, week, state)"
            " VALUES (?, 1, ?, 'reach-abcdefgh', '2026-W49', 'open')",
            (b"c", b"h"),
        )
        await conn.execute(
            "INSERT INTO reach_outbox (id, conversation, body, post_after) VALUES (?, ?, ?, '2026-12-01')",
            (b"o", b"c", "NEEDLE I dread Mondays"),
        )
        await conn.execute(
            "INSERT INTO reach_replies (id, conversation, seq, as_team, rep_id, rep_name, body)"
            " VALUES (?, ?, 1, 1, 7, 'rep', ?)",
            (b"p", b"c", "NEEDLE that sounds exhausting"),
        )
    assert b"NEEDLE I dread" in stored_bytes(tmp_path / "k")
    async with db.transaction() as conn:  # closing deletes the conversation; its rows go by cascade
        await conn.execute("DELETE FROM reach_conversations WHERE id = ?", (b"c",))
    stored = stored_bytes(tmp_path / "k")
    assert b"NEEDLE I dread" not in stored and b"NEEDLE that sounds" not in stored
