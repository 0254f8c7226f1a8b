"""The baseline: a bare discord.py bot that answers /ping, with kindred's intents and nothing else.

Run through fakediscord/launcher.py --module benchmarks.bare_bot (it reads DISCORD_TOKEN). It syncs
its one command on start, so the fake checks invocations against the real schema.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal

import discord
from discord import app_commands

log = logging.getLogger("bare")


class BareBot(discord.Client):
    """A discord.Client with a command tree and one command."""

    def __init__(self) -> None:
        super().__init__(
            intents=discord.Intents(guilds=True),
            max_messages=None,
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
        )
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(description="Ping")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong", ephemeral=True)

    async def setup_hook(self) -> None:
        await self.tree.sync()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, lambda: asyncio.ensure_future(self.close()))

    async def on_ready(self) -> None:
        log.info("bare ready as %s in %d guilds", self.user, len(self.guilds))


def main() -> None:
    BareBot().run(os.environ["DISCORD_TOKEN"], log_level=logging.INFO, root_logger=True)


if __name__ == "__main__":
    main()
