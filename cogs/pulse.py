"""/pulse: the lab's anonymous weekly trend, from closed weeks with at least k check-ins only.

What may be shown is decided in bot.aggregation; this cog only words it. It never queries the
current week's answers, never logs a figure, and says the same thing for a week with no
check-ins as for one below k, so nobody learns that one or two people answered.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bot.aggregation import BIN_LABELS, SUPPRESSED, WeekPulse, Withheld, category_floor, pulse_series
from bot.app import KindredBot
from bot.chart import chart_font, drawable, render_mood_chart
from bot.content import Topic
from bot.i18n import pack_of
from bot.schedule import first_open_week, iso_week, previous_weeks, week_monday
from bot.store.checkins import answers_by_week, close_weeks
from bot.store.guilds import get_settings
from bot.store.resources import effective_topics
from cogs._cadence import chart_marks
from cogs._ui import Interaction, crisis_view, item_line, wellbeing_embed

WEEKS_SHOWN = 12
ITEMS_SHOWN = 3
CHART_FILE = "pulse.png"
CHART_FALLBACK_LOCALE = "en"  # Pillow's built-in font draws ASCII only

Week = WeekPulse | Withheld


def chart_points(series: Sequence[Week]) -> list[tuple[str, float | None]]:
    """One point per week: its short label and mean mood, None where nothing may be shown."""
    return [(f"W{w.week[6:]}", w.mood_mean if isinstance(w, WeekPulse) else None) for w in series]


class PulseReport:
    """Words one guild's pulse series for one member, in their language."""

    def __init__(self, bot: KindredBot, locale: object, k: int, titles: Mapping[str, str]) -> None:
        """Keep what every line needs: strings, the member's locale, k and topic titles."""
        self.bot = bot
        self.locale = locale
        self.k = k
        self.titles = titles

    def t(self, key: str, **values: object) -> str:
        """A pulse string in the member's language."""
        return self.bot.t(self.locale, f"pulse.{key}", **values)

    def week_name(self, week: str) -> str:
        """The week's name, e.g. "Week 47 (17 Nov – 23 Nov)"."""
        monday = week_monday(week)
        sunday = monday + dt.timedelta(days=6)
        return self.t("week", number=int(week[6:]), start=self.date(monday), end=self.date(sunday))

    def date(self, day: dt.date) -> str:
        """A short day-and-month date."""
        return self.t("date", day=day.day, month=self.t(f"months.m{day.month}"))

    def withheld(self, week: Withheld) -> str:
        """Why a week shows nothing; no check-ins and too few read the same, and never a count."""
        if week.reason in ("current_week", "future_week"):
            return self.t("open_week")
        return self.t("withheld", k=self.k)

    def joined(self, words: Sequence[str]) -> str:
        """Words joined as "a", "a and b" or "a, b and c"."""
        if len(words) <= 1:
            return "".join(words)
        return self.t("list_sep").join(words[:-1]) + self.t("list_last") + words[-1]

    def dimension(self, name: str, bins: Sequence[tuple[str, int]], mean: float | None) -> str:
        """One line for mood or energy: the bins shown, the hidden ones named, the mean if given."""
        labels = {label: self.t(f"bin_{label}") for label in BIN_LABELS}
        shown = [self.t("bin", label=labels[b], count=c) for b, c in bins if c != SUPPRESSED]
        hidden = [labels[b] for b, c in bins if c == SUPPRESSED]
        if not shown:
            figures = [self.t("all_hidden")]
        else:
            figures = shown + ([self.t("some_hidden", labels=self.joined(hidden))] if hidden else [])
        if mean is not None:
            figures.append(self.t("mean", mean=f"{mean:.1f}"))
        return self.t("dimension", name=self.t(name), figures=" · ".join(figures))

    def topics(self, week: WeekPulse) -> list[str]:
        """The most common stressor topics, and a note when small ones were hidden."""
        if week.top_topics:
            listed = " · ".join(
                self.t("topic", title=self.title(slug), count=count) for slug, count in week.top_topics
            )
            lines = [self.t("topics", topics=listed)]
            if week.suppressed_topics:
                lines.append(f"-# {self.t('topics_some_hidden')}")
            return lines
        return [self.t("topics_all_hidden" if week.suppressed_topics else "topics_none")]

    def title(self, slug: str) -> str:
        """A topic's title as this lab sees it, escaped; the slug if the topic is gone."""
        return discord.utils.escape_markdown(self.titles.get(slug, slug))

    def week_details(self, week: WeekPulse) -> list[str]:
        """Everything shown for one week: count, mood, energy, topics."""
        return [
            self.t("count", count=week.count),
            self.dimension("mood", week.mood_bins, week.mood_mean),
            self.dimension("energy", week.energy_bins, week.energy_mean),
            *self.topics(week),
        ]

    def body(self, series: Sequence[Week], *, with_chart: bool) -> str:
        """The text of the reply: last week, else the latest week shown, and how to read it."""
        last = series[-1]
        latest = next((w for w in reversed(series) if isinstance(w, WeekPulse)), None)
        blocks: list[str] = []
        if isinstance(last, WeekPulse):
            blocks.append(
                "\n".join([self.t("last_week", week=self.week_name(last.week)), *self.week_details(last)])
            )
        else:
            blocks.append(f"{self.t('last_week', week=self.week_name(last.week))}\n{self.withheld(last)}")
            if latest is not None:
                blocks.append(
                    "\n".join(
                        [self.t("latest_shown", week=self.week_name(latest.week)), *self.week_details(latest)]
                    )
                )
        if latest is None:
            blocks.append(self.t("nothing_yet", weeks=len(series), k=self.k))
        elif with_chart:
            blocks.append(self.t("chart", weeks=len(series), k=self.k))
        notes = [self.t("why_closed")] + ([self.t("scale")] if latest is not None else [])
        blocks.append("\n".join(f"-# {note}" for note in notes))
        return "\n\n".join(blocks)

    def chart_text(self, key: str, **values: object) -> tuple[str, Path | None]:
        """A chart label in the member's language and the font that draws it; English if it cannot."""
        text = self.t(key, **values)
        font = chart_font(pack_of(self.locale))
        if drawable(text, font):
            return text, font
        return self.bot.t(CHART_FALLBACK_LOCALE, f"pulse.{key}", **values), None


