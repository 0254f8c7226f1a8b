"""Gentle mode for hard times: the pinned notice, its end, and "check on me in two weeks".

While a lab's gentle mode runs, cogs/_cadence.py gives care-flavoured weekly prompts instead of the
rotation and cogs/calendar.py makes no deadline-season posts. The notice follows safe-messaging
guidance for a death by suicide (no method, no cause, no speculation; grief that is complicated is
normal; help is available now). The reminder is a generic one-off DM: nothing says why.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import discord

from bot.anonymity import SealError, member_key, open_user, random_id, seal_user
from bot.app import KindredBot
from bot.calendar import discord_timestamp, display
from bot.errors import Refusal
from bot.i18n import pack_of
from bot.keys import REMINDER_PURPOSE
from bot.store import calendar as store
from bot.store import claims
from bot.store.guilds import GuildSettings, get_settings
from bot.store.resources import effective_topics
from cogs._memories import MemoryButton
from cogs._ui import (
    THREAD_ARCHIVE_MINUTES,
    CrisisButton,
    Interaction,
    KindredView,
    PersistentItem,
    wellbeing_embed,
)

log = logging.getLogger(__name__)

KINDS = ("bereavement", "suicide_loss", "incident")
GRIEF_TOPIC = "grief-and-recovery"
REMIND_AFTER = dt.timedelta(days=14)
LINKS = 4
# The grief topic also covers Felix Hill's psychosis and recovery; a notice after a loss links the
# bereavement services only, in this order (a moderator's own items in the topic come first).
BEREAVEMENT_ITEMS = (
    "grief-and-recovery-helplines",
    "grief-and-recovery-nhs-grief",
    "grief-and-recovery-cruse",
    "grief-and-recovery-griefline",
)
MAX_WEEKS = 12


class ReminderButton(
    PersistentItem[discord.ui.Button[Any]], template=r"kindred:remind:(?P<guild>[0-9]{1,20})"
):
    """The "check on me in two weeks" button: a one-off DM reminder with no reason; works after restarts."""

    def __init__(self, guild_id: int, label: str) -> None:
        """Build the button for one guild."""
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"kindred:remind:{guild_id}",
                emoji="🫶",
            )
        )
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReminderButton:
        """Rebuild from the custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(int(match.group("guild")), label or "")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Store the reminder (or move it) and say exactly what is kept."""
        bot: KindredBot = interaction.client
        loc = interaction.locale
        due = bot.clock() + REMIND_AFTER
        await store.set_reminder(
            bot.db,
            random_id(),
            member_key(bot.secret, self.guild_id, interaction.user.id),
            self.guild_id,
            seal_user(bot.secret, interaction.user.id, guild_id=self.guild_id, purpose=REMINDER_PURPOSE),
            pack_of(loc),
            due,
        )
        await interaction.response.send_message(
            bot.t(loc, "gentle.reminder_saved", when=discord_timestamp(due)), ephemeral=True
        )


async def _grief_links(bot: KindredBot, guild_id: int, lang: str) -> str:
    topics = await effective_topics(bot.db, bot.library, guild_id, lang)
    topic = next((t for t in topics if t.slug == GRIEF_TOPIC), None)
    if topic is None:
        return ""
    # Support services, not personal stories or psychosis care: a grieving lab needs somewhere to turn.
    shipped = {i.id: i for i in topic.items}
    own = [i for i in topic.items if i.id.startswith("lab-") and i.kind != "essay"]
    items = [*own, *(shipped[i] for i in BEREAVEMENT_ITEMS if i in shipped)][:LINKS]
    lines = [f"- [{discord.utils.escape_markdown(i.title)}]({i.url})" for i in items]
    return "\n".join([*lines, bot.t(lang, "cadence.more_resources", topic=GRIEF_TOPIC)])


def notice_view(bot: KindredBot, lang: str, guild_id: int) -> KindredView:
    """The notice's buttons: the reminder, a memory for the thread (cogs/_memories.py), crisis lines."""
    view = KindredView(timeout=None)
    view.add_item(ReminderButton(guild_id, bot.t(lang, "gentle.reminder_button")))
    view.add_item(MemoryButton(guild_id, bot.t(lang, "memories.button")))
    view.add_item(CrisisButton(bot.t(lang, "footer.button")))
    return view


async def notice_embed(
    bot: KindredBot, settings: GuildSettings, kind: str, ends_at: dt.datetime
) -> discord.Embed:
    """The pinned notice for one kind of hard time."""
    lang = settings.lang
    parts = [
        bot.t(lang, f"gentle.{kind}_body"),
        bot.t(lang, "gentle.what_changes", end=display(ends_at, settings.declared_timezone)),
    ]
    if settings.reps_channel_id is not None:
        parts.append(bot.t(lang, "gentle.reach"))
    parts.append(bot.t(lang, "memories.notice"))
    parts.append(bot.t(lang, "gentle.reminder_about"))
    links = await _grief_links(bot, settings.guild_id, lang)
    if links:
        parts.append(links)
    return wellbeing_embed(
        bot, lang, title=bot.t(lang, f"gentle.{kind}_title"), description="\n\n".join(parts)
    )


