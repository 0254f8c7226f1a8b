"""Choices and autocompletes several cogs offer, and the parsing of what members type into them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord
from discord import app_commands

from bot.app import KindredBot
from bot.errors import Refusal
from bot.i18n import pack_of
from bot.schedule import parse_clock, parse_timezone, parse_weekday, timezone_suggestions
from bot.store.resources import effective_topics

#: Weekday option values, Monday first (their names are the `days.d0`..`days.d6` strings).
DAY_VALUES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def day_choices(
    bot: KindredBot, locale: object, current: str, *, extra: tuple[tuple[str, str], ...] = ()
) -> list[app_commands.Choice[str]]:
    """Autocomplete: weekdays in the member's language, then `extra` (name, value) pairs, that match."""
    wanted = current.strip().casefold()
    names = [(bot.t(locale, f"days.d{n}"), value) for n, value in enumerate(DAY_VALUES)]
    names += extra
    return [
        app_commands.Choice(name=name, value=value)
        for name, value in names
        if wanted in name.casefold() or value.startswith(wanted)
    ]


def timezone_choices(current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete: time zones matching what was typed, research hubs first."""
    return [app_commands.Choice(name=z, value=z) for z in timezone_suggestions(current)]


async def topic_choices(
    bot: KindredBot, interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete: the topics this guild sees whose title or slug contains what was typed."""
    wanted = current.strip().casefold()
    topics = await effective_topics(bot.db, bot.library, interaction.guild_id, pack_of(interaction.locale))
    return [
        app_commands.Choice(name=t.title[:100], value=t.slug)
        for t in topics
        if wanted in t.title.casefold() or wanted in t.slug
    ][:25]


def parse_day(text: str) -> int:
    """A weekday as typed (English or Chinese, 0 = Monday); a kind Refusal if it is none."""
    try:
        return parse_weekday(text)
    except ValueError:
        raise Refusal("subscribe.bad_day", value=text[:40]) from None


def parse_time(text: str) -> dt.time:
    """A time of day as typed (09:30, 9.30, 9:30am, 0930); a kind Refusal if it is none."""
    try:
        return parse_clock(text)
    except ValueError:
        raise Refusal("subscribe.bad_time", value=text[:40]) from None


def parse_zone(text: str) -> str:
    """An IANA time zone as typed; a kind Refusal if there is no such zone."""
    try:
        return parse_timezone(text)
    except ValueError:
        raise Refusal("subscribe.bad_timezone", value=text[:60]) from None
