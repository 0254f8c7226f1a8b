"""Wiring for `python -m bot sandbox`: the real kindred and the fake Discord in one process and one loop.

The bot is built exactly as `python -m bot` builds it (same settings type, cogs, store and
scheduler), with two sandbox-only choices made from outside: discord.py is pointed at the fake
(:func:`fakediscord.launcher.point_discord_at`, which ``fakediscord/launcher.py`` uses too) and
kindred's injectable clock is a :class:`VirtualClock` that stands still until ``:clock`` moves it.
The scheduler is APScheduler's own, started paused: the sandbox runs its due jobs on kindred's
clock (:meth:`Sandbox.run_due_jobs`), so a week can pass in a second and output is reproducible.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
import json
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import KindredBot
from bot.config import Settings, settings_from
from bot.single_run import SingleRun
from bot.startup import build_bot, load_content
from bot.store import StoreUnavailable, shares
from bot.store import subscriptions as subs
from fakediscord.fake_discord import FakeDiscord, FakeTimeoutError, InteractionHandle
from fakediscord.interactions import EPHEMERAL, LOADING, CallbackType, OptionValue
from fakediscord.launcher import point_discord_at
from fakediscord.models import JSON, ChannelType
from fakediscord.permissions import Permission

log = logging.getLogger(__name__)

#: The throwaway database's key. Public on purpose: its members are simulated and the database
#: is deleted on exit; a fixed key keeps scripted runs (and the README) reproducible.
THROWAWAY_KEY = b"kindred-sandbox-throwaway-key-not-a-secret-0001"
GUILD_NAME = "Sandbox Lab"
CHANNELS = ("general", "peer-support", "prompts", "mod-alerts")
MODERATOR_ROLE = "lab-admin"  # has Manage Server: what `:as moderator` gives you
WELLBEING_ROLE = "wellbeing"  # no permissions: for `/admin setup moderator_role:@wellbeing`
Persona = Literal["member", "moderator"]
PERSONAS: tuple[Persona, ...] = ("member", "moderator")
#: Seconds the sandbox waits for kindred's first answer to an interaction (Discord's limit is 3).
ANSWER_TIMEOUT = 3.5
#: Seconds it waits for kindred to finish the work an interaction or job started.
WORK_TIMEOUT = 15.0
READY_TIMEOUT = 15.0
#: discord.py names the tasks that handle interactions and events; the sandbox waits for these.
_WORK_TASKS = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch-",
    "discord-ui-modal-dispatch-",
    "discord-ui-dynamic-item-",
    "discord.py: ",
)


class SandboxError(RuntimeError):
    """The sandbox could not start or lost the bot; the message says what happened."""


class VirtualClock:
    """kindred's notion of now in the sandbox: stands still until moved forward."""

    def __init__(self, start: datetime) -> None:
        """Start at an aware moment."""
        if start.tzinfo is None:
            raise ValueError("the sandbox clock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        """The current virtual time (UTC)."""
        return self._now

    def move_to(self, moment: datetime) -> None:
        """Move forward (never back: schedules and deliveries assume time only advances)."""
        moment = moment.astimezone(UTC)
        if moment < self._now:
            raise ValueError("the sandbox clock only moves forward")
        self._now = moment


class ManualScheduler(AsyncIOScheduler):  # type: ignore[misc]  # APScheduler ships no type hints
    """APScheduler that never fires on the wall clock: the sandbox runs its due jobs on kindred's clock."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        """Keep the clock used to compute first run times."""
        super().__init__(timezone=UTC)
        self._clock = clock

    def start(self, paused: bool = False) -> None:
        """Start paused, always: jobs stay in the store and are run by :meth:`Sandbox.run_due_jobs`."""
        super().start(paused=True)

    def _real_add_job(self, job: Any, jobstore_alias: str, replace_existing: bool) -> None:
        # APScheduler computes a new job's first run from the wall clock; use kindred's clock instead.
        if not hasattr(job, "next_run_time"):
            job._modify(next_run_time=job.trigger.get_next_fire_time(None, self._clock()))
        super()._real_add_job(job, jobstore_alias, replace_existing)


def following_run(job: Any, now: datetime) -> datetime | None:
    """When a job that just ran at `now` runs next (coalesced, like APScheduler's `coalesce=True`)."""
    trigger = job.trigger
    if isinstance(trigger, IntervalTrigger):
        return now + trigger.interval  # type: ignore[no-any-return]
    previous = job.next_run_time
    upcoming: datetime | None = trigger.get_next_fire_time(previous, now)
    while upcoming is not None and upcoming <= now:
        previous = upcoming
        upcoming = trigger.get_next_fire_time(previous, now)
    return upcoming


@dataclass(frozen=True)
class SandboxOptions:
    """How to start the sandbox."""

    db_path: Path | None = None
    persona: Persona = "member"
    locale: str = "en-US"
    clock_start: datetime | None = None
    reproducible: bool = False
    log_level: str = "WARNING"


@dataclass
class SimulatedLab:
    """The ids of the simulated lab server."""

    guild_id: int
    owner_id: int
    you_id: int
    channels: dict[str, int]
    roles: dict[str, int]


@dataclass(frozen=True)
class Change:
    """Something kindred did that the sandbox shows: a new, edited or deleted message, or a new thread."""

    kind: Literal["new", "edited", "deleted", "thread"]
    message: JSON | None = None
    channel_id: int = 0


@dataclass
class Feed:
    """Remembers what was shown, so each step prints only what changed since."""

    fake: FakeDiscord
    _seen: dict[int, str] = field(default_factory=dict)
    _last: dict[int, JSON] = field(default_factory=dict)
    _threads: set[int] = field(default_factory=set)

    @staticmethod
    def _fingerprint(message: JSON) -> str:
        keys = ("content", "embeds", "components", "attachments", "flags")
        return json.dumps({k: message.get(k) for k in keys}, sort_keys=True, default=str)

    def collect(self) -> list[Change]:
        """Everything new since the last call, in the order it happened."""
        state = self.fake.state
        bot_id = str(state.bot_user.id)
        found: list[tuple[int, Change]] = []
        current: set[int] = set()
        for message_id, message in list(state.messages.items()):
            if message.get("author", {}).get("id") != bot_id:
                continue
            current.add(message_id)
            if message.get("flags", 0) & LOADING:
                continue  # still "thinking": shown once answered
            fingerprint = self._fingerprint(message)
            before = self._seen.get(message_id)
            if before == fingerprint:
                continue
            self._seen[message_id] = fingerprint
            self._last[message_id] = json.loads(json.dumps(message))
            found.append((message_id, Change("new" if before is None else "edited", message)))
        for message_id in [m for m in self._seen if m not in current]:
            del self._seen[message_id]
            gone = self._last.pop(message_id)
            found.append((message_id, Change("deleted", gone)))
        for channel in list(state.channels.values()):
            if channel.is_thread and channel.id not in self._threads:
                self._threads.add(channel.id)
                found.append((channel.id, Change("thread", channel_id=channel.id)))
        return [change for _, change in sorted(found, key=lambda pair: pair[0])]


@dataclass
class Reply:
    """What came of one action: changes to show, a modal to fill in, or why nothing happened."""

    changes: list[Change] = field(default_factory=list)
    modal: JSON | None = None
    handle: InteractionHandle | None = None
    problem: str | None = None


def _work_tasks() -> set[asyncio.Task[Any]]:
    me = asyncio.current_task()
    return {
        t
        for t in asyncio.all_tasks()
        if t is not me and not t.done() and t.get_name().startswith(_WORK_TASKS)
    }


class Sandbox:
    """A running kindred against a simulated lab server, driven by the CLI (or tests)."""

    def __init__(self, options: SandboxOptions) -> None:
        """Prepare; nothing starts until :meth:`start`."""
        self.options = options
        start = options.clock_start or datetime.now(UTC).replace(second=0, microsecond=0)
        self.clock = VirtualClock(start)
        self.fake = FakeDiscord(seed=0, epoch=start if options.reproducible else None, bot_name="kindred")
        self.feed = Feed(self.fake)
        self.persona: Persona = options.persona
        self.locale = options.locale
        self.channel_id: int | None = None  # None: the DM with kindred
        self.startup_seconds = 0.0
        self.job_failures = 0
        self._stack = contextlib.AsyncExitStack()
        self._bot: KindredBot | None = None
        self._lab: SimulatedLab | None = None
        self._connect: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> Sandbox:
        """Start everything."""
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Stop everything."""
        await self.close()

    @property
    def bot(self) -> KindredBot:
        """The running bot."""
        if self._bot is None:
            raise SandboxError("the sandbox is not started")
        return self._bot

    @property
    def lab(self) -> SimulatedLab:
        """The simulated lab server."""
        if self._lab is None:
            raise SandboxError("the sandbox is not started")
        return self._lab

    async def start(self) -> None:
        """Start the fake, build the lab, start kindred against it, publish its commands."""
        began = time.perf_counter()
        try:
            await self._start()
        except BaseException:
            await self.close()
            raise
        self.startup_seconds = time.perf_counter() - began

    async def _start(self) -> None:
        await self._stack.enter_async_context(self.fake)
        self._lab = self._build_lab()
        self.channel_id = self._lab.channels["general"]
        self.set_persona(self.persona)
        # What fakediscord/launcher.py does for a subprocess, in this process.
        point_discord_at(self.fake.api_base, self.fake.gateway_url)

        settings = self._settings(
            self._stack.enter_context(tempfile.TemporaryDirectory(prefix="kindred-sandbox-"))
        )
        content, problems = load_content(settings)
        if content is None:
            raise SandboxError(
                "resources/ has problems; run `python -m bot check`:\n" + "\n".join(str(p) for p in problems)
            )
        # Built exactly as `python -m bot` builds it, on the sandbox's virtual clock and scheduler.
        # discord.py's `guild_ready_timeout` (2 s by default) delays on_ready; the one local guild
        # arrives at once, so wait a moment only.
        bot = build_bot(
            settings,
            content,
            clock=self.clock,
            scheduler=ManualScheduler(self.clock),
            guild_ready_timeout=0.05,
        )
        self._bot = bot
        await self._stack.enter_async_context(bot)
        await bot.login(self.fake.token)
        await bot.tree.sync()
        self._connect = asyncio.create_task(bot.connect(reconnect=False), name="sandbox-gateway")
        ready = asyncio.create_task(bot.wait_until_ready(), name="sandbox-ready")
        done, _ = await asyncio.wait(
            {ready, self._connect}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if self._connect in done and self._connect.exception() is not None:
                raise SandboxError(f"kindred could not connect: {self._connect.exception()!r}")
            raise SandboxError("kindred did not become ready")
        await self.settle()
        self.feed.collect()

    def _settings(self, folder: str) -> Settings:
        scratch = Path(folder)
        named = self.options.db_path
        db_path = named.expanduser().resolve() if named else scratch / "kindred.sqlite3"
        settings = settings_from(
            {
                "KINDRED_DB_PATH": str(db_path),
                "KINDRED_HEARTBEAT_PATH": str(scratch / "kindred.heartbeat"),
                "KINDRED_LOG_LEVEL": self.options.log_level,
                # A sandbox database is for trying kindred out: its key may sit beside it.
                "KINDRED_SECRET_KEY_FILE": str(db_path) + ".key",
            },
            require_token=False,
        )
        # A throwaway database gets the public throwaway key; a named one the usual key file beside it.
        secret = THROWAWAY_KEY if named is None else None
        return dataclasses.replace(settings, discord_token=self.fake.token, secret_key=secret)

    def _build_lab(self) -> SimulatedLab:
        fake = self.fake
        owner = fake.add_user("pi", locale="en-GB")
        guild = fake.add_guild(GUILD_NAME, owner_id=owner.id)
        admin = fake.add_role(guild.id, MODERATOR_ROLE, Permission.MANAGE_GUILD)
        wellbeing = fake.add_role(guild.id, WELLBEING_ROLE, 0)
        view = int(Permission.VIEW_CHANNEL)
        channels = {}
        for name in CHANNELS:
            overwrites = None
            if name == "mod-alerts":  # moderators only, as in a real lab
                overwrites = {
                    guild.id: (0, view),
                    admin.id: (view, 0),
                    wellbeing.id: (view, 0),
                    fake.bot_role_id(guild.id): (view, 0),
                }
            channels[name] = fake.add_text_channel(guild.id, name, overwrites=overwrites).id
        you = fake.add_user("you", locale=self.locale)
        fake.add_member(guild.id, you.id)
        return SimulatedLab(
            guild.id, owner.id, you.id, channels, {MODERATOR_ROLE: admin.id, WELLBEING_ROLE: wellbeing.id}
        )

    async def close(self) -> None:
        """Stop kindred, the fake and the scratch folder (idempotent)."""
        bot = self._bot
        if bot is not None and not bot.is_closed():
            await bot.close()
        if self._connect is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._connect, 5)
        await self._stack.aclose()

    # ------------------------------------------------------------------------------- who and where

    def set_persona(self, persona: Persona) -> None:
        """Member, or moderator (the lab-admin role, with Manage Server)."""
        lab = self.lab
        roles = [lab.roles[MODERATOR_ROLE]] if persona == "moderator" else []
        self.fake.set_member_roles(lab.guild_id, lab.you_id, roles)
        self.persona = persona

    def set_locale(self, locale: str) -> None:
        """Your Discord language, sent with every interaction."""
        self.locale = locale
        self.fake.state.user(self.lab.you_id).locale = locale

    def channel_named(self, name: str) -> int | None:
        """A channel of the lab by name (with or without '#')."""
        wanted = name.strip().lstrip("#").casefold()
        guild = self.fake.state.guild(self.lab.guild_id)
        return next((c.id for c in guild.channels.values() if c.name.casefold() == wanted), None)

    def role_named(self, name: str) -> int | None:
        """A role of the lab by name (with or without '@')."""
        wanted = name.strip().lstrip("@").casefold()
        guild = self.fake.state.guild(self.lab.guild_id)
        return next((r.id for r in guild.roles.values() if r.name.casefold() == wanted), None)

    def user_named(self, name: str) -> int | None:
        """A user by name (with or without '@')."""
        wanted = name.strip().lstrip("@").casefold()
        return next((u.id for u in self.fake.state.users.values() if u.name.casefold() == wanted), None)

    def text_channels(self) -> list[str]:
        """Names of the lab's text channels."""
        guild = self.fake.state.guild(self.lab.guild_id)
        return [c.name for c in guild.channels.values() if c.type is ChannelType.GUILD_TEXT]

    def role_names(self) -> list[str]:
        """Names of the lab's roles."""
        return [r.name for r in self.fake.state.guild(self.lab.guild_id).roles.values()]

    def _where(self) -> tuple[int | None, int | None]:
        if self.channel_id is None:
            return None, None
        return self.lab.guild_id, self.channel_id

    # ------------------------------------------------------------------------------- actions

    async def invoke(self, command: str, options: dict[str, OptionValue]) -> Reply:
        """Run a slash command as you, where you are."""
        guild_id, channel_id = self._where()
        handle = await self.fake.invoke(
            command,
            options,
            user_id=self.lab.you_id,
            guild_id=guild_id,
            channel_id=channel_id,
            locale=self.locale,
        )
        return await self._outcome(handle)

    async def autocomplete(self, command: str, options: dict[str, OptionValue], focused: str) -> list[JSON]:
        """The choices kindred suggests while typing `focused`."""
        guild_id, channel_id = self._where()
        return await self.fake.autocomplete(
            command,
            options,
            focused,
            user_id=self.lab.you_id,
            guild_id=guild_id,
            channel_id=channel_id,
            locale=self.locale,
            timeout=ANSWER_TIMEOUT,
        )

    async def press(self, message_id: int, custom_id: str) -> Reply:
        """Press a button on a message kindred sent."""
        handle = await self.fake.click(message_id, custom_id, user_id=self.lab.you_id, locale=self.locale)
        return await self._outcome(handle)

    async def choose(self, message_id: int, custom_id: str, values: list[str]) -> Reply:
        """Choose options in a select menu on a message kindred sent."""
        handle = await self.fake.select(
            message_id, custom_id, values, user_id=self.lab.you_id, locale=self.locale
        )
        return await self._outcome(handle)

    async def submit(self, opener: InteractionHandle, values: dict[str, Any]) -> Reply:
        """Submit the modal `opener` opened."""
        handle = await opener.submit_modal(values, user_id=self.lab.you_id, locale=self.locale)
        return await self._outcome(handle)

    async def _outcome(self, handle: InteractionHandle) -> Reply:
        try:
            response = await handle.response(ANSWER_TIMEOUT)
        except FakeTimeoutError:
            await self.settle()
            return Reply(
                self.feed.collect(),
                problem="kindred did not answer within 3 seconds; "
                "Discord would show “This interaction failed”.",
            )
        await self.settle()
        changes = self.feed.collect()
        if response["type"] == CallbackType.MODAL:
            return Reply(changes, modal=response["data"], handle=handle)
        return Reply(changes, handle=handle)

    async def settle(self) -> None:
        """Wait until kindred finished what it started, then run any scheduled job that fell due."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WORK_TIMEOUT
        for _ in range(2):
            while (pending := _work_tasks()) and loop.time() < deadline:
                await asyncio.wait(pending, timeout=deadline - loop.time())
            await self.run_due_jobs()

    # ------------------------------------------------------------------------------- time

    async def run_due_jobs(self) -> None:
        """Run every scheduler job due by kindred's clock, oldest first; reschedule like APScheduler."""
        now = self.clock()
        scheduler = self.bot.scheduler
        due = sorted(
            (j for j in scheduler.get_jobs() if j.next_run_time is not None and j.next_run_time <= now),
            key=lambda j: j.next_run_time,
        )
        for job in due:
            try:
                result = job.func(*job.args, **job.kwargs)
                if inspect.isawaitable(result):
                    await result
                runner = getattr(job.func, "__self__", None)
                if isinstance(runner, SingleRun):  # the job only asked for a pass: wait for it
                    await asyncio.wait_for(runner.wait(), WORK_TIMEOUT)
            except Exception:
                self.job_failures += 1
                log.exception("scheduled job %s failed", job.id)
            if scheduler.get_job(job.id) is not job and scheduler.get_job(job.id) is not None:
                continue  # the job replaced itself while running (e.g. settings changed)
            upcoming = following_run(job, now)
            with contextlib.suppress(Exception):
                if upcoming is None:
                    scheduler.remove_job(job.id)
                else:
                    scheduler.modify_job(job.id, next_run_time=upcoming)

    async def _next_stop(self, until: datetime) -> datetime | None:
        """The next moment something is due: a timed job, a weekly DM, or a queued anonymous share.

        Interval jobs (the weekly-DM dispatcher, the share publisher) poll their queue in the
        database; the sandbox stops at the moments in those queues and runs them there.
        """
        now = self.clock()
        stops = [
            j.next_run_time
            for j in self.bot.scheduler.get_jobs()
            if j.next_run_time is not None and not isinstance(j.trigger, IntervalTrigger)
        ]
        with contextlib.suppress(StoreUnavailable):
            stops += [s.next_due for s in await subs.due_subscriptions(self.bot.db, until, 1000)]
            stops += [s.publish_after for s in await shares.due(self.bot.db, until) if s.publish_after]
        upcoming = [s for s in stops if now < s <= until]
        return min(upcoming, default=None)

    async def advance(self, to: datetime) -> list[tuple[datetime, list[Change]]]:
        """Let time pass until `to`, stopping at every scheduled moment on the way."""
        timeline: list[tuple[datetime, list[Change]]] = []
        while True:
            stop = await self._next_stop(to)
            if stop is None:
                break
            self.clock.move_to(stop)
            await self.settle()
            changes = self.feed.collect()
            if changes:
                timeline.append((stop, changes))
        if self.clock() < to:
            self.clock.move_to(to)
            await self.settle()
            changes = self.feed.collect()
            if changes:
                timeline.append((to, changes))
        return timeline

    def next_runs(self) -> list[tuple[str, datetime]]:
        """Scheduled jobs and when they run next (kindred's clock)."""
        return sorted(
            ((j.id, j.next_run_time) for j in self.bot.scheduler.get_jobs() if j.next_run_time),
            key=lambda pair: pair[1],
        )

    def problems(self) -> list[str]:
        """Things that should fail a scripted run: unhandled routes, fake crashes, failed jobs."""
        found = [
            f"kindred called a route the simulated Discord does not know: {r.method} {r.path}"
            for r in self.fake.unhandled
        ]
        found += [f"the simulated Discord crashed: {(e.splitlines() or [''])[-1]}" for e in self.fake.errors]
        if self.job_failures:
            found.append(f"{self.job_failures} scheduled job(s) failed (see the log)")
        return found

    def is_ephemeral(self, message: JSON) -> bool:
        """Whether only the interaction's user sees a message."""
        return bool(message.get("flags", 0) & EPHEMERAL)


__all__ = [
    "PERSONAS",
    "Change",
    "Feed",
    "ManualScheduler",
    "Persona",
    "Reply",
    "Sandbox",
    "SandboxError",
    "SandboxOptions",
    "SimulatedLab",
    "VirtualClock",
    "following_run",
]
