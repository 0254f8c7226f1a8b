"""/admin calendar: the venues a lab follows and its own dates, attached to the /admin group.

The group is an app_commands.Group subclass so cogs/admin.py only names it; its commands are
bound to the group, so the group runs the moderator check itself (the Admin cog's check does not
reach commands bound elsewhere).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord
from discord import app_commands

from bot.app import KindredBot
from bot.calendar import Snapshot, discord_timestamp, display, parse_zone_label, to_utc
from bot.calendar_data import snapshot_of
from bot.errors import Refusal
from bot.schedule import parse_timezone, timezone_suggestions
from bot.store import calendar as store
from bot.store import shares
from bot.store.guilds import get_settings
from bot.validation import text_problems
from cogs import _gentle as gentle
from cogs._checks import NotModerator, guild_id_of, is_moderator, moderators_only
from cogs._ui import Interaction, wellbeing_embed

MAX_TITLE = 80
LIST_DAYS = 180
MAX_LINES = 30
#: What a lab's own date can be, in the order offered.
LAB_KINDS = ("deadline", "notification", "event", "other")


def snapshot(bot: KindredBot) -> Snapshot:
    """The shipped deadline snapshot (validated at start)."""
    return snapshot_of(bot.settings.resources_dir)


def parse_when(text: str, zone: str) -> dt.datetime:
    """A moderator's date: "2026-05-15" (end of that day) or "2026-05-15 17:00", in `zone`."""
    clean = text.strip().replace("T", " ")
    try:
        label = parse_timezone(zone)
    except ValueError:
        label = zone.strip()
    try:
        parse_zone_label(label)
    except ValueError:
        raise Refusal("calendar.bad_zone", zone=discord.utils.escape_markdown(zone[:40])) from None
    if len(clean) == 16:
        clean += ":00"
    try:
        return to_utc(clean, label)
    except ValueError:
        raise Refusal("calendar.bad_date", date=discord.utils.escape_markdown(text[:40])) from None


def _moment_line(bot: KindredBot, loc: object, at: dt.datetime, lab_tz: str) -> str:
    return bot.t(loc, "calendar.when", lab=display(at, lab_tz), local=discord_timestamp(at))


