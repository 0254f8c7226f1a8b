"""/share: anonymous posts to the lab's peer-support channel, with review and crisis screening.

The author is never stored: shares carry an opaque keyed token (for blocks and the daily limit)
and the text lives in the database only until it is posted or a moderator decides. Every share
is written down before anything is sent, so a failure or restart never loses one.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from datetime import timedelta
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.anonymity import seal_value, share_code_hash, share_token
from bot.app import KindredBot
from bot.errors import Refusal
from bot.jobs import PUBLISH_JOB_ID
from bot.reach import new_code
from bot.screening import screen_aside
from bot.share_posts import author_epochs
from bot.single_run import SingleRun
from bot.store import claims, share_posts, shares
from bot.store.guilds import GuildSettings, get_settings
from bot.validation import neutralise_mentions, plain_text, relayed_text
from cogs import _memories as memories
from cogs._checks import is_moderator
from cogs._share_posts import ITEMS, RETRY_AFTER, PostDesk, post_context
from cogs._ui import (
    EMBED_COLOUR,
    THREAD_ARCHIVE_MINUTES,
    Interaction,
    KindredModal,
    PersistentItem,
    crisis_text,
    crisis_view,
    wellbeing_embed,
)

log = logging.getLogger(__name__)

MAX_SHARE = 1500
MAX_WARNING = 100


def publish_delay(bot: KindredBot, settings: GuildSettings) -> int:
    """The lab's longest publication delay in minutes, never below the operator's floor."""
    return max(settings.share_delay_minutes, bot.settings.min_share_delay_minutes)


def jittered_delay(max_minutes: int) -> timedelta:
    """A random delay between a third of the maximum and the maximum, so timing does not identify."""
    if max_minutes <= 0:
        return timedelta(0)
    low = max_minutes * 60 // 3
    return timedelta(seconds=low + secrets.randbelow(max_minutes * 60 - low + 1))


def _channel(bot: KindredBot, channel_id: int | None) -> discord.TextChannel | None:
    channel = bot.get_channel(channel_id or 0)
    return channel if isinstance(channel, discord.TextChannel) else None


def share_embed(bot: KindredBot, lang: str, body: str, warning: str | None) -> discord.Embed:
    """How an anonymous share looks in the peer-support channel: no name, no pings."""
    title = bot.t(lang, "share.post_title")
    if warning:
        title = bot.t(
            lang,
            "share.post_warning",
            warning=discord.utils.escape_markdown(neutralise_mentions(plain_text(warning))),
        )
    # Quoted, escaped and (with a content note) hidden line by line: it cannot pass for kindred.
    embed = wellbeing_embed(bot, lang, title=title, description=relayed_text(body, spoiler=bool(warning)))
    embed.set_footer(text=bot.t(lang, "share.post_footer"))
    return embed


def _with_crisis_hint(bot: KindredBot, locale: object, text: str) -> str:
    """A share confirmation plus the way to /crisis: screening can miss, so every reply carries it."""
    return f"{text}\n\n{bot.t(locale, 'screening.crisis_hint')}"


def _with_code(bot: KindredBot, locale: object, text: str, code: str) -> str:
    """A confirmation plus the author's code, shown this once (kindred keeps only its keyed hash).

    The code always fits: the confirmation before it is shortened if the message would be too long.
    """
    note = bot.t(locale, "replies.your_code", code=code)
    return f"{text[: 2000 - len(note) - 2]}\n\n{note}"


class ShareModal(KindredModal):
    """The share form: text and an optional content warning."""

    def __init__(self, bot: KindredBot, locale: object) -> None:
        """Build the form in the member's language."""
        super().__init__(
            title=bot.t(locale, "share.modal_title"),
            custom_id=f"kindred:share-form:{secrets.token_hex(8)}",
            timeout=1800,
        )
        self.bot = bot
        self.add_item(discord.ui.TextDisplay(bot.t(locale, "share.about")))
        self.body: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "share.field_text"),
            style=discord.TextStyle.paragraph,
            max_length=MAX_SHARE,
            custom_id="text",
        )
        self.warning: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=bot.t(locale, "share.field_warning"),
            required=False,
            max_length=MAX_WARNING,
            placeholder=bot.t(locale, "share.warning_placeholder"),
            custom_id="warning",
        )
        self.add_item(self.body)
        self.add_item(self.warning)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Screen, count, store, then post, queue or send for review."""
        cog = self.bot.get_cog("Share")
        assert isinstance(cog, Share)  # noqa: S101 - the modal only exists while the cog is loaded
        await cog.receive(interaction, self.body.value, self.warning.value or None)


class ReviewButton(
    PersistentItem[discord.ui.Button[Any]],
    template=r"kindred:share:(?P<action>approve|reject|block|support):(?P<share>[0-9a-f]{32})",
):
    """Moderator decision on a held share; persistent so it works after a restart."""

    def __init__(self, action: str, share_id: bytes, label: str, style: discord.ButtonStyle) -> None:
        """Build one decision button."""
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"kindred:share:{action}:{share_id.hex()}")
        )
        self.action = action
        self.share_id = share_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReviewButton:
        """Rebuild from the custom id."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(
            match.group("action"),
            bytes.fromhex(match.group("share")),
            label or "",
            discord.ButtonStyle.secondary,
        )

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """Only moderators decide."""
        bot: KindredBot = interaction.client
        if not await is_moderator(bot, interaction):
            raise Refusal("errors.not_allowed")
        cog = bot.get_cog("Share")
        assert isinstance(cog, Share)  # noqa: S101 - dynamic items are removed with the cog
        await cog.decide(interaction, self.action, self.share_id)


