"""The lab's calendar in SQLite: followed venues, the lab's own dates, once-only posts, gentle mode."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.calendar import CalendarDate, Snapshot
from bot.store.db import Database

LAB_SERIES = "lab"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def followed(db: Database, guild_id: int) -> list[str]:
    """The venue slugs a lab follows, alphabetically."""
    rows = await db.fetchall(
        "SELECT series FROM calendar_follows WHERE guild_id = ? ORDER BY series", (guild_id,)
    )
    return [r[0] for r in rows]


async def follow(db: Database, guild_id: int, series: str, now: datetime) -> bool:
    """Follow a venue; False if the lab already did."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO calendar_follows (guild_id, series, followed_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (guild_id, series, _iso(now)),
        )
        return cursor.rowcount > 0


async def unfollow(db: Database, guild_id: int, series: str) -> bool:
    """Stop following a venue; False if the lab did not follow it."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM calendar_follows WHERE guild_id = ? AND series = ?", (guild_id, series)
        )
        return cursor.rowcount > 0


@dataclass(frozen=True)
class LabDate:
    """A date a moderator added, or their correction of a shipped one."""

    date: CalendarDate
    corrects: str | None
    created_by: int


async def lab_dates(db: Database, guild_id: int) -> list[LabDate]:
    """The lab's own dates and corrections, soonest first."""
    rows = await db.fetchall(
        "SELECT id, title, kind, at, corrects, created_by FROM calendar_dates WHERE guild_id = ?"
        " ORDER BY at, id",
        (guild_id,),
    )
    return [
        LabDate(
            CalendarDate(r["id"], LAB_SERIES, r["title"], r["kind"], r["title"], _parse(r["at"])),
            r["corrects"],
            r["created_by"],
        )
        for r in rows
    ]


async def add_date(
    db: Database,
    guild_id: int,
    *,
    title: str,
    kind: str,
    at: datetime,
    corrects: str | None,
    actor_id: int,
    now: datetime,
) -> str:
    """Store a lab date (or a correction, replacing an earlier correction of the same key); its id."""
    async with db.transaction() as conn:
        if corrects is not None:
            await conn.execute(
                "DELETE FROM calendar_dates WHERE guild_id = ? AND corrects = ?", (guild_id, corrects)
            )
        async with conn.execute("SELECT id FROM calendar_dates WHERE guild_id = ?", (guild_id,)) as cursor:
            taken = {row[0] for row in await cursor.fetchall()}
        number = 1
        while f"lab-{number}" in taken:
            number += 1
        date_id = f"lab-{number}"
        await conn.execute(
            "INSERT INTO calendar_dates (guild_id, id, title, kind, at, corrects, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (guild_id, date_id, title, kind, _iso(at), corrects, actor_id, _iso(now)),
        )
    return date_id


async def remove_date(db: Database, guild_id: int, date_id: str) -> bool:
    """Delete one lab date or correction; True if it existed."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM calendar_dates WHERE guild_id = ? AND id = ?", (guild_id, date_id)
        )
        return cursor.rowcount > 0


async def lab_calendar(db: Database, snapshot: Snapshot, guild_id: int) -> list[CalendarDate]:
    """Every date that shapes the lab's weeks: followed venues (with corrections applied) and its own."""
    own = await lab_dates(db, guild_id)
    corrections = {d.corrects: d.date for d in own if d.corrects}
    dates: list[CalendarDate] = []
    for shipped in snapshot.dates_of(await followed(db, guild_id)):
        fixed = corrections.get(shipped.key)
        if fixed is None:
            dates.append(shipped)
        else:
            dates.append(
                CalendarDate(
                    shipped.key, shipped.series, shipped.title, shipped.kind, shipped.label, fixed.at
                )
            )
    dates += [d.date for d in own if not d.corrects]
    return sorted(dates, key=lambda d: (d.at, d.key))


async def posts_made(db: Database, guild_id: int) -> list[str]:
    """Keys of the one-off cadence posts this lab already had."""
    rows = await db.fetchall("SELECT key FROM calendar_posts WHERE guild_id = ?", (guild_id,))
    return [r[0] for r in rows]


async def record_post(db: Database, guild_id: int, key: str, channel_id: int, message_id: int) -> None:
    """Remember a one-off cadence post (ignored if recorded meanwhile)."""
    await db.execute(
        "INSERT INTO calendar_posts (guild_id, key, channel_id, message_id) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (guild_id, key, channel_id, message_id),
    )


async def calendar_guilds(db: Database) -> list[int]:
    """Guilds with anything on their calendar (the cadence pass looks only at these)."""
    rows = await db.fetchall(
        "SELECT guild_id FROM calendar_follows UNION SELECT guild_id FROM calendar_dates ORDER BY 1"
    )
    return [int(r[0]) for r in rows]


