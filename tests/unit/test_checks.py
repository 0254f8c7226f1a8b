"""cogs._checks.moderators_only on both things it guards: a command and an autocomplete callback."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import discord
import pytest
from discord import app_commands

from cogs._checks import NotModerator, guild_id_of, moderators_only


def in_a_dm() -> discord.Interaction[Any]:
    """An interaction outside any guild: nobody is a moderator there (no database needed)."""
    return cast(discord.Interaction[Any], SimpleNamespace(guild_id=None, user=None, client=None))


async def test_on_a_command_it_adds_a_check_that_refuses_non_moderators() -> None:
    @moderators_only
    @app_commands.command(name="secret", description="moderators only")
    async def secret(interaction: discord.Interaction[Any]) -> None:
        raise AssertionError("never runs for a non-moderator")

    assert isinstance(secret, app_commands.Command)
    assert len(secret.checks) == 1
    outcome = secret.checks[0](in_a_dm())
    assert not isinstance(outcome, bool)  # the check is a coroutine: it reads the lab's settings
    with pytest.raises(NotModerator):
        await outcome


async def test_on_an_autocomplete_it_offers_non_moderators_nothing() -> None:
    calls = []

    class Holder:
        @moderators_only
        async def choices(
            self, interaction: discord.Interaction[Any], current: str
        ) -> list[app_commands.Choice[str]]:
            calls.append(current)
            return [app_commands.Choice(name="a", value="a")]

    assert await Holder().choices(in_a_dm(), "a") == []
    assert calls == []
    assert Holder.choices.__qualname__.endswith("Holder.choices")  # discord.py binds by qualname


def test_guild_id_of_refuses_a_dm_kindly() -> None:
    with pytest.raises(app_commands.NoPrivateMessage):
        guild_id_of(in_a_dm())
    in_a_guild = cast(discord.Interaction[Any], SimpleNamespace(guild_id=42))
    assert guild_id_of(in_a_guild) == 42
