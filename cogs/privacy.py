"""/privacy show|export|delete: everything linked to a member, and the power to erase it."""

from __future__ import annotations

import io
import json
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.anonymity import checkin_receipt, member_key, reach_named_key
from bot.app import KindredBot
from bot.calendar import discord_timestamp
from bot.schedule import iso_week
from bot.store import calendar as calendar_store
from bot.store import reach
from bot.store import subscriptions as subs
from bot.store.checkins import has_receipt
from bot.store.guilds import get_settings
from bot.store.resources import changes_by, forget_actor
from cogs._ui import Confirm, Interaction, describe_kind, describe_reason

#: Every guild kindred is in, by id, with its name escaped for Markdown.
Guilds = dict[int, str]


async def _guilds(bot: KindredBot) -> Guilds:
    """Every guild kindred is in, on every shard (a sharded process asks Discord for the others')."""
    return {g.id: discord.utils.escape_markdown(g.name) for g in await bot.all_guilds()}


def _guild_name(guilds: Guilds, guild_id: int) -> str:
    return guilds.get(guild_id, str(guild_id))


async def _this_week_receipts(bot: KindredBot, user_id: int, guilds: Guilds) -> list[tuple[int, bytes]]:
    """Receipts this member would have this week in each guild kindred is in (computed, not stored)."""
    now = bot.clock()
    found = []
    for guild_id in guilds:
        settings = await get_settings(bot.db, guild_id)
        receipt = checkin_receipt(bot.secret, guild_id, user_id, iso_week(now, settings.week_timezone(now)))
        if await has_receipt(bot.db, receipt):
            found.append((guild_id, receipt))
    return found


def _named_keys(bot: KindredBot, user_id: int, guilds: Guilds) -> list[bytes]:
    """The keyed value of the member's named /reach conversations in each guild."""
    return [reach_named_key(bot.secret, guild_id, user_id) for guild_id in guilds]


def _member_keys(bot: KindredBot, user_id: int, guilds: Guilds) -> list[bytes]:
    """The member's lookup key in each guild kindred is in (each guild's key differs)."""
    return [member_key(bot.secret, guild_id, user_id) for guild_id in guilds]


async def _answer_later_if_sharded(interaction: Interaction) -> None:
    """Sharded, the other shards' guilds come over REST: take the time that needs, privately."""
    if interaction.client.settings.shards is not None:
        await interaction.response.defer(ephemeral=True, thinking=True)


async def _delete_everything(bot: KindredBot, user_id: int, locale: object) -> str:
    """Erase everything linked to the member; return the confirmation text.

    This week's check-in receipt stays until the week is over: it names no one without the key,
    and deleting it would let the same person check in again and so be counted twice.
    """
    guilds = await _guilds(bot)
    keys = _member_keys(bot, user_id, guilds)
    count = await subs.forget_member(bot.db, keys)
    count += await calendar_store.forget_member_reminders(bot.db, keys)
    count += await forget_actor(bot.db, user_id)
    named = await reach.delete_named(bot.db, _named_keys(bot, user_id, guilds))
    await bot.db.checkpoint()
    # The threads go on the reach cog's next pass (it deletes every queued thread).
    text = bot.t(locale, "privacy.deleted", count=count)
    return f"{text}\n{bot.t(locale, 'reach.privacy_deleted', count=named)}" if named else text


