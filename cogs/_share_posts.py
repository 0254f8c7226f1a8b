"""Published /share posts: anonymous replies, the author's code, reports and moderation (issue 17).

Nothing here stores who anyone is. Replies are numbered in order ("reply 3"); the author proves
authorship with the random code shown once in their confirmation (only its keyed hash is kept);
reporters are counted under a keyed token that changes every day and is never shown; the
moderation log names the moderator and what was acted on ("post", "reply 3"), never the author.
Every component carries its state in its custom id, so each path works after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
from datetime import timedelta
from typing import Any

import discord

from bot import share_posts as domain
from bot.anonymity import (
    SealError,
    open_value,
    seal_value,
    share_code_hash,
    share_reply_token,
    share_reporter_token,
    share_token,
)
from bot.app import KindredBot
from bot.errors import Refusal
from bot.reach import block_days, block_ends, clean_code, member_delay
from bot.screening import screen_aside
from bot.store import claims, shares
from bot.store import share_posts as store
from bot.store.guilds import GuildSettings, get_settings
from bot.validation import plain_text, relayed_text
from cogs._checks import is_moderator
from cogs._ui import (
    CrisisButton,
    KindredModal,
    KindredView,
    PersistentItem,
    crisis_text,
    crisis_view,
    wellbeing_embed,
)

log = logging.getLogger(__name__)

_HEX = "[0-9a-f]{32}"
PUBLISH_WAIT_SECONDS = 2.0  # how long a press waits for a post being stored (the 3 s answer limit)
RETRY_AFTER = timedelta(minutes=1)  # when the publisher retries what was to be sent at once


def epochs(bot: KindredBot) -> tuple[str, str]:
    """The current and previous author-token epochs (the same numbering /share uses)."""
    return domain.author_epochs(bot.clock().date())


def post_context(share_id: bytes) -> str:
    """What a post's sealed author token is bound to."""
    return f"share-post\x1f{share_id.hex()}"


def reply_context(share_id: bytes) -> str:
    """What a reply's sealed author token is bound to."""
    return f"share-reply\x1f{share_id.hex()}"


def delay_bound(bot: KindredBot, settings: GuildSettings) -> int:
    """The lab's publication delay in minutes, never below the operator's floor (as for shares)."""
    return max(settings.share_delay_minutes, bot.settings.min_share_delay_minutes)


def _what(bot: KindredBot, locale: object, number: int | None) -> str:
    """The words for "the post" or "reply 3", in the reader's language."""
    if number is None:
        return bot.t(locale, "replies.target_post")
    return bot.t(locale, "replies.target_reply", number=number)


def _desk(bot: KindredBot) -> PostDesk:
    desk = getattr(bot.get_cog("Share"), "desk", None)
    assert isinstance(desk, PostDesk)  # noqa: S101 - items only exist while the cog is loaded
    return desk


def _thread(bot: KindredBot, post: store.Post) -> discord.PartialMessageable:
    return bot.get_partial_messageable(
        post.thread_id or post.message_id, guild_id=post.guild_id, type=discord.ChannelType.public_thread
    )


def _channel(bot: KindredBot, post: store.Post) -> discord.PartialMessageable:
    return bot.get_partial_messageable(post.channel_id, guild_id=post.guild_id, type=discord.ChannelType.text)


# -- components: each carries what it acts on in its custom id --------------------------------


class PostButton(
    PersistentItem[discord.ui.Button[Any]],
    template=rf"kindred:sp:(?P<action>reply|report|author|moderate):(?P<id>{_HEX})",
):
    """A button under a published share."""

    def __init__(self, action: str, share_id: bytes, label: str = "") -> None:
        """Build one button."""
        style = discord.ButtonStyle.primary if action == "reply" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label or action, style=style, custom_id=f"kindred:sp:{action}:{share_id.hex()}"
            )
        )
        self.action, self.share_id = action, share_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PostButton:
        """Rebuild from the custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match.group("action"), bytes.fromhex(match.group("id")), label or "")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Open the form (or the moderator menu) for this post."""
        bot: KindredBot = interaction.client
        desk = _desk(bot)
        post = await desk.live_post(self.share_id)
        loc = interaction.locale
        if self.action == "reply":
            if post.locked:
                raise Refusal("replies.locked")
            await ReplyModal(bot, loc, self.share_id).open(interaction)
        elif self.action == "report":
            await ReportModal(bot, loc, "p", self.share_id).open(interaction)
        elif self.action == "author":
            await AuthorModal(bot, loc, self.share_id).open(interaction)
        else:
            await desk.moderator_menu(interaction, "p", self.share_id)


