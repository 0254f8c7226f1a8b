"""Pieces of Discord UI shared by cogs: the crisis footer and button, views that report errors.

Also the base for persistent components, requester-only views and the lines several cogs show.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, Literal, TypeVar

import discord

from bot.app import KindredBot
from bot.content import ResourceItem
from bot.crisis import Resolution, render
from bot.i18n import pack_of
from bot.validation import link_target
from cogs._crisis import EMBED_COLOUR as EMBED_COLOUR
from cogs._crisis import respond

Interaction = discord.Interaction[KindredBot]
ItemT = TypeVar("ItemT", bound=discord.ui.Item[Any])

THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week: prompt and share threads


class KindredView(discord.ui.View):
    """A view whose failures reach the same kind error reply as commands."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        """Delegate to the bot's single error reporter."""
        await interaction.client.report_error(interaction, error)


class KindredModal(discord.ui.Modal):
    """A modal whose failures reach the same kind error reply as commands.

    Open it with :meth:`open`, never ``send_modal`` directly; and give each opening its own custom
    id (a random suffix), since discord.py listens for one form per id and forgets it once used.
    """

    async def open(self, interaction: discord.Interaction[Any]) -> None:
        """Show the form, listening for it first.

        ``send_modal`` starts listening only when Discord's answer to the callback is back; a member
        whose submission overtakes that answer (a slow link, a busy bot) would be dropped silently.
        This is the very call ``send_modal`` makes afterwards (storing twice is harmless); the public
        ``Client.add_view`` would refuse a form with a timeout.
        """
        interaction.client._connection.store_view(self)
        try:
            await interaction.response.send_modal(self)
        except BaseException:
            self.stop()  # never shown: stop listening
            raise

    async def on_error(  # type: ignore[override]  # Modal drops BaseView's `item` argument
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        """Delegate to the bot's single error reporter."""
        await interaction.client.report_error(interaction, error)


def crisis_text(
    bot: KindredBot, locale: object, country: str | None, *, unknown_query: str | None = None
) -> str:
    """The crisis lines as plain text, for messages without the country menu (readable without embeds)."""
    code = country if bot.directory.country(country) else None
    resolution = Resolution(code, "option" if code else "none", unknown=unknown_query)
    return render(bot.directory, partial(bot.t, locale), pack_of(locale), resolution, menu=False).content


class PersistentItem(discord.ui.DynamicItem[ItemT], template=r"(?!)"):
    """A persistent component (its custom id carries its state) whose failures get the one kind reply.

    Subclasses give their own ``template`` and ``from_custom_id`` and do their work in :meth:`run`;
    any exception from it reaches the bot's single error reporter, as a command's would.
    """

    def __init_subclass__(cls, *, template: str | re.Pattern[str]) -> None:
        """Each subclass names the custom ids it answers."""
        super().__init_subclass__(template=template)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Run the work; every failure gets a kind reply."""
        try:
            await self.run(interaction)
        except Exception as exc:
            await interaction.client.report_error(interaction, exc)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """What a click or choice does."""
        raise NotImplementedError


class RequesterOnlyView(KindredView):
    """A view only the member who asked for it may use; anyone else is told kindly it is not theirs."""

    def __init__(self, bot: KindredBot, requester_id: int, *, timeout: float | None) -> None:
        """Remember whose view it is."""
        super().__init__(timeout=timeout)
        self.bot = bot
        self.requester_id = requester_id

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Only the requester may answer."""
        if interaction.user.id != self.requester_id:
            await interaction.response.send_message(
                self.bot.t(interaction.locale, "errors.not_yours"), ephemeral=True
            )
            return False
        return True


class CrisisButton(
    PersistentItem[discord.ui.Button[Any]], template=r"kindred:crisis(?::(?P<country>[A-Z]{2}))?"
):
    """A persistent button that shows crisis lines privately; works after restarts and in DMs."""

    def __init__(self, label: str, country: str | None = None) -> None:
        """Build the button; `country` pins which lines it shows first."""
        custom_id = "kindred:crisis" + (f":{country}" if country else "")
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.danger, custom_id=custom_id, emoji="🆘")
        )
        self.country = country

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CrisisButton:
        """Rebuild the button from its custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(label or "", match.group("country"))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Show crisis lines privately: the button's country, else the lab's, else the clicker's locale."""
        await respond(interaction.client, interaction, pinned=self.country)


def crisis_view(bot: KindredBot, locale: object) -> KindredView:
    """A view holding only the crisis button, for any wellbeing message."""
    view = KindredView(timeout=None)
    view.add_item(CrisisButton(bot.t(locale, "footer.button")))
    return view


def wellbeing_embed(bot: KindredBot, locale: object, *, title: str, description: str = "") -> discord.Embed:
    """An embed in kindred's colour with the /crisis footer every wellbeing message carries."""
    embed = discord.Embed(title=title[:256], description=description[:4096], colour=EMBED_COLOUR)
    embed.set_footer(text=bot.t(locale, "footer.crisis"))
    return embed


class Confirm(RequesterOnlyView):
    """Confirm / cancel buttons that only the member who asked can press."""

    def __init__(
        self,
        bot: KindredBot,
        requester_id: int,
        *,
        custom_id: str,
        confirm_label: str,
        cancel_label: str,
        on_confirm: Callable[[discord.Interaction[Any]], Awaitable[str]],
        cancelled_text: str,
        timeout: float = 600,
    ) -> None:
        """Build the pair; `on_confirm` does the work and returns the text to show afterwards."""
        super().__init__(bot, requester_id, timeout=timeout)
        self.on_confirm = on_confirm
        self.cancelled_text = cancelled_text
        confirm: discord.ui.Button[Any] = discord.ui.Button(
            label=confirm_label, style=discord.ButtonStyle.danger, custom_id=f"{custom_id}:confirm"
        )
        cancel: discord.ui.Button[Any] = discord.ui.Button(
            label=cancel_label, style=discord.ButtonStyle.secondary, custom_id=f"{custom_id}:cancel"
        )
        confirm.callback = self._confirm  # type: ignore[method-assign]
        cancel.callback = self._cancel  # type: ignore[method-assign]
        self.add_item(confirm)
        self.add_item(cancel)

    async def _confirm(self, interaction: discord.Interaction[Any]) -> None:
        self.stop()
        text = await self.on_confirm(interaction)
        await interaction.response.edit_message(content=text, embed=None, view=None)

    async def _cancel(self, interaction: discord.Interaction[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(content=self.cancelled_text, embed=None, view=None)


def item_line(item: ResourceItem) -> str:
    """One resource as a markdown line: linked title, kind, description."""
    title = discord.utils.escape_markdown(item.title).replace("]", "\\]")
    description = discord.utils.escape_markdown(item.description)
    return f"**[{title}]({link_target(item.url)})** · {item.kind}\n{description}"


def describe_kind(bot: KindredBot, locale: object, kind: str) -> str:
    """The member-facing name of a subscription kind."""
    return bot.t(locale, f"subscribe.kind_{kind}")


def describe_reason(bot: KindredBot, locale: object, reason: str) -> str:
    """Why a subscription is paused, in words."""
    key = f"subscribe.reason_{reason}"
    return bot.t(locale, key) if bot.strings.has(key) else reason
