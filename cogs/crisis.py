"""/crisis [country]: crisis lines, private, anywhere, answered even when the database is not."""

from __future__ import annotations

import logging

from discord import app_commands
from discord.ext import commands

from bot.app import KindredBot
from bot.i18n import pack_of
from cogs._crisis import CountrySwitch, respond
from cogs._ui import CrisisButton, Interaction

log = logging.getLogger(__name__)


class Crisis(commands.Cog):
    """Crisis lines from the shipped directory, for the lab's country unless the member picks another."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for the directory and strings."""
        self.bot = bot

    async def cog_load(self) -> None:
        """Make crisis buttons and country menus on old messages work after a restart."""
        self.bot.add_dynamic_items(CrisisButton, CountrySwitch)

    async def cog_unload(self) -> None:
        """Undo what cog_load registered."""
        self.bot.remove_dynamic_items(CrisisButton, CountrySwitch)

    @app_commands.command(name="crisis", description="Crisis lines and emergency numbers, shown only to you")
    @app_commands.describe(country="Country (defaults to your lab's country, else your Discord language's)")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.allowed_installs(guilds=True, users=False)
    async def crisis(self, interaction: Interaction, country: str | None = None) -> None:
        """Show crisis lines: the country option, else the lab's country, else the locale as a hint."""
        await respond(self.bot, interaction, option=country)

    @crisis.autocomplete("country")
    async def _country_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        lang = pack_of(interaction.locale)
        matches = self.bot.directory.match_countries(current, lang, limit=len(self.bot.directory.countries()))
        preferred = self.bot.directory.hints(str(interaction.locale))
        matches.sort(key=lambda pair: preferred.index(pair[0]) if pair[0] in preferred else len(preferred))
        return [app_commands.Choice(name=label[:100], value=code) for code, label in matches[:25]]


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Crisis(bot))