class Privacy(
    commands.GroupCog,
    group_name="privacy",
    group_description="See, export or delete what kindred holds about you",
):
    """A member's view of their own data."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for its services."""
        self.bot = bot

    @app_commands.command(name="show", description="See what kindred holds about you")
    async def show(self, interaction: Interaction) -> None:
        """List subscriptions, this week's receipts and moderator edits, and what cannot be linked."""
        bot = self.bot
        loc = interaction.locale
        user_id = interaction.user.id
        await _answer_later_if_sharded(interaction)
        guilds = await _guilds(bot)
        keys = _member_keys(bot, user_id, guilds)
        mine = await subs.subscriptions_of(bot.db, keys)
        receipts = await _this_week_receipts(bot, user_id, guilds)
        edits = await changes_by(bot.db, user_id)
        conversations = await reach.named_of(bot.db, _named_keys(bot, user_id, guilds))
        reminders = await calendar_store.reminders_of(bot.db, keys)
        lines = [f"## {bot.t(loc, 'privacy.title')}"]
        if mine:
            lines.append(bot.t(loc, "privacy.subscriptions"))
            for sub in mine:
                line = "- " + bot.t(
                    loc,
                    "privacy.sub_line",
                    kind=describe_kind(bot, loc, sub.kind),
                    guild=_guild_name(guilds, sub.guild_id),
                    day=bot.t(loc, f"days.d{sub.slot.weekday}"),
                    time=sub.slot.at.strftime("%H:%M"),
                    timezone=sub.slot.tz,
                )
                if sub.paused_reason:
                    line += " · " + bot.t(
                        loc, "privacy.sub_paused", reason=describe_reason(bot, loc, sub.paused_reason)
                    )
                lines.append(line)
        lines += [bot.t(loc, "privacy.checked_in", guild=_guild_name(guilds, g)) for g, _ in receipts]
        if edits:
            lines.append(bot.t(loc, "privacy.moderator", count=len(edits)))
        if conversations:
            lines.append(bot.t(loc, "reach.privacy_named", count=len(conversations)))
        lines += [
            bot.t(loc, "gentle.privacy_reminder", guild=_guild_name(guilds, g), when=discord_timestamp(due))
            for g, due in reminders
        ]
        if not (mine or receipts or edits or conversations or reminders):
            lines.append(bot.t(loc, "privacy.none"))
        lines.append(bot.t(loc, "privacy.cannot_link"))
        lines.append(bot.t(loc, "reach.privacy_about"))
        lines.append(bot.t(loc, "replies.privacy_about"))
        text = "\n".join(lines)[:2000]
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="export", description="Download what kindred holds about you, as JSON")
    async def export(self, interaction: Interaction) -> None:
        """Send everything linked to the member as a JSON attachment, privately."""
        bot = self.bot
        user_id = interaction.user.id
        await _answer_later_if_sharded(interaction)
        guilds = await _guilds(bot)
        keys = _member_keys(bot, user_id, guilds)
        mine = await subs.subscriptions_of(bot.db, keys)
        deliveries = await subs.deliveries_of(bot.db, keys)
        receipts = await _this_week_receipts(bot, user_id, guilds)
        edits = await changes_by(bot.db, user_id)
        conversations = await reach.named_of(bot.db, _named_keys(bot, user_id, guilds))
        data = {
            "generated_at": bot.clock().isoformat(),
            "subscriptions": [
                {
                    "guild_id": str(s.guild_id),
                    "guild": _guild_name(guilds, s.guild_id),
                    "kind": s.kind,
                    "weekday": s.slot.weekday,
                    "time": s.slot.at.strftime("%H:%M"),
                    "timezone": s.slot.tz,
                    "language": s.lang,
                    "next_due": s.next_due.isoformat(),
                    "paused_reason": s.paused_reason,
                    "quiet_during_deadline_weeks": s.quiet_deadlines,
                }
                for s in mine
            ],
            "check_on_me_reminders": [
                {"guild_id": str(g), "guild": _guild_name(guilds, g), "due": due.isoformat()}
                for g, due in await calendar_store.reminders_of(bot.db, keys)
            ],
            "weekly_dms_handled": [
                {"guild_id": str(g), "guild": _guild_name(guilds, g), "kind": kind, "week": period}
                for g, kind, period in deliveries
            ],
            "checked_in_this_week": [
                {"guild_id": str(g), "guild": _guild_name(guilds, g)} for g, _ in receipts
            ],
            "moderator_resource_changes": [
                {
                    "guild_id": str(r["guild_id"]),
                    "topic": r["topic"],
                    "item_id": r["item_id"],
                    "action": r["action"],
                    "at": r["at"],
                }
                for r in edits
            ],
            "named_reach_conversations": [
                {
                    "guild_id": str(c.guild_id),
                    "guild": _guild_name(guilds, c.guild_id),
                    "conversation": c.handle,
                    "opened_in_week": c.week,
                    "state": c.state,
                    "replies_from_reps": [
                        {"from": "wellbeing team" if r.as_team else r.rep_name, "text": r.body}
                        for r in await reach.replies(bot.db, c.id)
                    ],
                }
                for c in conversations
            ],
            "not_included": "Anonymous check-in answers: they are stored without your id, so nothing "
            "links them to you, and they cannot be exported or deleted. Anonymous /reach conversations: "
            "only their code opens them (read or close them with /reach code). Anonymous shares and "
            "replies: nothing links them to you; a share's author code (shown once) updates or withdraws it.",
        }
        payload = json.dumps(data, indent=2, ensure_ascii=False).encode()
        text = bot.t(interaction.locale, "privacy.export_ready")
        file = discord.File(io.BytesIO(payload), filename="kindred-my-data.json")
        if interaction.response.is_done():
            await interaction.followup.send(text, file=file, ephemeral=True)
        else:
            await interaction.response.send_message(text, file=file, ephemeral=True)

    @app_commands.command(name="delete", description="Delete everything kindred holds about you")
    async def delete(self, interaction: Interaction) -> None:
        """Ask for confirmation before erasing."""
        bot, loc, user_id = self.bot, interaction.locale, interaction.user.id

        async def confirmed(pressed: discord.Interaction[Any]) -> str:
            return await _delete_everything(bot, user_id, pressed.locale)

        view = Confirm(
            bot,
            user_id,
            custom_id="kindred:privacy:delete",
            on_confirm=confirmed,
            confirm_label=bot.t(loc, "privacy.delete_button"),
            cancel_label=bot.t(loc, "privacy.cancel_button"),
            cancelled_text=bot.t(loc, "privacy.cancelled"),
        )
        await interaction.response.send_message(
            bot.t(loc, "privacy.delete_confirm"), view=view, ephemeral=True
        )


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Privacy(bot))
