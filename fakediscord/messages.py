"""Message storage and gateway event emission shared by the REST API and the test-side helpers."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fakediscord.gateway import FakeGateway, GatewaySession, Intent, guild_of
from fakediscord.interactions import EPHEMERAL, LOADING, InteractionRecord, InteractionType
from fakediscord.models import JSON, FakeState, Guild, UploadedFile, iso_now
from fakediscord.models import Channel as ChannelModel
from fakediscord.rest import http_error, invalid_form
from fakediscord.validation import FieldError, iter_components

SUPPRESS_EMBEDS = 1 << 2
SUPPRESS_NOTIFICATIONS = 1 << 12
COMPONENTS_V2 = 1 << 15


class Emitter:
    """Sends gateway events the way Discord would: only with the intents that carry them."""

    def __init__(self, state: FakeState, gateway: FakeGateway) -> None:
        """Emit on ``gateway``'s current session."""
        self.state = state
        self.gateway = gateway

    def emit(self, event: str, data: JSON, intent: int) -> None:
        """Dispatch to the shard(s) of the event's guild that asked for ``intent`` (dropped otherwise)."""
        for session in self.gateway.sessions_for(guild_of(event, data)):
            if session.intents & intent:
                self.gateway.send_to(session, event, data)

    def emit_in_guild(self, guild: Guild, event: str, data: JSON) -> None:
        """A GUILDS-intent event about a guild, only if the bot is in it."""
        if guild.bot_joined:
            self.emit(event, data, Intent.GUILDS)

    def emit_member(self, event: str, guild: Guild, user_id: int, data: JSON) -> None:
        """A member event (privileged GUILD_MEMBERS intent, except events about the bot itself)."""
        if not guild.bot_joined:
            return
        # Member events need the privileged GUILD_MEMBERS intent, except about the bot itself.
        intent = Intent.GUILDS if user_id == self.state.bot_user.id else Intent.GUILD_MEMBERS
        self.emit(event, data, intent)

    def emit_message(self, event: str, message: JSON, channel: ChannelModel) -> None:
        """MESSAGE_CREATE/UPDATE with guild_id + member; content hidden without MESSAGE_CONTENT.

        A guild channel's messages go to the guild's shard, a DM's to shard 0.
        """
        need = Intent.DIRECT_MESSAGES if channel.is_dm else Intent.GUILD_MESSAGES
        if channel.guild_id is not None and not self.state.guild(channel.guild_id).bot_joined:
            return
        for session in self.gateway.sessions_for(channel.guild_id):
            if session.intents & need:
                self.gateway.send_to(session, event, self._message_for(session, message, channel))

    def _message_for(self, session: GatewaySession, message: JSON, channel: ChannelModel) -> JSON:
        data = copy.deepcopy(message)
        author_id = int(message["author"]["id"])
        if channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
            if self.state.member(channel.guild_id, author_id) is not None:
                data["member"] = self.state.member_payload(channel.guild_id, author_id, with_user=False)
        mentioned = f"<@{self.state.bot_user.id}>" in str(message.get("content"))
        if (
            author_id != self.state.bot_user.id
            and not channel.is_dm
            and not mentioned
            and not session.intents & Intent.MESSAGE_CONTENT
        ):
            data.update(content="", embeds=[], attachments=[], components=[])
        return data


