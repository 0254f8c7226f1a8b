"""Gentle mode's reviewed anonymous memories, for the "Memories and condolences" thread (issue 18).

A memory is an anonymous /share with another destination: the notice's persistent button opens
the form, cogs/share.py holds it with the same author token, daily limit, blocks and screening,
and ALWAYS sends it for moderator review, whatever the lab's review mode. Once approved it is
posted by the bot in the thread after the usual jittered delay, with the /crisis footer.

If the thread is gone or locked by the time a memory is to be posted, its author cannot be told
(kindred does not know who they are): the memory is deleted unposted, the moderators are told in
the alert channel, and the log says so without a word of the text. An archived thread is reopened.
Memories still waiting when gentle mode ends stay in review and are posted while the thread exists.
"""

from __future__ import annotations

import re
import secrets
from typing import Any, Protocol, runtime_checkable

import discord

from bot.app import KindredBot
from bot.errors import Refusal
from bot.store import calendar as calendar_store
from bot.store.guilds import get_settings
from bot.validation import relayed_text
from cogs._ui import KindredModal, PersistentItem, wellbeing_embed

MAX_MEMORY = 1500
#: Discord's "this thread is archived (or locked)" error code.
THREAD_ARCHIVED = 50083


class ThreadClosed(Exception):
    """The memory's thread is gone, locked, or closed to kindred: the memory cannot be posted."""


@runtime_checkable
class MemoryReceiver(Protocol):
    """What the Share cog offers this module (a cog never imports a sibling cog)."""

    async def receive(
        self,
        interaction: discord.Interaction[Any],
        body: str,
        warning: str | None,
        *,
        thread_id: int | None = ...,
    ) -> None:
        """Screen, count, hold and send for review, as /share does."""


def memory_embed(bot: KindredBot, lang: str, body: str) -> discord.Embed:
    """How a memory looks in the thread: quoted and escaped, no name, no pings, the /crisis footer."""
    return wellbeing_embed(
        bot, lang, title=bot.t(lang, "memories.post_title"), description=relayed_text(body)
    )


async def open_thread(bot: KindredBot, thread_id: int) -> discord.Thread:
    """The memory's thread, reopened if it was archived; ThreadClosed if gone or locked.

    Any other Discord failure is raised as it is, so the memory stays queued and is retried.
    """
    channel = bot.get_channel(thread_id)
    if channel is None:  # discord.py drops archived threads from its cache
        try:
            channel = await bot.fetch_channel(thread_id)
        except (discord.NotFound, discord.Forbidden) as exc:
            raise ThreadClosed from exc
    if not isinstance(channel, discord.Thread) or channel.locked:
        raise ThreadClosed
    if channel.archived:
        try:
            channel = await channel.edit(archived=False)
        except (discord.NotFound, discord.Forbidden) as exc:
            raise ThreadClosed from exc
    return channel


async def post_memory(bot: KindredBot, thread_id: int, lang: str, body: str, view: discord.ui.View) -> None:
    """Post one memory in its thread; ThreadClosed if that is no longer possible."""
    thread = await open_thread(bot, thread_id)
    try:
        await thread.send(
            embed=memory_embed(bot, lang, body), view=view, allowed_mentions=discord.AllowedMentions.none()
        )
    except (discord.NotFound, discord.Forbidden) as exc:
        raise ThreadClosed from exc
    except discord.HTTPException as exc:
        if exc.code == THREAD_ARCHIVED:
            raise ThreadClosed from exc
        raise


class MemoryModal(KindredModal):
    """The memory form: one text, in the member's language."""

    def __init__(self, bot: KindredBot, locale: object, thread_id: int) -> None:
        """Build the form for one condolences thread."""
        super().__init__(
            title=bot.t(locale, "memories.modal_title"),
            custom_id=f"kindred:memory-form:{secrets.token_hex(8)}",
            timeout=1800,
        )
        self.bot = bot
        self.thread_id = thread_id
        self.add_item(discord.ui.TextDisplay(bot.t(locale, "memories.about")))
        self.body: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "memories.field_text"),
            style=discord.TextStyle.paragraph,
            max_length=MAX_MEMORY,
            custom_id="text",
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Hand the memory to /share's machinery, bound for the thread (always reviewed)."""
        cog: object = self.bot.get_cog("Share")
        assert isinstance(cog, MemoryReceiver)  # noqa: S101 - the button only exists while the cog is loaded
        # Written while the thread took memories: kept even if gentle mode ends while the form is open.
        await cog.receive(interaction, self.body.value, None, thread_id=self.thread_id)


class MemoryButton(PersistentItem[discord.ui.Button[Any]], template=r"kindred:memory:(?P<guild>[0-9]{1,20})"):
    """The notice's "Share a memory anonymously" button; persistent, so it works after restarts."""

    def __init__(self, guild_id: int, label: str) -> None:
        """Build the button for one guild's notice."""
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary,
                custom_id=f"kindred:memory:{guild_id}",
                emoji="🕯️",
            )
        )
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MemoryButton:
        """Rebuild from the custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(int(match.group("guild")), label or "")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Open the form while this notice's gentle mode runs and has its thread."""
        bot: KindredBot = interaction.client
        event = await calendar_store.gentle_event(bot.db, self.guild_id)
        message_id = interaction.message.id if interaction.message else None
        if event is None or event.thread_id is None or event.notice_id != message_id:
            raise Refusal("memories.closed")  # an ended mode's notice, or its thread never opened
        settings = await get_settings(bot.db, self.guild_id)
        if settings.alert_channel_id is None:  # every memory is reviewed: moderators must see it
            raise Refusal("memories.not_set_up")
        await MemoryModal(bot, interaction.locale, event.thread_id).open(interaction)