class CalendarGroup(
    app_commands.Group, name="calendar", description="Deadlines and dates that shape this lab's weeks"
):
    """Follow venues, add the lab's own dates, list and remove them."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Moderators only, like the rest of /admin."""
        if not await is_moderator(interaction.client, interaction):
            raise NotModerator
        return True

    @app_commands.command(name="follow", description="Follow a conference's deadlines (shipped, dated list)")
    @app_commands.describe(venue="Type to search the shipped list, e.g. NeurIPS")
    async def follow(self, interaction: Interaction, venue: str) -> None:
        """Follow one venue of the snapshot."""
        bot, loc = interaction.client, interaction.locale
        guild_id = guild_id_of(interaction)
        shipped = snapshot(bot)
        series = shipped.series.get(venue.strip().lower())
        if series is None:
            raise Refusal("calendar.unknown_venue", venue=discord.utils.escape_markdown(venue[:60]))
        added = await store.follow(bot.db, guild_id, series.slug, bot.clock())
        settings = await get_settings(bot.db, guild_id)
        now = bot.clock()
        upcoming = [d for d in series.dates if d.at > now][:6]
        lines = [
            bot.t(
                loc,
                "calendar.followed" if added else "calendar.already_followed",
                venue=series.title,
                date=shipped.snapshot_date.isoformat(),
            )
        ]
        lines += [
            f"- **{d.title}** · {d.label}: {_moment_line(bot, loc, d.at, settings.declared_timezone)}"
            for d in upcoming
        ] or [bot.t(loc, "calendar.no_upcoming")]
        lines.append(
            bot.t(loc, "calendar.source", source=shipped.source, date=shipped.snapshot_date.isoformat())
        )
        await interaction.response.send_message("\n".join(lines), ephemeral=True)

    @follow.autocomplete("venue")
    @moderators_only
    async def _venues(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        rows = snapshot(interaction.client).suggestions(current, interaction.client.clock())
        return [app_commands.Choice(name=label, value=slug) for slug, label in rows]

    @app_commands.command(name="unfollow", description="Stop following a conference")
    @app_commands.describe(venue="A venue this lab follows")
    async def unfollow(self, interaction: Interaction, venue: str) -> None:
        """Stop following one venue."""
        bot, loc = interaction.client, interaction.locale
        slug = venue.strip().lower()
        if not await store.unfollow(bot.db, guild_id_of(interaction), slug):
            raise Refusal("calendar.not_followed", venue=discord.utils.escape_markdown(venue[:60]))
        series = snapshot(bot).series.get(slug)
        await interaction.response.send_message(
            bot.t(loc, "calendar.unfollowed", venue=series.title if series else slug), ephemeral=True
        )

    @unfollow.autocomplete("venue")
    @moderators_only
    async def _followed(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        shipped = snapshot(interaction.client)
        out = []
        for slug in await store.followed(interaction.client.db, interaction.guild_id):
            title = shipped.series[slug].title if slug in shipped.series else slug
            if current.strip().casefold() in f"{slug} {title}".casefold():
                out.append(app_commands.Choice(name=title, value=slug))
        return out[:25]

    @app_commands.command(
        name="add", description="Add a lab date (quals, thesis, a grant) or correct a shipped one"
    )
    @app_commands.describe(
        date="YYYY-MM-DD (end of that day) or YYYY-MM-DD HH:MM",
        title="What it is, e.g. Thesis submission",
        kind="deadline (the week before turns practical), notification, event or other",
        zone="Time zone of the date: the lab's by default; AoE, UTC+2 or an IANA name",
        correct="A shipped date to correct (its new date replaces the shipped one)",
    )
    @app_commands.choices(kind=[app_commands.Choice(name=k, value=k) for k in LAB_KINDS])
    async def add(
        self,
        interaction: Interaction,
        date: str,
        title: str | None = None,
        kind: str = "deadline",
        zone: str | None = None,
        correct: str | None = None,
    ) -> None:
        """Store a lab date or a correction; nothing changes on bad input."""
        bot, loc = interaction.client, interaction.locale
        guild_id = guild_id_of(interaction)
        settings = await get_settings(bot.db, guild_id)
        shipped_date = None
        if correct:
            shipped_date = snapshot(bot).find(correct.strip())
            if shipped_date is None:
                raise Refusal("calendar.unknown_date", date_key=discord.utils.escape_markdown(correct[:60]))
            kind = shipped_date.kind
        name = (title or "").strip() or (
            f"{shipped_date.title} · {shipped_date.label}" if shipped_date else ""
        )
        if not name:
            raise Refusal("calendar.needs_title")
        problems = text_problems(name, field="title", limit=MAX_TITLE)
        if problems:
            raise Refusal("calendar.bad_title", reason=problems[0])
        if kind not in LAB_KINDS and shipped_date is None:
            raise Refusal("calendar.bad_kind", kinds=", ".join(LAB_KINDS))
        at = parse_when(date, zone or settings.declared_timezone)
        date_id = await store.add_date(
            bot.db,
            guild_id,
            title=name[:MAX_TITLE],
            kind=kind,
            at=at,
            corrects=shipped_date.key if shipped_date else None,
            actor_id=interaction.user.id,
            now=bot.clock(),
        )
        key = "calendar.corrected" if shipped_date else "calendar.added"
        await interaction.response.send_message(
            bot.t(
                loc,
                key,
                id=date_id,
                title=discord.utils.escape_markdown(name),
                when=_moment_line(bot, loc, at, settings.declared_timezone),
            ),
            ephemeral=True,
        )

    @add.autocomplete("correct")
    @moderators_only
    async def _shipped_dates(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        bot = interaction.client
        now = bot.clock()
        wanted = current.strip().casefold()
        dates = snapshot(bot).dates_of(await store.followed(bot.db, interaction.guild_id))
        return [
            app_commands.Choice(name=f"{d.title} · {d.label} ({d.at:%Y-%m-%d})"[:100], value=d.key)
            for d in dates
            if d.at > now - dt.timedelta(days=30) and wanted in f"{d.key} {d.title} {d.label}".casefold()
        ][:25]

    @add.autocomplete("zone")
    @moderators_only
    async def _zones(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = (["AoE"] if "aoe".startswith(current.strip().casefold()) else []) + timezone_suggestions(
            current
        )
        return [app_commands.Choice(name=z, value=z) for z in names[:25]]

    @app_commands.command(name="remove", description="Remove a lab date or a correction")
    @app_commands.describe(date_id="The id shown by /admin calendar list, e.g. lab-2")
    async def remove(self, interaction: Interaction, date_id: str) -> None:
        """Delete one lab date (a removed correction restores the shipped date)."""
        bot, loc = interaction.client, interaction.locale
        if not await store.remove_date(bot.db, guild_id_of(interaction), date_id.strip()):
            raise Refusal("calendar.unknown_lab_date", id=discord.utils.escape_markdown(date_id[:40]))
        await interaction.response.send_message(
            bot.t(loc, "calendar.removed", id=date_id.strip()), ephemeral=True
        )

    @remove.autocomplete("date_id")
    @moderators_only
    async def _lab_dates(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        rows = await store.lab_dates(interaction.client.db, interaction.guild_id)
        return [
            app_commands.Choice(
                name=f"{r.date.key}: {r.date.title} ({r.date.at:%Y-%m-%d})"[:100], value=r.date.key
            )
            for r in rows
            if current.strip().casefold() in f"{r.date.key} {r.date.title}".casefold()
        ][:25]

    @app_commands.command(name="list", description="The lab's coming deadlines and dates, in local time")
    async def list_dates(self, interaction: Interaction) -> None:
        """Followed venues and lab dates of the coming months, in the lab's and the reader's time."""
        bot, loc = interaction.client, interaction.locale
        guild_id = guild_id_of(interaction)
        settings = await get_settings(bot.db, guild_id)
        shipped = snapshot(bot)
        now = bot.clock()
        follows = await store.followed(bot.db, guild_id)
        own = {d.date.key: d for d in await store.lab_dates(bot.db, guild_id)}
        corrected = {d.corrects for d in own.values() if d.corrects}
        dates = [
            d
            for d in await store.lab_calendar(bot.db, shipped, guild_id)
            if now - dt.timedelta(days=2) <= d.at <= now + dt.timedelta(days=LIST_DAYS)
        ]
        lines = [
            bot.t(
                loc,
                "calendar.list_following",
                venues=", ".join(shipped.series[s].title for s in follows if s in shipped.series) or "—",
            )
        ]
        for d in dates[:MAX_LINES]:
            if d.series == store.LAB_SERIES:
                tag = bot.t(loc, "calendar.tag_lab", id=d.key)
            elif d.key in corrected:
                tag = bot.t(loc, "calendar.tag_corrected")
            else:
                tag = ""
            label = discord.utils.escape_markdown(
                d.title if d.series == store.LAB_SERIES else f"{d.title} · {d.label}"
            )
            lines.append(f"- **{label}**{tag}: {_moment_line(bot, loc, d.at, settings.declared_timezone)}")
        if not dates:
            lines.append(bot.t(loc, "calendar.list_empty", days=LIST_DAYS))
        elif len(dates) > MAX_LINES:
            lines.append(bot.t(loc, "calendar.list_more", count=len(dates) - MAX_LINES))
        lines.append(
            bot.t(loc, "calendar.source", source=shipped.source, date=shipped.snapshot_date.isoformat())
        )
        embed = wellbeing_embed(
            bot, loc, title=bot.t(loc, "calendar.list_title"), description="\n".join(lines)
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)


class EventGroup(app_commands.Group, name="event", description="Gentle mode for hard times in the lab"):
    """Start or end gentle mode (cogs/_gentle.py)."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Moderators only, like the rest of /admin."""
        if not await is_moderator(interaction.client, interaction):
            raise NotModerator
        return True

    @app_commands.command(
        name="start", description="Gentle mode: pin support, pause deadline and work prompts"
    )
    @app_commands.describe(
        kind="What happened: a bereavement, a death by suicide, or another incident",
        weeks="For how many weeks (1 to 12, default 2)",
        channel="Where to pin the notice (default: the prompts channel)",
    )
    @app_commands.choices(
        kind=[
            app_commands.Choice(name="bereavement", value="bereavement"),
            app_commands.Choice(name="a death by suicide", value="suicide_loss"),
            app_commands.Choice(name="incident", value="incident"),
        ]
    )
    async def start(
        self, interaction: Interaction, kind: str, weeks: int = 2, channel: discord.TextChannel | None = None
    ) -> None:
        """Post and pin the notice, open the thread, pause the cadence."""
        bot = interaction.client
        guild_id = guild_id_of(interaction)
        settings = await get_settings(bot.db, guild_id)
        target = channel or bot.get_channel(settings.prompt_channel_id or 0)
        if not isinstance(target, discord.TextChannel):
            raise Refusal("gentle.needs_channel")
        reply = await gentle.start(bot, interaction, guild_id, kind, weeks, target)
        await interaction.response.send_message(reply, ephemeral=True)

    @app_commands.command(name="end", description="End gentle mode and restore the usual prompts")
    async def end(self, interaction: Interaction) -> None:
        """Unpin the notice; prompts and the deadline cadence resume."""
        bot, loc = interaction.client, interaction.locale
        guild_id = guild_id_of(interaction)
        if await gentle.end(bot, guild_id) is None:
            raise Refusal("gentle.none")
        reply = bot.t(loc, "gentle.ended")
        # Memories still in review are not dropped: the thread stays, and approved ones go there.
        waiting = await shares.memories_waiting(bot.db, guild_id)
        if waiting:
            reply = f"{reply}\n{bot.t(loc, 'memories.waiting', count=waiting)}"
        await interaction.response.send_message(reply, ephemeral=True)
