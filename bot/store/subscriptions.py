"""Opt-in weekly DMs and the record of each week's delivery."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.schedule import WeeklySlot, parse_clock
from bot.store.db import Database

KINDS = ("checkin", "prompt")


@dataclass(frozen=True)
class Subscription:
    """One member's weekly DM of one kind for one guild."""

    member: bytes
    guild_id: int
    kind: str
    recipient: bytes
    slot: WeeklySlot
    next_due: datetime
    lang: str = "en"
    paused_reason: str | None = None
    paused_at: datetime | None = None
    quiet_deadlines: bool = False  # "quiet during deadline weeks" (issue 18): no DM in those weeks


_SELECT = (
    "SELECT member, guild_id, kind, recipient, weekday, at, timezone, lang, next_due,"
    " paused_reason, paused_at, quiet_deadlines FROM subscriptions"
)


def _row(row: sqlite3.Row) -> Subscription:
    return Subscription(
        member=row["member"],
        guild_id=row["guild_id"],
        kind=row["kind"],
        recipient=row["recipient"],
        slot=WeeklySlot(row["weekday"], parse_clock(row["at"]), row["timezone"]),
        next_due=datetime.fromisoformat(row["next_due"]),
        lang=row["lang"],
        paused_reason=row["paused_reason"],
        paused_at=datetime.fromisoformat(row["paused_at"]) if row["paused_at"] else None,
        quiet_deadlines=bool(row["quiet_deadlines"]),
    )


async def save_subscription(db: Database, sub: Subscription, now: datetime) -> None:
    """Create or replace a subscription; saving again clears any pause."""
    await db.execute(
        "INSERT INTO subscriptions (member, guild_id, kind, recipient, weekday, at, timezone, lang,"
        " next_due, paused_reason, paused_at, created_at, quiet_deadlines)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)"
        " ON CONFLICT (member, guild_id, kind) DO UPDATE SET recipient = excluded.recipient,"
        " weekday = excluded.weekday, at = excluded.at, timezone = excluded.timezone,"
        " lang = excluded.lang, next_due = excluded.next_due, paused_reason = NULL, paused_at = NULL,"
        " quiet_deadlines = excluded.quiet_deadlines",
        (
            sub.member,
            sub.guild_id,
            sub.kind,
            sub.recipient,
            sub.slot.weekday,
            sub.slot.at.strftime("%H:%M"),
            sub.slot.tz,
            sub.lang,
            sub.next_due.isoformat(),
            now.isoformat(),
            int(sub.quiet_deadlines),
        ),
    )


async def remove_subscription(db: Database, member: bytes, guild_id: int, kind: str) -> bool:
    """Delete one subscription and its delivery records; True if there was one."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM subscriptions WHERE member = ? AND guild_id = ? AND kind = ?",
            (member, guild_id, kind),
        )
        await conn.execute(
            "DELETE FROM deliveries WHERE member = ? AND guild_id = ? AND kind = ?", (member, guild_id, kind)
        )
        return cursor.rowcount > 0


def _members(members: Sequence[bytes]) -> str:
    return ", ".join("?" for _ in members) or "NULL"


async def subscriptions_of(db: Database, members: Sequence[bytes]) -> list[Subscription]:
    """Every subscription of one member, given their member key in each guild."""
    rows = await db.fetchall(
        _SELECT + f" WHERE member IN ({_members(members)}) ORDER BY guild_id, kind", tuple(members)
    )
    return [_row(r) for r in rows]


async def deliveries_of(db: Database, members: Sequence[bytes]) -> list[tuple[int, str, str]]:
    """(guild, kind, period) of every delivery record kept for one member (for /privacy export)."""
    rows = await db.fetchall(
        f"SELECT guild_id, kind, period FROM deliveries WHERE member IN ({_members(members)})"  # noqa: S608
        " ORDER BY guild_id, kind, period",
        tuple(members),
    )
    return [(r["guild_id"], r["kind"], r["period"]) for r in rows]


async def prune_deliveries(db: Database, oldest_kept_period: str) -> int:
    """Drop delivery records before `oldest_kept_period`: past the grace window they guard nothing."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM deliveries WHERE period < ?", (oldest_kept_period,))
        return cursor.rowcount


async def due_subscriptions(db: Database, now: datetime, limit: int) -> list[Subscription]:
    """Active subscriptions whose next delivery is at or before `now`, oldest first."""
    rows = await db.fetchall(
        _SELECT + " WHERE paused_reason IS NULL AND next_due <= ? ORDER BY next_due LIMIT ?",
        (now.isoformat(), limit),
    )
    return [_row(r) for r in rows]


async def delivered(db: Database, sub: Subscription, period: str) -> bool:
    """True if this period was already handled (sent or deliberately skipped)."""
    row = await db.fetchone(
        "SELECT 1 FROM deliveries WHERE member = ? AND guild_id = ? AND kind = ? AND period = ?",
        (sub.member, sub.guild_id, sub.kind, period),
    )
    return row is not None


async def complete_delivery(
    db: Database, sub: Subscription, period: str, done: bool, next_due: datetime
) -> None:
    """Record that a period was handled (sent or skipped: the record never says which) and move on."""
    async with db.transaction() as conn:
        if done:
            await conn.execute(
                "INSERT INTO deliveries (member, guild_id, kind, period) VALUES (?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (sub.member, sub.guild_id, sub.kind, period),
            )
        await conn.execute(
            "UPDATE subscriptions SET next_due = ? WHERE member = ? AND guild_id = ? AND kind = ?",
            (next_due.isoformat(), sub.member, sub.guild_id, sub.kind),
        )


async def pause(db: Database, sub: Subscription, reason: str, now: datetime) -> None:
    """Stop sending to a subscription until the member subscribes again."""
    await db.execute(
        "UPDATE subscriptions SET paused_reason = ?, paused_at = ?"
        " WHERE member = ? AND guild_id = ? AND kind = ?",
        (reason, now.isoformat(), sub.member, sub.guild_id, sub.kind),
    )


async def counts(db: Database, guild_id: int | None = None) -> tuple[int, int]:
    """(active, paused) subscription counts, for one guild or all."""
    row = await db.fetchone(
        "SELECT count(*) FILTER (WHERE paused_reason IS NULL),"
        " count(*) FILTER (WHERE paused_reason IS NOT NULL)"
        " FROM subscriptions WHERE CAST(?1 AS BIGINT) IS NULL OR guild_id = ?1",
        (guild_id,),
    )
    return (row[0], row[1]) if row else (0, 0)


async def forget_member(db: Database, members: Sequence[bytes]) -> int:
    """Delete every subscription and delivery record of one member; returns rows removed."""
    marks = _members(members)
    async with db.transaction() as conn:
        subs = await conn.execute(
            f"DELETE FROM subscriptions WHERE member IN ({marks})",  # noqa: S608
            tuple(members),
        )
        dels = await conn.execute(
            f"DELETE FROM deliveries WHERE member IN ({marks})",  # noqa: S608
            tuple(members),
        )
        return subs.rowcount + dels.rowcount


async def forget_guild(db: Database, guild_id: int) -> None:
    """Remove a guild's subscriptions (when the bot leaves it)."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM subscriptions WHERE guild_id = ?", (guild_id,))
        await conn.execute("DELETE FROM deliveries WHERE guild_id = ?", (guild_id,))
