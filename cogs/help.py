"""/help: what kindred does, what it stores, that it is not therapy, how to get help now."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import KindredBot
from cogs._ui import Interaction, crisis_view


class Help(commands.Cog):
    """The /help command."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for strings."""
        self.bot = bot

    @app_commands.command(
        name="help", description="What kindred does, what it stores, and how to get help now"
    )
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.allowed_installs(guilds=True, users=False)
    async def help(self, interaction: Interaction) -> None:
        """Explain kindred privately."""
        t = self.bot.t
        loc = interaction.locale
        text = "\n\n".join(
            [
                f"## {t(loc, 'help.title')}",
                t(loc, "help.body"),
                t(loc, "replies.help"),  # what a published /share offers (issue 17)
                t(loc, "help.privacy"),
            ]
        )
        await interaction.response.send_message(
            text,
            ephemeral=True,
            view=crisis_view(self.bot, loc),
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Help(bot))
