"""The moderator side of resource lists: modals, history, reset, import and export.

Every write goes through bot.store.overlay.apply_change, so each one is atomic, searchable at once,
recorded with who and when, and reversible from history.
"""

from __future__ import annotations

import asyncio
import io
import math
from typing import Any

import discord
from discord import app_commands

from bot.app import KindredBot
from bot.content import ResourceItem, Topic
from bot.errors import Refusal
from bot.i18n import pack_of
from bot.resource_edits import (
    MAX_IMPORT_BYTES,
    Change,
    LabTopic,
    OverlayRow,
    export_yaml,
    item_problems,
    plan_import,
    slugify,
)
from bot.store import overlay
from bot.store.resources import effective_topics
from bot.validation import ITEM_KINDS, MAX_DESCRIPTION, MAX_TITLE, MAX_URL
from cogs._checks import guild_id_of
from cogs._ui import Confirm, KindredModal, RequesterOnlyView

HISTORY_PAGE = 8
IMPORT_SECONDS = 5.0
MAX_ERRORS_SHOWN = 15


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def guild_topics(bot: KindredBot, guild_id: int, locale: object) -> list[Topic]:
    """The topics this guild sees, in the member's language."""
    return await effective_topics(bot.db, bot.library, guild_id, pack_of(locale))


async def find_item(bot: KindredBot, guild_id: int, locale: object, item_id: str) -> ResourceItem:
    """An item this guild currently shows, or a Refusal naming it."""
    for topic in await guild_topics(bot, guild_id, locale):
        for item in topic.items:
            if item.id == item_id.strip():
                return item
    raise Refusal("edit.unknown_item", item=discord.utils.escape_markdown(item_id[:80]))


