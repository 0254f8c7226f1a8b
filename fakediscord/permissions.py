"""Discord permission bits and the channel permission algorithm, as documented by Discord."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum, IntFlag


class Permission(IntFlag):
    """Permission bits (https://discord.com/developers/docs/topics/permissions)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    PRIORITY_SPEAKER = 1 << 8
    STREAM = 1 << 9
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    SEND_TTS_MESSAGES = 1 << 12
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    VIEW_GUILD_INSIGHTS = 1 << 19
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    MUTE_MEMBERS = 1 << 22
    DEAFEN_MEMBERS = 1 << 23
    MOVE_MEMBERS = 1 << 24
    USE_VAD = 1 << 25
    CHANGE_NICKNAME = 1 << 26
    MANAGE_NICKNAMES = 1 << 27
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    MANAGE_GUILD_EXPRESSIONS = 1 << 30
    USE_APPLICATION_COMMANDS = 1 << 31
    REQUEST_TO_SPEAK = 1 << 32
    MANAGE_EVENTS = 1 << 33
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    USE_EXTERNAL_STICKERS = 1 << 37
    SEND_MESSAGES_IN_THREADS = 1 << 38
    USE_EMBEDDED_ACTIVITIES = 1 << 39
    MODERATE_MEMBERS = 1 << 40


#: Every permission bit Discord currently defines (same mask as ``discord.Permissions.all()``).
ALL_PERMISSIONS = 0x1F_7FFF_FFFF_FFFF

#: What a freshly created guild grants ``@everyone`` (a realistic subset of Discord's default).
DEFAULT_EVERYONE_PERMISSIONS = int(
    Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.ADD_REACTIONS
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.USE_EXTERNAL_EMOJIS
    | Permission.USE_APPLICATION_COMMANDS
    | Permission.CREATE_PUBLIC_THREADS
    | Permission.SEND_MESSAGES_IN_THREADS
    | Permission.CHANGE_NICKNAME
    | Permission.CONNECT
    | Permission.SPEAK
)

#: The permissions the bot's own managed role gets in every guild by default.
DEFAULT_BOT_PERMISSIONS = int(
    Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.CREATE_PUBLIC_THREADS
    | Permission.SEND_MESSAGES_IN_THREADS
    | Permission.ATTACH_FILES
    | Permission.READ_MESSAGE_HISTORY
)

#: ``app_permissions`` Discord reports for interactions in a DM with the bot.
DM_PERMISSIONS = int(
    Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.ADD_REACTIONS
    | Permission.USE_EXTERNAL_EMOJIS
    | Permission.MENTION_EVERYONE
    | Permission.USE_APPLICATION_COMMANDS
)

# Permissions that are meaningless without Send Messages (Discord strips them implicitly).
_SEND_DEPENDENT = int(
    Permission.SEND_TTS_MESSAGES
    | Permission.MENTION_EVERYONE
    | Permission.ATTACH_FILES
    | Permission.EMBED_LINKS
)


class OverwriteType(IntEnum):
    """Target kind of a permission overwrite."""

    ROLE = 0
    MEMBER = 1


@dataclass
class Overwrite:
    """A channel permission overwrite."""

    id: int
    type: OverwriteType
    allow: int = 0
    deny: int = 0

    def to_payload(self) -> dict[str, object]:
        """Serialize as Discord does."""
        return {
            "id": str(self.id),
            "type": int(self.type),
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


def base_permissions(
    *,
    guild_id: int,
    owner_id: int,
    user_id: int,
    member_role_ids: Iterable[int],
    role_permissions: Mapping[int, int],
) -> int:
    """Guild-level permissions of a member: owner, then @everyone | roles, then Administrator."""
    if user_id == owner_id:
        return ALL_PERMISSIONS
    perms = role_permissions.get(guild_id, 0)
    for role_id in member_role_ids:
        perms |= role_permissions.get(role_id, 0)
    if perms & Permission.ADMINISTRATOR:
        return ALL_PERMISSIONS
    return perms


def apply_overwrites(
    base: int,
    *,
    guild_id: int,
    user_id: int,
    member_role_ids: Iterable[int],
    overwrites: Mapping[int, Overwrite],
) -> int:
    """Apply channel overwrites in Discord's order: @everyone, roles (combined), member."""
    if base & Permission.ADMINISTRATOR or base == ALL_PERMISSIONS:
        return ALL_PERMISSIONS
    perms = base
    everyone = overwrites.get(guild_id)
    if everyone is not None:
        perms &= ~everyone.deny
        perms |= everyone.allow
    allow = deny = 0
    for role_id in member_role_ids:
        ow = overwrites.get(role_id)
        if ow is not None and ow.type is OverwriteType.ROLE:
            allow |= ow.allow
            deny |= ow.deny
    perms &= ~deny
    perms |= allow
    member_ow = overwrites.get(user_id)
    if member_ow is not None and member_ow.type is OverwriteType.MEMBER:
        perms &= ~member_ow.deny
        perms |= member_ow.allow
    return perms


def apply_implicit(perms: int, *, thread: bool = False) -> int:
    """Implicit denials: no View Channel means nothing; no send right strips send-dependent bits.

    In threads the send right is Send Messages in Threads instead of Send Messages.
    """
    if perms == ALL_PERMISSIONS:
        return perms
    if not perms & Permission.VIEW_CHANNEL:
        return 0
    send_bit = Permission.SEND_MESSAGES_IN_THREADS if thread else Permission.SEND_MESSAGES
    if not perms & send_bit:
        perms &= ~_SEND_DEPENDENT
    return perms
