"""Who may do what, shared by cogs: moderators, and the guild an interaction happens in."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar, overload

import discord
from discord import app_commands

from bot.app import KindredBot
from bot.store.guilds import get_settings

AutocompleteT = TypeVar("AutocompleteT", bound=Callable[..., Coroutine[Any, Any, list[Any]]])
CommandT = TypeVar("CommandT", bound=app_commands.Command[Any, Any, Any])


class NotModerator(app_commands.CheckFailure):
    """The member has neither Manage Server nor the lab's moderator role."""


async def is_moderator(bot: KindredBot, interaction: discord.Interaction[Any]) -> bool:
    """Manage Server, or the moderator role configured for this guild."""
    if interaction.guild_id is None or not isinstance(interaction.user, discord.Member):
        return False
    if interaction.permissions.manage_guild or interaction.permissions.administrator:
        return True
    settings = await get_settings(bot.db, interaction.guild_id)
    role = settings.moderator_role_id
    return role is not None and any(r.id == role for r in interaction.user.roles)


def guild_id_of(interaction: discord.Interaction[Any]) -> int:
    """The guild the interaction happened in; NoPrivateMessage (a kind reply) in a DM."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage
    return interaction.guild_id


async def _moderator_check(interaction: discord.Interaction[Any]) -> bool:
    if not await is_moderator(interaction.client, interaction):
        raise NotModerator
    return True


@overload
def moderators_only(func: CommandT) -> CommandT: ...
@overload
def moderators_only(func: AutocompleteT) -> AutocompleteT: ...
def moderators_only(func: Any) -> Any:
    """Moderators only, for a slash command or an autocomplete callback.

    On a command (put it above ``@app_commands.command``) it adds a check that refuses everyone
    else with :class:`NotModerator`, the kind reply the error handler gives. On an autocomplete
    callback (its last parameter is ``current``) everyone else is offered no choices, so a
    member who sees the command through an Integrations override learns nothing from it.
    """
    if isinstance(func, app_commands.Command) or "current" not in inspect.signature(func).parameters:
        return app_commands.check(_moderator_check)(func)

    @functools.wraps(func)
    async def guarded(*args: Any) -> list[app_commands.Choice[Any]]:
        interaction = args[-2]  # (self,) interaction, current
        if not await is_moderator(interaction.client, interaction):
            return []
        choices: list[app_commands.Choice[Any]] = await func(*args)
        return choices

    return guarded