class MessageStore:
    """Creates, edits and deletes messages in :class:`FakeState`, emitting the matching events."""

    def __init__(
        self, state: FakeState, emitter: Emitter, notify: Callable[[], None], base_url: Callable[[], str]
    ) -> None:
        """``base_url`` gives the server's http base (attachment URLs point at the fake)."""
        self.state = state
        self.emitter = emitter
        self.notify = notify
        self.base_url = base_url

    def render_components(self, components: Any) -> list[JSON]:
        """Echo components as Discord stores them: deep copy with numeric ``id``s assigned."""
        rendered: list[JSON] = copy.deepcopy(components) if isinstance(components, list) else []
        used = {c["id"] for c in iter_components(rendered) if isinstance(c.get("id"), int)}
        counter = 0
        for component in iter_components(rendered):
            if "id" not in component:
                counter += 1
                while counter in used:
                    counter += 1
                component["id"] = counter
        return rendered

    def render_attachments(
        self, channel_id: int, body: JSON, files: list[UploadedFile], existing: list[JSON], *, ephemeral: bool
    ) -> list[JSON]:
        """Attachments for a create/edit: keep referenced existing ones, store new ``files[n]`` uploads."""
        by_index: dict[int, UploadedFile] = {}
        for position, part in enumerate(files):
            inner = part.field_name.removeprefix("files[").removesuffix("]")
            by_index[int(inner) if inner.isdigit() else position] = part
        specs = body.get("attachments")
        if specs is None:
            if not files:
                return existing
            specs = [{"id": index} for index in by_index]
        kept = {int(a["id"]): a for a in existing}
        out: list[JSON] = []
        for spec in specs:
            ref = int(spec.get("id", -1))
            if ref in kept:
                out.append(kept[ref])
                continue
            upload = by_index.get(ref)
            if upload is None:
                raise invalid_form(
                    [FieldError("attachments", "ATTACHMENT_NOT_FOUND", f"Unknown attachment {ref}")]
                )
            attachment_id = self.state.next_id()
            self.state.files[attachment_id] = upload
            filename = str(spec.get("filename") or upload.filename)
            url = f"{self.base_url()}/attachments/{channel_id}/{attachment_id}/{filename}"
            attachment: JSON = {
                "id": str(attachment_id),
                "filename": filename,
                "size": len(upload.data),
                "url": url,
                "proxy_url": url,
                "content_type": upload.content_type,
            }
            if spec.get("description"):
                attachment["description"] = spec["description"]
            if ephemeral:
                attachment["ephemeral"] = True
            out.append(attachment)
        return out

    def interaction_fields(self, rec: InteractionRecord) -> JSON:
        """Fields of a message produced by an interaction (webhook_id, interaction_metadata, type)."""
        user = self.state.user_payload(rec.user_id)
        owners = rec.payload["authorizing_integration_owners"]
        metadata: JSON = {
            "id": str(rec.id),
            "type": rec.type,
            "user": user,
            "authorizing_integration_owners": owners,
        }
        if rec.type == InteractionType.APPLICATION_COMMAND:
            metadata["command_type"] = 1
            metadata["name"] = rec.command
        elif rec.type == InteractionType.MESSAGE_COMPONENT and rec.source_message_id is not None:
            metadata["interacted_message_id"] = str(rec.source_message_id)
        elif rec.type == InteractionType.MODAL_SUBMIT and rec.origin is not None:
            metadata["triggering_interaction_metadata"] = self.interaction_fields(rec.origin)[
                "interaction_metadata"
            ]
        if rec.original_message_id is not None:
            metadata["original_response_message_id"] = str(rec.original_message_id)
        fields: JSON = {
            "webhook_id": str(self.state.application_id),
            "application_id": str(self.state.application_id),
            "interaction_metadata": metadata,
            "type": 20
            if rec.type == InteractionType.APPLICATION_COMMAND
            else 19
            if rec.source_message_id
            else 0,
        }
        if rec.type == InteractionType.APPLICATION_COMMAND:
            fields["interaction"] = {"id": str(rec.id), "type": rec.type, "name": rec.command, "user": user}
        return fields

    def create(
        self,
        channel: ChannelModel,
        body: JSON,
        files: list[UploadedFile],
        *,
        author_id: int,
        interaction: InteractionRecord | None = None,
        flags: int | None = None,
    ) -> JSON:
        """Create and store a message; non-ephemeral ones enter history and are dispatched."""
        message_id = self.state.next_id()
        flag_value = flags if flags is not None else int(body.get("flags") or 0)
        ephemeral = bool(flag_value & EPHEMERAL)
        message: JSON = {
            "id": str(message_id),
            "type": 0,
            "channel_id": str(channel.id),
            "author": self.state.user_payload(author_id),
            "content": body.get("content") or "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self.render_attachments(channel.id, body, files, [], ephemeral=ephemeral),
            "embeds": [{"type": "rich", **e} for e in body.get("embeds") or []],
            "components": self.render_components(body.get("components")),
            "pinned": False,
            "flags": flag_value,
        }
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]
        reference = body.get("message_reference")
        if reference:
            message["type"] = 19
            message["message_reference"] = {"type": 0, "channel_id": str(channel.id), **reference}
            referenced = self.state.messages.get(int(reference.get("message_id") or 0))
            message["referenced_message"] = copy.deepcopy(referenced)
        if interaction is not None:
            message.update(self.interaction_fields(interaction))
        if channel.is_thread:
            message["position"] = channel.message_count
        self.state.messages[message_id] = message
        if not ephemeral:
            self.state.history.setdefault(channel.id, []).append(message_id)
            channel.last_message_id = message_id
            if channel.is_thread:
                channel.message_count += 1
            self.emitter.emit_message("MESSAGE_CREATE", message, channel)
        self.notify()
        return copy.deepcopy(message)

    def edit(
        self, message_id: int, body: JSON, files: list[UploadedFile], *, finish_loading: bool = False
    ) -> JSON:
        """Apply an edit body; ``finish_loading`` turns a deferred "thinking" message into the answer."""
        message = self.state.messages[message_id]
        ephemeral = bool(message["flags"] & EPHEMERAL)
        updated = copy.deepcopy(message)
        if "content" in body:
            updated["content"] = body["content"] or ""
        if "embeds" in body:
            updated["embeds"] = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "components" in body:
            updated["components"] = self.render_components(body["components"])
        if "attachments" in body or files:
            updated["attachments"] = self.render_attachments(
                int(message["channel_id"]), body, files, message.get("attachments") or [], ephemeral=ephemeral
            )
        if body.get("flags") is not None:
            changeable = SUPPRESS_EMBEDS | COMPONENTS_V2
            updated["flags"] = (message["flags"] & ~changeable) | (int(body["flags"]) & changeable)
        if finish_loading:
            updated["flags"] &= ~LOADING
        else:
            updated["edited_timestamp"] = iso_now()
        if not (updated["content"] or updated["embeds"] or updated["components"] or updated["attachments"]):
            raise http_error(400, 50006, "Cannot send an empty message")
        self.state.messages[message_id] = updated
        channel = self.state.channel(int(message["channel_id"]))
        if not ephemeral:
            self.emitter.emit_message("MESSAGE_UPDATE", updated, channel)
        self.notify()
        return copy.deepcopy(updated)

    def delete(self, message_id: int) -> None:
        """Delete a message (MESSAGE_DELETE if it was visible)."""
        message = self.state.messages.pop(message_id)
        channel = self.state.channel(int(message["channel_id"]))
        history = self.state.history.get(channel.id, [])
        if message_id in history:
            history.remove(message_id)
            data: JSON = {"id": str(message_id), "channel_id": str(channel.id)}
            if channel.guild_id is not None:
                data["guild_id"] = str(channel.guild_id)
            self.emitter.emit(
                "MESSAGE_DELETE", data, Intent.DIRECT_MESSAGES if channel.is_dm else Intent.GUILD_MESSAGES
            )
        self.notify()
