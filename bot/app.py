"""The Bot and CommandTree subclasses: lifecycle, shared services and one error handler."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pkgutil
import secrets
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord import app_commands
from discord.ext import commands

from bot import heartbeat
from bot.config import PROJECT_ROOT, Settings
from bot.content import Library
from bot.crisis import CrisisDirectory
from bot.errors import Refusal
from bot.i18n import Strings
from bot.jobs import Jobs
from bot.keys import upgrade_legacy_seals, verify_key
from bot.rest_pacing import RestPacer
from bot.shards import DM_SHARD, describe_ids, shard_of
from bot.store import Database, StoreUnavailable, claims
from bot.store.resources import sync_default_index

log = logging.getLogger(__name__)

COGS_PACKAGE = "cogs"
HEARTBEAT_SECONDS = 20.0
DRAIN_SECONDS = 15.0
# While kindred drains at shutdown these are still answered: crisis lines come from memory, and an
# autocomplete has no way to show a refusal. Every other new interaction is turned away kindly.
CRISIS_COMMAND = "crisis"
CRISIS_CUSTOM_ID = "kindred:crisis"  # the crisis button and the country menu under /crisis
APPLICATION_COMMAND, COMPONENT, AUTOCOMPLETE = 2, 3, 4  # INTERACTION_CREATE types


def utcnow() -> datetime:
    """The real clock (tests inject their own where logic depends on time)."""
    return datetime.now(UTC)


def cog_names() -> list[str]:
    """Every extension in cogs/ by convention: public modules, each ending with `setup`."""
    folder = PROJECT_ROOT / COGS_PACKAGE
    return sorted(
        f"{COGS_PACKAGE}.{m.name}" for m in pkgutil.iter_modules([str(folder)]) if not m.name.startswith("_")
    )


def intents() -> discord.Intents:
    """Only the guilds intent: no message content, members or presences."""
    return discord.Intents(guilds=True)


class KindredTree(app_commands.CommandTree["KindredBot"]):
    """The command tree; every failed command is answered here, kindly and exactly once."""

    async def on_error(
        self, interaction: discord.Interaction[KindredBot], error: app_commands.AppCommandError
    ) -> None:
        """Turn any command failure into a reply."""
        await interaction.client.report_error(interaction, error)


class KindredBot(commands.AutoShardedBot):
    """kindred: holds the long-lived services the cogs use.

    Sharded the way discord.py does it (RoboDanny, Red): one AutoShardedBot runs every shard of
    ``KINDRED_SHARDS`` in this process (unset: every shard Discord recommends). Each scheduled job
    asks :meth:`owns_guild` before it does a guild's work, so processes on other shard ranges
    never do the same work twice.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        library: Library,
        directory: CrisisDirectory,
        strings: Strings,
        secret: bytes,
        translator: app_commands.Translator | None = None,
        clock: Callable[[], datetime] = utcnow,
        scheduler: AsyncIOScheduler | None = None,
        guild_ready_timeout: float | None = None,
    ) -> None:
        """Take every service already built; nothing here touches the network."""
        options: dict[str, Any] = {}
        # Every REST request waits for its place in Discord's announced limits (bot.rest_pacing),
        # so the weekly fan-out does not learn the global limit from hundreds of 429s.
        self.pacer = RestPacer()
        options["http_trace"] = self.pacer.trace_config()
        if guild_ready_timeout is not None:  # discord.py's wait for guilds before on_ready (2 s)
            options["guild_ready_timeout"] = guild_ready_timeout
        if settings.shards is not None:  # unset: discord.py asks GET /gateway/bot for the count
            options["shard_ids"] = list(settings.shards.ids)
            options["shard_count"] = settings.shards.count
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=KindredTree,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            max_messages=None,
            **options,
        )
        self.settings = settings
        self.db = db
        self.library = library
        self.directory = directory
        self.strings = strings
        self.secret = secret
        self.clock = clock
        self.translator = translator
        self.scheduler = scheduler if scheduler is not None else AsyncIOScheduler(timezone=UTC)
        self.jobs = Jobs(self.scheduler)
        self._connected_shards: set[int] = set()  # shards with a live gateway session now
        self.search_index_ready = False
        self._beat_written = False  # this process has recorded a live gateway connection
        self._heartbeat_task: asyncio.Task[None] | None = None
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        # Interactions in progress: discord.py runs each in a task it keeps no handle to, so the
        # gateway's INTERACTION_CREATE parser is wrapped to see them start (see _receive_interaction).
        self._interactions: set[asyncio.Task[Any]] = set()
        self._started: list[asyncio.Task[Any]] | None = None  # tasks created while a parser runs
        self._factory_loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False  # no new work: turn interactions away kindly
        self._stopped = False  # drained: the HTTP session is about to close, nothing can be answered
        parsers = self._connection.parsers
        self._parse_interaction = parsers["INTERACTION_CREATE"]
        parsers["INTERACTION_CREATE"] = self._receive_interaction

    @contextlib.asynccontextmanager
    async def busy(self) -> AsyncIterator[None]:
        """Mark scheduled work in progress, so a clean shutdown lets it finish its writes."""
        self._in_flight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    def _receive_interaction(self, data: Any) -> None:
        """Run an interaction from the gateway, tracked until done; while stopping, turn it away.

        discord.py's parser starts every handler (command tree, views, modals, dynamic items) as a
        task while it runs, so the tasks that appear during the call are this interaction's handlers.
        """
        if self._stopped:
            log.info("an interaction arrived after the drain; it cannot be answered any more")
            return
        if self._stopping and not answered_while_stopping(data):
            self._track(asyncio.create_task(self._turn_away(data), name="kindred-turn-away"))
            return
        self._watch_task_creation()
        self._started = []
        try:
            self._parse_interaction(data)
        finally:
            started, self._started = self._started, None
        for task in started:
            self._track(task)

    def _watch_task_creation(self) -> None:
        """Note the tasks created while a parser runs, through the loop's task factory.

        Comparing ``asyncio.all_tasks()`` before and after walks every task twice per interaction,
        which at 50 interactions at once cost more than the interactions themselves (issue 19).
        """
        loop = asyncio.get_running_loop()
        if self._factory_loop is loop:
            return
        previous = loop.get_task_factory()

        def factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Future[Any]:
            task = previous(loop, coro, **kwargs) if previous else asyncio.Task(coro, loop=loop, **kwargs)
            if self._started is not None and isinstance(task, asyncio.Task):
                self._started.append(task)
            return task

        loop.set_task_factory(factory)
        self._factory_loop = loop

    def _track(self, task: asyncio.Task[Any]) -> None:
        self._interactions.add(task)
        task.add_done_callback(self._interactions.discard)

    async def _turn_away(self, data: Any) -> None:
        state: Any = self._connection  # an AutoShardedConnectionState, typed for a plain Client
        interaction: discord.Interaction[KindredBot] = discord.Interaction(data=data, state=state)
        text = self.t(interaction.locale, "lifecycle.restarting")
        try:
            await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException as exc:
            log.warning("could not tell a member that kindred is restarting: %s", exc)

    async def _drain(self) -> None:
        """Wait (at most DRAIN_SECONDS) for scheduled jobs and interactions that are still running."""
        me = asyncio.current_task()
        try:
            async with asyncio.timeout(DRAIN_SECONDS):
                await self._idle.wait()
                while running := self._interactions - {me}:
                    await asyncio.wait(running)
        except TimeoutError:
            log.warning(
                "stopping with %d scheduled job(s) and %d interaction(s) still running",
                self._in_flight,
                len(self._interactions - {me}),
            )

    @property
    def stopping(self) -> bool:
        """True once shutdown began: scheduled work starts no new pass (it could not finish)."""
        return self._stopping

    def t(self, locale: object, key: str, **values: object) -> str:
        """Translate a user-facing string for an interaction's locale."""
        return self.strings.t(locale, key, **values)

    async def setup_hook(self) -> None:
        """Open the store, index defaults, start the scheduler, load cogs."""
        if self.translator is not None:
            await self.tree.set_translator(self.translator)
        try:
            await self.db.open()
            await claims.release_mine(self.db)  # what this process's last run died holding
            await verify_key(self.db, self.secret, accept_new=self.settings.accept_new_key)
            await upgrade_legacy_seals(self.db, self.secret)
            await self.ensure_search_index()
        except StoreUnavailable as exc:
            log.error(
                "database unavailable at start (%s); /crisis still works, the rest will retry on use", exc
            )
        self.scheduler.start()
        for name in cog_names():
            await self.load_extension(name)
        if self.settings.dev_guild_id:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to development guild %s", len(synced), guild.id)
        self._heartbeat_task = asyncio.create_task(self._heartbeat(), name="kindred-heartbeat")
        self._heartbeat_task.add_done_callback(_log_task_failure)

    async def ensure_search_index(self) -> None:
        """Index the shipped packs once per process (later, if the database was down at start)."""
        if self.search_index_ready:
            return
        if await sync_default_index(self.db, self.library):
            log.info("search index rebuilt for the shipped resource packs")
        self.search_index_ready = True

    async def close(self) -> None:
        """Start no new work, let running jobs and interactions finish (bounded), disconnect, close the DB.

        The gateway and the HTTP session stay open while draining, so an interaction that was
        running at SIGTERM still sends its answer, and new ones hear that kindred is restarting.
        """
        self._stopping = True
        if self._heartbeat_task is not None:
            self._heartbeat_task.cancel()
        if self.scheduler.running:
            self.scheduler.pause()  # no new runs; shutting down now would cancel running ones
        await self._drain()
        self._stopped = True
        # Stopped within guild_ready_timeout of connecting: discord.py would still fire on_ready
        # after close, on a loop it has let go of (an AttributeError traceback). Cancelled, it is quiet.
        pending_ready = getattr(self._connection, "_ready_task", None)
        if isinstance(pending_ready, asyncio.Task) and not pending_ready.done():
            pending_ready.cancel()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await super().close()
        self._connected_shards.clear()
        if self._beat_written:  # only the serving process; `python -m bot sync` beside it never beat
            try:
                await asyncio.to_thread(heartbeat.stopped, self.settings.heartbeat_path, self.clock())
            except OSError:
                log.warning("could not mark the heartbeat file stopped", exc_info=True)
        await self.db.close()

    async def on_message(self, message: discord.Message, /) -> None:
        """Ignore messages: kindred works through interactions only."""

    @property
    def expected_shards(self) -> frozenset[int]:
        """The shards this process runs (empty until discord.py knows the recommended count)."""
        if self.settings.shards is not None:
            return frozenset(self.settings.shards.ids)
        return frozenset(range(self.shard_count)) if self.shard_count else frozenset()

    @property
    def connected_shards(self) -> frozenset[int]:
        """The shards of this process with a live gateway session."""
        return frozenset(self._connected_shards)

    @property
    def gateway_connected(self) -> bool:
        """Every shard this process runs is connected (the heartbeat is written only then)."""
        expected = self.expected_shards
        if not expected or not expected <= self._connected_shards:
            return False
        # A socket can close before discord.py dispatches the disconnect (RoboDanny checks the same).
        return not any((info := self.get_shard(i)) is not None and info.is_closed() for i in expected)

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process runs the shard of `guild_id`, so its scheduled work is done here.

        Every job that posts or sends for a guild (weekly DMs of its members included: they name
        the guild and follow its calendar) skips the guilds of other processes. Unsharded, every
        guild is this process's.
        """
        plan = self.settings.shards
        return True if plan is None else plan.owns_guild(guild_id)

    async def guild_for(self, guild_id: int) -> discord.Guild | None:
        """A guild kindred is in, or None: from the cache, else from Discord's REST API.

        Every DM (a check-in button, /reach, /privacy) arrives on shard 0, so in a sharded kindred
        the process answering it has only its own shards' guilds cached; REST knows no shards.
        """
        if not 0 < guild_id < 1 << 64:  # typed by a member (a /reach lab): no snowflake at all
            return None
        guild = self.get_guild(guild_id)
        if guild is not None or self.owns_guild(guild_id):
            return guild
        try:
            return await self.fetch_guild(guild_id, with_counts=False)
        except (discord.NotFound, discord.Forbidden):  # not (or no longer) in that guild
            return None

    async def all_guilds(self) -> list[discord.Guild]:
        """Every guild kindred is in: this process's from the cache, the other shards' from REST.

        Unsharded, the cache holds them all (no request is made).
        """
        cached = list(self.guilds)
        if self.settings.shards is None:
            return cached
        known = {g.id for g in cached}
        others = [g async for g in self.fetch_guilds(limit=None, with_counts=False) if g.id not in known]
        return cached + others

    def shard_status(self, guild_id: int | None) -> tuple[int, int, str]:
        """(the shard of `guild_id`, or of DMs when None; the shard count; this process's ids)."""
        plan = self.settings.shards
        count = plan.count if plan is not None else self.shard_count or 1
        ids = plan.describe() if plan is not None else describe_ids(range(count))
        return (DM_SHARD if guild_id is None else shard_of(guild_id, count)), count, ids

    async def on_shard_connect(self, shard_id: int) -> None:
        """A shard's gateway session established (READY)."""
        self._connected_shards.add(shard_id)
        await self._mark_connected()

    async def on_shard_resumed(self, shard_id: int) -> None:
        """A shard's gateway session resumed after a drop."""
        log.info("shard %d resumed", shard_id)
        self._connected_shards.add(shard_id)
        await self._mark_connected()

    def store_warning(self) -> str | None:
        """A data-free line for `python -m bot health` when the database needs the operator."""
        since = self.db.checkpoint_busy_since
        if since is None:
            return None
        return (
            f"WAL checkpoint busy since {since.isoformat(timespec='seconds')}: another program holds "
            "a read transaction on the database"
        )

    async def _mark_connected(self) -> None:
        if not self.gateway_connected:  # a shard of this process is still down: no beat yet
            return
        try:
            await asyncio.to_thread(
                heartbeat.beat, self.settings.heartbeat_path, self.clock(), self.store_warning()
            )
            self._beat_written = True
        except OSError:
            log.warning("could not write the heartbeat file", exc_info=True)

    async def on_shard_disconnect(self, shard_id: int) -> None:
        """A shard's gateway dropped; the beats stop and the health check starts counting."""
        self._connected_shards.discard(shard_id)

    async def on_ready(self) -> None:
        """Log once connected."""
        await self._mark_connected()
        user = self.user
        name = user.name if user else "?"
        if self.settings.shards is None:
            log.info("ready as %s in %d guilds", name, len(self.guilds))
        else:
            log.info("ready as %s in %d guilds on shards %s", name, len(self.guilds), self.settings.shards)

    async def _heartbeat(self) -> None:
        while not self.is_closed():
            await asyncio.sleep(HEARTBEAT_SECONDS)
            await self._mark_connected()

    async def report_error(self, interaction: discord.Interaction[Any], error: BaseException) -> None:
        """Answer a failed interaction with a short, kind message; log the unexpected ones."""
        original = error
        while (
            isinstance(original, (app_commands.CommandInvokeError, app_commands.TransformerError))
            and original.__cause__ is not None
        ):
            original = original.__cause__
        locale = interaction.locale
        if isinstance(original, Refusal):
            text = self.t(locale, original.key, **original.values)
        elif isinstance(original, StoreUnavailable):
            log.warning("store unavailable during an interaction: %s", original)
            text = self.t(locale, "errors.store_unavailable")
        elif isinstance(original, app_commands.NoPrivateMessage):
            text = self.t(locale, "errors.guild_only")
        elif isinstance(original, app_commands.CheckFailure):
            text = self.t(locale, "errors.not_allowed")
        elif isinstance(original, app_commands.CommandOnCooldown):
            text = self.t(locale, "errors.cooldown", seconds=int(original.retry_after) + 1)
        else:
            reference = secrets.token_hex(3)
            name = interaction.command.qualified_name if interaction.command else interaction.type.name
            log.error(
                "unexpected error in %s [ref %s]",
                name,
                reference,
                exc_info=(type(original), original, original.__traceback__),
            )
            text = self.t(locale, "errors.unexpected", reference=reference)
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not deliver an error reply", exc_info=True)


def answered_while_stopping(data: Any) -> bool:
    """Whether an INTERACTION_CREATE payload is still answered while kindred drains at shutdown."""
    kind, inner = data.get("type"), data.get("data") or {}
    if kind == AUTOCOMPLETE:
        return True
    if kind == APPLICATION_COMMAND:
        return bool(inner.get("name") == CRISIS_COMMAND)
    custom_id = str(inner.get("custom_id") or "")
    return kind == COMPONENT and (
        custom_id == CRISIS_CUSTOM_ID or custom_id.startswith(CRISIS_CUSTOM_ID + ":")
    )


def _log_task_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background task %s failed", task.get_name(), exc_info=task.exception())
