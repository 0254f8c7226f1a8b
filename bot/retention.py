"""What kindred forgets, and when: one pass the dispatcher runs every interval (and /pulse before reading).

- Weeks that have ended everywhere leave the answers file for the closed-week table, or are
  dropped when they had fewer than k check-ins (bot.store.checkins.close_weeks).
- Receipts are kept for the open weeks and the one before.
- Delivery records are kept for this week and the last: past the grace window they guard nothing.
- Shares held for review expire after two weeks; blocks end on their date; share counts are
  kept for today only.
- /reach conversations closed for the guild's kept days (default 30) are deleted with their
  replies; their threads are queued for the reach cog to delete on Discord. Ended /reach blocks
  and old daily counts go too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.schedule import iso_week, previous_weeks
from bot.share_posts import KEPT_DAYS
from bot.store import claims, reach, share_posts, shares
from bot.store.checkins import close_weeks, prune_receipts
from bot.store.db import Database
from bot.store.subscriptions import prune_deliveries


@dataclass(frozen=True)
class Forgotten:
    """Counts of what one pass removed or moved (no one is named)."""

    weeks_closed: int
    receipts: int
    deliveries: int
    expired_reviews: int
    conversations: int = 0


async def forget_what_is_due(db: Database, now: datetime) -> Forgotten:
    """Run every retention rule once; each is idempotent, so a crash part-way is repaired next time."""
    weeks = await close_weeks(db, now)
    receipts = await prune_receipts(db, now)
    deliveries = await prune_deliveries(db, previous_weeks(iso_week(now, "UTC"), 1)[0])
    reviews = await shares.expire(db, now.date().isoformat())
    conversations = await reach.forget_closed(db, now.date().isoformat())
    await reach.expire(db, now.date().isoformat())
    await share_posts.expire(db, (now.date() - timedelta(days=KEPT_DAYS)).isoformat())
    await claims.forget_expired(db, now)
    return Forgotten(weeks, receipts, deliveries, reviews, conversations)