class ReplyItemButton(
    PersistentItem[discord.ui.Button[Any]],
    template=rf"kindred:spr:(?P<action>report|moderate):(?P<id>{_HEX})",
):
    """A button under a posted anonymous reply."""

    def __init__(self, action: str, reply_id: bytes, label: str = "") -> None:
        """Build one button."""
        super().__init__(
            discord.ui.Button(
                label=label or action,
                style=discord.ButtonStyle.secondary,
                custom_id=f"kindred:spr:{action}:{reply_id.hex()}",
            )
        )
        self.action, self.reply_id = action, reply_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReplyItemButton:
        """Rebuild from the custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match.group("action"), bytes.fromhex(match.group("id")), label or "")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Report the reply, or open the moderator menu."""
        bot: KindredBot = interaction.client
        if await store.reply(bot.db, self.reply_id) is None:
            raise Refusal("replies.gone")
        if self.action == "report":
            await ReportModal(bot, interaction.locale, "r", self.reply_id).open(interaction)
        else:
            await _desk(bot).moderator_menu(interaction, "r", self.reply_id)


class ModButton(
    PersistentItem[discord.ui.Button[Any]],
    template=rf"kindred:spm:(?P<action>delete|block|lock):(?P<kind>p|r):(?P<id>{_HEX})",
):
    """A moderator's action on a post or reply (in a report, or in the moderator menu)."""

    def __init__(self, action: str, kind: str, target: bytes, label: str = "") -> None:
        """Build one button."""
        style = discord.ButtonStyle.danger if action != "lock" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label or action, style=style, custom_id=f"kindred:spm:{action}:{kind}:{target.hex()}"
            )
        )
        self.action, self.kind, self.target = action, kind, target

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ModButton:
        """Rebuild from the custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match.group("action"), match.group("kind"), bytes.fromhex(match.group("id")), label or "")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Only moderators act; a block asks for how long."""
        bot: KindredBot = interaction.client
        if not await is_moderator(bot, interaction):
            raise Refusal("errors.not_allowed")
        if self.action == "block":
            await BlockModal(bot, interaction.locale, self.kind, self.target).open(interaction)
            return
        await _desk(bot).moderate(interaction, self.action, self.kind, self.target, None)


class ReplyReviewButton(
    PersistentItem[discord.ui.Button[Any]],
    template=rf"kindred:sprv:(?P<action>approve|reject):(?P<id>{_HEX})",
):
    """A moderator's decision on a held reply or update."""

    def __init__(self, action: str, reply_id: bytes, label: str = "") -> None:
        """Build one button."""
        style = discord.ButtonStyle.success if action == "approve" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label or action, style=style, custom_id=f"kindred:sprv:{action}:{reply_id.hex()}"
            )
        )
        self.action, self.reply_id = action, reply_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReplyReviewButton:
        """Rebuild from the custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match.group("action"), bytes.fromhex(match.group("id")), label or "")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Only moderators decide."""
        bot: KindredBot = interaction.client
        if not await is_moderator(bot, interaction):
            raise Refusal("errors.not_allowed")
        await _desk(bot).decide(interaction, self.action, self.reply_id)


ITEMS = (PostButton, ReplyItemButton, ModButton, ReplyReviewButton)


# -- forms ----------------------------------------------------------------------------------


