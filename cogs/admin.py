"""/admin: setup, status and lab prompts, for moderators only (hidden by default AND checked at runtime)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.app import KindredBot
from bot.content import MAX_PROMPT
from bot.errors import Refusal
from bot.i18n import lang_of, pack_of
from bot.schedule import parse_timezone
from bot.store import StoreUnavailable
from bot.store import prompts as prompt_store
from bot.store import reach as reach_store
from bot.store import subscriptions as subs
from bot.store.guilds import GuildSettings, get_settings, save_settings, timezone_change, with_changes
from bot.store.resources import effective_topics
from bot.validation import text_problems
from cogs import _resource_admin as editing
from cogs._calendar_admin import CalendarGroup, EventGroup
from cogs._checks import NotModerator, guild_id_of, is_moderator, moderators_only
from cogs._choices import day_choices, parse_day, parse_time, timezone_choices, topic_choices
from cogs._ui import Interaction, wellbeing_embed

log = logging.getLogger(__name__)

MIN_K = 3
OFF = "off"
REQUIRED_PERMISSIONS = ("view_channel", "send_messages", "embed_links", "create_public_threads")
# /reach opens private threads and posts in them (required); it deletes them when a conversation
# goes and pins urgent notes (asked for: setup saves without them but says what will not work).
REPS_PERMISSIONS = (
    "view_channel",
    "send_messages",
    "embed_links",
    "create_private_threads",
    "send_messages_in_threads",
)
REPS_WANTED_PERMISSIONS = ("manage_threads", "manage_messages")


SIZE_STEP_KIB = 256


def rounded_size_kib(size: int) -> int:
    """The main database's size (`Database.size_bytes`), rounded up to 256 KiB steps, in KiB.

    Without the WAL and the anonymous files: those grow with each check-in, and a moderator
    watching the exact size could tell when a colleague checked in.
    """
    steps = max(1, -(-size // (SIZE_STEP_KIB * 1024)))
    return int(steps * SIZE_STEP_KIB)


def missing_permissions(
    channel: discord.abc.GuildChannel, me: discord.Member, required: tuple[str, ...] = REQUIRED_PERMISSIONS
) -> list[str]:
    """Human names of the permissions kindred lacks in `channel` (empty when all are there)."""
    granted = channel.permissions_for(me)
    return [name.replace("_", " ").title() for name in required if not getattr(granted, name)]


def _channel(guild: discord.Guild, channel_id: int | None, unset: str) -> str:
    return f"<#{channel_id}>" if channel_id and guild.get_channel(channel_id) else unset


def describe_settings(bot: KindredBot, locale: object, guild: discord.Guild, settings: GuildSettings) -> str:
    """The settings as a readable block."""
    unset = bot.t(locale, "admin.not_set")
    if settings.prompt_weekday is not None and settings.prompt_time and settings.prompt_channel_id:
        schedule = bot.t(
            locale,
            "admin.prompt_on",
            day=bot.t(locale, f"days.d{settings.prompt_weekday}"),
            time=settings.prompt_time,
            timezone=settings.declared_timezone,
        )
    else:
        schedule = bot.t(locale, "admin.prompt_off")
    note = timezone_note(bot, locale, settings)
    return (
        (note + "\n" if note else "")
        + bot.t(
            locale,
            "admin.settings_body",
            peer=_channel(guild, settings.peer_channel_id, unset),
            prompts=_channel(guild, settings.prompt_channel_id, unset),
            alerts=_channel(guild, settings.alert_channel_id, unset),
            role=f"<@&{settings.moderator_role_id}>" if settings.moderator_role_id else unset,
            timezone=settings.declared_timezone,
            k=settings.k_threshold,
            review=bot.t(locale, "admin.yes" if settings.review_mode else "admin.no"),
            schedule=schedule,
            limit=settings.share_daily_limit,
            delay=max(settings.share_delay_minutes, bot.settings.min_share_delay_minutes),
        )
        + "\n"
        + describe_country(bot, locale, settings.country)
        + "\n"
        + bot.t(locale, "reach_admin.reps_line", channel=_channel(guild, settings.reps_channel_id, unset))
    )


def describe_country(bot: KindredBot, locale: object, country: str | None) -> str:
    """The lab's /crisis country as one settings line."""
    known = bot.directory.country(country)
    name = (
        f"{known.names.get(lang_of(locale))} ({known.code})"
        if known
        else bot.t(locale, "crisis_admin.country_unset")
    )
    return bot.t(locale, "crisis_admin.country_line", country=name)


