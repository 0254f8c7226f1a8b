"""State of the fake Discord: users, guilds, channels, roles, members, messages, commands.

Everything here is plain data plus serialization into the JSON shapes Discord sends. Nothing in
this module talks to the network; :mod:`fakediscord.fake_discord` owns the I/O.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from fakediscord.permissions import (
    ALL_PERMISSIONS,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    DM_PERMISSIONS,
    Overwrite,
    Permission,
    apply_implicit,
    apply_overwrites,
    base_permissions,
)

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000


def iso_now() -> str:
    """Return the current UTC time in Discord's ISO-8601 format."""
    return datetime.now(UTC).isoformat()


class SnowflakeFactory:
    """Monotonic snowflake ids: a fixed timestamp part plus a counter starting at ``seed``.

    The timestamp part defaults to the moment the factory is created, so ``created_at`` of
    every object is realistic (discord.py derives interaction expiry from it); pass ``epoch``
    for ids that are identical across runs.
    """

    def __init__(self, seed: int = 0, epoch: datetime | None = None) -> None:
        """Start the counter at ``seed`` on top of ``epoch`` (default: now)."""
        moment = epoch if epoch is not None else datetime.now(UTC).replace(microsecond=0)
        millis = int(moment.timestamp() * 1000) - DISCORD_EPOCH_MS
        self._next = (millis << 22) + seed

    def __call__(self) -> int:
        """Return the next id."""
        value = self._next
        self._next += 1
        return value


class ChannelType(IntEnum):
    """Discord channel types the fake knows about."""

    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5
    ANNOUNCEMENT_THREAD = 10
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    GUILD_FORUM = 15


THREAD_TYPES = frozenset(
    {ChannelType.ANNOUNCEMENT_THREAD, ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD}
)


@dataclass
class User:
    """A Discord user (the bot is one too)."""

    id: int
    name: str
    locale: str = "en-US"
    bot: bool = False

    def to_payload(self) -> JSON:
        """Serialize as a partial user object (what messages and members embed)."""
        data: JSON = {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": None if self.bot else self.name,
            "avatar": None,
            "avatar_decoration_data": None,
            "collectibles": None,
            "primary_guild": None,
            "public_flags": 0,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class Role:
    """A guild role. The @everyone role has the guild's id."""

    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    bot_id: int | None = None
    color: int = 0
    hoist: bool = False
    mentionable: bool = False

    def to_payload(self) -> JSON:
        """Serialize as Discord does."""
        data: JSON = {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "color": self.color,
            "colors": {"primary_color": self.color, "secondary_color": None, "tertiary_color": None},
            "hoist": self.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class Channel:
    """A guild channel, thread or DM channel."""

    id: int
    type: ChannelType
    name: str
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    recipient_id: int | None = None
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    created_at: str = field(default_factory=iso_now)
    last_message_id: int | None = None
    message_count: int = 0
    nsfw: bool = False
    rate_limit_per_user: int = 0
    invitable: bool = True

    @property
    def is_thread(self) -> bool:
        """Whether this is a thread."""
        return self.type in THREAD_TYPES

    @property
    def is_dm(self) -> bool:
        """Whether this is a DM channel."""
        return self.type is ChannelType.DM


@dataclass
class Member:
    """Membership of a user in a guild."""

    user_id: int
    guild_id: int
    roles: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=iso_now)
    nick: str | None = None


@dataclass
class Guild:
    """A guild with its channels, roles and members."""

    id: int
    name: str
    owner_id: int
    locale: str = "en-US"
    bot_joined: bool = True
    bot_role_id: int = 0
    channels: dict[int, Channel] = field(default_factory=dict)
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)

    @property
    def everyone_role(self) -> Role:
        """The @everyone role (same id as the guild)."""
        return self.roles[self.id]


@dataclass
class UploadedFile:
    """A file the bot uploaded (multipart ``files[n]`` part)."""

    field_name: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RegisteredCommand:
    """An application command the bot synced (global when ``guild_id`` is None)."""

    id: int
    guild_id: int | None
    version: int
    payload: JSON

    @property
    def name(self) -> str:
        """Command name."""
        return str(self.payload["name"])

    @property
    def type(self) -> int:
        """Command type (1 chat input, 2 user, 3 message)."""
        return int(self.payload.get("type", 1))