class ReplyModal(KindredModal):
    """An anonymous reply."""

    def __init__(self, bot: KindredBot, locale: object, share_id: bytes) -> None:
        """Build the form in the member's language."""
        super().__init__(
            title=bot.t(locale, "replies.reply_title"),
            custom_id=f"kindred:sp-reply:{share_id.hex()}:{secrets.token_hex(8)}",
        )
        self.bot, self.share_id = bot, share_id
        self.add_item(discord.ui.TextDisplay(bot.t(locale, "replies.reply_about")))
        self.body: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "replies.field_reply"),
            style=discord.TextStyle.paragraph,
            max_length=domain.MAX_REPLY,
            custom_id="reply",
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Screen, count, queue (or hold for review), and post when due."""
        await _desk(self.bot).submit_reply(interaction, self.share_id, self.body.value)


class AuthorModal(KindredModal):
    """The author's form: their code, what to do (reply as OP, add an update, withdraw) and the text."""

    def __init__(self, bot: KindredBot, locale: object, share_id: bytes) -> None:
        """Build the form in the member's language."""
        super().__init__(
            title=bot.t(locale, "replies.author_title"),
            custom_id=f"kindred:sp-author:{share_id.hex()}:{secrets.token_hex(8)}",
        )
        self.bot, self.share_id = bot, share_id
        self.code: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "replies.field_code"), min_length=20, max_length=40, custom_id="code"
        )
        self.action: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="action",
            options=[
                discord.SelectOption(label=bot.t(locale, f"replies.action_{a}"), value=a)
                for a in domain.ACTIONS
            ],
        )
        self.body: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "replies.field_author_text"),
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=domain.MAX_REPLY,
            custom_id="text",
        )
        self.add_item(self.code)
        self.add_item(discord.ui.Label(text=bot.t(locale, "replies.field_action"), component=self.action))
        self.add_item(self.body)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Check the code, then reply as OP, add the update or withdraw the post."""
        chosen = self.action.values[0] if self.action.values else ""
        await _desk(self.bot).author_action(
            interaction, self.share_id, self.code.value, chosen, self.body.value or ""
        )


class ReportModal(KindredModal):
    """A report: a reason and optional words; the reporter is never stored or shown."""

    def __init__(self, bot: KindredBot, locale: object, kind: str, target: bytes) -> None:
        """Build the form in the member's language."""
        super().__init__(
            title=bot.t(locale, "replies.report_title"),
            custom_id=f"kindred:sp-report:{kind}:{target.hex()}:{secrets.token_hex(8)}",
        )
        self.bot, self.kind, self.target = bot, kind, target
        self.add_item(discord.ui.TextDisplay(bot.t(locale, "replies.report_about")))
        self.reason: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="reason",
            options=[
                discord.SelectOption(label=bot.t(locale, f"replies.reason_{r}"), value=r)
                for r in domain.REASONS
            ],
        )
        self.details: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "replies.field_details"),
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=domain.MAX_REPORT,
            custom_id="details",
        )
        self.add_item(discord.ui.Label(text=bot.t(locale, "replies.field_reason"), component=self.reason))
        self.add_item(self.details)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Tell the moderators (and, if someone is worried, post support in the thread)."""
        reason = domain.reason_of(self.reason.values[0] if self.reason.values else "")
        await _desk(self.bot).report(interaction, self.kind, self.target, reason, self.details.value or "")


class BlockModal(KindredModal):
    """How many days a moderator blocks the (still anonymous) author."""

    def __init__(self, bot: KindredBot, locale: object, kind: str, target: bytes) -> None:
        """Build the form in the moderator's language."""
        super().__init__(
            title=bot.t(locale, "replies.block_title"),
            custom_id=f"kindred:sp-block:{kind}:{target.hex()}:{secrets.token_hex(8)}",
        )
        self.bot, self.kind, self.target = bot, kind, target
        self.days: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "replies.field_days"), required=False, max_length=3, custom_id="days"
        )
        self.add_item(self.days)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Block for the days given (empty: the default)."""
        await _desk(self.bot).moderate(interaction, "block", self.kind, self.target, self.days.value)


# -- the work -------------------------------------------------------------------------------


class PostDesk:
    """Everything that happens to a share after it is published."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for its services."""
        self.bot = bot
        self._delivering: set[bytes] = set()  # replies being posted now (never twice at once)
        # Shares whose message is out but whose post row is not yet stored: a press on the new
        # message's buttons in that moment waits for the row instead of hearing "withdrawn".
        self.publishing: dict[bytes, asyncio.Event] = {}

    def post_view(self, lang: str, share_id: bytes) -> discord.ui.View:
        """The buttons under a published share: reply, author, report, moderate and /crisis."""
        view = KindredView(timeout=None)
        for action in ("reply", "author", "report", "moderate"):
            view.add_item(PostButton(action, share_id, self.bot.t(lang, f"replies.button_{action}")))
        view.add_item(CrisisButton(self.bot.t(lang, "footer.button")))
        return view

    async def live_post(self, share_id: bytes) -> store.Post:
        """The published post, or a kind refusal if it was withdrawn, deleted or is too old."""
        post = await store.post(self.bot.db, share_id)
        stored = self.publishing.get(share_id)
        if post is None and stored is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stored.wait(), PUBLISH_WAIT_SECONDS)
            post = await store.post(self.bot.db, share_id)
        if post is None:
            raise Refusal("replies.gone")
        return post

    def _token(self, guild_id: int, user_id: int) -> tuple[str, str]:
        first, second = epochs(self.bot)
        secret = self.bot.secret
        return share_token(secret, guild_id, user_id, first), share_token(secret, guild_id, user_id, second)

    # -- replies and updates -----------------------------------------------------------------

    async def submit_reply(self, interaction: discord.Interaction[Any], share_id: bytes, text: str) -> None:
        """An anonymous reply from anyone in the lab."""
        bot = self.bot
        post = await self.live_post(share_id)
        if post.locked:
            raise Refusal("replies.locked")
        tokens = self._token(post.guild_id, interaction.user.id)
        today = bot.clock().date().isoformat()
        if await shares.is_blocked(bot.db, post.guild_id, tokens, today):
            raise Refusal("share.blocked")
        counter = share_reply_token(bot.secret, post.guild_id, interaction.user.id, today)
        if not await shares.take_quota(bot.db, post.guild_id, counter, today, domain.REPLY_DAILY_LIMIT):
            raise Refusal("replies.limit", limit=domain.REPLY_DAILY_LIMIT)
        sealed = seal_value(bot.secret, tokens[0].encode(), context=reply_context(share_id))
        await self._queue(interaction, post, "reply", text, sealed)

    async def _queue(
        self, interaction: discord.Interaction[Any], post: store.Post, kind: str, text: str, sealed: bytes
    ) -> None:
        bot, loc = self.bot, interaction.locale
        body = plain_text(text).strip()
        if not body:
            raise Refusal("share.empty")
        settings = await get_settings(bot.db, post.guild_id)
        # Acknowledge before screening and the database work, so the answer is never late.
        await interaction.response.defer(ephemeral=True, thinking=True)
        screening = await screen_aside(body)
        now = bot.clock()
        delay = member_delay(delay_bound(bot, settings))
        if screening.flagged or settings.review_mode:
            reply_id = await store.hold_reply(
                bot.db,
                post.id,
                kind=kind,
                body=body,
                author_sealed=sealed,
                state="review",
                categories=screening.categories,
                review_after=now + (delay or RETRY_AFTER),  # sent at once below; retried if that fails
            )
            if not delay and await self._send_for_review(settings, reply_id):
                await store.review_requested(bot.db, reply_id)
            text = bot.t(loc, "replies.in_review")
            if screening.flagged:
                country = settings.country or bot.directory.default_country(str(loc))
                text = f"{bot.t(loc, 'replies.held_for_care')}\n\n{crisis_text(bot, loc, country)}"
            else:
                text = f"{text}\n\n{bot.t(loc, 'screening.crisis_hint')}"
            await interaction.followup.send(text[:2000], view=crisis_view(bot, loc), ephemeral=True)
            return
        # Posted at once when there is no delay; the publisher retries it a minute later if that fails.
        reply_id = await store.hold_reply(
            bot.db,
            post.id,
            kind=kind,
            body=body,
            author_sealed=sealed,
            state="scheduled",
            publish_after=now + (delay or RETRY_AFTER),
        )
        done = "replies.updated" if kind == "update" else "replies.posted"
        if delay:
            minutes = delay_bound(bot, settings)
            note = bot.t(
                loc, "replies.scheduled_update" if kind == "update" else "replies.scheduled", minutes=minutes
            )
            await interaction.followup.send(
                f"{note}\n\n{bot.t(loc, 'screening.crisis_hint')}", view=crisis_view(bot, loc), ephemeral=True
            )
            return
        held = await store.reply(bot.db, reply_id)
        if held is None or not await self._deliver(held, settings):
            done = "replies.scheduled"
        await interaction.followup.send(
            f"{bot.t(loc, done, minutes=1)}\n\n{bot.t(loc, 'screening.crisis_hint')}",
            view=crisis_view(bot, loc),
            ephemeral=True,
        )

    async def _deliver(self, held: store.Reply, settings: GuildSettings) -> bool:
        """Post one reply in the thread (or apply one update); False to retry later."""
        if held.id in self._delivering:  # the publisher pass and an immediate post met
            return True
        self._delivering.add(held.id)
        try:
            current = await store.reply(self.bot.db, held.id)
            if current is None or current.state != "scheduled":
                return True
            return await self._deliver_now(current, settings)
        finally:
            self._delivering.discard(held.id)

    async def _deliver_now(self, held: store.Reply, settings: GuildSettings) -> bool:
        bot, lang = self.bot, settings.lang
        post = await store.post(bot.db, held.share_id)
        if post is None:  # withdrawn or deleted meanwhile: the reply goes with it
            await store.forget_reply(bot.db, held.id)
            return True
        if held.kind == "update":
            return await self._apply_update(post, held, lang)
        number = await store.next_number(bot.db, post.id)
        key = "replies.op_label" if held.kind == "op" else "replies.reply_label"
        embed = wellbeing_embed(bot, lang, title=bot.t(lang, key, number=number))
        embed.description = relayed_text(held.body or "")[:4096]
        view = KindredView(timeout=None)
        for action in ("report", "moderate"):
            view.add_item(ReplyItemButton(action, held.id, bot.t(lang, f"replies.button_{action}")))
        view.add_item(CrisisButton(bot.t(lang, "footer.button")))
        try:
            if post.thread_id is None:
                thread = (
                    await _channel(bot, post)
                    .get_partial_message(post.message_id)
                    .create_thread(name=bot.t(lang, "share.thread_name"))
                )
                await store.set_thread(bot.db, post.id, thread.id)
                post = store.Post(**{**post.__dict__, "thread_id": thread.id})
            message = await _thread(bot, post).send(
                embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.HTTPException as exc:
            log.warning("could not post an anonymous reply (HTTP %s); it stays queued", exc.status)
            return False
        await store.posted(bot.db, held.id, number=number, message_id=message.id)
        return True

    async def _apply_update(self, post: store.Post, held: store.Reply, lang: str) -> bool:
        bot = self.bot
        try:
            message = await _channel(bot, post).fetch_message(post.message_id)
            hidden = bool(message.embeds) and "||" in (message.embeds[0].description or "")
            update = discord.Embed(
                title=bot.t(lang, "replies.update_title"),
                description=relayed_text(held.body or "", spoiler=hidden)[:4096],
                colour=message.embeds[0].colour if message.embeds else None,
            )
            await message.edit(
                embeds=[*message.embeds, update][:10], allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.NotFound:
            await store.forget_reply(bot.db, held.id)
            return True
        except discord.HTTPException as exc:
            log.warning("could not add an update to a share (HTTP %s); it stays queued", exc.status)
            return False
        await store.forget_reply(bot.db, held.id)
        return True

    async def _send_for_review(self, settings: GuildSettings, reply_id: bytes) -> bool:
        bot, lang = self.bot, settings.lang
        held = await store.reply(bot.db, reply_id)
        post = await store.post(bot.db, held.share_id) if held else None
        channel = bot.get_channel(settings.alert_channel_id or 0)
        if held is None or post is None or not isinstance(channel, discord.TextChannel):
            log.warning("a reply is waiting for review but the moderator-alert channel is unavailable")
            return False
        embed = wellbeing_embed(
            bot,
            lang,
            title=bot.t(lang, f"replies.review_{held.kind}"),
            description=relayed_text(held.body or ""),
        )
        notes = [
            bot.t(
                lang,
                "replies.review_note",
                link=domain.message_link(post.guild_id, post.channel_id, post.message_id),
            )
        ]
        if held.categories:
            names = ", ".join(bot.t(lang, f"share.category_{c}") for c in held.categories)
            notes.insert(0, "⚠️ " + bot.t(lang, "share.review_flagged", categories=names))
        embed.add_field(name="\u200b", value="\n".join(notes)[:1024], inline=False)
        view = KindredView(timeout=None)
        for action in ("approve", "reject"):
            view.add_item(ReplyReviewButton(action, reply_id, bot.t(lang, f"share.{action}")))
        try:
            await channel.send(embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as exc:
            log.warning("could not post a reply review request (HTTP %s); it is retried", exc.status)
            return False
        return True

    async def decide(self, interaction: discord.Interaction[Any], action: str, reply_id: bytes) -> None:
        """Approve or reject a held reply."""
        bot, loc = self.bot, interaction.locale
        held = await store.reply(bot.db, reply_id)
        if held is None or held.state != "review":
            await interaction.response.send_message(bot.t(loc, "share.already_decided"), ephemeral=True)
            return
        moderator = interaction.user.mention
        if action == "reject":
            await store.forget_reply(bot.db, reply_id)
            await interaction.response.edit_message(
                content=bot.t(loc, "share.rejected", moderator=moderator), embed=None, view=None
            )
            return
        settings = await get_settings(bot.db, interaction.guild_id or 0)
        delay = member_delay(delay_bound(bot, settings))
        if not await store.approve(bot.db, reply_id, bot.clock() + (delay or RETRY_AFTER)):
            await interaction.response.send_message(bot.t(loc, "share.already_decided"), ephemeral=True)
            return
        await interaction.response.edit_message(
            content=bot.t(loc, "replies.approved", moderator=moderator), embed=None, view=None
        )
        if not delay:
            approved = await store.reply(bot.db, reply_id)
            if approved is not None:
                await self._deliver(approved, settings)

    async def deliver_due(self) -> None:
        """Post due replies and updates, and due review requests (part of the publisher pass)."""
        now = self.bot.clock()
        owns = self.bot.owns_guild  # a post's replies are handled by the process of its guild's shard
        for held in await store.due_replies(self.bot.db, now):
            post = await store.post(self.bot.db, held.share_id)
            guild_id = post.guild_id if post else 0  # a reply to a gone post: shard 0's process drops it
            if not owns(guild_id):
                continue
            if not await claims.claim(self.bot.db, "reply", held.id, now):
                continue  # another process sharing the database is posting it
            done = False
            try:
                done = await self._deliver(held, await get_settings(self.bot.db, guild_id))
            finally:
                if not done:
                    await claims.release(self.bot.db, "reply", held.id)
        for held in await store.due_reviews(self.bot.db, now):
            post = await store.post(self.bot.db, held.share_id)
            if not owns(post.guild_id if post else 0):
                continue
            if post is None:
                await store.forget_reply(self.bot.db, held.id)
                continue
            if await self._send_for_review(await get_settings(self.bot.db, post.guild_id), held.id):
                await store.review_requested(self.bot.db, held.id)

    # -- the author --------------------------------------------------------------------------

    async def author_action(
        self, interaction: discord.Interaction[Any], share_id: bytes, typed: str, action: str, text: str
    ) -> None:
        """Reply as OP, add an update or withdraw, once the code proves authorship of this post."""
        bot, loc = self.bot, interaction.locale
        code = clean_code(typed)
        post = await store.by_code(bot.db, share_code_hash(bot.secret, code)) if code else None
        if post is None or post.id != share_id:
            raise Refusal("replies.bad_code")
        chosen = domain.action_of(action)
        if chosen is None:
            raise Refusal("replies.bad_action")
        if chosen == "withdraw":
            await interaction.response.defer(ephemeral=True, thinking=True)
            await self._remove_post(post)
            await interaction.followup.send(
                bot.t(loc, "replies.withdrawn"), view=crisis_view(bot, loc), ephemeral=True
            )
            return
        if chosen == "reply" and post.locked:
            raise Refusal("replies.locked")
        try:
            token = open_value(bot.secret, post.author_sealed, context=post_context(post.id)).decode()
        except SealError:
            raise Refusal("replies.bad_code") from None
        if await shares.is_blocked(bot.db, post.guild_id, [token], bot.clock().date().isoformat()):
            raise Refusal("share.blocked")
        await self._queue(
            interaction, post, "op" if chosen == "reply" else "update", text, post.author_sealed
        )

    async def _remove_post(self, post: store.Post) -> None:
        """Delete a post, its thread and everything kindred kept of it."""
        try:
            await _channel(self.bot, post).get_partial_message(post.message_id).delete()
        except discord.HTTPException as exc:
            log.warning("could not delete a share message (HTTP %s)", exc.status)
        if post.thread_id:
            try:
                await self.bot.http.delete_channel(post.thread_id)
            except discord.HTTPException as exc:
                # Without Manage Threads the thread stays: delete the replies kindred posted in it.
                log.warning("could not delete a share thread (HTTP %s); deleting its replies", exc.status)
                thread = _thread(self.bot, post)
                for message_id in await store.reply_messages(self.bot.db, post.id):
                    try:
                        await thread.get_partial_message(message_id).delete()
                    except discord.HTTPException as failed:
                        log.warning("could not delete a reply (HTTP %s)", failed.status)
        await store.delete_post(self.bot.db, post.id)

    # -- reports -----------------------------------------------------------------------------

    async def _target(self, kind: str, target: bytes) -> tuple[store.Post, store.Reply | None]:
        if kind == "p":
            return await self.live_post(target), None
        held = await store.reply(self.bot.db, target)
        if held is None or held.state != "posted":
            raise Refusal("replies.gone")
        return await self.live_post(held.share_id), held

    async def report(
        self, interaction: discord.Interaction[Any], kind: str, target: bytes, reason: str, details: str
    ) -> None:
        """Tell the moderators; for "I'm worried about the author", post support in the thread too."""
        bot, loc = self.bot, interaction.locale
        post, held = await self._target(kind, target)
        today = bot.clock().date().isoformat()
        counter = share_reporter_token(bot.secret, post.guild_id, interaction.user.id, today)
        if not await shares.take_quota(bot.db, post.guild_id, counter, today, domain.REPORT_DAILY_LIMIT):
            raise Refusal("replies.report_limit")
        await interaction.response.defer(ephemeral=True, thinking=True)
        settings = await get_settings(bot.db, post.guild_id)
        lang = settings.lang
        message_id = held.message_id if held and held.message_id else post.message_id
        channel_id = (post.thread_id or post.message_id) if held else post.channel_id
        link = domain.message_link(post.guild_id, channel_id, message_id)
        embed = discord.Embed(
            title=bot.t(lang, "replies.report_alert", reason=bot.t(lang, f"replies.reason_{reason}")),
            description=bot.t(
                lang,
                "replies.report_alert_body",
                target=_what(bot, lang, held.number if held else None),
                link=link,
            ),
        )
        words = plain_text(details).strip()
        if words:
            embed.add_field(
                name=bot.t(lang, "replies.field_details"), value=relayed_text(words)[:1024], inline=False
            )
        view = KindredView(timeout=None)
        for action in ("delete", "block", "lock"):
            view.add_item(ModButton(action, kind, target, bot.t(lang, f"replies.mod_{action}")))
        alerts = bot.get_channel(settings.alert_channel_id or 0)
        if isinstance(alerts, discord.TextChannel):
            try:
                await alerts.send(embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none())
            except discord.HTTPException as exc:
                log.warning("could not post a report (HTTP %s)", exc.status)
        if reason == domain.WORRIED:
            await self._post_support(post, settings)
        await interaction.followup.send(
            f"{bot.t(loc, 'replies.reported')}\n\n{bot.t(loc, 'screening.crisis_hint')}",
            view=crisis_view(bot, loc),
            ephemeral=True,
        )

    async def _post_support(self, post: store.Post, settings: GuildSettings) -> None:
        """A kind, public reply in the thread with crisis lines and /reach; it names no one."""
        bot, lang = self.bot, settings.lang
        embed = wellbeing_embed(
            bot,
            lang,
            title=bot.t(lang, "replies.worried_title"),
            description=bot.t(lang, "replies.worried_body"),
        )
        destination = _thread(bot, post) if post.thread_id else _channel(bot, post)
        try:
            await destination.send(
                crisis_text(bot, lang, settings.country)[:2000],
                embed=embed,
                view=crisis_view(bot, lang),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as exc:
            log.warning("could not post a support message under a share (HTTP %s)", exc.status)

    # -- moderation --------------------------------------------------------------------------

    async def moderator_menu(self, interaction: discord.Interaction[Any], kind: str, target: bytes) -> None:
        """Delete / block / lock buttons, shown privately to moderators only."""
        bot, loc = self.bot, interaction.locale
        if not await is_moderator(bot, interaction):
            raise Refusal("errors.not_allowed")
        await self._target(kind, target)
        view = KindredView(timeout=None)
        for action in ("delete", "block", "lock"):
            view.add_item(ModButton(action, kind, target, bot.t(loc, f"replies.mod_{action}")))
        await interaction.response.send_message(bot.t(loc, "replies.mod_menu"), view=view, ephemeral=True)

    async def moderate(
        self,
        interaction: discord.Interaction[Any],
        action: str,
        kind: str,
        target: bytes,
        days_text: str | None,
    ) -> None:
        """Delete, block the author of, or lock a post or reply; every action goes in the moderation log."""
        bot, loc = self.bot, interaction.locale
        post, held = await self._target(kind, target)
        what = domain.target_name(held.number if held else None)
        detail = action
        try:
            days = block_days(days_text) if action == "block" else 0
        except ValueError:
            raise Refusal("replies.bad_days") from None
        # Answer within Discord's three seconds: deleting a thread or its replies can take longer.
        await interaction.response.defer(ephemeral=True, thinking=True)
        if action == "block":
            sealed, context = (
                (held.author_sealed, reply_context(post.id))
                if held is not None and held.kind == "reply"
                else (post.author_sealed, post_context(post.id))
            )
            try:
                token = open_value(bot.secret, sealed, context=context).decode()
            except SealError:  # sealed before a key rotation, whose blocks ended with it
                await interaction.followup.send(bot.t(loc, "replies.cannot_block"), ephemeral=True)
                return
            await shares.block(bot.db, post.guild_id, token, block_ends(bot.clock().date(), days))
            detail = f"block {days}d"
            note = bot.t(loc, "replies.blocked", days=days)
        elif action == "lock":
            await store.lock(bot.db, post.id)
            if post.thread_id:
                try:
                    await bot.http.edit_channel(post.thread_id, locked=True, reason="kindred: moderator lock")
                except discord.HTTPException as exc:
                    log.warning(
                        "could not lock a share thread (HTTP %s); replies are refused anyway", exc.status
                    )
            note = bot.t(loc, "replies.locked_done")
        elif held is not None:
            try:
                await _thread(bot, post).get_partial_message(held.message_id or 0).delete()
            except discord.HTTPException as exc:
                log.warning("could not delete a reply (HTTP %s)", exc.status)
            await store.forget_reply(bot.db, held.id)
            note = bot.t(loc, "replies.deleted", target=_what(bot, loc, held.number if held else None))
        else:
            await self._remove_post(post)
            note = bot.t(loc, "replies.deleted", target=_what(bot, loc, held.number if held else None))
        await store.log_action(bot.db, post.guild_id, bot.clock(), interaction.user.id, detail, what)
        settings = await get_settings(bot.db, post.guild_id)
        alerts = bot.get_channel(settings.alert_channel_id or 0)
        if isinstance(alerts, discord.TextChannel):
            line = bot.t(
                settings.lang,
                "replies.log_line",
                moderator=interaction.user.mention,
                action=detail,
                target=_what(bot, settings.lang, held.number if held else None),
            )
            try:
                await alerts.send(line, allowed_mentions=discord.AllowedMentions.none())
            except discord.HTTPException as exc:
                log.warning("could not post a moderation log line (HTTP %s)", exc.status)
        await interaction.followup.send(note, ephemeral=True)