async def item_choices(
    bot: KindredBot, guild_id: int | None, locale: object, current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete: items whose title, id or topic matches what was typed."""
    if guild_id is None:
        return []
    wanted = current.strip().casefold()
    choices = []
    for topic in await guild_topics(bot, guild_id, locale):
        for item in topic.items:
            if wanted in f"{item.title} {item.id} {topic.title}".casefold():
                choices.append(
                    app_commands.Choice(name=_clip(f"{item.title} ({topic.title})", 100), value=item.id)
                )
    return choices[:25]


def _shipped_ids(bot: KindredBot) -> set[str]:
    return {i.id for pack in bot.library.packs.values() for t in pack.topics for i in t.items}


class ItemModal(KindredModal):
    """Title, link, kind and description of one resource; validated before anything is saved."""

    def __init__(
        self,
        bot: KindredBot,
        guild_id: int,
        locale: object,
        *,
        topic: str,
        new_topic: LabTopic | None = None,
        existing: ResourceItem | None = None,
    ) -> None:
        """Prefill from `existing` when editing."""
        title_key = "edit.modal_edit" if existing else "edit.modal_add"
        super().__init__(title=bot.t(locale, title_key), timeout=900)
        self.bot, self.guild_id, self.topic, self.new_topic, self.existing = (
            bot,
            guild_id,
            topic,
            new_topic,
            existing,
        )
        self.title_input: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "edit.field_title"),
            max_length=MAX_TITLE,
            default=existing.title if existing else None,
        )
        self.url_input: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "edit.field_url"),
            max_length=MAX_URL,
            default=existing.url if existing else None,
        )
        self.kind_select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="kind",
            min_values=1,
            max_values=1,
            options=[
                discord.SelectOption(label=k, value=k, default=bool(existing and existing.kind == k))
                for k in ITEM_KINDS
            ],
        )
        self.description_input: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "edit.field_description"),
            style=discord.TextStyle.short,
            max_length=MAX_DESCRIPTION,
            default=existing.description if existing else None,
        )
        self.add_item(self.title_input)
        self.add_item(self.url_input)
        self.add_item(discord.ui.Label(text=bot.t(locale, "edit.field_kind"), component=self.kind_select))
        self.add_item(self.description_input)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Validate, then apply the change (or explain and change nothing)."""
        bot, loc = self.bot, interaction.locale
        title = self.title_input.value.strip()
        url = self.url_input.value.strip()
        kind = self.kind_select.values[0] if self.kind_select.values else ""
        description = self.description_input.value.strip()
        problems = item_problems(title, url, kind, description)
        if problems:
            echo = "\n".join(
                f"> {discord.utils.escape_markdown(v)}" for v in (title, url, kind, description) if v
            )
            text = "\n".join(
                [
                    bot.t(loc, "edit.invalid"),
                    *(f"- {p}" for p in problems),
                    "",
                    bot.t(loc, "edit.your_input"),
                    echo,
                ]
            )
            await interaction.response.send_message(_clip(text, 2000), ephemeral=True)
            return
        existing = self.existing
        if existing is None:
            rows = await overlay.overlay_rows(bot.db, self.guild_id)
            item_id = slugify(title, _shipped_ids(bot) | {r.item_id for r in rows})
            position = sum(1 for r in rows if r.topic == self.topic and r.state == "added")
            row = OverlayRow(item_id, self.topic, "added", title, url, kind, description, position)
            action = "add"
        else:
            item_id = existing.id
            state = "edited" if item_id in _shipped_ids(bot) else "added"
            row = OverlayRow(item_id, existing.topic, state, title, url, kind, description)
            action = "edit"
        topics = {self.new_topic.slug: self.new_topic} if self.new_topic else {}
        entry = await overlay.apply_change(
            bot.db,
            self.guild_id,
            Change({item_id: row}, topics),
            action=action,
            actor_id=interaction.user.id,
            now=bot.clock(),
            topic=row.topic,
            item_id=item_id,
        )
        if entry is None:
            await interaction.response.send_message(bot.t(loc, "edit.unchanged"), ephemeral=True)
            return
        shown = discord.utils.escape_markdown(title)
        lines = []
        if self.new_topic:
            lines.append(
                bot.t(loc, "edit.added_topic", topic=discord.utils.escape_markdown(self.new_topic.title))
            )
        topic_title = next(
            (t.title for t in await guild_topics(bot, self.guild_id, loc) if t.slug == row.topic), row.topic
        )
        lines.append(
            bot.t(
                loc,
                "edit.added" if action == "add" else "edit.edited",
                title=shown,
                topic=discord.utils.escape_markdown(topic_title),
            )
        )
        await interaction.response.send_message("\n".join(lines), ephemeral=True)


async def start_add(
    bot: KindredBot, interaction: discord.Interaction[Any], topic: str | None, new_topic: str | None
) -> None:
    """Open the add modal for an existing topic, or for a new lab topic."""
    guild_id = _guild(interaction)
    loc = interaction.locale
    topics = await guild_topics(bot, guild_id, loc)
    lab_topic = None
    if new_topic and new_topic.strip():
        title = new_topic.strip()
        problems = item_problems(title, "https://example.org", ITEM_KINDS[0], title)
        if problems:
            raise Refusal("admin.prompt_invalid", reason=problems[0])
        lab_topic = LabTopic(slugify(title, [t.slug for t in topics]), _clip(title, MAX_TITLE))
        slug = lab_topic.slug
    else:
        slug = (topic or "").strip()
        if slug not in {t.slug for t in topics}:
            raise Refusal("edit.unknown_topic", topic=discord.utils.escape_markdown(slug[:60]))
    await ItemModal(bot, guild_id, loc, topic=slug, new_topic=lab_topic).open(interaction)


async def start_edit(bot: KindredBot, interaction: discord.Interaction[Any], item_id: str) -> None:
    """Open the edit modal prefilled with the item as this guild sees it."""
    guild_id = _guild(interaction)
    item = await find_item(bot, guild_id, interaction.locale, item_id)
    await ItemModal(bot, guild_id, interaction.locale, topic=item.topic, existing=item).open(interaction)


async def remove_item(bot: KindredBot, interaction: discord.Interaction[Any], item_id: str) -> None:
    """Hide a shipped item for this guild, or delete the guild's own item; recorded and reversible."""
    guild_id = _guild(interaction)
    item = await find_item(bot, guild_id, interaction.locale, item_id)
    row = OverlayRow(item.id, item.topic, "hidden") if item.id in _shipped_ids(bot) else None
    await overlay.apply_change(
        bot.db,
        guild_id,
        Change({item.id: row}),
        action="remove",
        actor_id=interaction.user.id,
        now=bot.clock(),
        topic=item.topic,
        item_id=item.id,
    )
    await interaction.response.send_message(
        bot.t(interaction.locale, "edit.removed", title=discord.utils.escape_markdown(item.title)),
        ephemeral=True,
    )


def _guild(interaction: discord.Interaction[Any]) -> int:
    return guild_id_of(interaction)


def describe_entry(entry: overlay.HistoryEntry) -> str:
    """What one history entry changed, in a few words."""
    touched = len(entry.after.items) + len(entry.after.topics)
    if touched == 1 and entry.item_id and entry.item_id in entry.after.items:
        before = entry.before.items.get(entry.item_id)
        after = entry.after.items[entry.item_id]
        old = before.title if before and before.title else None
        new = after.title if after and after.title else None
        detail = (
            f"“{_clip(old, 40)}” → “{_clip(new, 40)}”"
            if old and new and old != new
            else (f"“{_clip(new or old or '', 60)}”")
        )
        return f"`{entry.item_id}` {discord.utils.escape_markdown(detail)}"
    scope = f"`{entry.topic}` " if entry.topic else ""
    return f"{scope}({touched} item(s))"


class HistoryView(RequesterOnlyView):
    """Pages through the history and undoes a chosen entry; only the moderator who opened it may."""

    def __init__(
        self, bot: KindredBot, guild_id: int, requester_id: int, locale: object, topic: str | None
    ) -> None:
        """Start on the newest page."""
        super().__init__(bot, requester_id, timeout=900)
        self.guild_id, self.locale, self.topic = guild_id, locale, topic
        self.page = 0
        self.pages = 1

    async def render(self) -> discord.Embed:
        """Load the current page and rebuild the buttons and undo menu."""
        bot, loc = self.bot, self.locale
        entries, total = await overlay.history(
            bot.db, self.guild_id, topic=self.topic, limit=HISTORY_PAGE, offset=self.page * HISTORY_PAGE
        )
        self.pages = max(1, math.ceil(total / HISTORY_PAGE))
        self.clear_items()
        if not entries:
            return discord.Embed(
                title=bot.t(loc, "edit.history_title"), description=bot.t(loc, "edit.history_empty")
            )
        lines = [
            bot.t(
                loc,
                "edit.history_line",
                id=e.id,
                at=e.at[:16].replace("T", " "),
                actor=f"<@{e.actor_id}>" if e.actor_id else "—",
                action=e.action,
                what=describe_entry(e),
            )
            for e in entries
        ]
        embed = discord.Embed(title=bot.t(loc, "edit.history_title"), description="\n".join(lines)[:4096])
        embed.set_footer(text=bot.t(loc, "edit.history_page", page=self.page + 1, pages=self.pages))
        undo: discord.ui.Select[Any] = discord.ui.Select(
            placeholder=bot.t(loc, "edit.history_undo"),
            custom_id="kindred:history:undo",
            options=[
                discord.SelectOption(
                    label=_clip(f"#{e.id} {e.action} {e.item_id or e.topic or ''}", 100), value=str(e.id)
                )
                for e in entries
            ],
        )
        undo.callback = self._undo  # type: ignore[method-assign]
        self.add_item(undo)
        for key, step, enabled in (
            ("edit.previous", -1, self.page > 0),
            ("edit.next", 1, self.page + 1 < self.pages),
        ):
            button: discord.ui.Button[Any] = discord.ui.Button(
                label=bot.t(loc, key), disabled=not enabled, custom_id=f"kindred:history:{step}"
            )
            button.callback = self._turn(step)  # type: ignore[method-assign]
            self.add_item(button)
        return embed

    def _turn(self, step: int) -> Any:
        async def turn(interaction: discord.Interaction[Any]) -> None:
            self.page = max(0, min(self.pages - 1, self.page + step))
            await interaction.response.edit_message(embed=await self.render(), view=self)

        return turn

    async def _undo(self, interaction: discord.Interaction[Any]) -> None:
        select = next(c for c in self.children if isinstance(c, discord.ui.Select))
        entry_id = int(select.values[0])
        new_id = await overlay.undo(
            self.bot.db, self.guild_id, entry_id, actor_id=interaction.user.id, now=self.bot.clock()
        )
        key = "edit.history_nothing" if new_id is None else "edit.history_undone"
        self.page = 0
        await interaction.response.edit_message(
            content=self.bot.t(interaction.locale, key, id=entry_id, new_id=new_id or 0),
            embed=await self.render(),
            view=self,
        )


async def show_history(bot: KindredBot, interaction: discord.Interaction[Any], topic: str | None) -> None:
    """The paged history, newest first."""
    view = HistoryView(bot, _guild(interaction), interaction.user.id, interaction.locale, topic)
    embed = await view.render()
    await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


async def start_reset(
    bot: KindredBot, interaction: discord.Interaction[Any], topic: str | None, item: str | None
) -> None:
    """Ask to restore defaults for an item, a topic or everything; apply after confirmation."""
    guild_id = _guild(interaction)
    loc = interaction.locale
    rows = await overlay.overlay_rows(bot.db, guild_id)
    labs = await overlay.lab_topics(bot.db, guild_id)
    if item:
        found = await find_item(bot, guild_id, loc, item)
        scope = f"“{discord.utils.escape_markdown(found.title)}”"
        items = {r.item_id: None for r in rows if r.item_id == found.id}
        lab_slugs: dict[str, LabTopic | None] = {}
    elif topic:
        known = {t.slug: t.title for t in await guild_topics(bot, guild_id, loc)}
        if topic not in known:
            raise Refusal("edit.unknown_topic", topic=discord.utils.escape_markdown(topic[:60]))
        scope = f"**{discord.utils.escape_markdown(known[topic])}**"
        items = {r.item_id: None for r in rows if r.topic == topic}
        lab_slugs = {t.slug: None for t in labs if t.slug == topic}
    else:
        scope = bot.t(loc, "edit.reset_all")
        items = {r.item_id: None for r in rows}
        lab_slugs = {t.slug: None for t in labs}
    change = Change(items, lab_slugs)
    if change.is_empty():
        await interaction.response.send_message(bot.t(loc, "edit.reset_nothing", scope=scope), ephemeral=True)
        return

    async def confirmed(pressed: discord.Interaction[Any]) -> str:
        entry = await overlay.apply_change(
            bot.db,
            guild_id,
            change,
            action="reset",
            actor_id=pressed.user.id,
            now=bot.clock(),
            topic=topic,
            item_id=item,
        )
        return bot.t(pressed.locale, "edit.reset_done", scope=scope, id=entry or 0)

    view = Confirm(
        bot,
        interaction.user.id,
        custom_id="kindred:reset",
        on_confirm=confirmed,
        confirm_label=bot.t(loc, "edit.reset_button"),
        cancel_label=bot.t(loc, "edit.keep_button"),
        cancelled_text=bot.t(loc, "edit.kept"),
    )
    await interaction.response.send_message(
        bot.t(loc, "edit.reset_confirm", scope=scope, count=len(items) + len(lab_slugs)),
        view=view,
        ephemeral=True,
    )


async def export_list(bot: KindredBot, interaction: discord.Interaction[Any]) -> None:
    """Send the guild's effective list as YAML, privately."""
    guild_id = _guild(interaction)
    loc = interaction.locale
    topics = await guild_topics(bot, guild_id, loc)
    server = interaction.guild.name if interaction.guild else str(guild_id)
    text = export_yaml(topics, pack_of(loc), server, bot.clock())
    await interaction.response.send_message(
        bot.t(loc, "edit.export_ready"),
        ephemeral=True,
        file=discord.File(io.BytesIO(text.encode()), filename=f"kindred-resources-{guild_id}.yaml"),
    )


async def start_import(
    bot: KindredBot, interaction: discord.Interaction[Any], attachment: discord.Attachment
) -> None:
    """Validate the whole file, show what would change, apply atomically after confirmation."""
    guild_id = _guild(interaction)
    loc = interaction.locale
    if not attachment.filename.lower().endswith((".yaml", ".yml")):
        raise Refusal("edit.import_not_yaml")
    if attachment.size > MAX_IMPORT_BYTES:
        raise Refusal("edit.import_too_big", limit=MAX_IMPORT_BYTES // 1024)
    await interaction.response.defer(ephemeral=True, thinking=True)
    raw = await attachment.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal("edit.import_not_yaml") from None
    rows = await overlay.overlay_rows(bot.db, guild_id)
    topics = await overlay.lab_topics(bot.db, guild_id)
    try:  # parsed in a thread with a time limit, so no file can hold up the gateway or /crisis
        plan, problems = await asyncio.wait_for(
            asyncio.to_thread(plan_import, text, bot.library, rows, topics), IMPORT_SECONDS
        )
    except TimeoutError:
        raise Refusal("edit.import_too_slow", seconds=int(IMPORT_SECONDS)) from None
    if plan is None:
        shown = [
            bot.t(loc, "edit.import_line", line=p.line, message=discord.utils.escape_markdown(p.message))
            for p in problems[:MAX_ERRORS_SHOWN]
        ]
        if len(problems) > MAX_ERRORS_SHOWN:
            shown.append(bot.t(loc, "edit.import_more", count=len(problems) - MAX_ERRORS_SHOWN))
        await interaction.followup.send(
            _clip("\n".join([bot.t(loc, "edit.import_errors"), *shown]), 2000), ephemeral=True
        )
        return
    if plan.is_empty:
        await interaction.followup.send(bot.t(loc, "edit.import_same"), ephemeral=True)
        return

    async def confirmed(pressed: discord.Interaction[Any]) -> str:
        entry = await overlay.apply_change(
            bot.db, guild_id, plan.change, action="import", actor_id=pressed.user.id, now=bot.clock()
        )
        return bot.t(pressed.locale, "edit.import_done", id=entry or 0)

    view = Confirm(
        bot,
        interaction.user.id,
        custom_id="kindred:import",
        on_confirm=confirmed,
        confirm_label=bot.t(loc, "edit.import_button"),
        cancel_label=bot.t(loc, "edit.import_cancel"),
        cancelled_text=bot.t(loc, "edit.import_cancelled"),
    )
    summary = bot.t(
        loc,
        "edit.import_summary",
        added=plan.added,
        edited=plan.edited,
        hidden=plan.hidden,
        restored=plan.restored,
        removed=plan.removed,
        new_topics=plan.new_topics,
        removed_topics=plan.removed_topics,
    )
    await interaction.followup.send(summary, view=view, ephemeral=True)
