"""A fake Discord (REST API + gateway) on 127.0.0.1 that the real discord.py client talks to.

Typical use::

    async with FakeDiscord() as fake:
        guild = fake.add_guild("Lab")
        alice = fake.add_user("alice")
        fake.add_member(guild.id, alice.id)
        # start the bot with KINDRED_FAKE_API=fake.api_base, KINDRED_FAKE_GATEWAY=fake.gateway_url
        await fake.wait_ready()
        handle = await fake.invoke("ping", user_id=alice.id, guild_id=guild.id)
        assert (await handle.wait_message())["content"] == "pong"

Layout of :mod:`fakediscord`:

- ``models`` (:class:`~fakediscord.models.FakeState`): users, guilds, channels, roles, members,
  messages, synced commands; Discord-shaped serialization; ``permissions``: the permission algorithm.
- ``gateway`` (:class:`~fakediscord.gateway.FakeGateway`): HELLO/heartbeat, IDENTIFY -> READY +
  GUILD_CREATE, RESUME with replay, INVALID_SESSION; shards as Discord routes them (one session
  per shard, from one process or several: ``FakeDiscord(shards=N)``, ``add_guild(shard=...)``,
  :meth:`FakeDiscord.wait_shards_ready`).
- ``api`` (:class:`~fakediscord.api.RestApi`): every REST request goes through one pipeline
  (route -> auth -> hooks -> handler -> record); ``ratelimits`` plugs Discord's global and
  per-route limits into it (opt-in: ``FakeDiscord(rate_limits=RateLimits(...))``).
- ``messages``: message store and intent-aware event emission; ``validation``: Discord's limits.
- ``interactions``: payload building for commands/components/modals and :class:`InteractionHandle`.
- this module: :class:`FakeDiscord`, the facade tests use (builders, interactions, waiting).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import partial
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from fakediscord.api import RestApi, ServerConfig
from fakediscord.gateway import FakeGateway, GatewaySession, Intent
from fakediscord.interactions import (
    EPHEMERAL,
    Attachment,
    CallbackType,
    Channel,
    InteractionHandle,
    InteractionRecord,
    InteractionRegistry,
    InteractionType,
    InvalidOptionError,
    InvocationError,
    InvocationRejectedError,
    ModalValue,
    OptionType,
    OptionValue,
    Role,
    UnknownCommandError,
    UnknownOptionError,
    User,
    build_command_data,
    build_modal_submission,
    find_component,
    select_values,
)
from fakediscord.messages import Emitter, MessageStore
from fakediscord.models import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    JSON,
    ChannelType,
    FakeState,
    Guild,
    Member,
    RegisteredCommand,
    UploadedFile,
)
from fakediscord.models import Channel as ChannelModel
from fakediscord.models import Role as RoleModel
from fakediscord.models import User as UserModel
from fakediscord.permissions import Overwrite, OverwriteType, Permission
from fakediscord.ratelimits import RateLimiter, RateLimits, RouteLimit
from fakediscord.rest import FailureInjector, FailureRule, RecordedRequest, RequestHook, ResponseHook

__all__ = [
    "Attachment",
    "Channel",
    "FakeDiscord",
    "FakeTimeoutError",
    "InteractionHandle",
    "InvalidOptionError",
    "InvocationError",
    "InvocationRejectedError",
    "Permission",
    "RateLimits",
    "RecordedRequest",
    "Role",
    "RouteLimit",
    "UnknownCommandError",
    "UnknownOptionError",
    "UploadedFile",
    "User",
]

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class FakeTimeoutError(TimeoutError):
    """A wait on the fake timed out; the message includes recent traffic for diagnosis."""


class FakeDiscord:
    """Fake Discord server. See the module docstring; all ids are deterministic snowflakes."""

    def __init__(
        self,
        *,
        token: str = "fake-token",  # noqa: S107 - not a secret
        seed: int = 0,
        epoch: datetime | None = None,
        bot_name: str = "Kindred",
        heartbeat_interval_ms: int = 41_250,
        privileged_intents: int = 0,
        ack_deadline: float | None = 3.0,
        host: str = "127.0.0.1",
        rate_limits: RateLimits | None = None,
        shards: int = 1,
    ) -> None:
        """Configure the fake.

        ``shards`` is the shard count GET /gateway/bot recommends (discord.py's AutoShardedClient
        runs that many when it is given no count). Whatever count a bot identifies with, each
        session gets only its shard's guilds, and direct messages arrive on shard 0.

        ``privileged_intents`` are the privileged intent bits the "developer portal" allows
        (IDENTIFY asking for others is closed with 4014). ``ack_deadline`` is Discord's
        3-second window for the first interaction callback (None disables it). ``rate_limits``
        turns on Discord's global and per-route rate limits (headers, 429s); off by default.
        """
        if shards < 1:
            raise ValueError(f"shards must be at least 1, not {shards}")
        self.config = ServerConfig(token=token, host=host, ack_deadline=ack_deadline, shards=shards)
        self.state = FakeState(seed=seed, epoch=epoch, bot_name=bot_name)
        self._changed = asyncio.Event()
        self._registry = InteractionRegistry()
        self._adhoc_command_ids: dict[str, int] = {}
        self._command_overrides: dict[tuple[int, str], set[int]] = {}
        self._outages: set[int] = set()  # guilds Discord cannot serve right now (see guild_outage)
        self._runner: web.AppRunner | None = None
        self.gateway = FakeGateway(
            token=token,
            heartbeat_interval_ms=heartbeat_interval_ms,
            privileged_intents=privileged_intents,
            ready_payloads=self._ready_payloads,
            notify=self._notify,
        )
        self.emitter = Emitter(self.state, self.gateway)
        self.store = MessageStore(self.state, self.emitter, self._notify, lambda: self.config.base_url)
        self.api = RestApi(
            config=self.config,
            state=self.state,
            gateway=self.gateway,
            emitter=self.emitter,
            store=self.store,
            registry=self._registry,
            notify=self._notify,
        )
        self.rate_limiter: RateLimiter | None = None
        if rate_limits is not None:
            self.rate_limiter = RateLimiter(rate_limits, known_routes=self.api.serves)
            self.api.hooks.append(self.rate_limiter)
            self.api.response_hooks.append(self.rate_limiter.decorate)

    # ============================================================================ lifecycle

    async def start(self) -> None:
        """Bind an ephemeral port on ``host`` and start serving."""
        if self._runner is not None:
            raise RuntimeError("FakeDiscord already started")
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway/resume", self.gateway.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self.api.serve_attachment)
        app.router.add_route("*", "/{tail:.*}", self.api.handle)  # API; anything else is "unhandled"
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.config.host, 0)
        await site.start()
        self._runner = runner
        self.config.port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Close gateway sockets and the HTTP server."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        await self.gateway.close_all()
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        """Start on enter."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop on exit."""
        await self.stop()

    @property
    def port(self) -> int:
        """The bound port (after start)."""
        if self.config.port is None:
            raise RuntimeError("FakeDiscord is not started")
        return self.config.port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return self.config.base_url

    @property
    def api_base(self) -> str:
        """REST base to put in ``discord.http.Route.BASE``."""
        return self.config.api_base

    @property
    def gateway_url(self) -> str:
        """Gateway URL to put in ``DiscordWebSocket.DEFAULT_GATEWAY``."""
        return self.config.gateway_url

    @property
    def resume_gateway_url(self) -> str:
        """The ``resume_gateway_url`` READY advertises (a distinct path, same handler)."""
        return self.config.resume_gateway_url

    @property
    def token(self) -> str:
        """The bot token the fake accepts (REST ``Authorization: Bot ...`` and IDENTIFY)."""
        return self.config.token

    @property
    def ack_deadline(self) -> float | None:
        """Seconds the bot has for the first interaction callback (None: unlimited)."""
        return self.config.ack_deadline

    @ack_deadline.setter
    def ack_deadline(self, value: float | None) -> None:
        self.config.ack_deadline = value

    # ============================================================================ recordings

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every API request the bot made, in order (the live list)."""
        return self.api.requests

    @property
    def unhandled(self) -> list[RecordedRequest]:
        """Requests to routes the fake does not implement (answered 404 "Unknown route")."""
        return self.api.unhandled

    @property
    def errors(self) -> list[str]:
        """Tracebacks of crashes inside the fake's handlers (answered 400); should stay empty."""
        return self.api.errors

    @property
    def hooks(self) -> list[RequestHook]:
        """Request hooks run after auth and before the handler (failure injection is first)."""
        return self.api.hooks

    @property
    def failures(self) -> FailureInjector:
        """The failure-injection hook (see :meth:`fail_next`)."""
        return self.api.failures

    @property
    def interactions(self) -> list[InteractionHandle]:
        """Every interaction sent to the bot, in order."""
        return self._registry.handles

    @property
    def late_interactions(self) -> list[InteractionRecord]:
        """Interactions the bot acknowledged after :attr:`ack_deadline` (it got 10062)."""
        return self._registry.late

    # ============================================================================ state accessors

    @property
    def application_id(self) -> int:
        """Application id (equal to the bot user id)."""
        return self.state.application_id

    @property
    def bot_user(self) -> UserModel:
        """The bot's user."""
        return self.state.bot_user

    @property
    def app_owner(self) -> UserModel:
        """The application owner (what ``application_info().owner`` returns)."""
        return self.state.app_owner

    def bot_role_id(self, guild_id: int) -> int:
        """Id of the bot's managed role in a guild."""
        return self.state.guild(guild_id).bot_role_id

    def has_message(self, message_id: int) -> bool:
        """Whether a message exists (ephemeral ones included)."""
        return message_id in self.state.messages

    def message(self, message_id: int) -> JSON:
        """Current payload of a message (copy)."""
        if message_id not in self.state.messages:
            raise KeyError(f"unknown message id {message_id}")
        return self.state.message_copy(message_id)

    def messages(self, channel_id: int) -> list[JSON]:
        """Non-ephemeral messages of a channel, oldest first (copies)."""
        self.state.channel(channel_id)
        return [self.state.message_copy(m) for m in self.state.history.get(channel_id, [])]

    def threads(self, parent_id: int) -> list[JSON]:
        """Threads (public and private) under a channel, oldest first (payloads)."""
        return [
            self.state.channel_payload(c)
            for c in list(self.state.channels.values())
            if c.is_thread and c.parent_id == parent_id
        ]

    def thread_members(self, thread_id: int) -> set[int]:
        """Users in a thread: its creator and everyone added with PUT thread-members."""
        channel = self.state.channel(thread_id)
        default = {channel.owner_id} if channel.owner_id else set()
        return set(self.state.thread_members.get(thread_id, default))

    def pins(self, channel_id: int) -> list[int]:
        """Ids of the messages pinned in a channel, in pin order."""
        return list(self.api.thread_state.pins.get(channel_id, []))

    def dm_channel_id(self, user_id: int) -> int:
        """Id of the bot's DM channel with a user (stable; created on first use)."""
        return self.state.dm_channel(user_id).id

    def dm_messages(self, user_id: int) -> list[JSON]:
        """Messages in the DM channel with a user (empty if none)."""
        channel_id = self.state.dm_by_user.get(user_id)
        return [] if channel_id is None else self.messages(channel_id)

    def files(self, message_id: int) -> list[UploadedFile]:
        """Uploaded files (with bytes) attached to a message."""
        attachments = self.state.messages[message_id].get("attachments") or []
        return [self.state.files[int(a["id"])] for a in attachments if int(a["id"]) in self.state.files]

    def commands(self, guild_id: int | None = None) -> list[JSON]:
        """Synced command payloads (global, or for one guild) as Discord returns them."""
        return self.api.command_list(guild_id)

    def find_requests(
        self, method: str | None = None, route: str | None = None, *, status: int | None = None
    ) -> list[RecordedRequest]:
        """Recorded requests filtered by method, route template and status.

        ``route`` is the template, e.g. ``/channels/{channel_id}/messages``.
        """
        return [
            r
            for r in self.requests
            if (method is None or r.method == method.upper())
            and (route is None or r.route == route)
            and (status is None or r.status == status)
        ]

    # ============================================================================ builders

    def add_user(self, name: str, *, locale: str = "en-US") -> UserModel:
        """Create a user (not a member of anything yet)."""
        user = self.state.create_user(name, locale=locale)
        self._notify()
        return user

    def add_guild(
        self,
        name: str,
        *,
        owner_id: int | None = None,
        locale: str = "en-US",
        everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        joined: bool = True,
        shard: tuple[int, int] | None = None,
    ) -> Guild:
        """Create a guild (owner created if not given) with the bot as a member (``joined``).

        If the bot is connected, it receives GUILD_CREATE right away (it "joins" the guild), on
        the guild's shard. ``shard=(shard_id, num_shards)`` picks an id that Discord routes to
        that shard (all ids of one fake share their timestamp, so they would share a shard).
        """
        if shard is not None:
            shard_id, count = shard
            if not 0 <= shard_id < count:
                raise ValueError(f"shard {shard_id} does not exist in {count} shards")
        guild = self.state.create_guild(
            name,
            shard=shard,
            owner_id=owner_id,
            locale=locale,
            everyone_permissions=everyone_permissions,
            bot_permissions=bot_permissions,
            bot_joined=joined,
        )
        if joined:
            self.emitter.emit("GUILD_CREATE", self.state.guild_create_payload(guild), Intent.GUILDS)
        self._notify()
        return guild

    def add_category(self, guild_id: int, name: str) -> ChannelModel:
        """Create a category channel."""
        return self._add_channel(guild_id, name, ChannelType.GUILD_CATEGORY, None, None, None)

    def add_text_channel(
        self,
        guild_id: int,
        name: str,
        *,
        overwrites: Mapping[int, tuple[int, int]] | None = None,
        parent_id: int | None = None,
        topic: str | None = None,
    ) -> ChannelModel:
        """Create a text channel; ``overwrites`` maps role/member id -> (allow, deny)."""
        return self._add_channel(guild_id, name, ChannelType.GUILD_TEXT, overwrites, parent_id, topic)

    def _add_channel(
        self,
        guild_id: int,
        name: str,
        ctype: ChannelType,
        overwrites: Mapping[int, tuple[int, int]] | None,
        parent_id: int | None,
        topic: str | None,
    ) -> ChannelModel:
        ows = [
            Overwrite(target, self._overwrite_type(guild_id, target), allow, deny)
            for target, (allow, deny) in (overwrites or {}).items()
        ]
        channel = self.state.create_channel(
            guild_id, name, type=ctype, parent_id=parent_id, topic=topic, overwrites=ows
        )
        if self.state.guild(guild_id).bot_joined:
            self.emitter.emit("CHANNEL_CREATE", self.state.channel_payload(channel), Intent.GUILDS)
        self._notify()
        return channel

    def add_thread(
        self, channel_id: int, name: str, *, private: bool = False, owner_id: int | None = None
    ) -> ChannelModel:
        """Create a thread under a text channel (as if a user created it)."""
        parent = self.state.channel(channel_id)
        if parent.guild_id is None:
            raise InvocationError("threads need a guild channel")
        thread = self.state.create_channel(
            parent.guild_id,
            name,
            type=ChannelType.PRIVATE_THREAD if private else ChannelType.PUBLIC_THREAD,
            parent_id=parent.id,
            owner_id=owner_id if owner_id is not None else self.state.guild(parent.guild_id).owner_id,
        )
        self.emitter.emit(
            "THREAD_CREATE", {**self.state.channel_payload(thread), "newly_created": True}, Intent.GUILDS
        )
        self._notify()
        return thread

    def set_thread_state(self, thread_id: int, *, archived: bool, locked: bool = False) -> None:
        """A moderator archives (or locks) a thread in the client: THREAD_UPDATE, as Discord sends."""
        thread = self.state.channel(thread_id)
        if not thread.is_thread:
            raise InvocationError("not a thread")
        thread.archived, thread.locked = archived, locked
        self.emitter.emit("THREAD_UPDATE", self.state.channel_payload(thread), Intent.GUILDS)
        self._notify()

    def delete_thread(self, thread_id: int) -> None:
        """A moderator deletes a thread in the client: its messages go, then THREAD_DELETE."""
        thread = self.state.channel(thread_id)
        if not thread.is_thread or thread.guild_id is None:
            raise InvocationError("not a thread")
        for message_id in list(self.state.history.get(thread_id, [])):
            self.store.delete(message_id)
        self.state.history.pop(thread_id, None)
        self.state.channels.pop(thread_id, None)
        self.state.guild(thread.guild_id).channels.pop(thread_id, None)
        self.state.thread_members.pop(thread_id, None)
        self.api.thread_state.pins.pop(thread_id, None)
        self.emitter.emit(
            "THREAD_DELETE",
            {
                "id": str(thread_id),
                "guild_id": str(thread.guild_id),
                "parent_id": str(thread.parent_id),
                "type": int(thread.type),
            },
            Intent.GUILDS,
        )
        self._notify()

    def add_role(self, guild_id: int, name: str, permissions: int) -> RoleModel:
        """Create a role."""
        guild = self.state.guild(guild_id)
        role = RoleModel(
            id=self.state.next_id(),
            guild_id=guild_id,
            name=name,
            permissions=int(permissions),
            position=len(guild.roles),
        )
        guild.roles[role.id] = role
        self.emitter.emit_in_guild(
            guild, "GUILD_ROLE_CREATE", {"guild_id": str(guild_id), "role": role.to_payload()}
        )
        self._notify()
        return role

    def set_role_permissions(self, role_id: int, permissions: int) -> None:
        """Change a role's permissions (GUILD_ROLE_UPDATE)."""
        role = self.state.role_for(role_id)
        if role is None:
            raise KeyError(f"unknown role id {role_id}")
        role.permissions = int(permissions)
        guild = self.state.guild(role.guild_id)
        self.emitter.emit_in_guild(
            guild, "GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": role.to_payload()}
        )
        self._notify()

    def add_member(self, guild_id: int, user_id: int, roles: Iterable[int] = ()) -> Member:
        """Make a user a member of a guild with the given role ids."""
        guild = self.state.guild(guild_id)
        self.state.user(user_id)
        for role_id in roles:
            if role_id not in guild.roles:
                raise KeyError(f"role {role_id} is not in guild {guild_id}")
        member = Member(user_id=user_id, guild_id=guild_id, roles=list(roles))
        guild.members[user_id] = member
        self.emitter.emit_member(
            "GUILD_MEMBER_ADD",
            guild,
            user_id,
            {**self.state.member_payload(guild_id, user_id), "guild_id": str(guild_id)},
        )
        self._notify()
        return member

    def remove_member(self, guild_id: int, user_id: int) -> None:
        """Remove a member from a guild."""
        guild = self.state.guild(guild_id)
        if guild.members.pop(user_id, None) is not None:
            self.emitter.emit_member(
                "GUILD_MEMBER_REMOVE",
                guild,
                user_id,
                {"guild_id": str(guild_id), "user": self.state.user_payload(user_id)},
            )
        self._notify()

    def set_member_roles(self, guild_id: int, user_id: int, roles: Iterable[int]) -> None:
        """Replace a member's roles (GUILD_MEMBER_UPDATE)."""
        guild = self.state.guild(guild_id)
        member = self.state.member(guild_id, user_id)
        if member is None:
            raise KeyError(f"user {user_id} is not a member of guild {guild_id}")
        member.roles = list(roles)
        self.emitter.emit_member(
            "GUILD_MEMBER_UPDATE",
            guild,
            user_id,
            {**self.state.member_payload(guild_id, user_id), "guild_id": str(guild_id)},
        )
        self._notify()

    def deny(self, channel_id: int, target_id: int, permissions: int) -> None:
        """Add ``permissions`` to the deny side of the overwrite for a role or member in a channel."""
        self._change_overwrite(channel_id, target_id, allow=0, deny=int(permissions))

    def allow(self, channel_id: int, target_id: int, permissions: int) -> None:
        """Add ``permissions`` to the allow side of the overwrite for a role or member in a channel."""
        self._change_overwrite(channel_id, target_id, allow=int(permissions), deny=0)

    def clear_overwrite(self, channel_id: int, target_id: int) -> None:
        """Remove the overwrite for a role or member."""
        channel = self.state.channel(channel_id)
        channel.overwrites.pop(target_id, None)
        self._emit_channel_update(channel)

    def _change_overwrite(self, channel_id: int, target_id: int, *, allow: int, deny: int) -> None:
        channel = self.state.channel(channel_id)
        if channel.guild_id is None or channel.is_thread:
            raise InvocationError("overwrites live on guild channels (threads inherit their parent's)")
        ow = channel.overwrites.get(target_id)
        if ow is None:
            ow = Overwrite(target_id, self._overwrite_type(channel.guild_id, target_id))
            channel.overwrites[target_id] = ow
        ow.deny = (ow.deny | deny) & ~allow
        ow.allow = (ow.allow | allow) & ~deny
        self._emit_channel_update(channel)

    def _emit_channel_update(self, channel: ChannelModel) -> None:
        if channel.guild_id is not None and self.state.guild(channel.guild_id).bot_joined:
            self.emitter.emit("CHANNEL_UPDATE", self.state.channel_payload(channel), Intent.GUILDS)
        self._notify()

    def _overwrite_type(self, guild_id: int, target_id: int) -> OverwriteType:
        guild = self.state.guild(guild_id)
        if target_id in guild.roles:
            return OverwriteType.ROLE
        if target_id in self.state.users:
            return OverwriteType.MEMBER
        raise KeyError(f"{target_id} is neither a role of guild {guild_id} nor a user")

    def join_guild(self, guild_id: int) -> None:
        """The bot joins (or rejoins) a guild: GUILD_CREATE."""
        guild = self.state.guild(guild_id)
        guild.bot_joined = True
        if self.bot_user.id not in guild.members:
            guild.members[self.bot_user.id] = Member(
                user_id=self.bot_user.id, guild_id=guild_id, roles=[guild.bot_role_id]
            )
        self.emitter.emit("GUILD_CREATE", self.state.guild_create_payload(guild), Intent.GUILDS)
        self._notify()

    def leave_guild(self, guild_id: int) -> None:
        """The bot is removed from a guild: GUILD_DELETE (not an outage)."""
        guild = self.state.guild(guild_id)
        guild.bot_joined = False
        guild.members.pop(self.bot_user.id, None)
        self.emitter.emit("GUILD_DELETE", {"id": str(guild_id)}, Intent.GUILDS)
        self._notify()

    def guild_outage(self, guild_id: int) -> None:
        """A Discord outage for one guild: GUILD_DELETE ``unavailable``, and no GUILD_CREATE for it.

        Until :meth:`guild_restored`, a (re)identify lists the guild as unavailable in READY and
        sends no GUILD_CREATE for it. REST keeps answering for its channels.
        """
        self.state.guild(guild_id)  # KeyError for an unknown guild
        self._outages.add(guild_id)
        self.emitter.emit("GUILD_DELETE", {"id": str(guild_id), "unavailable": True}, Intent.GUILDS)
        self._notify()

    def guild_restored(self, guild_id: int) -> None:
        """The outage is over: GUILD_CREATE for the guild, as Discord sends when it is available again."""
        self._outages.discard(guild_id)
        guild = self.state.guild(guild_id)
        if guild.bot_joined:
            self.emitter.emit("GUILD_CREATE", self.state.guild_create_payload(guild), Intent.GUILDS)
        self._notify()

    def allow_command(self, guild_id: int, command: str, target_id: int) -> None:
        """Model a server admin's Integrations override: let a role or user use `command` anyway.

        Discord then delivers the interaction even though ``default_member_permissions`` would
        hide the command, which is why bots must check permissions at runtime too.
        """
        self._command_overrides.setdefault((guild_id, command), set()).add(target_id)

    def close_dms(self, user_id: int) -> None:
        """The user blocks DMs: bot DM sends answer 403 50007."""
        self.state.user(user_id)
        self.state.closed_dms.add(user_id)

    def open_dms(self, user_id: int) -> None:
        """Undo :meth:`close_dms`."""
        self.state.closed_dms.discard(user_id)

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        json_body: Any = None,
        times: int = 1,
    ) -> FailureRule:
        """Make the next ``times`` matching requests answer ``status`` with ``json_body``.

        ``method`` may be ``*``; ``path_regex`` is searched in the path relative to /api/v10.
        """
        body = json_body if json_body is not None else {"message": f"injected {status}", "code": 0}
        return self.failures.add(method, path_regex, status, body, times)

    @contextlib.contextmanager
    def answering_late(self, method: str, path_regex: str, seconds: float) -> Iterator[None]:
        """While inside, answer matching requests ``seconds`` late, after they took effect (a slow link).

        The request is recorded, and seen by tests, at once; only the bot hears back late.
        ``method`` may be ``*``; ``path_regex`` is searched in the path relative to /api/v10.
        """
        rule = (method.upper(), re.compile(path_regex), seconds)
        self.api.late_answers.append(rule)
        try:
            yield
        finally:
            self.api.late_answers.remove(rule)

    def add_hook(self, hook: RequestHook) -> None:
        """Append a request hook (runs after auth, before the handler; may short-circuit)."""
        self.hooks.append(hook)

    def add_response_hook(self, hook: ResponseHook) -> None:
        """Append a response hook (sees every routed reply; may add headers)."""
        self.api.response_hooks.append(hook)

    def post_message(
        self, channel_id: int, author_id: int, content: str, *, embeds: Sequence[JSON] = ()
    ) -> JSON:
        """A user posts a message (MESSAGE_CREATE; content hidden without the message-content intent)."""
        channel = self.state.channel(channel_id)
        return self.store.create(
            channel, {"content": content, "embeds": list(embeds)}, [], author_id=author_id
        )

    # ============================================================================ waiting

    def _notify(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_until(
        self, condition: Callable[[], bool], timeout: float = 10.0, *, description: str = "condition"
    ) -> None:
        """Wait (event-driven, no polling) until ``condition()`` holds; FakeTimeoutError otherwise."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise FakeTimeoutError(self._diagnose(description, timeout))
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                continue

    async def wait_for(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float = 10.0, *, since: int = 0
    ) -> RecordedRequest:
        """The first recorded request (index >= ``since``) matching ``predicate``."""
        found: list[RecordedRequest] = []
        cursor = since

        def check() -> bool:
            nonlocal cursor
            while cursor < len(self.requests):
                request = self.requests[cursor]
                cursor += 1
                if predicate(request):
                    found.append(request)
                    return True
            return False

        await self.wait_until(check, timeout, description="a matching request")
        return found[0]

    async def wait_ready(self, timeout: float = 15.0) -> None:
        """Wait until the bot has a live gateway session (READY + GUILD_CREATEs sent, or resumed).

        discord.py fires ``on_ready`` ``guild_ready_timeout`` (2 s) after the last GUILD_CREATE;
        interactions are processed before that already.
        """
        await self.wait_until(lambda: self.gateway.is_live, timeout, description="the bot to connect")

    async def wait_shards_ready(self, shard_ids: Iterable[int], timeout: float = 15.0) -> None:
        """Wait until each of `shard_ids` has a ready, connected session (any shard count)."""
        wanted = set(shard_ids)

        def live() -> bool:
            return wanted <= {shard_id for shard_id, _ in self.gateway.live_shards()}

        await self.wait_until(live, timeout, description=f"shards {sorted(wanted)} to connect")

    def _diagnose(self, description: str, timeout: float) -> str:
        lines = [f"timed out after {timeout:.1f}s waiting for {description}"]
        session = self.gateway.session
        lines.append(
            f"gateway: live={self.gateway.is_live} session={session.id if session else None} "
            f"identifies={self.gateway.identify_count} resumes={self.gateway.resume_count} "
            f"close codes={self.gateway.client_close_codes} "
            f"live shards={sorted(self.gateway.live_shards())}"
        )
        lines.append(f"last requests: {self.requests[-8:]}")
        if self.unhandled:
            lines.append(f"UNHANDLED requests: {self.unhandled}")
        if self.errors:
            lines.append(f"fake internal errors: {self.errors[-3:]}")
        if self.late_interactions:
            lines.append(
                f"late acks (>{self.ack_deadline}s): {[r.describe() for r in self.late_interactions]}"
            )
        return "\n  ".join(lines)

    # ============================================================================ gateway glue

    def _ready_payloads(self, session: GatewaySession) -> tuple[JSON, list[JSON]]:
        flags = 0
        allowed = self.gateway.privileged_intents
        if allowed & Intent.GUILD_PRESENCES:
            flags |= 1 << 13
        if allowed & Intent.GUILD_MEMBERS:
            flags |= 1 << 15
        if allowed & Intent.MESSAGE_CONTENT:
            flags |= 1 << 19
        guilds = [g for g in self.state.joined_guilds() if session.serves(g.id)]
        user = {
            **self.state.user_payload(self.bot_user.id),
            "verified": True,
            "mfa_enabled": False,
            "email": None,
            "flags": 0,
        }
        ready: JSON = {
            "v": 10,
            "user": user,
            "user_settings": {},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "application": {"id": str(self.application_id), "flags": flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "auth": {},
            "_trace": ["fake-discord"],
        }
        creates = (
            [self.state.guild_create_payload(g) for g in guilds if g.id not in self._outages]
            if session.intents & Intent.GUILDS
            else []
        )
        return ready, creates

    def dispatch(self, event_name: str, data: JSON) -> int:
        """Send an arbitrary DISPATCH to the bot (buffered while it is reconnecting); returns seq."""
        seq = self.gateway.dispatch(event_name, data)
        if seq is None:
            raise RuntimeError("the bot has no gateway session (never identified, or it closed)")
        return seq

    async def drop_connection(self, *, resumable: bool = True, shard_id: int | None = None) -> None:
        """Drop the gateway socket: resumable -> close 4000 (client RESUMEs); else INVALID_SESSION.

        ``shard_id`` drops that shard's session (default: the newest session).
        """
        await self.gateway.drop_connection(resumable=resumable, shard_id=shard_id)

    # ============================================================================ interactions (test side)

    def _location(
        self, user_id: int, guild_id: int | None, channel_id: int | None
    ) -> tuple[int | None, ChannelModel]:
        self.state.user(user_id)
        if channel_id is not None:
            channel = self.state.channel(channel_id)
            if channel.is_dm:
                if channel.recipient_id != user_id:
                    raise InvocationError(f"channel {channel_id} is not the DM of user {user_id}")
                if guild_id is not None:
                    raise InvocationError("a DM channel has no guild")
            elif guild_id is not None and channel.guild_id != guild_id:
                raise InvocationError(f"channel {channel_id} is not in guild {guild_id}")
            guild_id = channel.guild_id
        elif guild_id is not None:
            guild = self.state.guild(guild_id)
            text = [c for c in guild.channels.values() if c.type is ChannelType.GUILD_TEXT]
            if not text:
                raise InvocationError(f"guild {guild_id} has no text channel; add one or pass channel_id")
            channel = text[0]
        else:
            channel = self.state.dm_channel(user_id)
        if guild_id is not None:
            guild = self.state.guild(guild_id)
            if not guild.bot_joined:
                raise InvocationRejectedError(f"the bot is not in guild {guild_id}")
            if user_id not in guild.members:
                raise InvocationError(f"user {user_id} is not a member of guild {guild_id}")
            if not self.state.channel_permissions(channel.id, user_id) & Permission.VIEW_CHANNEL:
                raise InvocationRejectedError(f"user {user_id} cannot see channel {channel.id}")
        elif not self.state.shares_guild_with_bot(user_id):
            raise InvocationRejectedError(f"user {user_id} shares no guild with the bot, so cannot DM it")
        return guild_id, channel

    def _check_allowed(
        self, command: RegisteredCommand, user_id: int, guild_id: int | None, channel: ChannelModel
    ) -> None:
        payload = command.payload
        context = 0 if guild_id is not None else 1
        contexts = payload.get("contexts")
        if contexts is not None and context not in contexts:
            raise InvocationRejectedError(f"/{command.name} is not available in context {context}")
        if guild_id is None and payload.get("dm_permission") is False:
            raise InvocationRejectedError(f"/{command.name} is not available in DMs")
        if guild_id is None:
            return
        perms = self.state.channel_permissions(channel.id, user_id)
        if not perms & Permission.USE_APPLICATION_COMMANDS:
            raise InvocationRejectedError(f"user {user_id} lacks Use Application Commands in {channel.id}")
        required = payload.get("default_member_permissions")
        member = self.state.member(guild_id, user_id)
        allowed = self._command_overrides.get((guild_id, command.name), set())
        if allowed & {user_id, *(member.roles if member else [])}:
            return
        if required is not None:
            guild_perms = self.state.guild_permissions(guild_id, user_id)
            needed = int(required)
            admin = bool(guild_perms & Permission.ADMINISTRATOR)
            if not admin and (needed == 0 or guild_perms & needed != needed):
                raise InvocationRejectedError(
                    f"/{command.name} requires permissions {needed} (default_member_permissions); "
                    f"user {user_id} has {guild_perms}"
                )

    def _upload(self, attachment: Attachment) -> Attachment:
        """Put a user's attachment on the fake CDN, as Discord does before dispatching the command."""
        upload_id = self.state.next_id()
        self.state.files[upload_id] = UploadedFile(
            "files[0]", attachment.filename, attachment.content_type, attachment.data
        )
        return dataclasses.replace(attachment, upload_id=upload_id)

    def _add_resolved(
        self, kind: int, entity_id: int, resolved: JSON, *, invoker_id: int, guild_id: int | None
    ) -> None:
        if kind == OptionType.ATTACHMENT:
            upload = self.state.files[entity_id]
            url = f"{self.config.base_url}/attachments/0/{entity_id}/{upload.filename}"
            resolved.setdefault("attachments", {})[str(entity_id)] = {
                "id": str(entity_id),
                "filename": upload.filename,
                "size": len(upload.data),
                "url": url,
                "proxy_url": url,
                "content_type": upload.content_type,
                "ephemeral": True,
            }
            return
        if kind == OptionType.MENTIONABLE:
            role = self.state.role_for(entity_id)
            kind = OptionType.ROLE if role is not None else OptionType.USER
        if kind == OptionType.USER:
            resolved.setdefault("users", {})[str(entity_id)] = self.state.user_payload(entity_id)
            if guild_id is not None and self.state.member(guild_id, entity_id) is not None:
                resolved.setdefault("members", {})[str(entity_id)] = {
                    **self.state.member_payload(guild_id, entity_id, with_user=False),
                    "permissions": str(self.state.guild_permissions(guild_id, entity_id)),
                }
        elif kind == OptionType.ROLE:
            role = self.state.role_for(entity_id)
            if role is None or role.guild_id != guild_id:
                raise InvocationError(f"role {entity_id} is not in guild {guild_id}")
            resolved.setdefault("roles", {})[str(entity_id)] = role.to_payload()
        elif kind == OptionType.CHANNEL:
            channel = self.state.channel(entity_id)
            if channel.guild_id != guild_id:
                raise InvocationError(f"channel {entity_id} is not in guild {guild_id}")
            full = self.state.channel_payload(channel)
            partial_channel: JSON = {
                k: full[k]
                for k in (
                    "id",
                    "name",
                    "type",
                    "parent_id",
                    "flags",
                    "nsfw",
                    "rate_limit_per_user",
                    "last_message_id",
                    "topic",
                    "position",
                    "thread_metadata",
                    "guild_id",
                )
                if k in full
            }
            partial_channel["permissions"] = str(self.state.channel_permissions(entity_id, invoker_id))
            resolved.setdefault("channels", {})[str(entity_id)] = partial_channel
        else:  # pragma: no cover - guarded by callers
            raise InvocationError(f"cannot resolve kind {kind}")

    def _dispatch_interaction(
        self,
        itype: int,
        data: JSON,
        *,
        user_id: int,
        guild_id: int | None,
        channel: ChannelModel,
        locale: str | None,
        command: str | None = None,
        message: JSON | None = None,
        origin: InteractionRecord | None = None,
        patch: Callable[[JSON], None] | None = None,
    ) -> InteractionHandle:
        if not self.gateway.sessions_for(guild_id):
            where = "direct messages (shard 0)" if guild_id is None else f"guild {guild_id}'s shard"
            raise RuntimeError(
                f"no gateway session serves {where}; start the bot and await fake.wait_ready()"
            )
        iid = self.state.next_id()
        token = f"fake-interaction-token-{iid}"
        user = self.state.user(user_id)
        payload: JSON = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "data": data,
            "token": token,
            "version": 1,
            "locale": locale or user.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "authorizing_integration_owners": {"0": str(guild_id) if guild_id is not None else "0"},
            "context": 0 if guild_id is not None else 1,
            "channel_id": str(channel.id),
            "channel": self.state.channel_payload(channel),
            "app_permissions": str(self.state.channel_permissions(channel.id, self.bot_user.id)),
        }
        if guild_id is not None:
            guild = self.state.guild(guild_id)
            payload["channel"]["permissions"] = str(self.state.channel_permissions(channel.id, user_id))
            payload["guild_id"] = str(guild_id)
            payload["guild_locale"] = guild.locale
            payload["guild"] = {"id": str(guild_id), "locale": guild.locale, "features": []}
            payload["member"] = self.state.member_payload(guild_id, user_id, permissions_in=channel.id)
        else:
            payload["user"] = self.state.user_payload(user_id)
        if message is not None:
            payload["message"] = message
        if patch is not None:
            patch(payload)
        record = InteractionRecord(
            id=iid,
            token=token,
            type=itype,
            payload=payload,
            user_id=user_id,
            guild_id=guild_id,
            channel_id=channel.id,
            dispatched_at=time.monotonic(),
            command=command,
            source_message_id=int(message["id"]) if message is not None else None,
            origin=origin,
        )
        handle = InteractionHandle(self, record)
        self._registry.add(handle)
        self.gateway.dispatch("INTERACTION_CREATE", payload)
        return handle

    def send_raw_interaction(
        self,
        itype: int,
        data: JSON,
        *,
        user_id: int,
        guild_id: int | None = None,
        channel_id: int | None = None,
        locale: str | None = None,
        message: JSON | None = None,
        patch: Callable[[JSON], None] | None = None,
    ) -> InteractionHandle:
        """Dispatch an interaction whose ``data`` is sent exactly as given: no schema checks at all.

        Discord validates options against the synced commands, so a real client never sends such
        payloads; hostile-input tests use this to prove the bot survives one that does. ``patch``
        may change the whole INTERACTION_CREATE payload (locale, member, ...) before it is sent.
        The callback is still validated like any other.
        """
        guild_id, channel = self._location(user_id, guild_id, channel_id)
        name = data.get("name")
        return self._dispatch_interaction(
            itype,
            data,
            user_id=user_id,
            guild_id=guild_id,
            channel=channel,
            locale=locale,
            command=name if isinstance(name, str) else None,
            message=message,
            patch=patch,
        )

    def _command_setup(
        self, command: str, user_id: int, guild_id: int | None, channel_id: int | None
    ) -> tuple[list[str], int | None, ChannelModel, RegisteredCommand | None, JSON]:
        path = command.split()
        if not path:
            raise UnknownCommandError("empty command")
        guild_id, channel = self._location(user_id, guild_id, channel_id)
        registered = self.state.find_command(path[0], guild_id=guild_id)
        if registered is None and self.state.has_synced_commands(guild_id):
            visible = sorted(
                {c.name for scope in (None, guild_id) for c in self.state.commands.get(scope, {}).values()}
            )
            raise UnknownCommandError(f"/{path[0]} was not synced; synced commands: {visible}")
        if registered is not None:
            self._check_allowed(registered, user_id, guild_id, channel)
            command_id = registered.id
        else:
            command_id = self._adhoc_command_ids.setdefault(path[0], self.state.next_id())
        data: JSON = {"id": str(command_id), "name": path[0], "type": 1}
        if registered is not None and registered.guild_id is not None:
            data["guild_id"] = str(registered.guild_id)
        return path, guild_id, channel, registered, data

    async def invoke(
        self,
        command: str,
        options: Mapping[str, OptionValue] | None = None,
        *,
        user_id: int,
        guild_id: int | None = None,
        channel_id: int | None = None,
        locale: str | None = None,
    ) -> InteractionHandle:
        """Run a slash command as ``user_id`` ("resources show" = command + subcommand path).

        Without ``guild_id``/``channel_id`` it runs in the user's DM with the bot; with only
        ``guild_id`` in the guild's first text channel. Once the bot synced commands, unknown
        commands/options, bad values, and invocations Discord would refuse raise.
        """
        path, guild_id, channel, registered, data = self._command_setup(
            command, user_id, guild_id, channel_id
        )
        options_payload, resolved = build_command_data(
            path,
            {k: self._upload(v) if isinstance(v, Attachment) else v for k, v in (options or {}).items()},
            registered.payload if registered is not None else None,
            focused=None,
            add_resolved=partial(self._add_resolved, invoker_id=user_id, guild_id=guild_id),
        )
        if options_payload:
            data["options"] = options_payload
        if resolved:
            data["resolved"] = resolved
        return self._dispatch_interaction(
            InteractionType.APPLICATION_COMMAND,
            data,
            user_id=user_id,
            guild_id=guild_id,
            channel=channel,
            locale=locale,
            command=command,
        )

    async def autocomplete(
        self,
        command: str,
        options: Mapping[str, OptionValue] | None,
        focused: str,
        *,
        user_id: int,
        guild_id: int | None = None,
        channel_id: int | None = None,
        locale: str | None = None,
        timeout: float = 10.0,
    ) -> list[JSON]:
        """Send an autocomplete interaction and return the choices the bot answered with.

        ``focused`` names the option being typed; its partial text is ``options[focused]`` ("" if absent).
        """
        path, guild_id, channel, registered, data = self._command_setup(
            command, user_id, guild_id, channel_id
        )
        options_payload, resolved = build_command_data(
            path,
            options or {},
            registered.payload if registered is not None else None,
            focused=focused,
            add_resolved=partial(self._add_resolved, invoker_id=user_id, guild_id=guild_id),
        )
        data["options"] = options_payload
        if resolved:
            data["resolved"] = resolved
        handle = self._dispatch_interaction(
            InteractionType.AUTOCOMPLETE,
            data,
            user_id=user_id,
            guild_id=guild_id,
            channel=channel,
            locale=locale,
            command=command,
        )
        response = await handle.response(timeout)
        if response["type"] != CallbackType.AUTOCOMPLETE_RESULT:
            raise InvocationError(f"autocomplete answered with callback type {response['type']}")
        choices: list[JSON] = response["data"].get("choices", [])
        return choices

    def _current_message(self, message: JSON | int) -> JSON:
        message_id = message if isinstance(message, int) else int(message["id"])
        if message_id not in self.state.messages:
            raise InvocationError(f"message {message_id} does not exist (deleted?)")
        return self.state.message_copy(message_id)

    def _message_owner(self, message: JSON) -> int | None:
        metadata = message.get("interaction_metadata") or {}
        user = metadata.get("user")
        return int(user["id"]) if user else None

    def _component_interaction(
        self, message: JSON, data: JSON, user_id: int | None, locale: str | None, resolved: JSON
    ) -> InteractionHandle:
        owner = self._message_owner(message)
        if user_id is None:
            if owner is None:
                raise InvocationError("pass user_id: the message was not sent in reply to an interaction")
            user_id = owner
        if message.get("flags", 0) & EPHEMERAL and owner is not None and owner != user_id:
            raise InvocationRejectedError("only the recipient can use components of an ephemeral message")
        channel = self.state.channel(int(message["channel_id"]))
        guild_id, channel = self._location(user_id, channel.guild_id, channel.id)
        if resolved:
            data["resolved"] = resolved
        return self._dispatch_interaction(
            InteractionType.MESSAGE_COMPONENT,
            data,
            user_id=user_id,
            guild_id=guild_id,
            channel=channel,
            locale=locale,
            message=message,
        )

    async def click(
        self, message: JSON | int, custom_id: str, *, user_id: int | None = None, locale: str | None = None
    ) -> InteractionHandle:
        """Click a button (by custom_id, or by its label) on a message the bot sent.

        ``user_id`` defaults to the user whose interaction produced the message.
        """
        current = self._current_message(message)
        button = find_component(current, custom_id, (2,))
        if button.get("disabled"):
            raise InvocationRejectedError(f"button {custom_id!r} is disabled")
        if button.get("style") in (5, 6) or not button.get("custom_id"):
            raise InvocationError(f"button {custom_id!r} is a link/premium button; it sends no interaction")
        data: JSON = {"custom_id": button["custom_id"], "component_type": 2}
        if "id" in button:
            data["id"] = button["id"]
        return self._component_interaction(current, data, user_id, locale, {})

    async def select(
        self,
        message: JSON | int,
        custom_id: str,
        values: Sequence[str | int | Channel | Role | User],
        *,
        user_id: int | None = None,
        locale: str | None = None,
    ) -> InteractionHandle:
        """Choose ``values`` in a select menu (by custom_id or placeholder) on a bot message."""
        current = self._current_message(message)
        menu = find_component(current, custom_id, (3, 5, 6, 7, 8))
        if menu.get("disabled"):
            raise InvocationRejectedError(f"select {custom_id!r} is disabled")
        owner = user_id if user_id is not None else self._message_owner(current)
        channel = self.state.channel(int(current["channel_id"]))
        resolved: JSON = {}
        wire = select_values(
            menu,
            values,
            partial(self._add_resolved, invoker_id=owner or 0, guild_id=channel.guild_id),
            resolved,
        )
        data: JSON = {"custom_id": menu["custom_id"], "component_type": menu["type"], "values": wire}
        if "id" in menu:
            data["id"] = menu["id"]
        return self._component_interaction(current, data, user_id, locale, resolved)

    async def submit_modal(
        self,
        custom_id: str,
        values: Mapping[str, ModalValue],
        *,
        user_id: int | None = None,
        locale: str | None = None,
    ) -> InteractionHandle:
        """Submit the last modal the bot opened with ``custom_id`` (for ``user_id`` if given).

        ``values`` is keyed by input custom_id or label text; the submission mirrors the modal's
        structure (Label/ActionRow wrappers). User and location default to where it was opened.
        """
        for origin, modal in reversed(self._registry.modals):
            if modal.get("custom_id") == custom_id and (user_id is None or origin.user_id == user_id):
                return self._submit(origin, modal, values, user_id=user_id, locale=locale)
        opened = [(m.get("custom_id"), o.user_id) for o, m in self._registry.modals]
        raise UnknownOptionError(
            f"no modal {custom_id!r} was opened for user {user_id}; opened (custom_id, user): {opened}"
        )

    def _submit_opened_modal(
        self,
        origin: InteractionRecord,
        values: Mapping[str, ModalValue],
        *,
        user_id: int | None,
        locale: str | None,
    ) -> InteractionHandle:
        """Submit the modal a given interaction opened (used by :meth:`InteractionHandle.submit_modal`)."""
        for opener, modal in reversed(self._registry.modals):
            if opener is origin:
                return self._submit(origin, modal, values, user_id=user_id, locale=locale)
        raise InvocationError(f"{origin.describe()} did not open a modal")

    def _submit(
        self,
        origin: InteractionRecord,
        modal: JSON,
        values: Mapping[str, ModalValue],
        *,
        user_id: int | None,
        locale: str | None,
    ) -> InteractionHandle:
        if user_id is not None and user_id != origin.user_id:
            raise InvocationRejectedError(f"the modal was shown to user {origin.user_id}, not {user_id}")
        components, resolved = build_modal_submission(
            modal, values, partial(self._add_resolved, invoker_id=origin.user_id, guild_id=origin.guild_id)
        )
        data: JSON = {"custom_id": modal.get("custom_id"), "components": components}
        if resolved:
            data["resolved"] = resolved
        message = None
        if origin.source_message_id is not None and origin.source_message_id in self.state.messages:
            message = self.state.message_copy(origin.source_message_id)
        return self._dispatch_interaction(
            InteractionType.MODAL_SUBMIT,
            data,
            user_id=origin.user_id,
            guild_id=origin.guild_id,
            channel=self.state.channel(origin.channel_id),
            locale=locale,
            message=message,
            origin=origin,
        )
