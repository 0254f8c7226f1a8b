"""/reach: a private, two-way conversation with the lab's wellbeing reps, anonymous if the member wants.

What is kept (migration 007): the keyed hash of the member's code, the guild, the thread, the
opening ISO week and the state; the author token only sealed; a DM address only sealed, only on
request, deleted on close. The member's text waits in the outbox until it is in the thread, then
goes; rep replies stay until the conversation is deleted. Buttons on the receipt carry the code
(which only the member's receipt holds); buttons in the thread carry the public handle.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from typing import Any, ClassVar, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import reach as domain
from bot.anonymity import (
    SealError,
    open_user,
    open_value,
    random_id,
    reach_author,
    reach_code_hash,
    reach_named_key,
    reach_quota_token,
    seal_user,
    seal_value,
)
from bot.app import KindredBot
from bot.errors import Refusal
from bot.jobs import REACH_JOB_ID
from bot.schedule import iso_week
from bot.screening import screen_aside
from bot.store import claims
from bot.store import reach as store
from bot.store.guilds import GuildSettings, all_settings, get_settings
from bot.validation import neutralise_mentions, plain_text, relayed_text
from cogs._checks import is_moderator
from cogs._ui import (
    Confirm,
    Interaction,
    KindredModal,
    PersistentItem,
    crisis_text,
    crisis_view,
    wellbeing_embed,
)

log = logging.getLogger(__name__)

ARCHIVE_MINUTES: Literal[10080] = 10080
CODE = r"(?P<code>[A-Za-z0-9_-]{24})"
HANDLE = r"(?P<handle>[a-z0-9]{8})"


def _author_context(guild_id: int, conversation_id: bytes) -> str:
    return f"reach-author\x1f{guild_id}\x1f{conversation_id.hex()}"


def _notify_purpose(conversation_id: bytes) -> str:
    return f"reach-notify:{conversation_id.hex()}"


def _cog(bot: KindredBot) -> Reach:
    cog = bot.get_cog("Reach")
    assert isinstance(cog, Reach)  # noqa: S101 - items only exist while the cog is loaded
    return cog


def _thread(bot: KindredBot, conversation: store.Conversation) -> discord.PartialMessageable:
    return bot.get_partial_messageable(
        conversation.thread_id or 0,
        guild_id=conversation.guild_id,
        type=discord.ChannelType.private_thread,
    )


# -- the member's side -----------------------------------------------------------------------


class ReceiptButton(
    PersistentItem[discord.ui.Button[Any]],
    template=rf"kindred:reach:(?P<action>read|answer|reveal|close):{CODE}",
):
    """A receipt button: persistent, carrying the member's code (only their receipt holds it)."""

    STYLES: ClassVar[dict[str, discord.ButtonStyle]] = {
        "read": discord.ButtonStyle.primary,
        "answer": discord.ButtonStyle.success,
        "reveal": discord.ButtonStyle.secondary,
        "close": discord.ButtonStyle.danger,
    }

    def __init__(self, action: str, code: str, label: str = "") -> None:
        """Build one receipt button."""
        super().__init__(
            discord.ui.Button(
                label=label or action, style=self.STYLES[action], custom_id=f"kindred:reach:{action}:{code}"
            )
        )
        self.action = action
        self.code = code

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReceiptButton:
        """Rebuild from the custom id (after a restart too)."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match.group("action"), match.group("code"), label or "")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Act on the conversation the code opens."""
        bot: KindredBot = interaction.client
        await _cog(bot).member_action(interaction, self.action, self.code)


class StartModal(KindredModal):
    """The form a member writes their first message in; it says plainly who will know who wrote."""

    def __init__(
        self, bot: KindredBot, locale: object, *, guild_id: int, named: bool, notify: bool, dm_receipt: bool
    ) -> None:
        """Build the form in the member's language."""
        super().__init__(
            title=bot.t(locale, "reach.modal_title"), custom_id=f"kindred:reach-form:{secrets.token_hex(8)}"
        )
        self.bot, self.guild_id, self.named, self.notify, self.dm_receipt = (
            bot,
            guild_id,
            named,
            notify,
            dm_receipt,
        )
        about = [bot.t(locale, "reach.about_named" if named else "reach.about_anonymous")]
        if notify:
            about.append(bot.t(locale, "reach.about_notify"))
        self.add_item(discord.ui.TextDisplay("\n\n".join(about)))
        self.body: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "reach.field_message"),
            style=discord.TextStyle.paragraph,
            max_length=domain.MAX_MESSAGE,
            custom_id="message",
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Open the conversation."""
        await _cog(self.bot).start(
            interaction,
            self.guild_id,
            self.body.value,
            named=self.named,
            notify=self.notify,
            dm_receipt=self.dm_receipt,
        )


class AnswerModal(KindredModal):
    """The member's answer in an existing conversation."""

    def __init__(self, bot: KindredBot, locale: object, code: str) -> None:
        """Build the form."""
        super().__init__(
            title=bot.t(locale, "reach.answer_title"),
            custom_id=f"kindred:reach-answer:{secrets.token_hex(8)}",
        )
        self.bot, self.code = bot, code
        self.body: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "reach.field_message"),
            style=discord.TextStyle.paragraph,
            max_length=domain.MAX_MESSAGE,
            custom_id="message",
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Queue the answer."""
        await _cog(self.bot).answer(interaction, self.code, self.body.value)


class CodeModal(KindredModal):
    """Where a member pastes their code to come back to a conversation."""

    def __init__(self, bot: KindredBot, locale: object) -> None:
        """Build the form."""
        super().__init__(
            title=bot.t(locale, "reach.code_title"), custom_id=f"kindred:reach-code:{secrets.token_hex(8)}"
        )
        self.bot = bot
        self.code: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "reach.field_code"), min_length=24, max_length=40, custom_id="code"
        )
        self.add_item(self.code)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Show the receipt again."""
        await _cog(self.bot).show_receipt(interaction, self.code.value)