@dataclass(frozen=True)
class GentleEvent:
    """A running gentle mode: its kind, when it ends, and the pinned notice."""

    guild_id: int
    kind: str
    lang: str
    started_at: datetime
    ends_at: datetime
    channel_id: int
    notice_id: int
    thread_id: int | None


async def gentle_event(db: Database, guild_id: int) -> GentleEvent | None:
    """The lab's running gentle mode, if any."""
    row = await db.fetchone("SELECT * FROM gentle_events WHERE guild_id = ?", (guild_id,))
    if row is None:
        return None
    return GentleEvent(
        row["guild_id"],
        row["kind"],
        row["lang"],
        _parse(row["started_at"]),
        _parse(row["ends_at"]),
        row["channel_id"],
        row["notice_id"],
        row["thread_id"],
    )


async def gentle_events(db: Database) -> list[GentleEvent]:
    """Every running gentle mode (to schedule their ends at start)."""
    rows = await db.fetchall("SELECT guild_id FROM gentle_events ORDER BY guild_id")
    found = [await gentle_event(db, int(r[0])) for r in rows]
    return [e for e in found if e is not None]


async def start_gentle(db: Database, event: GentleEvent) -> bool:
    """Record a gentle mode; False if one is already running for the lab."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO gentle_events"
            " (guild_id, kind, lang, started_at, ends_at, channel_id, notice_id, thread_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                event.guild_id,
                event.kind,
                event.lang,
                _iso(event.started_at),
                _iso(event.ends_at),
                event.channel_id,
                event.notice_id,
                event.thread_id,
            ),
        )
        return cursor.rowcount > 0


async def end_gentle(db: Database, guild_id: int, now: datetime) -> GentleEvent | None:
    """End the lab's gentle mode, keeping only its dates for /pulse; the ended event, if any."""
    event = await gentle_event(db, guild_id)
    if event is None:
        return None
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM gentle_events WHERE guild_id = ?", (guild_id,))
        await conn.execute(
            "INSERT INTO gentle_periods (guild_id, started_at, ended_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (guild_id, _iso(event.started_at), _iso(min(now, event.ends_at))),
        )
    return event


async def gentle_periods(db: Database, guild_id: int) -> list[tuple[datetime, datetime]]:
    """Past and running gentle periods of a lab, oldest first (for chart marks)."""
    rows = await db.fetchall(
        "SELECT started_at, ended_at FROM gentle_periods WHERE guild_id = ?"
        " UNION ALL SELECT started_at, ends_at FROM gentle_events WHERE guild_id = ? ORDER BY 1",
        (guild_id, guild_id),
    )
    return [(_parse(r[0]), _parse(r[1])) for r in rows]


@dataclass(frozen=True)
class Reminder:
    """A one-off "check on me" DM: when, to whom (sealed), in which language. Never why."""

    id: bytes
    guild_id: int
    recipient: bytes
    lang: str
    due: datetime


async def set_reminder(
    db: Database, reminder_id: bytes, member: bytes, guild_id: int, recipient: bytes, lang: str, due: datetime
) -> None:
    """Store a reminder; asking again moves the one already there."""
    await db.execute(
        "INSERT INTO reminders (id, member, guild_id, recipient, lang, due) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (member, guild_id) DO UPDATE SET recipient = excluded.recipient,"
        " lang = excluded.lang, due = excluded.due",
        (reminder_id, member, guild_id, recipient, lang, _iso(due)),
    )


async def due_reminders(db: Database, now: datetime) -> list[Reminder]:
    """Reminders whose time has come."""
    rows = await db.fetchall(
        "SELECT id, guild_id, recipient, lang, due FROM reminders WHERE due <= ? ORDER BY due", (_iso(now),)
    )
    return [Reminder(r["id"], r["guild_id"], r["recipient"], r["lang"], _parse(r["due"])) for r in rows]


async def delete_reminder(db: Database, reminder_id: bytes) -> None:
    """Forget a reminder (sent, or unreadable)."""
    await db.execute("DELETE FROM reminders WHERE id = ?", (reminder_id,))


async def forget_member_reminders(db: Database, members: list[bytes]) -> int:
    """/privacy delete: drop the member's reminders in every guild."""
    if not members:
        return 0
    async with db.transaction() as conn:
        marks = ", ".join("?" for _ in members)
        cursor = await conn.execute(f"DELETE FROM reminders WHERE member IN ({marks})", tuple(members))  # noqa: S608
        return cursor.rowcount


async def reminders_of(db: Database, members: list[bytes]) -> list[tuple[int, datetime]]:
    """/privacy show and export: (guild, due) of the member's pending reminders."""
    if not members:
        return []
    marks = ", ".join("?" for _ in members)
    rows = await db.fetchall(
        f"SELECT guild_id, due FROM reminders WHERE member IN ({marks}) ORDER BY due",  # noqa: S608
        tuple(members),
    )
    return [(int(r[0]), _parse(r[1])) for r in rows]
