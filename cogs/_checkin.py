"""The check-in form and the persistent button that opens it (the /checkin cog and the weekly DM use them)."""

from __future__ import annotations

import re
import secrets
from typing import Any

import discord

from bot.aggregation import Answer
from bot.anonymity import checkin_receipt
from bot.app import KindredBot
from bot.content import Topic
from bot.errors import Refusal
from bot.i18n import pack_of
from bot.schedule import iso_week
from bot.store.checkins import record_checkin
from bot.store.guilds import get_settings
from bot.store.resources import effective_topics
from cogs._ui import KindredModal, PersistentItem, crisis_view, item_line, wellbeing_embed

SCALE = range(1, 6)
LOWEST_MOOD = 1
MAX_TOPICS_SHOWN = 3


class CheckInModal(KindredModal):
    """Mood, energy and stressor topics; no free text, so nothing identifying can be typed."""

    def __init__(self, bot: KindredBot, guild_id: int, locale: object, topics: list[Topic]) -> None:
        """Build the form in the member's language."""
        # A unique id per opened form: discord.py keys open modals by custom_id, so a shared id would
        # let one member's form replace another's and lose a submission.
        super().__init__(
            title=bot.t(locale, "checkin.modal_title"),
            custom_id=f"kindred:checkin-form:{guild_id}:{secrets.token_hex(8)}",
        )
        self.bot = bot
        self.guild_id = guild_id
        self.topic_slugs = {t.slug for t in topics}
        self.add_item(discord.ui.TextDisplay(bot.t(locale, "checkin.about")))
        self.mood = self._scale(locale, "mood")
        self.energy = self._scale(locale, "energy")
        self.topics: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="topics",
            min_values=0,
            max_values=min(len(topics), 25) or 1,
            required=False,
            placeholder=bot.t(locale, "checkin.topics_placeholder"),
            options=[discord.SelectOption(label=t.title[:100], value=t.slug) for t in topics[:25]],
        )
        self.add_item(discord.ui.Label(text=bot.t(locale, "checkin.topics"), component=self.topics))

    def _scale(self, locale: object, name: str) -> discord.ui.Select[Any]:
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=name,
            min_values=1,
            max_values=1,
            required=True,
            options=[
                discord.SelectOption(label=self.bot.t(locale, f"checkin.scale_{n}"), value=str(n))
                for n in SCALE
            ],
        )
        self.add_item(discord.ui.Label(text=self.bot.t(locale, f"checkin.{name}"), component=select))
        return select

    def answer(self) -> Answer:
        """The submitted answer, validated; Refusal if anything is out of range."""
        try:
            mood, energy = int(self.mood.values[0]), int(self.energy.values[0])
        except (IndexError, ValueError):
            raise Refusal("checkin.bad_answer") from None
        topics = frozenset(self.topics.values)
        if mood not in SCALE or energy not in SCALE or not topics <= self.topic_slugs:
            raise Refusal("checkin.bad_answer")
        return Answer(mood=mood, energy=energy, topics=topics)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Count the check-in once for this week and answer with something useful."""
        bot = self.bot
        loc = interaction.locale
        answer = self.answer()
        settings = await get_settings(bot.db, self.guild_id)
        now = bot.clock()
        week = iso_week(now, settings.week_timezone(now))
        receipt = checkin_receipt(bot.secret, self.guild_id, interaction.user.id, week)
        counted = await record_checkin(
            bot.db, guild_id=self.guild_id, week=week, receipt=receipt, answer=answer
        )
        lines = [bot.t(loc, "checkin.thanks" if counted else "checkin.already")]
        if answer.mood == LOWEST_MOOD:
            lines.append(bot.t(loc, "checkin.low"))
        embed = None
        chosen = [
            t
            for t in await effective_topics(bot.db, bot.library, self.guild_id, pack_of(loc))
            if t.slug in answer.topics and t.items
        ][:MAX_TOPICS_SHOWN]
        if chosen:
            body = "\n\n".join(
                f"**{discord.utils.escape_markdown(t.title)}**\n{item_line(t.items[0])}" for t in chosen
            )
            embed = wellbeing_embed(
                bot, loc, title=bot.t(loc, "checkin.for_topics").strip("*"), description=body
            )
        await interaction.response.send_message(
            "\n\n".join(lines),
            embed=embed or discord.utils.MISSING,
            view=crisis_view(bot, loc),
            ephemeral=True,
        )


async def open_checkin(bot: KindredBot, interaction: discord.Interaction[Any], guild_id: int) -> None:
    """Show the check-in modal for `guild_id` in the member's language."""
    topics = await effective_topics(bot.db, bot.library, guild_id, pack_of(interaction.locale))
    await CheckInModal(bot, guild_id, interaction.locale, topics).open(interaction)


class CheckInButton(
    PersistentItem[discord.ui.Button[Any]], template=r"kindred:checkin:(?P<guild>[0-9]{1,20})"
):
    """The button in the weekly DM; carries the guild so it works in DMs and after restarts."""

    def __init__(self, guild_id: int, label: str = "Check in") -> None:
        """Build the button for one guild."""
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary,
                custom_id=f"kindred:checkin:{guild_id}",
                emoji="📝",
            )
        )
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CheckInButton:
        """Rebuild from the custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(int(match.group("guild")), label or "Check in")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Open the modal if the member still belongs to that guild."""
        bot: KindredBot = interaction.client
        guild = await bot.guild_for(self.guild_id)  # a DM's button: the guild may be another shard's
        if guild is None:
            raise Refusal("checkin.not_member")
        try:
            await guild.fetch_member(interaction.user.id)
        except discord.NotFound:
            raise Refusal("checkin.not_member") from None
        await open_checkin(bot, interaction, self.guild_id)
