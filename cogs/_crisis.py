"""The /crisis reply as Discord objects: the lifelines, the lab's own lines, and the country switch.

Shared by /crisis and every crisis button. Nothing here needs the database to answer: the lab's
country and its own helplines get one second, then the shipped directory answers alone.
"""

from __future__ import annotations

import asyncio
import logging
import re
import weakref
from functools import partial
from typing import Any

import discord

from bot.app import KindredBot
from bot.crisis import (
    ELSEWHERE,
    LabHelpline,
    Resolution,
    menu_description,
    menu_label,
    render,
    resolve,
    switch_menu,
)
from bot.i18n import pack_of
from bot.store.guilds import get_settings
from bot.store.overlay import overlay_rows

log = logging.getLogger(__name__)

EMBED_COLOUR = discord.Colour(0x6C8EBF)
LAB_BUDGET = 1.0  # seconds for the lab's country and helplines; /crisis must answer within Discord's 3 s
SWITCH_ID = "kindred:crisis:switch"


def _locale(locale: object) -> str:
    return str(getattr(locale, "value", locale) or "")


async def lab_context(bot: KindredBot, guild_id: int | None) -> tuple[str | None, list[LabHelpline]]:
    """The lab's country and its own helplines, or whatever of them arrives within the budget."""
    if guild_id is None:
        return None, []
    settings = asyncio.ensure_future(get_settings(bot.db, guild_id))
    rows = asyncio.ensure_future(overlay_rows(bot.db, guild_id))
    done, pending = await asyncio.wait({settings, rows}, timeout=LAB_BUDGET)
    for task in pending:
        task.cancel()
    country: str | None = None
    helplines: list[LabHelpline] = []
    if settings in done and settings.exception() is None:
        country = settings.result().country
    else:
        log.warning("lab settings unavailable; /crisis falls back to the member's locale")
    if rows in done and rows.exception() is None:
        esc = discord.utils.escape_markdown
        helplines = [
            LabHelpline(esc(r.title or ""), r.url or "", esc(r.description or ""), r.topic)
            for r in rows.result()
            if r.state == "added" and r.kind == "helpline" and r.url
        ]
    else:
        log.warning("lab support lines unavailable; /crisis answers from the shipped directory")
    return country, helplines


def switch_select(
    bot: KindredBot, locale: object, shown: str | None, lab: str | None
) -> discord.ui.Select[Any]:
    """The country menu: the lab's and the locale's countries first, then the rest, then 'somewhere else'."""
    rows, placeholder = _menu(bot, locale, shown, lab)
    return discord.ui.Select(
        custom_id=SWITCH_ID + (f":{lab}" if lab else ""),
        options=[
            discord.SelectOption(label=label, value=value, description=description, default=default)
            for label, value, description, default in rows
        ],
        placeholder=placeholder,
        min_values=1,
        max_values=1,
    )


MenuRows = tuple[tuple[tuple[str, str, str | None, bool], ...], str]
_MENUS: weakref.WeakKeyDictionary[KindredBot, dict[tuple[str, str, str | None, str | None], MenuRows]] = (
    weakref.WeakKeyDictionary()
)
_MENUS_KEPT = 1024  # (pack, locale, shown, lab) combinations per bot: a few hundred in practice


def _menu(bot: KindredBot, locale: object, shown: str | None, lab: str | None) -> MenuRows:
    """The menu's options and placeholder, worked out once per pack, locale, country and lab country.

    They depend only on shipped content (the directory and the strings, loaded at start), so
    /crisis does not rebuild 25 translated labels on every call (issue 19: it was most of the
    command's own time).
    """
    lang = pack_of(locale)
    menus = _MENUS.setdefault(bot, {})
    key = (lang, _locale(locale), shown, lab)
    if (kept := menus.get(key)) is not None:
        return kept
    directory = bot.directory
    t = partial(bot.t, locale)
    rows = [
        (menu_label(directory, code, lang), code, menu_description(t, directory, code) or None, code == shown)
        for code in switch_menu(directory, shown, lab, _locale(locale))
    ]
    rows.append(
        (
            t("crisis.menu_elsewhere")[:100],
            ELSEWHERE,
            t("crisis.menu_elsewhere_description")[:100],
            shown is None,
        )
    )
    menu = (tuple(rows), t("crisis.menu_placeholder")[:150])
    if len(menus) >= _MENUS_KEPT:
        menus.clear()
    menus[key] = menu
    return menu


class CrisisView(discord.ui.View):
    """Holds the country switch; its failures reach the bot's one error reporter."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        """Delegate to the bot's single error reporter."""
        await interaction.client.report_error(interaction, error)


class CountrySwitch(
    discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"kindred:crisis:switch(?::(?P<lab>[A-Z]{2}))?"
):
    """The persistent country menu under every /crisis reply; re-renders the reply in place."""

    def __init__(self, select: discord.ui.Select[Any], lab: str | None = None) -> None:
        """Wrap a select whose custom id carries the lab's country (the only state it needs)."""
        super().__init__(select)
        self.lab = lab

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CountrySwitch:
        """Rebuild the menu after a restart from the message's own component."""
        if not isinstance(item, discord.ui.Select):
            item = discord.ui.Select(custom_id=match.group(0), options=[discord.SelectOption(label="-")])
        return cls(item, match.group("lab"))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Show the chosen country's lines in the same message; nothing about the choice is stored."""
        bot: KindredBot = interaction.client
        try:
            chosen = (self.item.values or [ELSEWHERE])[0]
            code = bot.directory.country(chosen)
            resolution = Resolution(code.code if code else None, "option" if code else "none")
            _, helplines = await lab_context(bot, interaction.guild_id)
            content, embeds, view = reply_parts(bot, interaction.locale, resolution, self.lab, helplines)
            await interaction.response.edit_message(content=content, embeds=embeds, view=view)
        except Exception as exc:
            await bot.report_error(interaction, exc)


def reply_parts(
    bot: KindredBot, locale: object, resolution: Resolution, lab: str | None, helplines: list[LabHelpline]
) -> tuple[str, list[discord.Embed], CrisisView]:
    """Content (lifelines), embeds (the lab's own lines) and the switch menu for one reply."""
    reply = render(bot.directory, partial(bot.t, locale), pack_of(locale), resolution, helplines)
    embeds = (
        [discord.Embed(title=reply.lab_title, description=reply.lab_body, colour=EMBED_COLOUR)]
        if reply.lab_title
        else []
    )
    view = CrisisView(timeout=None)
    view.add_item(CountrySwitch(switch_select(bot, locale, resolution.country, lab), lab))
    return reply.content, embeds, view


async def respond(
    bot: KindredBot,
    interaction: discord.Interaction[Any],
    option: str | None = None,
    pinned: str | None = None,
) -> None:
    """Answer privately with crisis lines: option > pinned (a button's country) > lab's country > locale."""
    lab, helplines = await lab_context(bot, interaction.guild_id)
    resolution = resolve(
        bot.directory, option if option is not None else pinned, lab, _locale(interaction.locale)
    )
    content, embeds, view = reply_parts(bot, interaction.locale, resolution, lab, helplines)
    await interaction.response.send_message(content, embeds=embeds, view=view, ephemeral=True)
