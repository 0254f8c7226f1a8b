"""/prompt on demand, and the weekly reflection prompt each lab can post in its prompts channel."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import discord
from apscheduler.triggers.cron import CronTrigger
from discord import app_commands
from discord.ext import commands

from bot.app import KindredBot
from bot.errors import Refusal
from bot.i18n import pack_of
from bot.jobs import PROMPT_JOB_PREFIX, prompt_job_id
from bot.prompts import lab_order, next_unused
from bot.schedule import WeeklySlot, cron_fields, latest_occurrence, parse_clock, period_of
from bot.store import StoreUnavailable, claims
from bot.store import prompts as store
from bot.store.guilds import GuildSettings, all_settings, get_settings
from bot.store.resources import effective_topics
from cogs._cadence import week_prompt
from cogs._choices import topic_choices
from cogs._ui import THREAD_ARCHIVE_MINUTES, Interaction, crisis_view, wellbeing_embed

log = logging.getLogger(__name__)
#: Registering the weekly prompt jobs again after the database could not be read at start.
RETRY_JOB_ID = "kindred:prompt-jobs-retry"
RETRY_SECONDS = 10


def lab_slot(settings: GuildSettings) -> WeeklySlot | None:
    """The guild's weekly prompt schedule, or None when prompts are off."""
    if settings.prompt_weekday is None or settings.prompt_time is None or settings.prompt_channel_id is None:
        return None
    return WeeklySlot(settings.prompt_weekday, parse_clock(settings.prompt_time), settings.declared_timezone)


def cron_trigger(slot: WeeklySlot) -> CronTrigger:
    """An APScheduler cron trigger firing at the slot's local time in its timezone."""
    return CronTrigger(**cron_fields(slot.weekday, slot.at), timezone=ZoneInfo(slot.tz))