async def start(
    bot: KindredBot,
    interaction: Interaction,
    guild_id: int,
    kind: str,
    weeks: int,
    channel: discord.TextChannel,
) -> str:
    """Post and pin the notice, open the condolences thread and record gentle mode; the reply."""
    loc = interaction.locale
    if kind not in KINDS:
        raise Refusal("gentle.bad_kind", kinds=", ".join(KINDS))
    if not 1 <= weeks <= MAX_WEEKS:
        raise Refusal("gentle.bad_weeks", most=MAX_WEEKS)
    if await store.gentle_event(bot.db, guild_id) is not None:
        raise Refusal("gentle.already")
    settings = await get_settings(bot.db, guild_id)
    now = bot.clock()
    ends_at = now + dt.timedelta(weeks=weeks)
    embed = await notice_embed(bot, settings, kind, ends_at)
    message = await channel.send(embed=embed, view=notice_view(bot, settings.lang, guild_id))
    notes = []
    try:
        await message.pin(reason="kindred gentle mode")
    except discord.HTTPException as exc:
        log.warning("gentle mode: could not pin the notice (HTTP %s)", exc.status)
        notes.append(bot.t(loc, "gentle.not_pinned"))
    thread_id = None
    try:
        thread = await message.create_thread(
            name=bot.t(settings.lang, "gentle.thread_name")[:100],
            auto_archive_duration=THREAD_ARCHIVE_MINUTES,
        )  # a week: memories keep arriving slowly (an archived thread is reopened for one anyway)
        thread_id = thread.id
        await thread.send(bot.t(settings.lang, "gentle.thread_intro"))
    except discord.HTTPException as exc:
        log.warning("gentle mode: could not open the condolences thread (HTTP %s)", exc.status)
        notes.append(bot.t(loc, "gentle.no_thread"))
    event = store.GentleEvent(guild_id, kind, settings.lang, now, ends_at, channel.id, message.id, thread_id)
    if not await store.start_gentle(bot.db, event):  # a second moderator was quicker
        await message.delete()
        raise Refusal("gentle.already")
    log.info("gentle mode started for a guild (%d weeks)", weeks)
    reply = bot.t(
        loc, "gentle.started", channel=f"<#{channel.id}>", end=display(ends_at, settings.declared_timezone)
    )
    return "\n".join([reply, *notes])


async def end(bot: KindredBot, guild_id: int) -> store.GentleEvent | None:
    """End gentle mode: unpin the notice and keep only the period's dates; the event, if one ran."""
    event = await store.end_gentle(bot.db, guild_id, bot.clock())
    if event is None:
        return None
    channel = bot.get_channel(event.channel_id)
    if isinstance(channel, discord.TextChannel):
        try:
            await channel.get_partial_message(event.notice_id).unpin(reason="kindred gentle mode ended")
        except discord.HTTPException as exc:
            log.warning("gentle mode ended; the notice could not be unpinned (HTTP %s)", exc.status)
    log.info("gentle mode ended for a guild")
    return event


async def end_expired(bot: KindredBot) -> int:
    """End every gentle mode whose weeks are over (also after downtime); how many ended."""
    now = bot.clock()
    ended = 0
    for event in await store.gentle_events(bot.db):
        if not bot.owns_guild(event.guild_id):  # the process of the guild's shard ends it
            continue
        if event.ends_at <= now and await end(bot, event.guild_id) is not None:
            ended += 1
    return ended


async def send_due_reminders(bot: KindredBot) -> int:
    """DM every member whose "check on me" time has come, once; how many were sent."""
    sent = 0
    for reminder in await store.due_reminders(bot.db, bot.clock()):
        if not bot.owns_guild(reminder.guild_id):  # a DM about a guild: that guild's process sends it
            continue
        if not await claims.claim(bot.db, "reminder", reminder.id, bot.clock()):
            continue  # another process sharing the database is sending this one
        try:
            user_id = open_user(
                bot.secret, reminder.recipient, guild_id=reminder.guild_id, purpose=REMINDER_PURPOSE
            )
        except SealError:
            log.error("a reminder cannot be opened with the current secret key; dropping it")
            await store.delete_reminder(bot.db, reminder.id)
            continue
        view = KindredView(timeout=None)
        view.add_item(CrisisButton(bot.t(reminder.lang, "footer.button")))
        try:
            dm = await bot.create_dm(discord.Object(user_id))
            await dm.send(bot.t(reminder.lang, "gentle.reminder_dm"), view=view)
        except discord.Forbidden:
            log.info("a reminder DM was refused (DMs closed); dropping it")
        except discord.HTTPException as exc:
            log.warning("a reminder DM failed (HTTP %s); retried next pass", exc.status)
            await claims.release(bot.db, "reminder", reminder.id)
            continue
        else:
            sent += 1
        await store.delete_reminder(bot.db, reminder.id)
    return sent