def resources_embed(report: PulseReport, topic: Topic) -> discord.Embed | None:
    """The first few resources for the top stressor, with the /crisis footer."""
    if not topic.items:
        return None
    lines = [item_line(item) for item in topic.items[:ITEMS_SHOWN]]
    lines.append(report.t("resources_more"))
    return wellbeing_embed(
        report.bot,
        report.locale,
        title=report.t("resources_title", topic=topic.title),
        description="\n\n".join(lines),
    )


class Pulse(commands.Cog):
    """The lab's anonymous weekly trend."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for its services."""
        self.bot = bot

    @app_commands.command(name="pulse", description="How the lab has been, anonymously: closed weeks only")
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.guild_only()
    async def pulse(self, interaction: Interaction) -> None:
        """Show the latest closed week, a 12-week mood chart and resources for the top stressor."""
        guild_id = interaction.guild_id
        if guild_id is None:
            raise app_commands.NoPrivateMessage
        bot = self.bot
        loc = interaction.locale
        settings = await get_settings(bot.db, guild_id)
        k = settings.k_threshold
        now = bot.clock()
        current = iso_week(now, settings.week_timezone(now))
        weeks = previous_weeks(current, WEEKS_SHOWN)
        # Only weeks that have ended in every timezone are read, from the closed-week table; a week
        # still open anywhere reads as open, whatever the lab's timezone says.
        await close_weeks(bot.db, now)
        answers = await answers_by_week(bot.db, guild_id, weeks)
        series = pulse_series(
            weeks, min(current, first_open_week(now)), answers, k=k, floor=category_floor(k)
        )
        topics = {t.slug: t for t in await effective_topics(bot.db, bot.library, guild_id, pack_of(loc))}
        report = PulseReport(bot, loc, k, {slug: t.title for slug, t in topics.items()})

        points = chart_points(series)
        with_chart = any(value is not None for _, value in points)
        # The lab's calendar (issue 18) annotates weeks; it changes neither k nor which weeks show.
        calendar = await chart_marks(bot, guild_id, pack_of(loc), settings.week_timezone(now))
        marked = [(w.week, calendar[w.week]) for w in series if w.week in calendar]
        description = report.body(series, with_chart=with_chart)
        if marked:
            listing = "; ".join(f"W{week[6:]} {label}" for week, label in marked)
            description += "\n\n" + bot.t(loc, "calendar.pulse_marks", marks=listing)
        embed = wellbeing_embed(bot, loc, title=report.t("title"), description=description)
        embeds = [embed]
        files: list[discord.File] = []
        if with_chart:
            title, title_font = report.chart_text("chart_title", weeks=len(points))
            gap_label, gap_font = report.chart_text("chart_gap")
            if title_font != gap_font:  # one label fell back to English: draw both in English
                title = bot.t(CHART_FALLBACK_LOCALE, "pulse.chart_title", weeks=len(points))
                gap_label, title_font = bot.t(CHART_FALLBACK_LOCALE, "pulse.chart_gap"), None
            mark_label = bot.t(loc, "calendar.pulse_legend")
            if title_font is None and not drawable(mark_label):
                mark_label = bot.t(CHART_FALLBACK_LOCALE, "calendar.pulse_legend")
            png = await asyncio.to_thread(
                partial(
                    render_mood_chart,
                    points,
                    title=title,
                    gap_label=gap_label,
                    font_path=title_font,
                    marks=[w.week in calendar for w in series],
                    mark_label=mark_label,
                )
            )
            files.append(discord.File(io.BytesIO(png), filename=CHART_FILE))
            embed.set_image(url=f"attachment://{CHART_FILE}")
        latest = next((w for w in reversed(series) if isinstance(w, WeekPulse)), None)
        if latest is not None and latest.top_topics:
            top = topics.get(latest.top_topics[0][0])
            extra = resources_embed(report, top) if top is not None else None
            if extra is not None:
                embeds.append(extra)
        await interaction.response.send_message(
            embeds=embeds, files=files, view=crisis_view(bot, loc), ephemeral=True
        )


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Pulse(bot))