class AppealButton(
    PersistentItem[discord.ui.Button[Any]], template=r"kindred:reach-appeal:(?P<guild>[0-9]{1,20})"
):
    """Offered to a blocked member: the appeal goes to a rep other than the one who blocked."""

    def __init__(self, guild_id: int, label: str = "") -> None:
        """Build the button (the guild only: the member is recognised again when they press it)."""
        super().__init__(
            discord.ui.Button(
                label=label or "appeal",
                style=discord.ButtonStyle.secondary,
                custom_id=f"kindred:reach-appeal:{guild_id}",
            )
        )
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AppealButton:
        """Rebuild from the custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(int(match.group("guild")), label or "")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Open the appeal form."""
        bot: KindredBot = interaction.client
        await AppealModal(bot, interaction.locale, self.guild_id).open(interaction)


class AppealModal(KindredModal):
    """A blocked member's appeal."""

    def __init__(self, bot: KindredBot, locale: object, guild_id: int) -> None:
        """Build the form."""
        super().__init__(
            title=bot.t(locale, "reach.appeal_title"),
            custom_id=f"kindred:reach-appeal-form:{secrets.token_hex(8)}",
        )
        self.bot, self.guild_id = bot, guild_id
        self.body: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "reach.field_appeal"),
            style=discord.TextStyle.paragraph,
            max_length=800,
            custom_id="appeal",
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Send the appeal to the reps."""
        await _cog(self.bot).appeal(interaction, self.guild_id, self.body.value)


# -- the reps' side --------------------------------------------------------------------------


class RepButton(
    PersistentItem[discord.ui.Button[Any]],
    template=rf"kindred:reach-rep:(?P<action>team|own|block|close):{HANDLE}",
):
    """A rep's action on a conversation, carrying only its public handle; reps only."""

    STYLES: ClassVar[dict[str, discord.ButtonStyle]] = {
        "team": discord.ButtonStyle.primary,
        "own": discord.ButtonStyle.secondary,
        "block": discord.ButtonStyle.danger,
        "close": discord.ButtonStyle.secondary,
    }

    def __init__(self, action: str, handle: str, label: str = "") -> None:
        """Build one rep button."""
        super().__init__(
            discord.ui.Button(
                label=label or action,
                style=self.STYLES[action],
                custom_id=f"kindred:reach-rep:{action}:{handle}",
            )
        )
        self.action, self.handle = action, handle

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RepButton:
        """Rebuild from the custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match.group("action"), match.group("handle"), label or "")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Reps only."""
        bot: KindredBot = interaction.client
        if not await is_moderator(bot, interaction):
            raise Refusal("errors.not_allowed")
        await _cog(bot).rep_action(interaction, self.action, self.handle, snippet=None)