class FakeState:
    """All the fake's data, with Discord-shaped serialization and permission computation."""

    def __init__(self, *, seed: int = 0, epoch: datetime | None = None, bot_name: str = "Kindred") -> None:
        """Create an application with its bot user and owner."""
        self.next_id = SnowflakeFactory(seed, epoch)
        self.application_id = self.next_id()
        # A bot user's id is the application id, as on Discord.
        self.bot_user = User(id=self.application_id, name=bot_name, bot=True)
        self.app_owner = User(id=self.next_id(), name=f"{bot_name.lower()}-owner")
        self.users: dict[int, User] = {
            self.bot_user.id: self.bot_user,
            self.app_owner.id: self.app_owner,
        }
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.dm_by_user: dict[int, int] = {}
        self.messages: dict[int, JSON] = {}
        self.history: dict[int, list[int]] = {}
        self.files: dict[int, UploadedFile] = {}
        self.commands: dict[int | None, dict[tuple[str, int], RegisteredCommand]] = {}
        self.closed_dms: set[int] = set()
        #: (channel, author, nonce) -> (message id, monotonic time) for ``enforce_nonce`` sends.
        self.nonces: dict[tuple[int, int, str], tuple[int, float]] = {}
        #: Private thread id -> users added to it (its creator is always a member).
        self.thread_members: dict[int, set[int]] = {}

    # -- lookups -----------------------------------------------------------------------------

    def user(self, user_id: int) -> User:
        """Return a user or raise KeyError with a helpful message."""
        try:
            return self.users[user_id]
        except KeyError:
            raise KeyError(f"unknown user id {user_id}; create it with add_user()") from None

    def guild(self, guild_id: int) -> Guild:
        """Return a guild or raise KeyError."""
        try:
            return self.guilds[guild_id]
        except KeyError:
            raise KeyError(f"unknown guild id {guild_id}; create it with add_guild()") from None

    def channel(self, channel_id: int) -> Channel:
        """Return any channel (guild channel, thread, DM) or raise KeyError."""
        try:
            return self.channels[channel_id]
        except KeyError:
            raise KeyError(f"unknown channel id {channel_id}") from None

    def member(self, guild_id: int, user_id: int) -> Member | None:
        """Return a member of a guild, or None."""
        return self.guild(guild_id).members.get(user_id)

    def role_for(self, role_id: int) -> Role | None:
        """Find a role by id in any guild."""
        for guild in self.guilds.values():
            role = guild.roles.get(role_id)
            if role is not None:
                return role
        return None

    def joined_guilds(self) -> Iterator[Guild]:
        """Guilds the bot is currently a member of."""
        return (g for g in self.guilds.values() if g.bot_joined)

    def shares_guild_with_bot(self, user_id: int) -> bool:
        """Whether a user is in at least one guild the bot is in (required for bot DMs)."""
        return any(user_id in g.members for g in self.joined_guilds())

    def thread_permission_parent(self, channel: Channel) -> Channel:
        """The channel whose overwrites govern ``channel`` (threads inherit from their parent)."""
        if channel.is_thread and channel.parent_id is not None:
            return self.channel(channel.parent_id)
        return channel

    # -- permissions -------------------------------------------------------------------------

    def guild_permissions(self, guild_id: int, user_id: int) -> int:
        """Guild-level permissions of a member (0 if not a member)."""
        guild = self.guild(guild_id)
        member = guild.members.get(user_id)
        if member is None:
            return 0
        return base_permissions(
            guild_id=guild.id,
            owner_id=guild.owner_id,
            user_id=user_id,
            member_role_ids=member.roles,
            role_permissions={r.id: r.permissions for r in guild.roles.values()},
        )

    def channel_permissions(self, channel_id: int, user_id: int) -> int:
        """Effective permissions of a user in a channel, including overwrites and implicit rules."""
        channel = self.channel(channel_id)
        if channel.guild_id is None:
            return DM_PERMISSIONS
        guild = self.guild(channel.guild_id)
        member = guild.members.get(user_id)
        if member is None:
            return 0
        base = self.guild_permissions(guild.id, user_id)
        if base == ALL_PERMISSIONS:
            return ALL_PERMISSIONS
        source = self.thread_permission_parent(channel)
        perms = apply_overwrites(
            base,
            guild_id=guild.id,
            user_id=user_id,
            member_role_ids=member.roles,
            overwrites=source.overwrites,
        )
        perms = apply_implicit(perms, thread=channel.is_thread)
        if channel.type is ChannelType.PRIVATE_THREAD and not perms & Permission.MANAGE_THREADS:
            members = self.thread_members.get(channel.id, set()) | {channel.owner_id}
            if user_id not in members:
                return 0  # Discord: a private thread is seen by its members and Manage Threads only
        return perms

    # -- serialization -----------------------------------------------------------------------

    def user_payload(self, user_id: int) -> JSON:
        """Partial user object."""
        return self.user(user_id).to_payload()

    def member_payload(
        self, guild_id: int, user_id: int, *, permissions_in: int | None = None, with_user: bool = True
    ) -> JSON:
        """Guild member object; ``permissions_in`` adds the ``permissions`` field (interactions)."""
        member = self.member(guild_id, user_id)
        if member is None:
            raise KeyError(f"user {user_id} is not a member of guild {guild_id}")
        data: JSON = {
            "nick": member.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in member.roles],
            "joined_at": member.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
            "unusual_dm_activity_until": None,
        }
        if with_user:
            data["user"] = self.user_payload(user_id)
        if permissions_in is not None:
            data["permissions"] = str(self.channel_permissions(permissions_in, user_id))
        return data

    def channel_payload(self, channel: Channel, *, include_guild_id: bool = True) -> JSON:
        """Channel object as returned by GET /channels/{id} (or inside GUILD_CREATE)."""
        if channel.is_dm:
            if channel.recipient_id is None:
                raise ValueError(f"DM channel {channel.id} has no recipient")
            return {
                "id": str(channel.id),
                "type": int(channel.type),
                "last_message_id": _opt_str(channel.last_message_id),
                "flags": 0,
                "recipients": [self.user_payload(channel.recipient_id)],
            }
        data: JSON = {
            "id": str(channel.id),
            "type": int(channel.type),
            "name": channel.name,
            "flags": 0,
            "last_message_id": _opt_str(channel.last_message_id),
            "rate_limit_per_user": channel.rate_limit_per_user,
            "nsfw": channel.nsfw,
            "parent_id": _opt_str(channel.parent_id),
        }
        if include_guild_id:
            data["guild_id"] = str(channel.guild_id)
        if channel.is_thread:
            data.update(
                {
                    "owner_id": _opt_str(channel.owner_id),
                    "message_count": channel.message_count,
                    "member_count": 1,
                    "total_message_sent": channel.message_count,
                    "thread_metadata": {
                        "archived": channel.archived,
                        "auto_archive_duration": channel.auto_archive_duration,
                        "archive_timestamp": channel.created_at,
                        "locked": channel.locked,
                        "create_timestamp": channel.created_at,
                        **(
                            {"invitable": channel.invitable}
                            if channel.type is ChannelType.PRIVATE_THREAD
                            else {}
                        ),
                    },
                }
            )
        else:
            data.update(
                {
                    "position": channel.position,
                    "permission_overwrites": [ow.to_payload() for ow in channel.overwrites.values()],
                }
            )
            if channel.type is not ChannelType.GUILD_CATEGORY:
                data["topic"] = channel.topic
                data["default_thread_rate_limit_per_user"] = 0
        return data

    def guild_payload(self, guild: Guild) -> JSON:
        """Guild object as returned by GET /guilds/{id}."""
        text_channels = [c for c in guild.channels.values() if c.type is ChannelType.GUILD_TEXT]
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.to_payload() for r in sorted(guild.roles.values(), key=lambda r: r.position)],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": str(text_channels[0].id) if text_channels else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_presences": None,
            "max_members": 500_000,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.locale,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "incidents_data": None,
        }

    def guild_create_payload(self, guild: Guild) -> JSON:
        """GUILD_CREATE as a bot without privileged intents receives it (only its own member)."""
        data = self.guild_payload(guild)
        bot_member = guild.members[self.bot_user.id]
        data.update(
            {
                "joined_at": bot_member.joined_at,
                "large": len(guild.members) >= 250,
                "unavailable": False,
                "member_count": len(guild.members),
                "voice_states": [],
                "members": [self.member_payload(guild.id, self.bot_user.id)],
                "channels": [
                    self.channel_payload(c, include_guild_id=False)
                    for c in guild.channels.values()
                    if not c.is_thread
                ],
                "threads": [
                    self.channel_payload(c) for c in guild.channels.values() if c.is_thread and not c.archived
                ],
                "presences": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "soundboard_sounds": [],
                "embedded_activities": [],
                "application_command_counts": {},
                "lazy": True,
            }
        )
        return data

    # -- builders (no I/O) -------------------------------------------------------------------

    def create_user(self, name: str, *, locale: str = "en-US", bot: bool = False) -> User:
        """Create a user."""
        user = User(id=self.next_id(), name=name, locale=locale, bot=bot)
        self.users[user.id] = user
        return user

    def create_guild(
        self,
        name: str,
        *,
        owner_id: int | None,
        locale: str,
        everyone_permissions: int,
        bot_permissions: int,
        bot_joined: bool,
        shard: tuple[int, int] | None = None,
    ) -> Guild:
        """Create a guild with @everyone, the bot's managed role, the owner and the bot as members.

        ``shard=(shard_id, num_shards)``: an id Discord routes to that shard.
        """
        guild_id = self.next_id()
        if shard is not None:  # a later timestamp part, same counter: still unique, on that shard
            shard_id, count = shard
            guild_id += ((shard_id - (guild_id >> 22)) % count) << 22
        if owner_id is None:
            owner_id = self.create_user(f"{name.lower().replace(' ', '-')}-owner").id
        else:
            self.user(owner_id)
        guild = Guild(id=guild_id, name=name, owner_id=owner_id, locale=locale, bot_joined=bot_joined)
        guild.roles[guild_id] = Role(
            id=guild_id, guild_id=guild_id, name="@everyone", permissions=everyone_permissions
        )
        bot_role = Role(
            id=self.next_id(),
            guild_id=guild_id,
            name=self.bot_user.name,
            permissions=bot_permissions,
            position=1,
            managed=True,
            bot_id=self.bot_user.id,
        )
        guild.roles[bot_role.id] = bot_role
        guild.bot_role_id = bot_role.id
        guild.members[owner_id] = Member(user_id=owner_id, guild_id=guild_id)
        guild.members[self.bot_user.id] = Member(
            user_id=self.bot_user.id, guild_id=guild_id, roles=[bot_role.id]
        )
        self.guilds[guild_id] = guild
        return guild

    def create_channel(
        self,
        guild_id: int,
        name: str,
        *,
        type: ChannelType = ChannelType.GUILD_TEXT,
        parent_id: int | None = None,
        topic: str | None = None,
        overwrites: Iterable[Overwrite] = (),
        owner_id: int | None = None,
        channel_id: int | None = None,
    ) -> Channel:
        """Create a guild channel or thread."""
        guild = self.guild(guild_id)
        channel = Channel(
            id=channel_id if channel_id is not None else self.next_id(),
            type=type,
            name=name,
            guild_id=guild_id,
            position=sum(1 for c in guild.channels.values() if not c.is_thread),
            parent_id=parent_id,
            topic=topic,
            overwrites={ow.id: ow for ow in overwrites},
            owner_id=owner_id,
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        self.history.setdefault(channel.id, [])
        return channel

    def dm_channel(self, user_id: int) -> Channel:
        """Return (creating on first use) the DM channel between the bot and a user; id is stable."""
        self.user(user_id)
        existing = self.dm_by_user.get(user_id)
        if existing is not None:
            return self.channels[existing]
        channel = Channel(id=self.next_id(), type=ChannelType.DM, name="", recipient_id=user_id)
        self.channels[channel.id] = channel
        self.dm_by_user[user_id] = channel.id
        self.history.setdefault(channel.id, [])
        return channel

    def find_command(self, name: str, *, guild_id: int | None, type: int = 1) -> RegisteredCommand | None:
        """Find a synced command visible in ``guild_id`` (guild commands shadow global ones)."""
        if guild_id is not None:
            found = self.commands.get(guild_id, {}).get((name, type))
            if found is not None:
                return found
        return self.commands.get(None, {}).get((name, type))

    def has_synced_commands(self, guild_id: int | None) -> bool:
        """Whether the bot synced any command visible in ``guild_id`` (or globally)."""
        if self.commands.get(None):
            return True
        return guild_id is not None and bool(self.commands.get(guild_id))

    def message_copy(self, message_id: int) -> JSON:
        """A deep copy of a stored message payload."""
        return copy.deepcopy(self.messages[message_id])


def _opt_str(value: int | None) -> str | None:
    return None if value is None else str(value)


__all__ = [
    "DEFAULT_BOT_PERMISSIONS",
    "DEFAULT_EVERYONE_PERMISSIONS",
    "JSON",
    "Channel",
    "ChannelType",
    "FakeState",
    "Guild",
    "Member",
    "RegisteredCommand",
    "Role",
    "SnowflakeFactory",
    "UploadedFile",
    "User",
    "iso_now",
]
