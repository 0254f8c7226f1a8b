"""/crisis [country]: crisis lines, private, anywhere, answered without the database."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import KindredBot
from bot.i18n import lang_of
from bot.store.overlay import overlay_rows
from cogs._ui import CrisisButton, Interaction, crisis_text

log = logging.getLogger(__name__)
LAB_LINES_TIMEOUT = 1.0  # /crisis must answer within Discord's 3 s even if the database is stuck


class Crisis(commands.Cog):
    """Crisis lines from the shipped directory."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for the directory and strings."""
        self.bot = bot

    async def cog_load(self) -> None:
        """Make crisis buttons on old messages work after a restart."""
        self.bot.add_dynamic_items(CrisisButton)

    async def cog_unload(self) -> None:
        """Undo what cog_load registered."""
        self.bot.remove_dynamic_items(CrisisButton)

    @app_commands.command(name="crisis",
                          description="Crisis lines you can call or text now, shown only to you")
    @app_commands.describe(country="Country (defaults to your Discord language's country)")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.allowed_installs(guilds=True, users=False)
    async def crisis(self, interaction: Interaction, country: str | None = None) -> None:
        """Show crisis lines for a country; never touches the database."""
        directory = self.bot.directory
        unknown: str | None = None
        if country:
            code = directory.resolve_country(country)
            if code is None:
                unknown = country
        else:
            code = directory.default_country(str(interaction.locale))
        extra = await self._lab_lines(interaction)
        await interaction.response.send_message(
            crisis_text(self.bot, interaction.locale, code, unknown_query=unknown, extra_lines=extra),
            ephemeral=True)

    async def _lab_lines(self, interaction: Interaction) -> list[str]:
        """The lab's own support lines (resources of kind helpline it added); never blocks /crisis."""
        if interaction.guild_id is None:
            return []
        try:
            rows = await asyncio.wait_for(overlay_rows(self.bot.db, interaction.guild_id), LAB_LINES_TIMEOUT)
        except Exception:  # the shipped directory must answer whatever the store does
            log.warning("lab support lines unavailable; answering /crisis from the shipped directory")
            return []
        lines = [f"**{discord.utils.escape_markdown(r.title or '')}** <{r.url}> — "
                 f"{discord.utils.escape_markdown(r.description or '')}"
                 for r in rows if r.state == "added" and r.kind == "helpline"]
        return ["\n".join([self.bot.t(interaction.locale, "edit.lab_lines"), *lines])] if lines else []

    @crisis.autocomplete("country")
    async def _country_choices(self, interaction: Interaction,
                               current: str) -> list[app_commands.Choice[str]]:
        lang = lang_of(interaction.locale)
        matches = self.bot.directory.match_countries(current, lang)
        preferred = self.bot.directory.default_country(str(interaction.locale))
        matches.sort(key=lambda pair: pair[0] != preferred)
        return [app_commands.Choice(name=label[:100], value=code) for code, label in matches[:25]]


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Crisis(bot))
