"""Thread members, pins and channel deletion for the fake Discord (what /reach and gentle mode need).

Self-contained: `register(api)` adds the routes to a :class:`~fakediscord.api.RestApi`. Discord's
rules kept here: only thread members (or Manage Threads) may add members to a private thread,
and only when the thread is not `invitable` for others; the added user must be in the guild;
pinning needs Manage Messages (or Pin Messages); deleting a thread needs Manage Threads, and so
does locking one (PATCH /channels/{id} with `locked`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fakediscord.gateway import Intent
from fakediscord.models import ChannelType
from fakediscord.permissions import Permission
from fakediscord.rest import Reply, RequestContext, http_error

if TYPE_CHECKING:
    from fakediscord.api import RestApi

PIN_MESSAGES = 1 << 51
UNKNOWN_MEMBER = (404, 10007, "Unknown Member")


@dataclass
class ThreadState:
    """Which messages are pinned where (thread members live in FakeState, for permissions)."""

    pins: dict[int, list[int]] = field(default_factory=dict)


def register(api: RestApi) -> None:
    """Add the thread-member, pin and channel-delete routes to `api`."""
    state = api.thread_state
    members_of = api.state.thread_members

    def thread_of(ctx: RequestContext) -> int:
        channel = api._channel_for(ctx)
        if not channel.is_thread:
            raise http_error(400, 50024, "Cannot execute action on this channel type")
        if channel.archived or channel.locked:
            raise http_error(400, 50083, "Thread is archived")
        return channel.id

    async def add_member(ctx: RequestContext) -> Reply:
        thread_id = thread_of(ctx)
        channel = api.state.channel(thread_id)
        user_id = ctx.int_param("user_id")
        bot_id = api.state.bot_user.id
        members = members_of.setdefault(thread_id, {channel.owner_id or bot_id})
        if channel.type is ChannelType.PRIVATE_THREAD and bot_id not in members:
            api._require(channel, Permission.MANAGE_THREADS)
        if api.state.member(channel.guild_id or 0, user_id) is None:
            raise http_error(*UNKNOWN_MEMBER)
        members.add(user_id)
        api.notify()
        return Reply(204)

    async def list_members(ctx: RequestContext) -> Reply:
        thread_id = thread_of(ctx)
        channel = api.state.channel(thread_id)
        members = members_of.get(thread_id, {channel.owner_id or api.state.bot_user.id})
        return Reply(
            200,
            [
                {"id": str(thread_id), "user_id": str(u), "join_timestamp": channel.created_at, "flags": 0}
                for u in sorted(members)
            ],
        )

    async def pin(ctx: RequestContext) -> Reply:
        channel = api._channel_for(ctx)
        message = api._channel_message(ctx, channel)
        granted = api._bot_perms(channel)
        if not granted & (Permission.MANAGE_MESSAGES | PIN_MESSAGES):
            raise http_error(403, 50013, "Missing Permissions")
        pins = state.pins.setdefault(channel.id, [])
        if int(message["id"]) not in pins:
            pins.append(int(message["id"]))
        message["pinned"] = True
        api.notify()
        return Reply(204)

    async def unpin(ctx: RequestContext) -> Reply:
        channel = api._channel_for(ctx)
        message = api._channel_message(ctx, channel)
        if not api._bot_perms(channel) & (Permission.MANAGE_MESSAGES | PIN_MESSAGES):
            raise http_error(403, 50013, "Missing Permissions")
        pins = state.pins.setdefault(channel.id, [])
        if int(message["id"]) in pins:
            pins.remove(int(message["id"]))
        message["pinned"] = False
        api.notify()
        return Reply(204)

    async def delete_channel(ctx: RequestContext) -> Reply:
        channel = api._channel_for(ctx)
        api._require(channel, Permission.MANAGE_THREADS if channel.is_thread else Permission.MANAGE_CHANNELS)
        payload = api.state.channel_payload(channel)
        for message_id in list(api.state.history.get(channel.id, [])):
            api.store.delete(message_id)
        api.state.history.pop(channel.id, None)
        api.state.channels.pop(channel.id, None)
        if channel.guild_id is not None:
            api.state.guild(channel.guild_id).channels.pop(channel.id, None)
        members_of.pop(channel.id, None)
        state.pins.pop(channel.id, None)
        event = "THREAD_DELETE" if channel.is_thread else "CHANNEL_DELETE"
        data = (
            {
                "id": str(channel.id),
                "guild_id": str(channel.guild_id),
                "parent_id": str(channel.parent_id),
                "type": int(channel.type),
            }
            if channel.is_thread
            else payload
        )
        api.emitter.emit(event, data, Intent.GUILDS)
        api.notify()
        return Reply(200, payload)

    async def edit_thread(ctx: RequestContext) -> Reply:
        channel = api._channel_for(ctx)
        if not channel.is_thread:
            raise http_error(400, 50024, "Cannot execute action on this channel type")
        body = ctx.json if isinstance(ctx.json, dict) else {}
        if "locked" in body:
            api._require(channel, Permission.MANAGE_THREADS)
            channel.locked = bool(body["locked"])
        if "archived" in body:
            channel.archived = bool(body["archived"])
        if isinstance(body.get("name"), str):
            channel.name = body["name"]
        payload = api.state.channel_payload(channel)
        api.emitter.emit("THREAD_UPDATE", payload, Intent.GUILDS)
        api.notify()
        return Reply(200, payload)

    router = api._router
    router.add("PATCH", "/channels/{channel_id}", edit_thread)
    router.add("PUT", "/channels/{channel_id}/thread-members/{user_id}", add_member)
    router.add("GET", "/channels/{channel_id}/thread-members", list_members)
    router.add("PUT", "/channels/{channel_id}/messages/pins/{message_id}", pin)
    router.add("DELETE", "/channels/{channel_id}/messages/pins/{message_id}", unpin)
    router.add("DELETE", "/channels/{channel_id}", delete_channel)