class Prompts(commands.Cog):
    """Reflection prompts."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for its services."""
        self.bot = bot

    async def cog_load(self) -> None:
        """Register a cron job for every guild whose prompts are on (the database is the source of truth).

        If the database cannot be read at start (a PostgreSQL server still starting, say), a retry
        job tries again every RETRY_SECONDS until it can, so no lab's weekly prompt is left unscheduled.
        """
        if not await self._schedule_all():
            first = datetime.now(UTC) + timedelta(seconds=RETRY_SECONDS)
            self.bot.jobs.every(RETRY_JOB_ID, RETRY_SECONDS, self._retry_schedule_all, first_run=first)

    async def _schedule_all(self) -> bool:
        try:
            found = await all_settings(self.bot.db)
        except StoreUnavailable as exc:
            log.warning(
                "could not register weekly prompt jobs yet (%s); retrying every %d s", exc, RETRY_SECONDS
            )
            return False
        except Exception:
            log.exception("could not register weekly prompt jobs; retrying every %d s", RETRY_SECONDS)
            return False
        for settings in found:
            self.schedule(settings)
        return True

    async def _retry_schedule_all(self) -> None:
        if await self._schedule_all():
            self.bot.jobs.cancel(RETRY_JOB_ID)
            log.info("registered the weekly prompt jobs")

    async def cog_unload(self) -> None:
        """Remove every job this cog registered."""
        self.bot.jobs.cancel_all(PROMPT_JOB_PREFIX)
        self.bot.jobs.cancel(RETRY_JOB_ID)

    def schedule(self, settings: GuildSettings) -> None:
        """Add, replace or remove a guild's weekly prompt job to match its settings."""
        job_id = prompt_job_id(settings.guild_id)
        slot = lab_slot(settings)
        if slot is None or not self.bot.owns_guild(settings.guild_id):  # another shard's process posts it
            self.bot.jobs.cancel(job_id)
            return
        grace = self.bot.settings.delivery_grace
        self.bot.jobs.weekly(
            job_id,
            cron_trigger(slot),
            self.post_weekly_prompt,
            args=[settings.guild_id],
            grace=grace,
            guild_id=settings.guild_id,
            label="admin.job_prompt",
        )
        now = self.bot.clock()
        if now - latest_occurrence(slot, now) <= grace:
            self.bot.jobs.run_now(job_id, now)  # catch up on a post missed while down (skipped if made)

    @commands.Cog.listener()
    async def on_kindred_settings_changed(self, settings: GuildSettings) -> None:
        """Follow /admin setup changes."""
        self.schedule(settings)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Stop posting in a guild kindred left."""
        self.bot.jobs.cancel(prompt_job_id(guild.id))

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Resume a guild's weekly prompt if kindred is added back with its settings still stored."""
        self.schedule(await get_settings(self.bot.db, guild.id))

    async def post_weekly_prompt(self, guild_id: int) -> None:
        """Post this period's prompt with a thread for replies, once per guild per period."""
        await self.bot.wait_until_ready()
        if self.bot.stopping:  # could not finish before the HTTP session closes; caught up on start
            return
        if not self.bot.owns_guild(guild_id):
            return
        async with self.bot.busy():
            await self._post_weekly_prompt(guild_id)

    async def _post_weekly_prompt(self, guild_id: int) -> None:
        bot = self.bot
        settings = await get_settings(bot.db, guild_id)
        slot = lab_slot(settings)
        if slot is None:
            return
        now = bot.clock()
        occurrence = latest_occurrence(slot, now)
        if now - occurrence > bot.settings.delivery_grace + timedelta(minutes=1):
            return
        period = period_of(slot, occurrence)
        if await store.post_for(bot.db, guild_id, period) is not None:
            log.info("weekly prompt for %s already posted; not posting again", period)
            return
        claim = f"{guild_id}\x1f{period}".encode()
        if not await claims.claim(bot.db, "prompt", claim, now):
            log.info("weekly prompt for %s is being posted by another process", period)
            return
        posted = False
        try:
            posted = await self._post_prompt_now(guild_id, settings, now, period)
        finally:
            if not posted:
                await claims.release(bot.db, "prompt", claim)

    async def _post_prompt_now(
        self, guild_id: int, settings: GuildSettings, now: datetime, period: str
    ) -> bool:
        """Post this week's prompt (the caller claimed it); False if there was nowhere to post it."""
        bot = self.bot
        channel = bot.get_channel(settings.prompt_channel_id or 0)
        if channel is None and settings.prompt_channel_id:
            # The cache can be empty for a moment (a gateway session invalidated at the prompt
            # minute); ask Discord directly rather than skip this week's prompt.
            try:
                channel = await bot.fetch_channel(settings.prompt_channel_id)
            except discord.HTTPException as exc:
                log.warning("weekly prompt: could not fetch the prompts channel (HTTP %s)", exc.status)
        if not isinstance(channel, discord.TextChannel):
            log.warning("weekly prompt: the prompts channel of a guild is gone; skipping")
            return False
        lang = settings.lang
        cycle, used = await store.current_cycle(bot.db, guild_id)
        # A deadline week or gentle mode (the lab's calendar, cogs/_cadence.py) replaces the rotation.
        special = await week_prompt(bot, guild_id, lang, now, period)
        if special is None:
            pool = lab_order(await store.lab_pool(bot.db, bot.library, guild_id, lang), guild_id)
            prompt, new_cycle = next_unused(pool, used)
            cycle += int(new_cycle)
            prompt_id, title, text = prompt.id, bot.t(lang, "prompt.weekly_title"), prompt.text
        else:
            prompt_id, title, text = special.prompt_id, special.title, special.text
        embed = wellbeing_embed(bot, lang, title=title, description=discord.utils.escape_mentions(text))
        embed.set_footer(text=bot.t(lang, "prompt.weekly_footer"))
        message = await channel.send(embed=embed, view=crisis_view(bot, lang))
        try:
            await message.create_thread(
                name=bot.t(lang, "prompt.thread_name", period=period)[:100],
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
        except discord.HTTPException as exc:
            log.warning("weekly prompt posted but its thread could not be created (HTTP %s)", exc.status)
        await store.record_post(bot.db, guild_id, period, prompt_id, cycle, channel.id, message.id)
        return True

    @app_commands.command(name="prompt", description="A reflection prompt, just for you")
    @app_commands.describe(topic="Optionally, a topic the prompt should be about")
    async def prompt(self, interaction: Interaction, topic: str | None = None) -> None:
        """Show one prompt privately, optionally for one topic."""
        bot = self.bot
        loc = interaction.locale
        pool = await store.lab_pool(bot.db, bot.library, interaction.guild_id, pack_of(loc))
        if topic:
            slugs = {
                t.slug
                for t in await effective_topics(bot.db, bot.library, interaction.guild_id, pack_of(loc))
            }
            wanted = topic.strip().lower()
            if wanted not in slugs:
                raise Refusal("prompt.unknown_topic", topic=discord.utils.escape_markdown(topic[:60]))
            pool = [p for p in pool if p.topic == wanted]
        if not pool:
            raise Refusal("prompt.none")
        chosen = secrets.choice(pool)
        embed = wellbeing_embed(
            bot,
            loc,
            title=bot.t(loc, "prompt.title"),
            description=f"{discord.utils.escape_mentions(chosen.text)}\n\n-# {bot.t(loc, 'prompt.optional')}",
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @prompt.autocomplete("topic")
    async def _topic_choices(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await topic_choices(self.bot, interaction, current)


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Prompts(bot))
