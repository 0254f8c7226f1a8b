"""Published /share posts without Discord or a database: reasons, limits, labels and links.

A post is answered, reported, updated or withdrawn without anyone being named: replies are
numbered in the order they appear ("reply 3"), never given a pseudonym that would link one
person's replies; the author proves authorship with a random code (see `bot.reach.new_code`).
"""

from __future__ import annotations

from datetime import date

REASONS = ("worried", "harassment", "identifying", "spam", "other")
WORRIED = "worried"
ACTIONS = ("reply", "update", "withdraw")
MAX_REPLY = 1000
MAX_REPORT = 500
REPLY_DAILY_LIMIT = 20  # anonymous replies per member per day per guild
REPORT_DAILY_LIMIT = 5  # reports per member per day per guild
KEPT_DAYS = 90  # a published post takes replies and reports this long, then kindred forgets it
EPOCH_DAYS = 28  # author tokens rotate every four weeks; a block is checked against this and the last


def reason_of(value: str) -> str:
    """A report reason from a select value; anything unknown counts as "other"."""
    return value if value in REASONS else "other"


def action_of(value: str) -> str | None:
    """What the author chose to do, None if the choice is not one kindred offers."""
    return value if value in ACTIONS else None


def message_link(guild_id: int, channel_id: int, message_id: int) -> str:
    """The link moderators follow to a post or reply."""
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def target_name(number: int | None) -> str:
    """How the moderation log names what was acted on: "post" or "reply N" (never who wrote it)."""
    return "post" if number is None else f"reply {number}"


def author_epochs(today: date) -> tuple[str, str]:
    """The current and the previous author-token epoch (numbered 28-day periods since 1970)."""
    current = (today - date(1970, 1, 5)).days // EPOCH_DAYS
    return f"e{current}", f"e{current - 1}"