def timezone_note(bot: KindredBot, locale: object, settings: GuildSettings) -> str | None:
    """When a timezone change is waiting for the next week: what changes and from when."""
    if not (settings.timezone_next and settings.timezone_next_from):
        return None
    start = dt.datetime.fromisoformat(settings.timezone_next_from)
    return bot.t(
        locale,
        "admin.timezone_pending",
        timezone=settings.timezone_next,
        old=settings.timezone,
        start=f"<t:{int(start.timestamp())}:F>",
    )


async def announce_timezone(bot: KindredBot, guild: discord.Guild, settings: GuildSettings) -> None:
    """Tell the moderators' channel that check-in weeks will follow a new timezone next week."""
    channel = guild.get_channel(settings.alert_channel_id) if settings.alert_channel_id else None
    note = timezone_note(bot, settings.lang, settings)
    if not isinstance(channel, discord.TextChannel) or note is None:
        return
    try:
        await channel.send(note)
    except discord.HTTPException as exc:
        log.warning("could not announce a timezone change (HTTP %s)", exc.status)


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Admin(commands.GroupCog, group_name="admin", group_description="kindred settings for moderators"):
    """Moderator commands. Discord hides them from members by default; the runtime check enforces it."""

    prompts = app_commands.Group(name="prompts", description="Lab reflection prompts")
    resources = app_commands.Group(name="resources", description="Edit this lab's resource lists")
    calendar = CalendarGroup()  # cogs/_calendar_admin.py (issue 18)
    event = EventGroup()

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for its services."""
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Refuse non-moderators even when a server admin made /admin visible to them."""
        if not await is_moderator(self.bot, interaction):
            raise NotModerator
        return True

    @app_commands.command(name="setup", description="Show or change kindred's settings for this server")
    @app_commands.describe(
        peer_channel="Where anonymous shares are posted",
        prompts_channel="Where weekly prompts are posted",
        alerts_channel="Where moderators get review requests and alerts",
        moderator_role="A role that may use /admin besides Manage Server",
        timezone="The lab's timezone, e.g. Europe/London",
        k="Minimum check-ins before a week's pulse is shown (at least 3)",
        review_mode="Hold anonymous shares for moderator approval first",
        prompt_day="Day of the weekly lab prompt, or 'off'",
        prompt_time="Local time of the weekly prompt, e.g. 10:00",
        share_limit="Anonymous shares each member may post per day (default 3)",
        share_delay="Longest random delay before a share appears, in minutes (0 = at once)",
        country="The lab's country: /crisis shows its lines first (type off to clear)",
        reps_channel="Private channel where /reach conversations open as private threads",
        reach_days="Days a closed /reach conversation is kept before deletion (default 30)",
    )
    async def setup(
        self,
        interaction: Interaction,
        peer_channel: discord.TextChannel | None = None,
        prompts_channel: discord.TextChannel | None = None,
        alerts_channel: discord.TextChannel | None = None,
        moderator_role: discord.Role | None = None,
        timezone: str | None = None,
        k: int | None = None,
        review_mode: bool | None = None,
        prompt_day: str | None = None,
        prompt_time: str | None = None,
        share_limit: app_commands.Range[int, 1, 20] | None = None,
        share_delay: app_commands.Range[int, 0, 120] | None = None,
        country: str | None = None,
        reps_channel: discord.TextChannel | None = None,
        reach_days: app_commands.Range[int, 1, 365] | None = None,
    ) -> None:
        """Validate every change, check channel permissions, then save atomically."""
        bot = self.bot
        loc = interaction.locale
        guild = interaction.guild
        if guild is None:
            raise app_commands.NoPrivateMessage
        current = await get_settings(bot.db, guild.id)
        changes: dict[str, object] = {}
        for name, channel in (
            ("peer_channel_id", peer_channel),
            ("prompt_channel_id", prompts_channel),
            ("alert_channel_id", alerts_channel),
            ("reps_channel_id", reps_channel),
        ):
            if channel is not None:
                changes[name] = channel.id
        if reach_days is not None:
            changes["reach_kept_days"] = max(1, min(365, reach_days))
        if moderator_role is not None:
            # @everyone would make every member a moderator; a bot's managed role is no person's.
            if moderator_role.is_default() or moderator_role.managed:
                raise Refusal(
                    "admin.bad_moderator_role", role=discord.utils.escape_markdown(moderator_role.name)
                )
            changes["moderator_role_id"] = moderator_role.id
        if timezone is not None:
            try:
                changes.update(timezone_change(current, parse_timezone(timezone), bot.clock()))
            except ValueError:
                raise Refusal("subscribe.bad_timezone", value=timezone[:60]) from None
        if k is not None:
            if k < MIN_K:
                raise Refusal("admin.bad_k")
            changes["k_threshold"] = k
        if review_mode is not None:
            changes["review_mode"] = review_mode
        if share_limit is not None:
            changes["share_daily_limit"] = max(1, min(20, share_limit))
        if share_delay is not None:
            floor = bot.settings.min_share_delay_minutes
            if share_delay < floor:  # a shorter delay would let timing point to the author
                raise Refusal("admin.delay_too_short", minimum=floor)
            changes["share_delay_minutes"] = max(0, min(120, share_delay))
        if prompt_day is not None:
            if prompt_day.strip().lower() == OFF:
                changes["prompt_weekday"] = None
            else:
                changes["prompt_weekday"] = parse_day(prompt_day)
        if prompt_time is not None:
            changes["prompt_time"] = parse_time(prompt_time).strftime("%H:%M")
        if country is not None:
            changes["country"] = self._country_code(country)
        if not changes:
            await interaction.response.send_message(
                f"## {bot.t(loc, 'admin.settings_title')}\n{describe_settings(bot, loc, guild, current)}",
                ephemeral=True,
            )
            return
        problems = []
        for channel in (peer_channel, prompts_channel, alerts_channel):
            if channel is not None:
                missing = missing_permissions(channel, guild.me)
                if missing:
                    problems.append(
                        bot.t(
                            loc, "admin.missing_line", channel=channel.mention, permissions=", ".join(missing)
                        )
                    )
        if reps_channel is not None:
            missing = missing_permissions(reps_channel, guild.me, REPS_PERMISSIONS)
            if missing:
                problems.append(
                    bot.t(
                        loc,
                        "admin.missing_line",
                        channel=reps_channel.mention,
                        permissions=", ".join(missing),
                    )
                )
        if problems:
            await interaction.response.send_message(
                "\n".join([bot.t(loc, "admin.missing_permissions"), *problems]), ephemeral=True
            )
            return
        updated = with_changes(current, **changes, lang=pack_of(interaction.guild_locale or loc))
        wants_prompts = prompt_day is not None and prompt_day.strip().lower() != OFF
        if wants_prompts and (updated.prompt_channel_id is None or updated.prompt_time is None):
            raise Refusal("admin.prompt_needs_all")
        await save_settings(bot.db, updated, bot.clock())
        bot.dispatch("kindred_settings_changed", updated)
        saved = f"{bot.t(loc, 'admin.saved')}\n{describe_settings(bot, loc, guild, updated)}"
        wanted = missing_permissions(reps_channel, guild.me, REPS_WANTED_PERMISSIONS) if reps_channel else []
        if reps_channel is not None and wanted:
            needed = ", ".join(wanted)
            saved += "\n" + bot.t(
                loc, "reach_admin.wanted_permissions", channel=reps_channel.mention, permissions=needed
            )
        await interaction.response.send_message(saved[:2000], ephemeral=True)
        if updated.timezone_next and updated.timezone_next != current.timezone_next:
            await announce_timezone(bot, guild, updated)

    def _country_code(self, typed: str) -> str | None:
        """A country code the directory knows, None for 'off'; anything else is refused kindly."""
        if typed.strip().casefold() == OFF:
            return None
        code = self.bot.directory.resolve_country(typed)
        if code is None:
            raise Refusal("crisis_admin.bad_country", value=discord.utils.escape_markdown(typed[:60]))
        return code

    @setup.autocomplete("country")
    @moderators_only
    async def _country_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        directory = self.bot.directory
        every = len(directory.countries())
        matches = directory.match_countries(current, lang_of(interaction.locale), limit=every)
        hints = directory.hints(str(interaction.guild_locale or interaction.locale))
        matches.sort(key=lambda pair: hints.index(pair[0]) if pair[0] in hints else len(hints))
        return [app_commands.Choice(name=label[:100], value=code) for code, label in matches[:25]]

    @setup.autocomplete("timezone")
    @moderators_only
    async def _timezone_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return timezone_choices(current)

    @setup.autocomplete("prompt_day")
    @moderators_only
    async def _day_choices(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        off = ((self.bot.t(interaction.locale, "admin.prompt_off"), OFF),)
        return day_choices(self.bot, interaction.locale, current, extra=off)

    @app_commands.command(name="status", description="Health of kindred: database, schedules, DMs, version")
    async def status(self, interaction: Interaction) -> None:
        """Report on the database, scheduler jobs and subscriptions."""
        bot = self.bot
        loc = interaction.locale
        guild_id = interaction.guild_id or 0
        lines = [f"## {bot.t(loc, 'admin.status_title')}"]
        active = paused = 0
        tz = "UTC"
        try:
            await bot.db.fetchone("SELECT 1")
            lines.append(
                bot.t(
                    loc,
                    "admin.status_db_ok",
                    size=rounded_size_kib(await bot.db.size_bytes()),
                    version=bot.db.version,
                )
            )
            if bot.db.checkpoint_busy_since is not None:
                since = int(bot.db.checkpoint_busy_since.timestamp())
                lines.append(bot.t(loc, "admin.status_checkpoint_busy", since=f"<t:{since}:R>"))
            active, paused = await subs.counts(bot.db, guild_id)
            conversations = await reach_store.counts(bot.db, guild_id)
            lines.append(
                bot.t(
                    loc,
                    "reach_admin.status",
                    waiting=conversations.waiting,
                    open=conversations.open,
                    answered=conversations.answered,
                    urgent=conversations.urgent,
                    closed=conversations.closed,
                )
            )
            tz = (await get_settings(bot.db, guild_id)).declared_timezone
        except StoreUnavailable as exc:
            lines.append(bot.t(loc, "admin.status_db_down", reason=str(exc)[:120]))
        shard, count, ids = bot.shard_status(interaction.guild_id)
        key = "shards.status_all" if bot.settings.shards is None else "shards.status"
        lines.append(bot.t(loc, key, shard=shard, count=count, ids=ids))
        state = bot.t(loc, "admin.state_running" if bot.scheduler.running else "admin.state_stopped")
        lines.append(bot.t(loc, "admin.status_scheduler", state=state))
        for job in bot.jobs.upcoming(guild_id):
            when = job.next_run.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z")
            lines.append("- " + bot.t(loc, "admin.status_job", job=bot.t(loc, job.label), next=when))
        lines.append(bot.t(loc, "admin.status_subs", active=active, paused=paused))
        lines.append(bot.t(loc, "crisis_admin.status", summary=bot.directory.summary()))
        hidden = bot.directory.unconfirmed()
        if hidden:
            ids = ", ".join(line.id for line in hidden)
            lines.append(bot.t(loc, "crisis_admin.status_unconfirmed", ids=ids))
        lines.append(bot.t(loc, "admin.status_version", version=__version__, discord=discord.__version__))
        await interaction.response.send_message("\n".join(lines), ephemeral=True)

    @prompts.command(name="add", description="Add a reflection prompt for this lab")
    @app_commands.describe(
        topic="The stressor topic it belongs to", text="The prompt (invitational, never demanding)"
    )
    async def prompts_add(self, interaction: Interaction, topic: str, text: str) -> None:
        """Store a lab prompt with the moderator recorded."""
        bot = self.bot
        loc = interaction.locale
        guild_id = guild_id_of(interaction)
        slugs = {t.slug for t in await effective_topics(bot.db, bot.library, guild_id, pack_of(loc))}
        if topic not in slugs:
            raise Refusal("prompt.unknown_topic", topic=discord.utils.escape_markdown(topic[:60]))
        text = text.strip()
        if len(text) > MAX_PROMPT:
            raise Refusal("admin.prompt_too_long", limit=MAX_PROMPT, length=len(text))
        problems = text_problems(text, field="prompt", limit=MAX_PROMPT)
        if problems:
            raise Refusal("admin.prompt_invalid", reason=problems[0])
        prompt = await prompt_store.add_lab_prompt(
            bot.db, guild_id, topic, text, interaction.user.id, bot.clock()
        )
        count = len(await prompt_store.lab_pool(bot.db, bot.library, guild_id, pack_of(loc)))
        await interaction.response.send_message(
            bot.t(loc, "admin.prompt_added", id=prompt.id, topic=topic, count=count), ephemeral=True
        )

    @prompts_add.autocomplete("topic")
    @moderators_only
    async def _prompt_topics(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await topic_choices(self.bot, interaction, current)

    @prompts.command(name="remove", description="Remove one of this lab's prompts")
    @app_commands.describe(prompt_id="The id shown by /admin prompts list, e.g. lab-3")
    async def prompts_remove(self, interaction: Interaction, prompt_id: str) -> None:
        """Delete a lab prompt."""
        loc = interaction.locale
        guild_id = guild_id_of(interaction)
        if not await prompt_store.remove_lab_prompt(self.bot.db, guild_id, prompt_id.strip()):
            raise Refusal("admin.prompt_unknown", id=discord.utils.escape_markdown(prompt_id[:40]))
        await interaction.response.send_message(
            self.bot.t(loc, "admin.prompt_removed", id=prompt_id.strip()), ephemeral=True
        )

    @prompts_remove.autocomplete("prompt_id")
    @moderators_only
    async def _lab_prompt_ids(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        labs = await prompt_store.lab_prompts(self.bot.db, interaction.guild_id)
        return [
            app_commands.Choice(name=f"{lab.prompt.id}: {lab.prompt.text}"[:100], value=lab.prompt.id)
            for lab in labs
            if current.strip().casefold() in (lab.prompt.id + lab.prompt.text).casefold()
        ][:25]

    @prompts.command(name="list", description="List this lab's prompts")
    async def prompts_list(self, interaction: Interaction) -> None:
        """Show the lab's prompts and how many shipped ones rotate with them."""
        bot = self.bot
        loc = interaction.locale
        labs = await prompt_store.lab_prompts(bot.db, guild_id_of(interaction))
        defaults = len(bot.library.pack(pack_of(loc)).prompts)
        if not labs:
            body = bot.t(loc, "admin.prompts_list_empty", defaults=defaults)
        else:
            lines = [bot.t(loc, "admin.prompts_list_body", defaults=defaults)]
            lines += [
                bot.t(
                    loc,
                    "admin.prompt_line",
                    id=lab.prompt.id,
                    topic=lab.prompt.topic,
                    author=f"<@{lab.created_by}>" if lab.created_by else "—",
                    date=lab.created_at[:10],
                    text=discord.utils.escape_markdown(lab.prompt.text),
                )
                for lab in labs
            ]
            body = "\n".join(lines)
        embed = wellbeing_embed(bot, loc, title=bot.t(loc, "admin.prompts_list_title"), description=body)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @moderators_only
    async def _topics(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await topic_choices(self.bot, interaction, current)

    @moderators_only
    async def _items(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await editing.item_choices(self.bot, interaction.guild_id, interaction.locale, current)

    @resources.command(name="add", description="Add a resource to a topic, or to a new lab topic")
    @app_commands.describe(topic="The topic to add it to", new_topic="Or: a title for a new lab topic")
    async def resources_add(
        self, interaction: Interaction, topic: str | None = None, new_topic: str | None = None
    ) -> None:
        """Open the add form."""
        await editing.start_add(self.bot, interaction, topic, new_topic)

    @resources.command(name="edit", description="Edit one of this lab's resources")
    @app_commands.describe(item="The resource to edit")
    async def resources_edit(self, interaction: Interaction, item: str) -> None:
        """Open the edit form prefilled."""
        await editing.start_edit(self.bot, interaction, item)

    @resources.command(name="remove", description="Remove a resource from this lab's list (undo in history)")
    @app_commands.describe(item="The resource to remove")
    async def resources_remove(self, interaction: Interaction, item: str) -> None:
        """Hide a shipped item or delete a lab item."""
        await editing.remove_item(self.bot, interaction, item)

    @resources.command(name="history", description="Who changed what and when; undo a change")
    @app_commands.describe(topic="Only changes to this topic")
    async def resources_history(self, interaction: Interaction, topic: str | None = None) -> None:
        """Show paged history with undo."""
        await editing.show_history(self.bot, interaction, topic)

    @resources.command(name="reset", description="Restore the shipped defaults (asks first; undo in history)")
    @app_commands.describe(topic="Only this topic", item="Only this resource")
    async def resources_reset(
        self, interaction: Interaction, topic: str | None = None, item: str | None = None
    ) -> None:
        """Confirm, then restore defaults for the chosen scope."""
        await editing.start_reset(self.bot, interaction, topic, item)

    @resources.command(name="export", description="Download this lab's resource list as YAML")
    async def resources_export(self, interaction: Interaction) -> None:
        """Send the effective list as a file."""
        await editing.export_list(self.bot, interaction)

    @resources.command(name="import", description="Replace this lab's list from a YAML file (asks first)")
    @app_commands.describe(file="A .yaml file like the one /admin resources export gives you")
    async def resources_import(self, interaction: Interaction, file: discord.Attachment) -> None:
        """Validate, summarise, then apply after confirmation."""
        await editing.start_import(self.bot, interaction, file)

    resources_add.autocomplete("topic")(_topics)
    resources_reset.autocomplete("topic")(_topics)
    resources_history.autocomplete("topic")(_topics)
    resources_edit.autocomplete("item")(_items)
    resources_remove.autocomplete("item")(_items)
    resources_reset.autocomplete("item")(_items)


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Admin(bot))