class Share(commands.Cog):
    """Anonymous shares."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for its services."""
        self.bot = bot
        self.publisher = SingleRun(self.publish_due, "kindred-publish")  # see bot.single_run
        self.desk = PostDesk(bot)  # replies, the author's code, reports, moderation (cogs._share_posts)

    async def cog_load(self) -> None:
        """Revive review and post buttons and register publishing (paused until connected)."""
        self.bot.add_dynamic_items(ReviewButton, memories.MemoryButton, *ITEMS)
        # A pass at a time, however long it takes (bot.single_run): the job only asks for one.
        self.bot.jobs.every(
            PUBLISH_JOB_ID, self.bot.settings.dispatch_interval, self.publisher.request, first_run=None
        )

    async def cog_unload(self) -> None:
        """Undo what cog_load did."""
        self.bot.remove_dynamic_items(ReviewButton, memories.MemoryButton, *ITEMS)
        self.bot.jobs.cancel(PUBLISH_JOB_ID)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Publish queued shares now (after downtime) and then every interval."""
        self.bot.jobs.wake(PUBLISH_JOB_ID, self.bot.clock())

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Delete shares still waiting in a guild kindred left: they can no longer be posted there."""
        await shares.forget_guild(self.bot.db, guild.id)
        await share_posts.forget_guild(self.bot.db, guild.id)

    @app_commands.command(name="share", description="Share something anonymously with your lab")
    @app_commands.guild_only()
    async def share(self, interaction: Interaction) -> None:
        """Open the share form if the lab set up sharing."""
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage
        settings = await get_settings(self.bot.db, interaction.guild_id)
        if not (settings.peer_channel_id and settings.alert_channel_id):
            raise Refusal("share.not_set_up")
        await ShareModal(self.bot, interaction.locale).open(interaction)

    async def receive(
        self,
        interaction: discord.Interaction[Any],
        body: str,
        warning: str | None,
        *,
        thread_id: int | None = None,
    ) -> None:
        """Handle a submitted share (see the module docstring for what is kept).

        With `thread_id` it is a memory for gentle mode's condolences thread (cogs/_memories.py):
        always held for review, posted in that thread, and without an author code (no replies).
        """
        bot, loc = self.bot, interaction.locale
        guild_id = interaction.guild_id
        if guild_id is None:
            raise app_commands.NoPrivateMessage
        settings = await get_settings(bot.db, guild_id)
        memory = thread_id is not None
        if memory and not settings.alert_channel_id:
            raise Refusal("memories.not_set_up")
        if not memory and not (settings.peer_channel_id and settings.alert_channel_id):
            raise Refusal("share.not_set_up")
        # What a reader would see: a body of only zero-width or bidi characters is empty.
        body, warning = plain_text(body).strip(), plain_text(warning or "").strip() or None
        if not body:
            raise Refusal("share.empty")
        now = bot.clock()
        today = now.date()
        tokens = [share_token(bot.secret, guild_id, interaction.user.id, e) for e in author_epochs(today)]
        token = tokens[0]
        if await shares.is_blocked(bot.db, guild_id, tokens, today.isoformat()):
            raise Refusal("share.blocked")
        if not await shares.take_quota(
            bot.db, guild_id, token, today.isoformat(), settings.share_daily_limit
        ):
            raise Refusal("share.limit", limit=settings.share_daily_limit)
        # Acknowledge first: the database work and screening must never push the answer past 3 s.
        await interaction.response.defer(ephemeral=True, thinking=True)
        screening = await screen_aside(f"{body}\n{warning or ''}")
        code = new_code()  # the author's capability: reply as OP, update, withdraw
        code_hash = share_code_hash(bot.secret, code)
        peer = f"<#{settings.peer_channel_id}>"
        if memory:
            await self._hold_memory(
                interaction, settings, body, token, screening.flagged, screening.categories, thread_id
            )
            return
        if screening.flagged or settings.review_mode:
            # The review request waits a jittered delay like publication: its time must not point
            # to whoever was typing a moment ago.
            review_delay = jittered_delay(publish_delay(bot, settings))
            share_id = await shares.hold(
                bot.db,
                guild_id,
                body,
                warning,
                token,
                state="review",
                categories=screening.categories,
                review_after=now + (review_delay or RETRY_AFTER),  # sent at once below; retried if not
                expires_on=(today + timedelta(days=shares.REVIEW_KEPT_DAYS)).isoformat(),
                code_hash=code_hash,
            )
            if not review_delay:
                await self._request_review(settings, share_id)
            if screening.flagged:
                text = "\n\n".join(
                    [
                        bot.t(loc, "share.held_for_care"),
                        crisis_text(bot, loc, settings.country or bot.directory.default_country(str(loc))),
                    ]
                )
                await interaction.followup.send(text[:2000], view=crisis_view(bot, loc), ephemeral=True)
                # The crisis lines come first and whole; the author's code follows on its own.
                await interaction.followup.send(bot.t(loc, "replies.your_code", code=code), ephemeral=True)
            else:
                await interaction.followup.send(
                    _with_code(
                        bot,
                        loc,
                        _with_crisis_hint(bot, loc, bot.t(loc, "share.in_review", channel=peer)),
                        code,
                    ),
                    view=crisis_view(bot, loc),
                    ephemeral=True,
                )
            return
        delay = jittered_delay(publish_delay(bot, settings))
        share_id = await shares.hold(
            bot.db,
            guild_id,
            body,
            warning,
            token,
            state="scheduled",
            publish_after=now + (delay or RETRY_AFTER),  # posted at once below; retried if not
            code_hash=code_hash,
        )
        if delay:
            await interaction.followup.send(
                _with_code(
                    bot,
                    loc,
                    _with_crisis_hint(
                        bot,
                        loc,
                        bot.t(loc, "share.scheduled", channel=peer, minutes=publish_delay(bot, settings)),
                    ),
                    code,
                ),
                view=crisis_view(bot, loc),
                ephemeral=True,
            )
            return
        pending = await shares.get(bot.db, share_id)
        if pending is not None and await self._publish_once(pending, settings) == "posted":
            done = bot.t(loc, "share.posted", channel=peer)
        else:  # kept and retried by the publisher job: nothing is lost
            done = bot.t(loc, "share.scheduled", channel=peer, minutes=1)
        await interaction.followup.send(
            _with_code(bot, loc, _with_crisis_hint(bot, loc, done), code),
            view=crisis_view(bot, loc),
            ephemeral=True,
        )

    async def _hold_memory(
        self,
        interaction: discord.Interaction[Any],
        settings: GuildSettings,
        body: str,
        token: str,
        flagged: bool,
        categories: tuple[str, ...],
        thread_id: int | None,
    ) -> None:
        """Hold a memory for review (always), then answer its author: crisis lines first if flagged."""
        bot, loc = self.bot, interaction.locale
        now = bot.clock()
        review_delay = jittered_delay(publish_delay(bot, settings))  # its time must not point to anyone
        share_id = await shares.hold(
            bot.db,
            settings.guild_id,
            body,
            None,
            token,
            state="review",
            categories=categories,
            review_after=now + (review_delay or RETRY_AFTER),
            expires_on=(now.date() + timedelta(days=shares.REVIEW_KEPT_DAYS)).isoformat(),
            thread_id=thread_id,
        )
        if not review_delay:
            await self._request_review(settings, share_id)
        if flagged:
            country = settings.country or bot.directory.default_country(str(loc))
            text = "\n\n".join([bot.t(loc, "memories.held_for_care"), crisis_text(bot, loc, country)])
        else:
            text = _with_crisis_hint(bot, loc, bot.t(loc, "memories.in_review", thread=f"<#{thread_id}>"))
        await interaction.followup.send(text[:2000], view=crisis_view(bot, loc), ephemeral=True)

    async def _request_review(self, settings: GuildSettings, share_id: bytes) -> None:
        """Post a share's review request once, though the command and the publisher pass may meet.

        A share held with no delay is sent by the command itself and is due to the publisher pass
        only RETRY_AFTER later, its retry; should the send take longer than that, whichever claims
        it first (bot.store.claims) posts it, and one that could not be posted is released.
        """
        db = self.bot.db
        if not await claims.claim(db, "review", share_id, self.bot.clock()):
            return
        sent = False
        try:
            sent = await self._send_for_review(settings, share_id)
            if sent:
                await shares.review_requested(db, share_id)
        finally:
            if not sent:
                await claims.release(db, "review", share_id)

    async def _publish_once(
        self, pending: shares.PendingShare, settings: GuildSettings, *, tell: bool = True
    ) -> Literal["posted", "dropped", "retry"]:
        """Publish a queued share or memory unless another pass or process has claimed it.

        "retry": not posted here (Discord refused, or someone else is posting it); it stays queued.
        `tell` is passed on to `_publish_memory`.
        """
        db = self.bot.db
        if not await claims.claim(db, "share", pending.id, self.bot.clock()):
            return "retry"
        outcome: Literal["posted", "dropped", "retry"] = "retry"
        try:
            if pending.thread_id is not None:
                outcome = await self._publish_memory(pending, pending.thread_id, settings, tell=tell)
            elif await self._publish(pending, settings):
                outcome = "posted"
        finally:
            if outcome == "retry":
                await claims.release(db, "share", pending.id)
        return outcome

    async def _send_for_review(self, settings: GuildSettings, share_id: bytes) -> bool:
        """Post the review request to the moderators; False if it could not be posted (retried later)."""
        bot, lang = self.bot, settings.lang
        pending = await shares.get(bot.db, share_id)
        channel = _channel(bot, settings.alert_channel_id)
        if pending is None or channel is None:
            log.warning("a share is waiting for review but the moderator-alert channel is unavailable")
            return False
        if pending.thread_id is not None:  # say plainly where it would go: not the share channel
            embed = memories.memory_embed(bot, lang, pending.body)
            embed.title = bot.t(lang, "memories.review_title")
            notes = [bot.t(lang, "memories.review_note", thread=f"<#{pending.thread_id}>")]
        else:
            embed = share_embed(bot, lang, pending.body, pending.warning)
            embed.title = bot.t(lang, "share.review_title")
            notes = [bot.t(lang, "share.review_note", channel=f"<#{settings.peer_channel_id}>")]
        if pending.categories:
            names = ", ".join(bot.t(lang, f"share.category_{c}") for c in pending.categories)
            notes.insert(0, "⚠️ " + bot.t(lang, "share.review_flagged", categories=names))
        embed.add_field(name="\u200b", value="\n".join(notes)[:1024], inline=False)
        view = discord.ui.View(timeout=None)
        for action, style in (
            ("approve", discord.ButtonStyle.success),
            ("reject", discord.ButtonStyle.secondary),
            ("block", discord.ButtonStyle.danger),
            ("support", discord.ButtonStyle.primary),
        ):
            view.add_item(ReviewButton(action, share_id, bot.t(lang, f"share.{action}"), style))
        try:
            await channel.send(embed=embed, view=view)
        except discord.HTTPException as exc:
            log.warning("could not post a review request (HTTP %s); it is retried", exc.status)
            return False
        return True

    async def _publish(self, pending: shares.PendingShare, settings: GuildSettings) -> bool:
        """Post one share with a reply thread, then delete its text; False if Discord refused."""
        channel = _channel(self.bot, settings.peer_channel_id)
        if channel is None:
            return False
        stored = self.desk.publishing.setdefault(pending.id, asyncio.Event())
        try:
            try:
                message = await channel.send(
                    embed=share_embed(self.bot, settings.lang, pending.body, pending.warning),
                    view=self.desk.post_view(settings.lang, pending.id),
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            except discord.HTTPException as exc:
                log.warning("could not post an anonymous share (HTTP %s); it stays queued", exc.status)
                return False
            # The text leaves the queue; what stays is where the post is, the code's hash and the
            # author token sealed to this post (for a block), so it can be answered and moderated.
            await share_posts.publish(
                self.bot.db,
                pending.id,
                guild_id=pending.guild_id,
                channel_id=channel.id,
                message_id=message.id,
                code_hash=pending.code_hash,
                author_sealed=seal_value(
                    self.bot.secret, pending.author_token.encode(), context=post_context(pending.id)
                ),
                today=self.bot.clock().date().isoformat(),
            )
        finally:
            stored.set()  # a press on the new message waits for this (PostDesk.live_post)
            self.desk.publishing.pop(pending.id, None)
        try:
            thread = await message.create_thread(
                name=self.bot.t(settings.lang, "share.thread_name"),
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
            await share_posts.set_thread(self.bot.db, pending.id, thread.id)
        except discord.HTTPException as exc:
            log.warning("anonymous share posted without a reply thread (HTTP %s)", exc.status)
        return True

    async def _publish_memory(
        self, pending: shares.PendingShare, thread_id: int, settings: GuildSettings, *, tell: bool = True
    ) -> Literal["posted", "dropped", "retry"]:
        """Post an approved memory in its thread and delete its text ("retry": it stays queued).

        A thread gone or locked cannot take it and its author cannot be told: the memory is
        deleted unposted, the moderators are told (in the alert channel, unless `tell` is False
        because the caller edits the review message to say so), and the log says so without its text.
        """
        bot = self.bot
        try:
            await memories.post_memory(
                bot, thread_id, settings.lang, pending.body, crisis_view(bot, settings.lang)
            )
        except memories.ThreadClosed:
            await shares.forget(bot.db, pending.id)
            log.warning("an approved memory was dropped unposted: its condolences thread is gone or locked")
            alerts = _channel(bot, settings.alert_channel_id) if tell else None
            if alerts is not None:
                try:
                    await alerts.send(bot.t(settings.lang, "memories.dropped"))
                except discord.HTTPException as exc:
                    log.warning("could not tell the moderators a memory was dropped (HTTP %s)", exc.status)
            return "dropped"
        except discord.HTTPException as exc:
            log.warning("could not post a memory (HTTP %s); it stays queued", exc.status)
            return "retry"
        await shares.forget(bot.db, pending.id)
        log.info("posted an approved memory in the condolences thread")
        return "posted"

    async def publish_due(self) -> None:
        """Post every queued share whose time has come (one publisher pass)."""
        await self.bot.wait_until_ready()
        if self.bot.stopping:  # the HTTP session is about to close: posted after the next start
            return
        async with self.bot.busy():
            now = self.bot.clock()
            owns = self.bot.owns_guild  # other shards' guilds are posted by their own process
            for pending in await shares.due(self.bot.db, now):
                if not owns(pending.guild_id):
                    continue
                # One process posts each share, however many share the database (bot.store.claims).
                await self._publish_once(pending, await get_settings(self.bot.db, pending.guild_id))
            for pending in await shares.due_reviews(self.bot.db, now):
                if owns(pending.guild_id):
                    await self._request_review(await get_settings(self.bot.db, pending.guild_id), pending.id)
            await self.desk.deliver_due()

    async def decide(self, interaction: discord.Interaction[Any], action: str, share_id: bytes) -> None:
        """Apply a moderator's decision from the review message."""
        bot, loc = self.bot, interaction.locale
        guild_id = interaction.guild_id or 0
        settings = await get_settings(bot.db, guild_id)
        moderator = interaction.user.mention
        pending = await shares.get(bot.db, share_id)
        if pending is not None and pending.guild_id != guild_id:
            pending = None
        thread_id = pending.thread_id if pending is not None else None
        # Where it goes: the share channel, or a memory's condolences thread.
        peer = f"<#{thread_id or settings.peer_channel_id}>"
        prefix = "memories" if thread_id is not None else "share"
        if action == "support":
            where = await self._post_support(settings, thread_id)
            text = bot.t(loc, "share.support_posted", channel=f"<#{where}>") if where else None
            await interaction.response.send_message(
                text or bot.t(loc, "memories.support_nowhere"), ephemeral=True
            )
            return
        if pending is None or pending.state != "review":
            await interaction.response.send_message(bot.t(loc, "share.already_decided"), ephemeral=True)
            return
        if action == "approve":
            delay = jittered_delay(publish_delay(bot, settings))
            if not await shares.schedule(bot.db, share_id, bot.clock() + (delay or RETRY_AFTER)):
                await interaction.response.send_message(bot.t(loc, "share.already_decided"), ephemeral=True)
                return
            if delay:
                note = bot.t(
                    loc,
                    f"{prefix}.approved_later",
                    moderator=moderator,
                    channel=peer,
                    thread=peer,
                    minutes=publish_delay(bot, settings),
                )
            else:
                scheduled = await shares.get(bot.db, share_id)
                await interaction.response.defer()
                done = bot.t(loc, f"{prefix}.approved", moderator=moderator, channel=peer, thread=peer)
                if scheduled is not None and scheduled.thread_id is not None:
                    outcome = await self._publish_once(scheduled, settings, tell=False)
                    if outcome == "dropped":  # the review message itself tells the moderators
                        done = bot.t(loc, "memories.dropped")
                    elif outcome == "retry":
                        done = bot.t(
                            loc, "memories.approved_later", moderator=moderator, thread=peer, minutes=1
                        )
                elif scheduled is not None:
                    await self._publish_once(scheduled, settings)
                await interaction.edit_original_response(content=done, embed=None, view=None)
                return
        elif action == "block":
            until = bot.clock().date() + timedelta(days=shares.BLOCK_DAYS)
            await shares.block(bot.db, guild_id, pending.author_token, until.isoformat())
            await shares.forget(bot.db, share_id)
            note = bot.t(loc, "share.blocked_done")
        else:
            await shares.forget(bot.db, share_id)
            note = bot.t(loc, "share.rejected", moderator=moderator)
        await interaction.response.edit_message(content=note, embed=None, view=None)

    async def _post_support(self, settings: GuildSettings, thread_id: int | None = None) -> int | None:
        """A support message with crisis lines, naming no one; where it was posted (None: nowhere).

        A memory's goes in its condolences thread, or the peer channel if the thread is closed.
        """
        channel: discord.abc.Messageable | None = _channel(self.bot, settings.peer_channel_id)
        if thread_id is not None:
            try:
                channel = await memories.open_thread(self.bot, thread_id)
            except (memories.ThreadClosed, discord.HTTPException):
                log.warning("could not open a condolences thread for a support message")
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            return None
        lang = settings.lang
        embed = discord.Embed(
            title=self.bot.t(lang, "share.support_title"),
            description=self.bot.t(lang, "share.support_body"),
            colour=EMBED_COLOUR,
        )
        await channel.send(
            crisis_text(self.bot, lang, settings.country), embed=embed, view=crisis_view(self.bot, lang)
        )
        return channel.id


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Share(bot))
