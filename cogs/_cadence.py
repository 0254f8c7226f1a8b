"""What the lab's calendar says about this week's prompt, and the one-off posts it calls for.

Shared by cogs/prompts.py (the weekly prompt) and cogs/calendar.py (the cadence pass). Lab-level
only: it reads the lab's calendar and gentle mode, never anything about a member.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import discord

from bot.app import KindredBot
from bot.calendar import (
    Cadence,
    CadencePost,
    CalendarDate,
    Phase,
    discord_timestamp,
    week_before,
    weekly_cadence,
    weeks_marked,
    weeks_touched,
)
from bot.calendar_data import snapshot_of
from bot.prompts import week_ordinal
from bot.schedule import iso_week
from bot.store import calendar as store
from bot.store.resources import effective_topics
from cogs._ui import wellbeing_embed

#: The shipped topic whose resources decision days and rebuttals link to.
REVIEWS_TOPIC = "reviews-and-rejection"
WEEK_PROMPTS = 5
GENTLE_PROMPTS = 4
LINKS = 3


@dataclass(frozen=True)
class WeekPrompt:
    """A calendar-chosen weekly prompt: its id for the post record, title and text."""

    prompt_id: str
    title: str
    text: str


async def lab_dates(bot: KindredBot, guild_id: int) -> list[CalendarDate]:
    """The lab's calendar: followed venues (corrected) and its own dates."""
    return await store.lab_calendar(bot.db, snapshot_of(bot.settings.resources_dir), guild_id)


async def week_prompt(
    bot: KindredBot, guild_id: int, lang: str, now: dt.datetime, period: str
) -> WeekPrompt | None:
    """The prompt the calendar asks for this week, or None for the lab's usual rotation."""
    dates = await lab_dates(bot, guild_id)
    cadence = weekly_cadence(dates, now, gentle=await store.gentle_event(bot.db, guild_id) is not None)
    ordinal = week_ordinal(period)
    if cadence is Cadence.GENTLE:
        n = ordinal % GENTLE_PROMPTS + 1
        return WeekPrompt(
            f"calendar-gentle-{n}", bot.t(lang, "cadence.gentle_title"), bot.t(lang, f"cadence.gentle_{n}")
        )
    if cadence is Cadence.DEADLINE_WEEK:
        date = week_before(dates, now)
        assert date is not None  # noqa: S101 - DEADLINE_WEEK means there is one
        n = ordinal % WEEK_PROMPTS + 1
        intro = bot.t(lang, "cadence.week_intro", what=_what(date), when=discord_timestamp(date.at))
        return WeekPrompt(
            f"calendar-week-{n}",
            bot.t(lang, "cadence.week_title"),
            f"{intro}\n\n{bot.t(lang, f'cadence.week_{n}')}",
        )
    return None


async def in_deadline_week(bot: KindredBot, guild_id: int, now: dt.datetime) -> bool:
    """True in the seven days before one of the lab's deadlines (for "quiet during deadline weeks")."""
    return week_before(await lab_dates(bot, guild_id), now) is not None


def _what(date: CalendarDate) -> str:
    name = date.title if date.series == store.LAB_SERIES else f"{date.title} · {date.label}"
    return discord.utils.escape_markdown(name)


async def _review_links(bot: KindredBot, guild_id: int, lang: str) -> str:
    topics = await effective_topics(bot.db, bot.library, guild_id, lang)
    topic = next((t for t in topics if t.slug == REVIEWS_TOPIC), None)
    if topic is None:
        return ""
    items = [f"- [{discord.utils.escape_markdown(i.title)}]({i.url})" for i in topic.items[:LINKS]]
    return "\n".join([*items, bot.t(lang, "cadence.more_resources", topic=REVIEWS_TOPIC)])


async def cadence_embed(bot: KindredBot, guild_id: int, lang: str, post: CadencePost) -> discord.Embed:
    """The one-off post for a decompression day, a decision day or a rebuttal."""
    phase = post.phase.value
    body = bot.t(lang, f"cadence.{phase}_body", what=_what(post.date), when=discord_timestamp(post.date.at))
    if post.phase in (Phase.DECISION, Phase.REBUTTAL):
        links = await _review_links(bot, guild_id, lang)
        if links:
            body += "\n\n" + links
    return wellbeing_embed(bot, lang, title=bot.t(lang, f"cadence.{phase}_title"), description=body)


async def chart_marks(bot: KindredBot, guild_id: int, lang: str, tz: str) -> dict[str, str]:
    """ISO week -> what marks it on /pulse: a deadline or decision, a lab date, or a gentle period."""

    def week_of(moment: dt.datetime) -> str:
        return iso_week(moment, tz)

    marks = weeks_marked(await lab_dates(bot, guild_id), week_of)
    for start, end in await store.gentle_periods(bot.db, guild_id):
        for week in weeks_touched(start, end, week_of):
            marks.setdefault(week, bot.t(lang, "calendar.pulse_gentle"))
    return marks
