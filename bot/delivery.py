"""The weekly DM dispatcher: due rows from SQLite, one delivery per (member, guild, kind, week).

Discord-agnostic: the cog passes a `send` coroutine that turns a subscription into a DM and
reports how it went. Ordering guarantees a restart never sends a week twice except for a
crash between a successful send and its commit (then at most once more), and never loses one.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.anonymity import SealError, checkin_receipt, open_user
from bot.schedule import (
    Delivery,
    WeeklySlot,
    advance,
    iso_week,
    latest_occurrence,
    next_occurrence,
    period_of,
    plan_delivery,
)
from bot.store import claims
from bot.store import subscriptions as subs
from bot.store.checkins import has_receipt
from bot.store.db import Database, StoreUnavailable
from bot.store.guilds import get_settings

log = logging.getLogger(__name__)

BATCH = 500
CONCURRENCY = 8


class SendResult(enum.Enum):
    """How one DM attempt went."""

    SENT = "sent"
    DM_CLOSED = "dm_closed"
    FAILED = "failed"


Sender = Callable[[subs.Subscription, int], Awaitable[SendResult]]
#: Is this guild in a deadline week now? (the lab's calendar; lab-level, knows no member)
QuietCheck = Callable[[int], Awaitable[bool]]
#: Does this process do this guild's work? (its shard is one this process runs: bot.owns_guild)
OwnsGuild = Callable[[int], bool]


@dataclass
class DispatchReport:
    """What one dispatcher run did (counts only: no one is named)."""

    sent: int = 0
    skipped_late: int = 0
    skipped_checked_in: int = 0
    skipped_quiet: int = 0
    already_done: int = 0
    paused: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def recipient_purpose(kind: str) -> str:
    """What a subscription's sealed DM address is for: it opens for that kind of DM only."""
    return f"subscription:{kind}"


def claim_key(sub: subs.Subscription, period: str) -> bytes:
    """The claim on one week's DM of one subscription (its member key, never a user id)."""
    return sub.member + f"\x1f{sub.guild_id}\x1f{sub.kind}\x1f{period}".encode()


def first_due(slot: WeeklySlot, now: datetime, grace: timedelta) -> datetime:
    """When a new subscription is first due: this week's slot if it passed within the grace window."""
    latest = latest_occurrence(slot, now)
    return latest if now - latest <= grace else next_occurrence(slot, now)


async def _already_checked_in(
    db: Database, secret: bytes, sub: subs.Subscription, user_id: int, now: datetime
) -> bool:
    settings = await get_settings(db, sub.guild_id)
    week = iso_week(now, settings.week_timezone(now))
    return await has_receipt(db, checkin_receipt(secret, sub.guild_id, user_id, week))


async def _handle(
    db: Database,
    secret: bytes,
    sub: subs.Subscription,
    now: datetime,
    grace: timedelta,
    send: Sender,
    report: DispatchReport,
    quiet: QuietCheck | None = None,
) -> None:
    period = period_of(sub.slot, sub.next_due)
    following = advance(sub.slot, sub.next_due, now)
    if await subs.delivered(db, sub, period):
        report.already_done += 1
        await subs.complete_delivery(db, sub, period, False, following)
        return
    if plan_delivery(sub.next_due, now, grace) is Delivery.SKIP:
        report.skipped_late += 1
        await subs.complete_delivery(db, sub, period, True, following)
        return
    if sub.quiet_deadlines and quiet is not None and await quiet(sub.guild_id):
        report.skipped_quiet += 1  # recorded like any handled week: the record never says why
        await subs.complete_delivery(db, sub, period, True, following)
        return
    try:
        user_id = open_user(secret, sub.recipient, guild_id=sub.guild_id, purpose=recipient_purpose(sub.kind))
    except SealError:
        log.error("a subscription cannot be opened with the current secret key; pausing it")
        report.paused += 1
        await subs.pause(db, sub, "key_changed", now)
        return
    if sub.kind == "checkin" and await _already_checked_in(db, secret, sub, user_id, now):
        report.skipped_checked_in += 1
        await subs.complete_delivery(db, sub, period, True, following)
        return
    # Another process sharing the database may hold the same subscription: one claims it; the
    # other sees the claim, or (once it lapsed) the delivery the winner recorded.
    claim = claim_key(sub, period)
    if not await claims.claim(db, "dm", claim, now):
        report.already_done += 1
        return
    if await subs.delivered(db, sub, period):
        report.already_done += 1
        return
    try:
        result = await send(sub, user_id)
    except BaseException:
        await claims.release(db, "dm", claim)
        raise
    if result is not SendResult.SENT:
        await claims.release(db, "dm", claim)
    if result is SendResult.SENT:
        report.sent += 1
        await subs.complete_delivery(db, sub, period, True, following)
    elif result is SendResult.DM_CLOSED:
        report.paused += 1
        await subs.pause(db, sub, "dm_closed", now)
    else:
        report.failed += 1  # left due: retried on the next run while inside the grace window


async def dispatch_due(
    db: Database,
    secret: bytes,
    now: datetime,
    grace: timedelta,
    send: Sender,
    *,
    concurrency: int = CONCURRENCY,
    quiet: QuietCheck | None = None,
    owns: OwnsGuild | None = None,
) -> DispatchReport:
    """Handle every due subscription once; one failure never stops the others.

    `owns` limits the pass to the subscriptions of this process's guilds (a sharded kindred: the
    other processes handle theirs); None handles every one.
    """
    report = DispatchReport()
    limiter = asyncio.Semaphore(concurrency)

    async def guarded(sub: subs.Subscription) -> None:
        async with limiter:
            try:
                await _handle(db, secret, sub, now, grace, send, report, quiet)
            except StoreUnavailable as exc:
                report.errors.append(str(exc))
            except Exception as exc:
                log.exception("delivery failed for one subscription")
                report.errors.append(type(exc).__name__)

    seen: set[tuple[bytes, int, str]] = set()
    while True:
        # Rows seen before may still be due (another process's guild, or a failure left for the
        # next run): ask for enough rows that up to BATCH of them are new, so a backlog of those
        # never hides this process's own due rows behind it.
        batch = [
            s
            for s in await subs.due_subscriptions(db, now, len(seen) + BATCH)
            if (s.member, s.guild_id, s.kind) not in seen
        ]
        if not batch:
            return report
        seen.update((s.member, s.guild_id, s.kind) for s in batch)
        await asyncio.gather(*(guarded(s) for s in batch if owns is None or owns(s.guild_id)))
