"""/checkin and the DM "Check in" button: an anonymous modal, counted once per member per week."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.app import KindredBot
from cogs._checkin import CheckInButton, open_checkin
from cogs._checks import guild_id_of
from cogs._ui import Interaction


class CheckIn(commands.Cog):
    """Anonymous weekly check-ins."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for its services."""
        self.bot = bot

    async def cog_load(self) -> None:
        """Make DM buttons from before a restart work."""
        self.bot.add_dynamic_items(CheckInButton)

    async def cog_unload(self) -> None:
        """Undo what cog_load registered."""
        self.bot.remove_dynamic_items(CheckInButton)

    @app_commands.command(name="checkin", description="An anonymous check-in: how your week is going")
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.guild_only()
    async def checkin(self, interaction: Interaction) -> None:
        """Open the check-in form."""
        await open_checkin(self.bot, interaction, guild_id_of(interaction))


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(CheckIn(bot))
