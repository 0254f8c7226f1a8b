"""A tiny discord.py bot used only to test the fake Discord (run via launcher.py --module)."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal

import discord
from discord import app_commands
from discord.ext import commands

log = logging.getLogger("toy")


class ToyView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Press me", custom_id="toy:btn", style=discord.ButtonStyle.primary)
    async def press(self, interaction: discord.Interaction, button: discord.ui.Button[ToyView]) -> None:
        await interaction.response.send_message(f"clicked by {interaction.user.id}")

    @discord.ui.button(label="Later", custom_id="toy:defer")
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button[ToyView]) -> None:
        await interaction.response.defer()  # type 6: deferred update
        await interaction.edit_original_response(content="deferred edit")

    @discord.ui.select(
        custom_id="toy:pick",
        placeholder="Pick a fruit",
        options=[
            discord.SelectOption(label="Apple", value="apple"),
            discord.SelectOption(label="Pear", value="pear"),
        ],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[ToyView]) -> None:
        await interaction.response.edit_message(content=f"picked {','.join(select.values)}", view=None)


class LabelModal(discord.ui.Modal, title="Tell me"):
    name: discord.ui.Label[LabelModal] = discord.ui.Label(
        text="Your name", component=discord.ui.TextInput(custom_id="toy:name")
    )
    color: discord.ui.Label[LabelModal] = discord.ui.Label(
        text="Colour",
        component=discord.ui.Select(
            custom_id="toy:color",
            options=[
                discord.SelectOption(label="Red", value="red"),
                discord.SelectOption(label="Green", value="green"),
            ],
        ),
    )

    def __init__(self) -> None:
        super().__init__(custom_id="toy:modal")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        assert isinstance(self.name.component, discord.ui.TextInput)
        assert isinstance(self.color.component, discord.ui.Select)
        await interaction.response.send_message(
            f"name={self.name.component.value} color={','.join(self.color.component.values)}", ephemeral=True
        )


class LegacyModal(discord.ui.Modal, title="Legacy"):
    feedback: discord.ui.TextInput[LegacyModal] = discord.ui.TextInput(
        label="Feedback", custom_id="toy:feedback", style=discord.TextStyle.paragraph
    )

    def __init__(self) -> None:
        super().__init__(custom_id="toy:legacy")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"feedback={self.feedback.value}")


class ToyBot(commands.Bot):
    def __init__(self) -> None:
        intents = discord.Intents.default()  # no privileged intents
        if os.environ.get("TOY_MEMBERS_INTENT"):
            intents.members = True  # used to test the fake's 4014 rejection
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, help_command=None)

    async def setup_hook(self) -> None:
        register(self.tree)
        await self.tree.sync()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, lambda: asyncio.ensure_future(self.close()))

    async def on_ready(self) -> None:
        log.info("toy ready as %s in %d guilds", self.user, len(self.guilds))

    async def on_resumed(self) -> None:
        log.info("toy resumed")


FRUITS = ["apple", "apricot", "banana", "blueberry", "cherry"]


def register(tree: app_commands.CommandTree[ToyBot]) -> None:
    @tree.command(description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)

    @tree.command(description="Echo text")
    async def echo(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text)

    grp = app_commands.Group(name="grp", description="A group")

    @grp.command(description="Sub")
    async def sub(interaction: discord.Interaction, a: int) -> None:
        await interaction.response.send_message(f"a={a}")

    tree.add_command(grp)

    @tree.command(description="Buttons")
    async def buttons(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("choose", view=ToyView())

    @tree.command(description="Label modal")
    async def form(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(LabelModal())

    @tree.command(description="Legacy modal")
    async def legacy(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(LegacyModal())

    @tree.command(description="Defer then follow up")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send("done later")
        await interaction.followup.send("second followup", ephemeral=True)

    @tree.command(description="Defer ephemerally, then edit the original")
    async def edit(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        original = await interaction.original_response()
        await interaction.edit_original_response(content=f"edited {original.id}")

    @tree.command(description="Send a panel into the channel, edit and delete a scratch message")
    async def panel(interaction: discord.Interaction) -> None:
        assert isinstance(interaction.channel, discord.TextChannel)
        await interaction.channel.send("panel", view=ToyView())
        scratch = await interaction.channel.send("scratch")
        await scratch.edit(content="scratch edited")
        await scratch.delete()
        await interaction.response.send_message("panel sent", ephemeral=True)

    @tree.command(description="DM me")
    async def dm(interaction: discord.Interaction) -> None:
        try:
            await interaction.user.send("hello in DM")
        except discord.HTTPException as exc:
            await interaction.response.send_message(f"dm failed: {exc.code}", ephemeral=True)
        else:
            await interaction.response.send_message("dm sent", ephemeral=True)

    @tree.command(description="Fruit")
    async def fruit(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(f"fruit={name}")

    @fruit.autocomplete("name")
    async def fruit_autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f.title(), value=f) for f in FRUITS if f.startswith(current)]

    @tree.command(description="File")
    async def file(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "here", file=discord.File(io.BytesIO(b"hello file"), "hello.txt")
        )

    @tree.command(description="Describe a channel and a role")
    async def where(
        interaction: discord.Interaction, channel: discord.TextChannel, role: discord.Role
    ) -> None:
        await interaction.response.send_message(f"channel={channel.name} role={role.name}")

    @tree.command(description="Post in this channel and open a thread")
    async def post(interaction: discord.Interaction) -> None:
        assert isinstance(interaction.channel, discord.TextChannel)
        try:
            message = await interaction.channel.send("posted", embed=discord.Embed(title="hi"))
            thread = await message.create_thread(name="discussion")
            await thread.send("in thread")
        except discord.HTTPException as exc:
            await interaction.response.send_message(f"post failed: {exc.code}", ephemeral=True)
        else:
            await interaction.response.send_message(f"posted {message.id} thread {thread.id}", ephemeral=True)

    @tree.command(description="Managers only")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def admin(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("admin ok", ephemeral=True)

    @tree.command(description="Hit a route the fake does not implement")
    async def unknown(interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        try:
            await interaction.guild.fetch_emojis()
        except discord.NotFound as exc:
            await interaction.response.send_message(f"not found: {exc.status}", ephemeral=True)


def main() -> None:
    token = os.environ["DISCORD_TOKEN"]
    bot = ToyBot()
    bot.run(token, log_level=logging.INFO, root_logger=True)


if __name__ == "__main__":
    main()
