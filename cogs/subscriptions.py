"""/subscribe and /unsubscribe for weekly DMs, and the dispatcher job that sends them."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot.anonymity import member_key, seal_user
from bot.app import KindredBot
from bot.delivery import DispatchReport, SendResult, dispatch_due, first_due, recipient_purpose
from bot.errors import Refusal
from bot.i18n import pack_of
from bot.jobs import DISPATCH_JOB_ID
from bot.prompts import prompt_for_member
from bot.retention import forget_what_is_due
from bot.schedule import WeeklySlot, period_of
from bot.single_run import SingleRun
from bot.store import subscriptions as subs
from bot.store.guilds import get_settings
from cogs._cadence import in_deadline_week
from cogs._checkin import CheckInButton
from cogs._choices import day_choices, parse_day, parse_time, parse_zone, timezone_choices
from cogs._ui import CrisisButton, Interaction, KindredView, describe_kind, describe_reason

log = logging.getLogger(__name__)

DM_CLOSED = 50007
KIND_CHOICES = [
    app_commands.Choice(name="check-in", value="checkin"),
    app_commands.Choice(name="reflection prompt", value="prompt"),
]


def delivery_nonce(sub: subs.Subscription) -> str:
    """One nonce for every attempt at one week's DM, so Discord (enforce_nonce) drops a quick repeat.

    A bot killed between sending and recording resends after its restart; Discord discards it.
    """
    period = period_of(sub.slot, sub.next_due)
    return hashlib.sha256(sub.member + f"|{sub.guild_id}|{sub.kind}|{period}".encode()).hexdigest()[:25]


def _parse_slot(day: str, time: str, timezone: str) -> WeeklySlot:
    return WeeklySlot(parse_day(day), parse_time(time), parse_zone(timezone))


def _local(moment: datetime, slot: WeeklySlot) -> str:
    return moment.astimezone(slot.zone()).strftime("%Y-%m-%d %H:%M")


class Subscriptions(commands.Cog):
    """Opt-in weekly DMs: check-in nudges and reflection prompts."""

    def __init__(self, bot: KindredBot) -> None:
        """Keep the bot for its services."""
        self.bot = bot
        # The job only asks for a pass: a fan-out longer than the interval never overlaps itself,
        # and the ticks during it become one more pass, without a scheduler warning per tick.
        self.dispatcher = SingleRun(self.dispatch, "kindred-dispatch")

    async def cog_load(self) -> None:
        """Register the dispatcher, paused until kindred is connected (see on_ready)."""
        self.bot.jobs.every(
            DISPATCH_JOB_ID,
            self.bot.settings.dispatch_interval,
            self.dispatcher.request,
            first_run=None,
            label="admin.job_dispatch",
            never_misfires=True,
        )

    async def cog_unload(self) -> None:
        """Stop the dispatcher."""
        self.bot.jobs.cancel(DISPATCH_JOB_ID)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Once connected: dispatch at once (to catch up after downtime), then every interval."""
        self.bot.jobs.wake(DISPATCH_JOB_ID, self.bot.clock())

    def run_dispatch_soon(self) -> None:
        """Ask the dispatcher to run now rather than at its next interval."""
        self.bot.jobs.run_now(DISPATCH_JOB_ID, self.bot.clock())

    async def dispatch(self) -> DispatchReport | None:
        """Send every due weekly DM (one dispatcher pass); None when kindred is stopping."""
        await self.bot.wait_until_ready()
        if self.bot.stopping:  # the HTTP session is about to close: this pass waits for the next start
            return None
        async with self.bot.busy():
            now = self.bot.clock()
            report = await dispatch_due(
                self.bot.db,
                self.bot.secret,
                now,
                self.bot.settings.delivery_grace,
                self._send,
                quiet=lambda guild_id: in_deadline_week(self.bot, guild_id, now),
                owns=self.bot.owns_guild,  # the guild's shard: its name and calendar live there
            )
            await forget_what_is_due(self.bot.db, now)
        if report.sent or report.paused or report.failed or report.errors:
            log.info(
                "weekly DMs: %d sent, %d skipped late, %d skipped (checked in), %d skipped (quiet week),"
                " %d paused, %d failed",
                report.sent,
                report.skipped_late,
                report.skipped_checked_in,
                report.skipped_quiet,
                report.paused,
                report.failed,
            )
        return report

    async def _send(self, sub: subs.Subscription, user_id: int) -> SendResult:
        bot = self.bot
        guild = bot.get_guild(sub.guild_id)
        name = discord.utils.escape_markdown(guild.name) if guild else "your lab"
        view = KindredView(timeout=None)
        if sub.kind == "checkin":
            content = bot.t(sub.lang, "subscribe.checkin_dm", guild=name)
            view.add_item(CheckInButton(sub.guild_id, bot.t(sub.lang, "checkin.button")))
        else:
            pool = bot.library.pack(sub.lang).prompts
            prompt = prompt_for_member(pool, sub.member, period_of(sub.slot, sub.next_due))
            content = bot.t(sub.lang, "subscribe.prompt_dm", guild=name, prompt=prompt.text)
        content += "\n\n-# " + bot.t(sub.lang, "footer.crisis")
        view.add_item(CrisisButton(bot.t(sub.lang, "footer.button")))
        try:
            channel = await bot.create_dm(discord.Object(user_id))
            await channel.send(content, view=view, nonce=delivery_nonce(sub))
        except discord.Forbidden as exc:
            if exc.code == DM_CLOSED:
                return SendResult.DM_CLOSED
            log.warning("weekly DM refused by Discord (code %s)", exc.code)
            return SendResult.FAILED
        except discord.HTTPException as exc:
            log.warning("weekly DM failed (HTTP %s, code %s); will retry", exc.status, exc.code)
            return SendResult.FAILED
        return SendResult.SENT

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Forget a guild's weekly DMs when kindred is removed from it."""
        await subs.forget_guild(self.bot.db, guild.id)

    @app_commands.command(
        name="subscribe", description="Get a weekly DM: a check-in nudge or a reflection prompt"
    )
    @app_commands.describe(
        kind="What to get",
        day="Day of the week",
        time="Local time, e.g. 09:30",
        timezone="Your timezone, e.g. Europe/London (defaults to the lab's)",
        quiet_in_deadline_weeks="Skip this DM in the lab's deadline weeks (default: no)",
    )
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.guild_only()
    async def subscribe(
        self,
        interaction: Interaction,
        kind: str,
        day: str,
        time: str,
        timezone: str | None = None,
        quiet_in_deadline_weeks: bool = False,
    ) -> None:
        """Save a weekly DM schedule for this member in this guild."""
        bot = self.bot
        loc = interaction.locale
        guild_id = interaction.guild_id
        if guild_id is None:
            raise Refusal("subscribe.guild_only")
        if kind not in subs.KINDS:
            raise Refusal("errors.unexpected", reference="kind")
        settings = await get_settings(bot.db, guild_id)
        slot = _parse_slot(day, time, timezone or settings.declared_timezone)
        now = bot.clock()
        member = member_key(bot.secret, guild_id, interaction.user.id)
        previous = next(
            (
                s
                for s in await subs.subscriptions_of(bot.db, [member])
                if s.guild_id == guild_id and s.kind == kind
            ),
            None,
        )
        due = first_due(slot, now, bot.settings.delivery_grace)
        recipient = seal_user(
            bot.secret, interaction.user.id, guild_id=guild_id, purpose=recipient_purpose(kind)
        )
        await subs.save_subscription(
            bot.db,
            subs.Subscription(
                member=member,
                guild_id=guild_id,
                kind=kind,
                recipient=recipient,
                slot=slot,
                next_due=due,
                lang=pack_of(loc),
                quiet_deadlines=quiet_in_deadline_weeks,
            ),
            now,
        )
        values = {
            "kind": describe_kind(bot, loc, kind),
            "day": bot.t(loc, f"days.d{slot.weekday}"),
            "time": slot.at.strftime("%H:%M"),
            "timezone": slot.tz,
            "next": _local(due, slot),
        }
        lines = [bot.t(loc, "subscribe.saved_now" if due <= now else "subscribe.saved", **values)]
        if previous is not None and previous.paused_reason:
            lines.append(
                bot.t(loc, "subscribe.was_paused", reason=describe_reason(bot, loc, previous.paused_reason))
            )
        if quiet_in_deadline_weeks:
            lines.append(bot.t(loc, "calendar.quiet_saved"))
        lines.append(bot.t(loc, "subscribe.dm_hint"))
        await interaction.response.send_message("\n\n".join(lines), ephemeral=True)
        if due <= now:
            self.run_dispatch_soon()

    @subscribe.autocomplete("day")
    async def _day_choices(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return day_choices(self.bot, interaction.locale, current)

    @subscribe.autocomplete("timezone")
    async def _timezone_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return timezone_choices(current)

    @app_commands.command(name="unsubscribe", description="Stop a weekly DM")
    @app_commands.describe(kind="Which weekly DM to stop")
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.guild_only()
    async def unsubscribe(self, interaction: Interaction, kind: str) -> None:
        """Remove this member's subscription of one kind in this guild."""
        bot = self.bot
        loc = interaction.locale
        if interaction.guild_id is None:
            raise Refusal("subscribe.guild_only")
        member = member_key(bot.secret, interaction.guild_id, interaction.user.id)
        removed = await subs.remove_subscription(bot.db, member, interaction.guild_id, kind)
        key = "subscribe.removed" if removed else "subscribe.not_subscribed"
        await interaction.response.send_message(
            bot.t(loc, key, kind=describe_kind(bot, loc, kind)), ephemeral=True
        )


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Subscriptions(bot))