class SnippetSelect(PersistentItem[discord.ui.Select[Any]], template=rf"kindred:reach-snippet:{HANDLE}"):
    """Common answers: choosing one opens the reply form with it filled in (as the team)."""

    def __init__(
        self, handle: str, options: list[discord.SelectOption] | None = None, placeholder: str = ""
    ) -> None:
        """Build the menu."""
        super().__init__(
            discord.ui.Select(
                custom_id=f"kindred:reach-snippet:{handle}",
                placeholder=placeholder or None,
                options=options or [discord.SelectOption(label=s, value=s) for s in domain.SNIPPETS],
            )
        )
        self.handle = handle

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SnippetSelect:
        """Rebuild from the custom id."""
        options = item.options if isinstance(item, discord.ui.Select) else None
        return cls(match.group("handle"), options)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Reps only: open the prefilled reply form."""
        bot: KindredBot = interaction.client
        if not await is_moderator(bot, interaction):
            raise Refusal("errors.not_allowed")
        values = self.item.values
        choice = str(values[0]) if values else ""
        if choice not in domain.SNIPPETS:
            raise Refusal("reach.unknown_snippet")
        await _cog(bot).rep_action(interaction, "team", self.handle, snippet=choice)


class ReplyModal(KindredModal):
    """A rep's answer, as the wellbeing team or under their own name."""

    def __init__(
        self, bot: KindredBot, locale: object, handle: str, *, as_team: bool, text: str = ""
    ) -> None:
        """Build the form; a snippet arrives as `text`."""
        key = "reach.reply_title_team" if as_team else "reach.reply_title_own"
        super().__init__(title=bot.t(locale, key), custom_id=f"kindred:reach-reply:{secrets.token_hex(8)}")
        self.bot, self.handle, self.as_team = bot, handle, as_team
        self.body: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "reach.field_reply"),
            style=discord.TextStyle.paragraph,
            max_length=domain.MAX_REPLY,
            default=text or None,
            custom_id="reply",
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Store and post the answer."""
        await _cog(self.bot).rep_reply(interaction, self.handle, self.body.value, as_team=self.as_team)


class BlockModal(KindredModal):
    """How long to block the author of a conversation (they stay anonymous)."""

    def __init__(self, bot: KindredBot, locale: object, handle: str) -> None:
        """Build the form."""
        super().__init__(
            title=bot.t(locale, "reach.block_title"), custom_id=f"kindred:reach-block:{secrets.token_hex(8)}"
        )
        self.bot, self.handle = bot, handle
        self.days: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "reach.field_block_days"),
            default=str(domain.BLOCK_DAYS_DEFAULT),
            max_length=3,
            custom_id="days",
        )
        self.add_item(self.days)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Block."""
        await _cog(self.bot).block(interaction, self.handle, self.days.value)


class AppealDecision(
    PersistentItem[discord.ui.Button[Any]],
    template=rf"kindred:reach-appeal-decide:(?P<action>lift|keep):{HANDLE}",
):
    """A rep's decision on an appeal; the rep who blocked cannot decide it."""

    def __init__(self, action: str, handle: str, label: str = "") -> None:
        """Build one decision button."""
        style = discord.ButtonStyle.success if action == "lift" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label or action, style=style, custom_id=f"kindred:reach-appeal-decide:{action}:{handle}"
            )
        )
        self.action, self.handle = action, handle

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AppealDecision:
        """Rebuild from the custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match.group("action"), match.group("handle"), label or "")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Reps only, and not the one who blocked."""
        bot: KindredBot = interaction.client
        if not await is_moderator(bot, interaction):
            raise Refusal("errors.not_allowed")
        await _cog(bot).decide_appeal(interaction, self.action, self.handle)


_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    ReceiptButton,
    AppealButton,
    RepButton,
    SnippetSelect,
    AppealDecision,
)


