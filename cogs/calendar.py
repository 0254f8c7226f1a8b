"""The lab calendar's cadence posts, the end of gentle mode, and "check on me" reminder DMs.

Lab-level only: a pass looks at each lab's followed venues and own dates, posts what
bot.calendar.cadence_posts says is due in the prompts channel, and records the post's key so a
restart never repeats it. A post whose window passed while kindred was down is not made late.
Gentle mode (cogs/_gentle.py) pauses the cadence.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.app import KindredBot
from bot.calendar import cadence_posts
from bot.single_run import SingleRun
from bot.store import calendar as store
from bot.store.guilds import get_settings
from cogs import _gentle as gentle
from cogs._cadence import cadence_embed, lab_dates
from cogs._ui import crisis_view

log = logging.getLogger(__name__)

CADENCE_JOB_ID = "kindred:calendar"
#: A pass every ten minutes: decision-day and decompression windows are a day or two wide.
CADENCE_SECONDS = 600.0


class Calendar(commands.Cog):
    """Deadline-season posts in the lab's prompts channel."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot; passes run one at a time (bot.single_run)."""
        self.bot = bot
        self.passes = SingleRun(self.cadence_pass, "kindred-calendar")

    async def cog_load(self) -> None:
        """Revive the reminder buttons and register the pass, paused until the gateway is ready."""
        self.bot.add_dynamic_items(gentle.ReminderButton)
        self.bot.jobs.every(
            CADENCE_JOB_ID, CADENCE_SECONDS, self.passes.request, first_run=None, label="calendar.job_cadence"
        )

    async def cog_unload(self) -> None:
        """Remove the job and the reminder buttons."""
        self.bot.jobs.cancel(CADENCE_JOB_ID)
        self.bot.remove_dynamic_items(gentle.ReminderButton)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Catch up at once (a post still in its window after downtime), then every interval."""
        self.bot.jobs.wake(CADENCE_JOB_ID, self.bot.clock())

    async def cadence_pass(self) -> None:
        """Post every due one-off cadence post, lab by lab; one lab's failure does not stop the rest."""
        await self.bot.wait_until_ready()
        if self.bot.stopping:
            return
        async with self.bot.busy():
            await gentle.end_expired(self.bot)  # also after downtime: the restart in the middle
            await gentle.send_due_reminders(self.bot)
            for guild_id in await store.calendar_guilds(self.bot.db):
                if not self.bot.owns_guild(guild_id):  # another shard's process posts there
                    continue
                try:
                    await self._lab_pass(guild_id)
                except discord.HTTPException as exc:
                    log.warning("calendar post failed for a guild (HTTP %s); retried next pass", exc.status)

    async def _lab_pass(self, guild_id: int) -> None:
        bot = self.bot
        settings = await get_settings(bot.db, guild_id)
        if settings.prompt_channel_id is None or await store.gentle_event(bot.db, guild_id) is not None:
            return
        now = bot.clock()
        due = cadence_posts(await lab_dates(bot, guild_id), now, await store.posts_made(bot.db, guild_id))
        if not due:
            return
        channel = bot.get_channel(settings.prompt_channel_id)
        if not isinstance(channel, discord.TextChannel):
            log.warning("calendar post: the prompts channel of a guild is gone; skipping")
            return
        for post in due:
            embed = await cadence_embed(bot, guild_id, settings.lang, post)
            message = await channel.send(embed=embed, view=crisis_view(bot, settings.lang))
            await store.record_post(bot.db, guild_id, post.key, channel.id, message.id)
            log.info("calendar: posted the %s post", post.phase.value)


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Calendar(bot))
