"""/resources topics|show|search: curated reading on the stresses of research, per lab."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import KindredBot
from bot.content import Topic
from bot.errors import Refusal
from bot.i18n import pack_of
from bot.store.resources import effective_topic, effective_topics, search
from cogs._choices import topic_choices
from cogs._ui import Interaction, KindredView, PersistentItem, item_line, wellbeing_embed

MAX_SELECT_OPTIONS = 25
OVERVIEW_SUMMARY = 110  # characters of each summary in the /resources topics overview
MAX_QUERY = 100


def _clip(text: str, limit: int) -> str | None:
    return (text[: limit - 1] + "…" if len(text) > limit else text) or None


def _guild(interaction: discord.Interaction[Any]) -> int | None:
    return interaction.guild_id


def topic_embed(bot: KindredBot, locale: object, topic: Topic) -> discord.Embed:
    """A topic's summary and items, with the /crisis footer."""
    lines = [discord.utils.escape_markdown(topic.summary), ""]
    lines += [item_line(i) for i in topic.items] or [bot.t(locale, "resources.empty_topic")]
    embed = wellbeing_embed(bot, locale, title=topic.title, description="\n\n".join(lines))
    embed.set_footer(text=bot.t(locale, "resources.topic_footer"))
    return embed


class TopicSelect(PersistentItem[discord.ui.Select[Any]], template=r"kindred:topics"):
    """The topic picker under /resources topics; persistent so it works after a restart."""

    def __init__(
        self, options: list[discord.SelectOption] | None = None, placeholder: str | None = None
    ) -> None:
        """Build the select with one option per topic."""
        super().__init__(
            discord.ui.Select(
                custom_id="kindred:topics",
                options=options or [],
                placeholder=placeholder,
                min_values=1,
                max_values=1,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> TopicSelect:
        """Rebuild from the message's component."""
        if isinstance(item, discord.ui.Select):
            return cls(item.options, item.placeholder)
        return cls()

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Replace the overview with the chosen topic."""
        bot: KindredBot = interaction.client
        slug = self.item.values[0]
        topic = await effective_topic(
            bot.db, bot.library, _guild(interaction), pack_of(interaction.locale), slug
        )
        if topic is None:
            raise Refusal("resources.unknown_topic", topic=slug)
        await interaction.response.edit_message(
            embed=topic_embed(bot, interaction.locale, topic),
            view=topics_view(bot, interaction.locale, await _topics(bot, interaction)),
        )


async def _topics(bot: KindredBot, interaction: discord.Interaction[Any]) -> list[Topic]:
    return await effective_topics(bot.db, bot.library, _guild(interaction), pack_of(interaction.locale))


def topics_view(bot: KindredBot, locale: object, topics: list[Topic]) -> KindredView:
    """The select menu listing topics (Discord allows at most 25 options)."""
    view = KindredView(timeout=None)
    options = [
        discord.SelectOption(label=t.title[:100], value=t.slug, description=_clip(t.summary, 100))
        for t in topics[:MAX_SELECT_OPTIONS]
    ]
    if options:
        view.add_item(TopicSelect(options, bot.t(locale, "resources.choose")))
    return view


class Resources(
    commands.GroupCog,
    group_name="resources",
    group_description="Curated resources for the stresses of research",
):
    """Lookups over the shipped packs plus this lab's own edits."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for the store and the packs."""
        self.bot = bot

    async def cog_load(self) -> None:
        """Make topic pickers on old messages work after a restart."""
        self.bot.add_dynamic_items(TopicSelect)

    async def cog_unload(self) -> None:
        """Undo what cog_load registered."""
        self.bot.remove_dynamic_items(TopicSelect)

    @app_commands.command(name="topics", description="Browse resources by topic")
    async def topics(self, interaction: Interaction) -> None:
        """An overview of every topic with a picker."""
        loc = interaction.locale
        topics = await _topics(self.bot, interaction)
        # One clipped line per topic: 22 full summaries would overflow the embed (4,096 characters)
        # and cut the last topics off; the picker and /resources show carry the rest.
        body = "\n".join(
            f"**{discord.utils.escape_markdown(t.title)}**: "
            f"{discord.utils.escape_markdown(_clip(t.summary, OVERVIEW_SUMMARY) or '')}"
            for t in topics
        )
        embed = wellbeing_embed(
            self.bot,
            loc,
            title=self.bot.t(loc, "resources.topics_title"),
            description=f"{self.bot.t(loc, 'resources.topics_intro')}\n\n{body}",
        )
        await interaction.response.send_message(
            embed=embed, view=topics_view(self.bot, loc, topics), ephemeral=True
        )

    @app_commands.command(name="show", description="Show the resources for one topic")
    @app_commands.describe(topic="The topic to show")
    async def show(self, interaction: Interaction, topic: str) -> None:
        """One topic's resources."""
        found = await effective_topic(
            self.bot.db,
            self.bot.library,
            interaction.guild_id,
            pack_of(interaction.locale),
            topic.strip().lower(),
        )
        if found is None:
            wanted = topic.strip().casefold()
            found = next(
                (t for t in await _topics(self.bot, interaction) if t.title.casefold() == wanted), None
            )
        if found is None:
            raise Refusal("resources.unknown_topic", topic=discord.utils.escape_markdown(topic[:80]))
        await interaction.response.send_message(
            embed=topic_embed(self.bot, interaction.locale, found), ephemeral=True
        )

    @show.autocomplete("topic")
    async def _topic_choices(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await topic_choices(self.bot, interaction, current)

    @app_commands.command(name="search", description="Search the resources")
    @app_commands.describe(query="Words to look for, e.g. publishing, money, lonely")
    async def search(self, interaction: Interaction, query: app_commands.Range[str, 1, MAX_QUERY]) -> None:
        """Full-text search over the shipped and the lab's own items."""
        loc = interaction.locale
        if not query.strip():
            raise Refusal("resources.bad_query")
        await self.bot.ensure_search_index()
        items = await search(self.bot.db, self.bot.library, interaction.guild_id, pack_of(loc), query)
        shown = discord.utils.escape_markdown(query.strip()[:80])
        if not items:
            await interaction.response.send_message(
                self.bot.t(loc, "resources.no_results", query=shown), ephemeral=True
            )
            return
        titles = {t.slug: t.title for t in await _topics(self.bot, interaction)}
        body = "\n\n".join(
            f"{item_line(i)}\n-# {discord.utils.escape_markdown(titles.get(i.topic, i.topic))}" for i in items
        )
        embed = wellbeing_embed(
            self.bot, loc, title=self.bot.t(loc, "resources.search_title", query=shown), description=body
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Resources(bot))