class Reach(
    commands.GroupCog, group_name="reach", group_description="Talk privately with your lab's wellbeing reps"
):
    """Private conversations with the wellbeing reps."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for its services."""
        self.bot = bot
        # One poster at a time: the interval job and a member's own submission must never both
        # make a thread for the same conversation (or post one message twice).
        self._posting = asyncio.Lock()
        super().__init__()

    async def cog_load(self) -> None:
        """Make receipts and thread buttons from before a restart work; register delivery (paused)."""
        self.bot.add_dynamic_items(*_ITEMS)
        self.bot.jobs.every(
            REACH_JOB_ID, self.bot.settings.dispatch_interval, self.deliver_due, first_run=None
        )

    async def cog_unload(self) -> None:
        """Undo what cog_load did."""
        self.bot.remove_dynamic_items(*_ITEMS)
        self.bot.jobs.cancel(REACH_JOB_ID)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Post what waited while kindred was down, then every interval."""
        self.bot.jobs.wake(REACH_JOB_ID, self.bot.clock())

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Conversations in a guild kindred left cannot continue: forget them."""
        await store.forget_guild(self.bot.db, guild.id)

    # -- commands ----------------------------------------------------------------------------

    @app_commands.command(name="start", description="Write privately to your lab's wellbeing reps")
    @app_commands.describe(
        named="Let the reps know who you are (default: anonymous)",
        notify="Tell me by DM when a rep answers (keeps a sealed DM address until it closes)",
        dm_receipt="Also send my receipt and code to my DMs",
        lab="In DMs: which lab's reps to write to",
    )
    async def start_command(
        self,
        interaction: Interaction,
        named: bool = False,
        notify: bool = False,
        dm_receipt: bool = False,
        lab: str | None = None,
    ) -> None:
        """Open the form (anonymous unless the member chose named)."""
        guild_id = interaction.guild_id or await self._lab_from_dm(interaction, lab)
        await self._settings(guild_id)
        await StartModal(
            self.bot,
            interaction.locale,
            guild_id=guild_id,
            named=named,
            notify=notify,
            dm_receipt=dm_receipt,
        ).open(interaction)

    @app_commands.command(name="code", description="Come back to a conversation with your code")
    async def code_command(self, interaction: Interaction) -> None:
        """Ask for the code (in a form, so it is not left in the channel)."""
        await CodeModal(self.bot, interaction.locale).open(interaction)

    @start_command.autocomplete("lab")
    async def _labs(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        wanted = current.strip().casefold()
        configured = {s.guild_id for s in await all_settings(self.bot.db) if s.reps_channel_id}
        # A DM's autocomplete arrives on shard 0; sharded, the other shards' labs come over REST.
        return [
            app_commands.Choice(name=g.name[:100], value=str(g.id))
            for g in await self.bot.all_guilds()
            if g.id in configured and wanted in g.name.casefold()
        ][:25]

    async def _lab_from_dm(self, interaction: discord.Interaction[Any], lab: str | None) -> int:
        """The guild a DM /reach goes to; the member must belong to it."""
        if not lab or not lab.isdigit():
            raise Refusal("reach.dm_needs_lab")
        guild = await self.bot.guild_for(int(lab))  # DMs arrive on shard 0: maybe another shard's lab
        if guild is None:
            raise Refusal("reach.dm_needs_lab")
        try:
            await guild.fetch_member(interaction.user.id)
        except discord.HTTPException:
            raise Refusal("reach.dm_needs_lab") from None
        return guild.id

    async def _settings(self, guild_id: int) -> GuildSettings:
        settings = await get_settings(self.bot.db, guild_id)
        if not settings.reps_channel_id:
            raise Refusal("reach.not_set_up")
        return settings

    # -- the member --------------------------------------------------------------------------

    def _delay_bound(self) -> int:
        """The longest random delay of an anonymous message, in minutes (the operator's share floor)."""
        return self.bot.settings.min_share_delay_minutes

    async def _admit(self, interaction: discord.Interaction[Any], guild_id: int, *, opening: bool) -> None:
        """Refuse blocked members (kindly, with an appeal) and members over the day's limit."""
        bot, user_id = self.bot, interaction.user.id
        today = bot.clock().date().isoformat()
        token = reach_author(bot.secret, guild_id, user_id)
        if await store.find_block(bot.db, guild_id, token, today) is not None:
            view = discord.ui.View(timeout=None)
            view.add_item(AppealButton(guild_id, bot.t(interaction.locale, "reach.appeal_button")))
            view.add_item(crisis_view(bot, interaction.locale).children[0])
            await interaction.response.send_message(
                bot.t(interaction.locale, "reach.blocked"), view=view, ephemeral=True
            )
            raise _Answered
        if opening and not await store.take_quota(
            bot.db,
            guild_id,
            reach_quota_token(bot.secret, guild_id, user_id, f"{today}/open"),
            today,
            domain.OPEN_LIMIT,
        ):
            raise Refusal("reach.open_limit", limit=domain.OPEN_LIMIT)
        if not await store.take_quota(
            bot.db,
            guild_id,
            reach_quota_token(bot.secret, guild_id, user_id, f"{today}/message"),
            today,
            domain.DAILY_LIMIT,
        ):
            raise Refusal("reach.message_limit")

    async def start(
        self,
        interaction: discord.Interaction[Any],
        guild_id: int,
        text: str,
        *,
        named: bool,
        notify: bool,
        dm_receipt: bool,
    ) -> None:
        """Open a conversation: store it with its first message, give the receipt, post (now or later)."""
        bot, loc, user_id = self.bot, interaction.locale, interaction.user.id
        settings = await self._settings(guild_id)
        body = plain_text(text).strip()
        if not body:
            raise Refusal("reach.empty")
        try:
            await self._admit(interaction, guild_id, opening=True)
        except _Answered:
            return
        # Acknowledge first: screening and the database work must never push the answer past 3 s.
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = bot.clock()
        screening = await screen_aside(body)
        code = domain.new_code()
        handle = domain.new_handle()
        while await store.handle_taken(bot.db, handle):
            handle = domain.new_handle()
        conversation_id = random_id()
        token = reach_author(bot.secret, guild_id, user_id)
        # Stored and (when due now) posted under the poster's lock: a named first message must be
        # posted here, where the member can be added to the new thread, never by the interval job.
        async with self._posting:
            await store.open_conversation(
                bot.db,
                conversation_id,
                guild_id=guild_id,
                code_hash=reach_code_hash(bot.secret, code),
                handle=handle,
                week=iso_week(now, settings.week_timezone(now)),
                named_key=reach_named_key(bot.secret, guild_id, user_id) if named else None,
                lang=settings.lang,
                author_sealed=seal_value(
                    bot.secret, token.encode(), context=_author_context(guild_id, conversation_id)
                ),
                notify_sealed=(
                    seal_user(
                        bot.secret, user_id, guild_id=guild_id, purpose=_notify_purpose(conversation_id)
                    )
                    if notify
                    else None
                ),
                body=body,
                flagged=screening.flagged,
                post_after=domain.post_time(now, anonymous=not named, max_minutes=self._delay_bound()),
            )
            posted = False
            if named or not self._delay_bound():
                posted = await self._deliver_conversation(
                    conversation_id, add_member=user_id if named else None
                )
            if named and not posted:
                # Only here can the member be added to the thread; the job could not, so nothing
                # is kept and the member gets their words back to try again.
                await store.delete(bot.db, conversation_id)
                raise Refusal("reach.named_failed", text=relayed_text(body)[:1500])
        key = "reach.receipt_posted" if posted else "reach.receipt_waiting"
        lines = [
            bot.t(loc, key, minutes=max(1, self._delay_bound())),
            bot.t(loc, "reach.receipt_code", code=code),
        ]
        if screening.flagged:
            lines.append(bot.t(loc, "reach.crisis_now"))
            lines.append(crisis_text(bot, loc, settings.country or bot.directory.default_country(str(loc))))
        else:
            lines.append(bot.t(loc, "screening.crisis_hint"))
        text_out = "\n\n".join(lines)[:2000]
        view = self._receipt_view(loc, code, named=named)
        await interaction.followup.send(text_out, view=view, ephemeral=True)
        if dm_receipt:
            await self._dm_receipt(interaction.user, loc, code, named=named)

    async def _dm_receipt(
        self, user: discord.User | discord.Member, loc: object, code: str, *, named: bool
    ) -> None:
        """Send the receipt to the member's DMs; a closed DM loses nothing (the ephemeral one stands)."""
        bot = self.bot
        try:
            await user.send(
                "\n\n".join([bot.t(loc, "reach.receipt_dm"), bot.t(loc, "reach.receipt_code", code=code)]),
                view=self._receipt_view(loc, code, named=named),
            )
        except discord.HTTPException as exc:
            log.info("a /reach receipt could not be sent by DM (HTTP %s)", exc.status)

    def _receipt_view(self, loc: object, code: str, *, named: bool) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        for action in ("read", "answer", "reveal", "close"):
            if action == "reveal" and named:
                continue
            view.add_item(ReceiptButton(action, code, self.bot.t(loc, f"reach.button_{action}")))
        view.add_item(crisis_view(self.bot, loc).children[0])
        return view

    async def _conversation(self, code: str) -> store.Conversation:
        cleaned = domain.clean_code(code)
        conversation = (
            await store.by_code(self.bot.db, reach_code_hash(self.bot.secret, cleaned)) if cleaned else None
        )
        if conversation is None:
            raise Refusal("reach.unknown_code")
        return conversation

    async def show_receipt(self, interaction: discord.Interaction[Any], code: str) -> None:
        """The receipt again, for a member who pasted their code."""
        conversation = await self._conversation(code)
        loc = interaction.locale
        cleaned = domain.clean_code(code) or ""
        state = self.bot.t(loc, f"reach.state_{conversation.state}")
        await interaction.response.send_message(
            self.bot.t(loc, "reach.receipt_again", handle=conversation.handle, state=state),
            view=self._receipt_view(loc, cleaned, named=conversation.named),
            ephemeral=True,
        )

    async def member_action(self, interaction: discord.Interaction[Any], action: str, code: str) -> None:
        """Read, answer, reveal or close, for whoever holds the code."""
        bot, loc = self.bot, interaction.locale
        conversation = await self._conversation(code)
        if action == "read":
            await self._read(interaction, conversation)
            return
        if conversation.state == "closed" and action != "close":
            raise Refusal("reach.closed")
        if action == "answer":
            await AnswerModal(bot, loc, code).open(interaction)
            return
        if action == "reveal":
            if conversation.named:
                raise Refusal("reach.already_named")
            if conversation.thread_id is None:
                raise Refusal("reach.not_delivered_yet")

            async def reveal(pressed: discord.Interaction[Any]) -> str:
                await self._reveal(pressed, conversation)
                return bot.t(pressed.locale, "reach.revealed")

            await interaction.response.send_message(
                bot.t(loc, "reach.reveal_confirm"),
                view=self._confirm(interaction, "reveal", reveal, "reach.reveal_button"),
                ephemeral=True,
            )
            return

        async def close(pressed: discord.Interaction[Any]) -> str:
            await self._delete(conversation)
            return bot.t(pressed.locale, "reach.closed_done")

        await interaction.response.send_message(
            bot.t(loc, "reach.close_confirm"),
            view=self._confirm(interaction, "close", close, "reach.close_button"),
            ephemeral=True,
        )

    def _confirm(self, interaction: discord.Interaction[Any], name: str, action: Any, label: str) -> Confirm:
        loc = interaction.locale
        return Confirm(
            self.bot,
            interaction.user.id,
            custom_id=f"kindred:reach-confirm:{name}:{secrets.token_hex(6)}",
            confirm_label=self.bot.t(loc, label),
            cancel_label=self.bot.t(loc, "privacy.cancel_button"),
            on_confirm=action,
            cancelled_text=self.bot.t(loc, "reach.nothing_changed"),
        )

    async def _read(self, interaction: discord.Interaction[Any], conversation: store.Conversation) -> None:
        bot, loc = self.bot, interaction.locale
        found = await store.replies(bot.db, conversation.id)
        state = bot.t(loc, f"reach.state_{conversation.state}")
        if not found:
            waiting = await store.waiting_messages(bot.db, conversation.id)
            description = bot.t(loc, "reach.no_replies", state=state, waiting=waiting)
        else:
            parts = []
            for reply in found[-8:]:
                who = (
                    bot.t(loc, "reach.from_team")
                    if reply.as_team
                    else bot.t(loc, "reach.from_rep", name=discord.utils.escape_markdown(reply.rep_name))
                )
                parts.append(f"**{who}**\n{relayed_text(reply.body)}")
            description = "\n\n".join(parts)
        embed = wellbeing_embed(
            bot,
            loc,
            title=bot.t(loc, "reach.replies_title", handle=conversation.handle),
            description=description,
        )
        await interaction.response.send_message(embed=embed, view=crisis_view(bot, loc), ephemeral=True)

    async def answer(self, interaction: discord.Interaction[Any], code: str, text: str) -> None:
        """Queue the member's answer for the thread (after the random delay when anonymous)."""
        bot, loc = self.bot, interaction.locale
        conversation = await self._conversation(code)
        if conversation.state == "closed":
            raise Refusal("reach.closed")
        body = plain_text(text).strip()
        if not body:
            raise Refusal("reach.empty")
        try:
            await self._admit(interaction, conversation.guild_id, opening=False)
        except _Answered:
            return
        await interaction.response.defer(ephemeral=True, thinking=True)  # first, as in start
        screening = await screen_aside(body)
        now = bot.clock()
        await store.queue_message(
            bot.db,
            conversation.id,
            body,
            flagged=screening.flagged,
            post_after=domain.post_time(
                now, anonymous=not conversation.named, max_minutes=self._delay_bound()
            ),
            state=domain.after_member_message(conversation.state),
        )
        if conversation.named or not self._delay_bound():
            await self.deliver_due()
        settings = await get_settings(bot.db, conversation.guild_id)
        lines = [bot.t(loc, "reach.answer_sent", minutes=max(1, self._delay_bound()))]
        if screening.flagged:
            lines.append(bot.t(loc, "reach.crisis_now"))
            lines.append(crisis_text(bot, loc, settings.country or bot.directory.default_country(str(loc))))
        else:
            lines.append(bot.t(loc, "screening.crisis_hint"))
        await interaction.followup.send("\n\n".join(lines)[:2000], view=crisis_view(bot, loc), ephemeral=True)

    async def _reveal(self, interaction: discord.Interaction[Any], conversation: store.Conversation) -> None:
        """With the member's consent: tell the reps who they are and add them to the thread."""
        bot, user = self.bot, interaction.user
        thread = _thread(bot, conversation)
        await thread.send(
            bot.t(
                conversation.lang,
                "reach.thread_revealed",
                mention=user.mention,
                name=discord.utils.escape_markdown(neutralise_mentions(user.display_name)),
            )
        )
        try:
            await bot.http.add_user_to_thread(conversation.thread_id or 0, user.id)
        except discord.HTTPException as exc:
            log.warning(
                "could not add a member who revealed themselves to their thread (HTTP %s)", exc.status
            )
        await store.set_named(
            bot.db, conversation.id, reach_named_key(bot.secret, conversation.guild_id, user.id)
        )

    async def _delete(self, conversation: store.Conversation) -> None:
        """Close and delete now: rows at once, the thread as soon as Discord lets us."""
        await store.delete(self.bot.db, conversation.id)
        await self._delete_threads()

    async def appeal(self, interaction: discord.Interaction[Any], guild_id: int, text: str) -> None:
        """Post a blocked member's appeal for the reps; the rep who blocked cannot decide it."""
        bot, loc = self.bot, interaction.locale
        today = bot.clock().date().isoformat()
        blocked = await store.find_block(
            bot.db, guild_id, reach_author(bot.secret, guild_id, interaction.user.id), today
        )
        if blocked is None:
            await interaction.response.send_message(bot.t(loc, "reach.not_blocked"), ephemeral=True)
            return
        body = plain_text(text).strip()
        if not body:
            raise Refusal("reach.empty")
        if not await store.mark_appealed(bot.db, guild_id, blocked.handle):
            raise Refusal("reach.already_appealed")
        settings = await self._settings(guild_id)
        channel = bot.get_channel(settings.reps_channel_id or 0)
        if not isinstance(channel, discord.TextChannel):
            raise Refusal("reach.not_set_up")
        lang = settings.lang
        embed = wellbeing_embed(
            bot,
            lang,
            title=bot.t(lang, "reach.appeal_post_title"),
            description=relayed_text(body),
        )
        embed.add_field(
            name="\u200b",
            value=bot.t(
                lang, "reach.appeal_post_note", rep=f"<@{blocked.blocked_by}>", until=blocked.expires_on
            ),
            inline=False,
        )
        view = discord.ui.View(timeout=None)
        for action in ("lift", "keep"):
            view.add_item(AppealDecision(action, blocked.handle, bot.t(lang, f"reach.appeal_{action}")))
        await channel.send(embed=embed, view=view)
        await interaction.response.send_message(
            bot.t(loc, "reach.appeal_sent"), view=crisis_view(bot, loc), ephemeral=True
        )

    # -- the reps ----------------------------------------------------------------------------

    async def _rep_conversation(
        self, interaction: discord.Interaction[Any], handle: str
    ) -> store.Conversation:
        conversation = await store.by_handle(self.bot.db, interaction.guild_id or 0, handle)
        if conversation is None:
            raise Refusal("reach.rep_gone")
        return conversation

    async def rep_action(
        self, interaction: discord.Interaction[Any], action: str, handle: str, *, snippet: str | None
    ) -> None:
        """Open the reply or block form, or close the conversation."""
        bot, loc = self.bot, interaction.locale
        conversation = await self._rep_conversation(interaction, handle)
        if conversation.state == "closed":
            raise Refusal("reach.rep_closed")
        if action in ("team", "own"):
            text = bot.t(conversation.lang, f"reach.snippet_{snippet}") if snippet else ""
            await ReplyModal(bot, loc, handle, as_team=action == "team", text=text).open(interaction)
        elif action == "block":
            await BlockModal(bot, loc, handle).open(interaction)
        else:
            await store.close(bot.db, conversation.id, bot.clock().date().isoformat())
            settings = await get_settings(bot.db, conversation.guild_id)
            await interaction.response.send_message(
                bot.t(
                    conversation.lang,
                    "reach.rep_closed_note",
                    rep=interaction.user.mention,
                    days=settings.reach_kept_days,
                )
            )

    async def rep_reply(
        self, interaction: discord.Interaction[Any], handle: str, text: str, *, as_team: bool
    ) -> None:
        """Keep the answer for the member, show it in the thread, and tell the member if they asked."""
        bot = self.bot
        conversation = await self._rep_conversation(interaction, handle)
        if conversation.state == "closed":
            raise Refusal("reach.rep_closed")
        body = plain_text(text).strip()
        if not body:
            raise Refusal("reach.empty")
        rep = interaction.user
        await store.add_reply(
            bot.db, conversation.id, as_team=as_team, rep_id=rep.id, rep_name=rep.display_name[:80], body=body
        )
        lang = conversation.lang
        title = bot.t(
            lang, "reach.thread_reply_team" if as_team else "reach.thread_reply_own", rep=rep.display_name
        )
        embed = wellbeing_embed(bot, lang, title=title, description=relayed_text(body))
        await interaction.response.send_message(embed=embed, view=crisis_view(bot, lang))
        if conversation.notify_sealed:
            await self._notify(conversation)

    async def _notify(self, conversation: store.Conversation) -> None:
        """Tell the member by DM that a rep answered (no text, no names); a closed DM loses nothing."""
        bot = self.bot
        try:
            user_id = open_user(
                bot.secret,
                conversation.notify_sealed or b"",
                guild_id=conversation.guild_id,
                purpose=_notify_purpose(conversation.id),
            )
        except SealError:
            log.warning(
                "a /reach DM address did not open (another key?); the member reads replies with the code"
            )
            return
        try:
            user = await bot.fetch_user(user_id)
            await user.send(
                bot.t(conversation.lang, "reach.notify_dm", handle=conversation.handle),
                view=crisis_view(bot, conversation.lang),
            )
        except discord.HTTPException as exc:
            log.info(
                "a /reach answer notification could not be sent by DM (HTTP %s); the reply is kept",
                exc.status,
            )

    async def block(self, interaction: discord.Interaction[Any], handle: str, days_text: str) -> None:
        """Block the author of this conversation (without learning who they are)."""
        bot = self.bot
        conversation = await self._rep_conversation(interaction, handle)
        try:
            days = domain.block_days(days_text)
        except ValueError:
            raise Refusal("reach.bad_days", maximum=domain.BLOCK_DAYS_MAX) from None
        if conversation.author_sealed is None:
            raise Refusal("reach.cannot_block")
        try:
            token = open_value(
                bot.secret,
                conversation.author_sealed,
                context=_author_context(conversation.guild_id, conversation.id),
            ).decode()
        except SealError:
            raise Refusal("reach.cannot_block") from None
        block_handle = domain.new_handle()
        while await store.handle_taken(bot.db, block_handle):
            block_handle = domain.new_handle()
        until = domain.block_ends(bot.clock().date(), days)
        await store.block(
            bot.db,
            conversation.guild_id,
            token,
            handle=block_handle,
            expires_on=until,
            blocked_by=interaction.user.id,
        )
        await interaction.response.send_message(
            bot.t(conversation.lang, "reach.blocked_note", rep=interaction.user.mention, until=until)
        )

    async def decide_appeal(self, interaction: discord.Interaction[Any], action: str, handle: str) -> None:
        """Lift or keep a block; the rep who made it is asked to leave this to a colleague."""
        bot, loc = self.bot, interaction.locale
        blocked = await store.block_by_handle(bot.db, interaction.guild_id or 0, handle)
        if blocked is None:
            await interaction.response.edit_message(
                content=bot.t(loc, "reach.appeal_gone"), embed=None, view=None
            )
            return
        if blocked.blocked_by == interaction.user.id:
            raise Refusal("reach.appeal_other_rep")
        if action == "lift":
            await store.lift(bot.db, blocked.guild_id, handle)
            note = bot.t(loc, "reach.appeal_lifted", rep=interaction.user.mention)
        else:
            note = bot.t(loc, "reach.appeal_kept", rep=interaction.user.mention, until=blocked.expires_on)
        await interaction.response.edit_message(content=note, embed=None, view=None)

    # -- delivery ----------------------------------------------------------------------------

    def _rep_view(self, lang: str, handle: str) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        for action in ("team", "own", "block", "close"):
            view.add_item(RepButton(action, handle, self.bot.t(lang, f"reach.rep_{action}")))
        options = [
            discord.SelectOption(label=self.bot.t(lang, f"reach.snippet_label_{s}")[:100], value=s)
            for s in domain.SNIPPETS
        ]
        view.add_item(SnippetSelect(handle, options, self.bot.t(lang, "reach.snippet_placeholder")))
        return view

    async def _deliver_conversation(self, conversation_id: bytes, *, add_member: int | None = None) -> bool:
        """Deliver the due messages of one conversation now (caller holds the poster's lock)."""
        delivered = False
        for outgoing in await store.due_messages(self.bot.db, self.bot.clock()):
            if outgoing.conversation.id == conversation_id:
                delivered = await self._post_claimed(outgoing, add_member=add_member) or delivered
        return delivered

    async def _post_claimed(self, outgoing: store.Outgoing, *, add_member: int | None = None) -> bool:
        """Post one message if this process wins its claim (bot.store.claims); released unless posted."""
        if not await claims.claim(self.bot.db, "reach", outgoing.id, self.bot.clock()):
            return False
        posted = False
        try:
            posted = await self._post(outgoing, add_member=add_member)
        finally:
            if not posted:
                await claims.release(self.bot.db, "reach", outgoing.id)
        return posted

    async def _post(self, outgoing: store.Outgoing, *, add_member: int | None = None) -> bool:
        """Post one member message (making the thread first if needed); False to retry later."""
        bot = self.bot
        conversation = outgoing.conversation
        settings = await get_settings(bot.db, conversation.guild_id)
        lang = conversation.lang
        thread_id = conversation.thread_id
        try:
            if thread_id is None:
                parent = bot.get_channel(settings.reps_channel_id or 0)
                if not isinstance(parent, discord.TextChannel):
                    log.warning("a /reach message waits: the reps channel is unavailable")
                    return False
                thread = await parent.create_thread(
                    name=domain.thread_name(bot.t(lang, "reach.thread_prefix"), conversation.handle),
                    type=discord.ChannelType.private_thread,
                    invitable=False,
                    auto_archive_duration=ARCHIVE_MINUTES,
                )
                thread_id = thread.id
                await store.set_thread(bot.db, conversation.id, thread_id)
                conversation = store.Conversation(**{**conversation.__dict__, "thread_id": thread_id})
                intro = bot.t(
                    lang, "reach.thread_intro_named" if conversation.named else "reach.thread_intro_anonymous"
                )
                await thread.send(intro)
                if add_member is not None:
                    await thread.add_user(discord.Object(add_member))
            target = _thread(bot, conversation)
            title = bot.t(
                lang, "reach.thread_message_named" if conversation.named else "reach.thread_message_anonymous"
            )
            embed = wellbeing_embed(bot, lang, title=title, description=relayed_text(outgoing.body))
            await target.send(embed=embed, view=self._rep_view(lang, conversation.handle))
            if outgoing.flagged:
                note = await target.send(bot.t(lang, "reach.thread_urgent"))
                try:
                    await note.pin()
                except discord.HTTPException as exc:
                    log.warning("could not pin the urgent note in a /reach thread (HTTP %s)", exc.status)
                await store.mark_urgent(bot.db, conversation.id)
        except discord.HTTPException as exc:
            log.warning("a /reach message could not be posted (HTTP %s); it stays queued", exc.status)
            return False
        await store.posted(bot.db, outgoing.id, conversation.id)
        return True

    async def deliver_due(self) -> None:
        """Post every member message whose delay is over, and delete threads of forgotten conversations."""
        await self.bot.wait_until_ready()
        async with self.bot.busy():
            async with self._posting:
                for outgoing in await store.due_messages(self.bot.db, self.bot.clock()):
                    if self.bot.owns_guild(outgoing.conversation.guild_id):  # else another shard's
                        await self._post_claimed(outgoing)
            await self._delete_threads()

    async def _delete_threads(self) -> None:
        for guild_id, thread_id in await store.threads_to_delete(self.bot.db):
            if not self.bot.owns_guild(guild_id):
                continue
            try:
                await self.bot.http.delete_channel(thread_id)
            except discord.NotFound:
                pass
            except discord.HTTPException as exc:
                log.warning("could not delete a /reach thread (HTTP %s); retried later", exc.status)
                continue
            await store.thread_deleted(self.bot.db, thread_id)


class _Answered(Exception):
    """The interaction was already answered (e.g. a kind refusal with an appeal button)."""


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Reach(bot))
