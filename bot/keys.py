"""The secret key's life: one key check value in the database, upgrades from 0.1, and rotation.

The key itself never enters the database; a short check value derived from it does, so kindred
refuses to start on a database sealed under another key instead of silently lifting every
block, allowing a second check-in and orphaning every subscription.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.anonymity import (
    LEGACY_SEALED_BYTES,
    SealError,
    key_check_value,
    legacy_open_user,
    member_key,
    open_user,
    seal_user,
)
from bot.store.db import Database

log = logging.getLogger(__name__)

KEY_CHECK = "key_check"


class KeyMismatch(Exception):
    """The database was sealed under another secret key."""


async def verify_key(db: Database, secret: bytes, *, accept_new: bool = False) -> None:
    """Record the key's check value on first use; KeyMismatch if the database knows another key."""
    expected = key_check_value(secret)
    row = await db.fetchone("SELECT value FROM meta WHERE key = ?", (KEY_CHECK,))
    if row is not None and row["value"] != expected and not accept_new:
        raise KeyMismatch(
            "this database was sealed under another secret key. Start kindred with the key it was "
            "made with (KINDRED_SECRET_KEY or the key file); or, to give up what the old key "
            "protects (weekly DMs, blocks, this week's receipts), set KINDRED_ACCEPT_NEW_KEY=1 once."
        )
    if row is None or row["value"] != expected:
        if row is not None:
            log.warning(
                "KINDRED_ACCEPT_NEW_KEY: the database now belongs to a new secret key; "
                "subscriptions sealed under the old key will pause"
            )
        await db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (KEY_CHECK, expected),
        )


@dataclass(frozen=True)
class Rekeyed:
    """What moving rows to another key did (counts only)."""

    subscriptions: int
    unreadable: int
    receipts_dropped: int
    blocks_dropped: int
    conversations_closed: int = 0


#: The seal purpose of a "check on me" reminder's DM address (cogs/_gentle.py uses it too).
REMINDER_PURPOSE = "reminder"


async def rekey(db: Database, old: bytes, new: bytes, *, legacy: bool = False) -> Rekeyed:
    """Re-seal every subscription under `new` (reading it with `old`) and record the new check value.

    Receipts and share blocks are keyed hashes that cannot be recomputed without the member, so a
    rotation drops them (members may check in once more this week; blocks end early). /reach
    blocks go the same way, and /reach conversations close: their codes are hashed with the old
    key, so no member could open them again; closing starts their retention clock instead of
    leaving them unreachable forever. Their waiting messages are still posted. /share author
    codes stop working (their hashes are dropped), and posts sealed under the old key can no
    longer have their author blocked; replies and reports go on. With
    `legacy`, rows sealed by kindred 0.1 (before HKDF and AES-GCM) are upgraded in place instead
    and nothing is dropped.
    """
    rows = await db.fetchall("SELECT member, guild_id, kind, recipient FROM subscriptions")
    moved = unreadable = 0
    async with db.transaction() as conn:
        for row in rows:
            guild_id, kind, sealed = row["guild_id"], row["kind"], row["recipient"]
            purpose = f"subscription:{kind}"
            try:
                if legacy:
                    if len(sealed) != LEGACY_SEALED_BYTES:
                        continue
                    user_id = legacy_open_user(old, sealed)
                else:
                    user_id = open_user(old, sealed, guild_id=guild_id, purpose=purpose)
            except SealError:
                unreadable += 1
                continue
            member = member_key(new, guild_id, user_id)
            await conn.execute(
                "UPDATE subscriptions SET member = ?, recipient = ?"
                " WHERE member = ? AND guild_id = ? AND kind = ?",
                (
                    member,
                    seal_user(new, user_id, guild_id=guild_id, purpose=purpose),
                    row["member"],
                    guild_id,
                    kind,
                ),
            )
            await conn.execute(
                "UPDATE deliveries SET member = ? WHERE member = ? AND guild_id = ? AND kind = ?",
                (member, row["member"], guild_id, kind),
            )
            moved += 1
        blocks = closed = 0
        if not legacy:
            # "Check on me" reminders (issue 18) are re-sealed like subscriptions; unreadable ones go.
            async with conn.execute("SELECT id, guild_id, recipient FROM reminders") as cursor:
                reminders = list(await cursor.fetchall())
            for rid, guild_id, sealed in reminders:
                try:
                    user_id = open_user(old, sealed, guild_id=guild_id, purpose=REMINDER_PURPOSE)
                except SealError:
                    await conn.execute("DELETE FROM reminders WHERE id = ?", (rid,))
                    continue
                await conn.execute(
                    "UPDATE reminders SET member = ?, recipient = ? WHERE id = ?",
                    (
                        member_key(new, guild_id, user_id),
                        seal_user(new, user_id, guild_id=guild_id, purpose=REMINDER_PURPOSE),
                        rid,
                    ),
                )
            cursor = await conn.execute("DELETE FROM share_blocks")
            blocks = cursor.rowcount
            cursor = await conn.execute("DELETE FROM reach_blocks")
            blocks += cursor.rowcount
            cursor = await conn.execute(
                "UPDATE reach_conversations SET state = 'closed', closed_on = ?,"
                " author_sealed = NULL, notify_sealed = NULL WHERE state != 'closed'",
                (datetime.now(UTC).date().isoformat(),),
            )
            closed = cursor.rowcount
            # A share's author code is hashed with the old key, so no author could prove it again;
            # drop the hashes rather than keep values nothing can match.
            await conn.execute("UPDATE pending_shares SET code_hash = NULL")
            await conn.execute("UPDATE published_shares SET code_hash = NULL")
        await conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (KEY_CHECK, key_check_value(new)),
        )
    receipts = 0 if legacy else await db.receipts.delete_where("1 = 1")
    await db.checkpoint()
    return Rekeyed(moved, unreadable, receipts, blocks, closed)


async def upgrade_legacy_seals(db: Database, secret: bytes) -> int:
    """Upgrade subscriptions sealed by kindred 0.1 to per-guild keys and AES-GCM (once); returns rows."""
    row = await db.fetchone(
        "SELECT count(*) FROM subscriptions WHERE length(recipient) = ?", (LEGACY_SEALED_BYTES,)
    )
    if row is None or row[0] == 0:
        return 0
    done = await rekey(db, secret, secret, legacy=True)
    log.info("upgraded %d subscriptions to the version 2 seal", done.subscriptions)
    return done.subscriptions
