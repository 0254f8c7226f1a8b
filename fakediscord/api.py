"""The fake's REST API: request pipeline, route table and endpoint handlers.

Every request goes through :meth:`RestApi.handle`: parse -> resolve route -> authenticate ->
hooks (failure injection first, then the opt-in rate limiter) -> handler -> record.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import re
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from fakediscord import threads
from fakediscord.gateway import FakeGateway, Intent
from fakediscord.interactions import (
    EPHEMERAL,
    LOADING,
    CallbackType,
    InteractionRecord,
    InteractionRegistry,
    InteractionType,
)
from fakediscord.messages import COMPONENTS_V2, SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, Emitter, MessageStore
from fakediscord.models import JSON, ChannelType, FakeState, Guild, RegisteredCommand, UploadedFile
from fakediscord.models import Channel as ChannelModel
from fakediscord.permissions import Permission
from fakediscord.rest import (
    MISSING_ACCESS,
    MISSING_PERMISSIONS,
    RECORDED_HEADERS,
    DiscordHTTPError,
    FailureInjector,
    RecordedRequest,
    Reply,
    RequestContext,
    RequestHook,
    ResponseHook,
    Router,
    http_error,
    invalid_form,
)
from fakediscord.validation import (
    FieldError,
    form_errors,
    validate_choices,
    validate_commands,
    validate_message,
    validate_modal,
)

_log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
#: Discord checks an enforced nonce "for uniqueness in the past few minutes".
NONCE_WINDOW_SECONDS = 180.0
NONCE_MAX_LENGTH = 25
_SETTABLE_FLAGS = EPHEMERAL | SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | COMPONENTS_V2
_ALLOWED_CALLBACKS: dict[int, frozenset[int]] = {
    InteractionType.APPLICATION_COMMAND: frozenset({4, 5, 9}),
    InteractionType.MESSAGE_COMPONENT: frozenset({4, 5, 6, 7, 9}),
    InteractionType.AUTOCOMPLETE: frozenset({8}),
    InteractionType.MODAL_SUBMIT: frozenset({4, 5, 6, 7}),
}


@dataclass
class ServerConfig:
    """Settings shared by the server parts; ``port`` is set once the server is bound."""

    token: str
    host: str
    ack_deadline: float | None
    port: int | None = None
    #: The shard count GET /gateway/bot recommends (Discord: one per 1,000 guilds or so).
    shards: int = 1

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT``."""
        if self.port is None:
            raise RuntimeError("FakeDiscord is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        """REST base including ``/api/v10``."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """Gateway websocket URL."""
        return self.base_url.replace("http://", "ws://", 1) + "/gateway"

    @property
    def resume_gateway_url(self) -> str:
        """``resume_gateway_url`` advertised in READY (a distinct path, same handler)."""
        return self.gateway_url + "/resume"


class RestApi:
    """Discord's REST API over :class:`FakeState`."""

    def __init__(
        self,
        *,
        config: ServerConfig,
        state: FakeState,
        gateway: FakeGateway,
        emitter: Emitter,
        store: MessageStore,
        registry: InteractionRegistry,
        notify: Callable[[], None],
    ) -> None:
        """Wire the API to the shared state; see :class:`fakediscord.fake_discord.FakeDiscord`."""
        self.config = config
        self.state = state
        self.gateway = gateway
        self.emitter = emitter
        self.store = store
        self.registry = registry
        self.notify = notify
        self.requests: list[RecordedRequest] = []
        self.unhandled: list[RecordedRequest] = []
        self.errors: list[str] = []
        self.failures = FailureInjector()
        self.hooks: list[RequestHook] = [self.failures]
        self.response_hooks: list[ResponseHook] = []
        # (method or "*", path pattern, seconds): answers held back after the request took effect.
        self.late_answers: list[tuple[str, re.Pattern[str], float]] = []
        self._router = Router()
        self.thread_state = threads.ThreadState()
        self._register_routes()
        threads.register(self)

    def serves(self, route_key: str) -> bool:
        """Whether ``"METHOD /template"`` is a route of this API (used to check rate-limit tables)."""
        return any(f"{r.method} {r.template}" == route_key for r in self._router.routes)

    # -- pipeline -----------------------------------------------------------------------------

    async def _parse(self, request: web.Request, path: str) -> RequestContext:
        body: Any = None
        files: list[UploadedFile] = []
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):
                    continue
                raw = bytes(await part.read(decode=False))
                if part.name == "payload_json":
                    body = json.loads(raw)
                else:
                    files.append(
                        UploadedFile(
                            field_name=part.name or "",
                            filename=part.filename or "",
                            content_type=part.headers.get("Content-Type", "application/octet-stream"),
                            data=raw,
                        )
                    )
        elif request.can_read_body:
            raw_text = await request.text()
            if raw_text:
                try:
                    body = json.loads(raw_text)
                except ValueError:
                    body = raw_text
        headers = {h: request.headers[h] for h in RECORDED_HEADERS if h in request.headers}
        if "Authorization" in request.headers:
            headers["Authorization"] = request.headers["Authorization"].split(" ", 1)[0] + " <redacted>"
        return RequestContext(
            method=request.method,
            path=path,
            query=dict(request.query),
            headers=headers,
            json=body,
            files=files,
        )

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve one HTTP request (anything outside /api/v10 or unrouted is recorded as unhandled)."""
        received_at = time.monotonic()
        raw_path = request.path
        in_api = raw_path.startswith(API_PREFIX + "/")
        ctx = await self._parse(request, raw_path[len(API_PREFIX) :] if in_api else raw_path)
        ctx.received_at = received_at
        injected = False
        resolved = self._router.resolve(ctx.method, ctx.path) if in_api else None
        if resolved is None:
            reply = Reply(404, {"message": "Unknown route", "code": 0})
        else:
            ctx.route, ctx.params = resolved
            reply, injected = await self._process(ctx, request)
            for after in self.response_hooks:
                after(ctx, reply)
        record = RecordedRequest(
            method=ctx.method,
            path=ctx.path,
            route=ctx.route.template if ctx.route is not None else None,
            params=dict(ctx.params),
            query=ctx.query,
            json=ctx.json,
            files=ctx.files,
            headers=ctx.headers,
            status=reply.status,
            response=reply.body,
            at=time.monotonic(),
            injected=injected,
        )
        self.requests.append(record)
        if resolved is None:
            self.unhandled.append(record)
            _log.warning("fake discord: unhandled %s %s", ctx.method, raw_path)
        self.notify()
        await self._answer_late(ctx)
        if reply.body is None or reply.status == 204:
            return web.Response(status=reply.status, headers=reply.headers)
        # Exactly "application/json" (no charset), as Discord sends and discord.py expects.
        return web.Response(
            body=json.dumps(reply.body).encode(),
            status=reply.status,
            headers={**reply.headers, "Content-Type": "application/json"},
        )

    async def _answer_late(self, ctx: RequestContext) -> None:
        """Hold the HTTP answer back, as a slow link would: the request has already taken effect."""
        delays = [
            seconds
            for method, pattern, seconds in self.late_answers
            if method in ("*", ctx.method) and pattern.search(ctx.path)
        ]
        if delays:
            await asyncio.sleep(max(delays))

    async def _process(self, ctx: RequestContext, request: web.Request) -> tuple[Reply, bool]:
        route = ctx.route
        if route is None:  # pragma: no cover - resolved by caller
            raise RuntimeError("unrouted request")
        if route.auth and request.headers.get("Authorization") != f"Bot {self.config.token}":
            return Reply(401, {"message": "401: Unauthorized", "code": 0}), False
        for hook in self.hooks:
            short = await hook(ctx)
            if short is not None:
                return short, True
        try:
            return await route.handler(ctx), False
        except DiscordHTTPError as exc:
            return exc.to_reply(), False
        except Exception as exc:  # a bug in the fake: answer 400 so discord.py does not retry
            detail = "".join(traceback.format_exception(exc))
            self.errors.append(f"{ctx.method} {ctx.path}: {detail}")
            _log.exception("fake discord handler crashed on %s %s", ctx.method, ctx.path)
            return Reply(400, {"message": f"fake discord internal error: {exc!r}", "code": 0}), False

    async def serve_attachment(self, request: web.Request) -> web.StreamResponse:
        """The "CDN": bytes of an uploaded attachment."""
        upload = self.state.files.get(int(request.match_info["attachment_id"]))
        if upload is None:
            return web.Response(status=404)
        return web.Response(body=upload.data, content_type=upload.content_type or "application/octet-stream")

    # -- routes -------------------------------------------------------------------------------

    def _register_routes(self) -> None:
        r = self._router
        r.add("GET", "/users/@me", self._get_me)
        r.add("POST", "/users/@me/channels", self._create_dm)
        r.add("GET", "/users/@me/guilds", self._list_my_guilds)
        r.add("GET", "/users/{user_id}", self._get_user)
        r.add("GET", "/gateway", self._get_gateway, auth=False)
        r.add("GET", "/gateway/bot", self._get_gateway_bot)
        r.add("GET", "/applications/@me", self._get_application)
        r.add("GET", "/oauth2/applications/@me", self._get_application)
        for prefix in ("/applications/{application_id}", "/applications/{application_id}/guilds/{guild_id}"):
            r.add("GET", f"{prefix}/commands", self._get_commands)
            r.add("PUT", f"{prefix}/commands", self._put_commands)
            r.add("POST", f"{prefix}/commands", self._post_command)
            r.add("GET", f"{prefix}/commands/{{command_id}}", self._get_command)
            r.add("PATCH", f"{prefix}/commands/{{command_id}}", self._patch_command)
            r.add("DELETE", f"{prefix}/commands/{{command_id}}", self._delete_command)
        r.add(
            "POST", "/interactions/{interaction_id}/{interaction_token}/callback", self._callback, auth=False
        )
        hook = "/webhooks/{application_id}/{interaction_token}"
        r.add("POST", hook, self._followup, auth=False)
        for suffix in ("/messages/@original", "/messages/{message_id}"):
            r.add("GET", hook + suffix, self._webhook_get, auth=False)
            r.add("PATCH", hook + suffix, self._webhook_edit, auth=False)
            r.add("DELETE", hook + suffix, self._webhook_delete, auth=False)
        r.add("GET", "/channels/{channel_id}", self._get_channel)
        r.add("GET", "/channels/{channel_id}/messages", self._list_messages)
        r.add("POST", "/channels/{channel_id}/messages", self._post_message)
        r.add("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message)
        r.add("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_channel_message)
        r.add("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_channel_message)
        r.add("POST", "/channels/{channel_id}/messages/{message_id}/threads", self._thread_from_message)
        r.add("POST", "/channels/{channel_id}/threads", self._thread_without_message)
        r.add("POST", "/channels/{channel_id}/typing", self._typing)
        r.add("GET", "/guilds/{guild_id}", self._get_guild)
        r.add("GET", "/guilds/{guild_id}/channels", self._get_guild_channels)
        r.add("GET", "/guilds/{guild_id}/roles", self._get_guild_roles)
        r.add("GET", "/guilds/{guild_id}/members/{user_id}", self._get_guild_member)

    # -- users, gateway, application ----------------------------------------------------------

    async def _get_me(self, ctx: RequestContext) -> Reply:
        return Reply(
            200,
            {
                **self.state.user_payload(self.state.bot_user.id),
                "verified": True,
                "mfa_enabled": False,
                "email": None,
                "flags": 0,
                "locale": "en-US",
                "bio": "",
                "banner": None,
                "accent_color": None,
            },
        )

    async def _get_user(self, ctx: RequestContext) -> Reply:
        user = self.state.users.get(ctx.int_param("user_id"))
        if user is None:
            raise http_error(404, 10013, "Unknown User")
        return Reply(200, user.to_payload())

    async def _get_gateway(self, ctx: RequestContext) -> Reply:
        return Reply(200, {"url": self.config.gateway_url})

    async def _get_gateway_bot(self, ctx: RequestContext) -> Reply:
        return Reply(
            200,
            {
                "url": self.config.gateway_url,
                "shards": self.config.shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000 - self.gateway.identify_count,
                    "reset_after": 86_400_000,
                    "max_concurrency": 1,
                },
            },
        )

    async def _get_application(self, ctx: RequestContext) -> Reply:
        return Reply(
            200,
            {
                "id": str(self.state.application_id),
                "name": self.state.bot_user.name,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "owner": self.state.user_payload(self.state.app_owner.id),
                "team": None,
                "bot": self.state.user_payload(self.state.bot_user.id),
                "approximate_guild_count": sum(1 for _ in self.state.joined_guilds()),
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "tags": [],
                "install_params": None,
                "integration_types_config": {"0": {}},
            },
        )

    async def _create_dm(self, ctx: RequestContext) -> Reply:
        body = ctx.body()
        try:
            user_id = int(body["recipient_id"])
        except (KeyError, TypeError, ValueError):
            raise DiscordHTTPError(
                400,
                50035,
                "Invalid Form Body",
                form_errors([FieldError("recipient_id", "BASE_TYPE_REQUIRED", "This field is required")]),
            ) from None
        if user_id not in self.state.users:
            raise http_error(404, 10013, "Unknown User")
        channel = self.state.dm_channel(user_id)
        return Reply(200, self.state.channel_payload(channel))

    # -- application commands -----------------------------------------------------------------

    def _command_scope(self, ctx: RequestContext) -> int | None:
        if ctx.int_param("application_id") != self.state.application_id:
            raise http_error(403, 20012, "You are not authorized to perform this action on this application")
        if "guild_id" not in ctx.params:
            return None
        guild_id = ctx.int_param("guild_id")
        guild = self.state.guilds.get(guild_id)
        if guild is None:
            raise http_error(404, 10004, "Unknown Guild")
        if not guild.bot_joined:
            raise http_error(*MISSING_ACCESS)
        return guild_id

    def command_response(self, command: RegisteredCommand) -> JSON:
        """A synced command as Discord returns it (with id, application_id, version)."""
        data = copy.deepcopy(command.payload)
        data.setdefault("type", 1)
        data.setdefault("description", "")
        data.setdefault("default_member_permissions", None)
        data.setdefault("nsfw", False)
        data.setdefault("integration_types", [0])
        data.setdefault("contexts", None)
        data.setdefault("name_localizations", None)
        data.setdefault("description_localizations", None)
        data.update(
            {
                "id": str(command.id),
                "application_id": str(self.state.application_id),
                "version": str(command.version),
            }
        )
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        return data

    def _store_command(
        self, scope: int | None, payload: JSON, registry: dict[tuple[str, int], RegisteredCommand]
    ) -> RegisteredCommand:
        key = (str(payload.get("name")), int(payload.get("type", 1)))
        old = self.state.commands.get(scope, {}).get(key)
        stored = RegisteredCommand(
            id=old.id if old is not None else self.state.next_id(),
            guild_id=scope,
            version=self.state.next_id(),
            payload=copy.deepcopy(
                {k: v for k, v in payload.items() if k not in ("id", "application_id", "version", "guild_id")}
            ),
        )
        registry[key] = stored
        return stored

    def _find_command_by_id(self, ctx: RequestContext) -> tuple[int | None, RegisteredCommand]:
        scope = self._command_scope(ctx)
        command_id = ctx.int_param("command_id")
        for command in self.state.commands.get(scope, {}).values():
            if command.id == command_id:
                return scope, command
        raise http_error(404, 10063, "Unknown application command")

    def command_list(self, scope: int | None) -> list[JSON]:
        """Synced commands of a scope (None = global) as Discord returns them."""
        return [self.command_response(c) for c in self.state.commands.get(scope, {}).values()]

    async def _get_commands(self, ctx: RequestContext) -> Reply:
        return Reply(200, self.command_list(self._command_scope(ctx)))

    async def _put_commands(self, ctx: RequestContext) -> Reply:
        scope = self._command_scope(ctx)
        body = ctx.json if ctx.json is not None else []
        errors = validate_commands(body)
        if errors:
            raise invalid_form(errors)
        registry: dict[tuple[str, int], RegisteredCommand] = {}
        for payload in body:
            self._store_command(scope, payload, registry)
        self.state.commands[scope] = registry
        self.notify()
        return Reply(200, self.command_list(scope))

    async def _post_command(self, ctx: RequestContext) -> Reply:
        scope = self._command_scope(ctx)
        body = ctx.body()
        errors = validate_commands([body])
        if errors:
            raise invalid_form(errors)
        registry = self.state.commands.setdefault(scope, {})
        existed = (str(body.get("name")), int(body.get("type", 1))) in registry
        stored = self._store_command(scope, body, registry)
        self.notify()
        return Reply(200 if existed else 201, self.command_response(stored))

    async def _get_command(self, ctx: RequestContext) -> Reply:
        _, command = self._find_command_by_id(ctx)
        return Reply(200, self.command_response(command))

    async def _patch_command(self, ctx: RequestContext) -> Reply:
        scope, command = self._find_command_by_id(ctx)
        merged = {**command.payload, **ctx.body()}
        errors = validate_commands([merged])
        if errors:
            raise invalid_form(errors)
        registry = self.state.commands.setdefault(scope, {})
        del registry[(command.name, command.type)]
        stored = self._store_command(scope, merged, registry)
        stored.id = command.id
        self.notify()
        return Reply(200, self.command_response(stored))

    async def _delete_command(self, ctx: RequestContext) -> Reply:
        scope, command = self._find_command_by_id(ctx)
        del self.state.commands[scope][(command.name, command.type)]
        self.notify()
        return Reply(204)

    # -- interaction callback -----------------------------------------------------------------

    async def _callback(self, ctx: RequestContext) -> Reply:
        rec = self.registry.records.get(ctx.int_param("interaction_id"))
        if rec is None or rec.token != ctx.params["interaction_token"]:
            raise http_error(404, 10062, "Unknown interaction")
        if rec.callback is not None:
            raise http_error(400, 40060, "Interaction has already been acknowledged.")
        # Discord times the answer's arrival: time it spends taking the request (a test hook holding
        # it, say) does not make the bot late.
        if (
            self.config.ack_deadline is not None
            and ctx.received_at - rec.dispatched_at > self.config.ack_deadline
        ):
            rec.late = True
            self.registry.late.append(rec)
            raise http_error(404, 10062, "Unknown interaction")
        body = ctx.body()
        ctype = body.get("type")
        data: JSON = body.get("data") or {}
        allowed = _ALLOWED_CALLBACKS.get(rec.type, frozenset())
        if rec.type == InteractionType.MODAL_SUBMIT and rec.source_message_id is None:
            allowed = frozenset({4, 5})
        if ctype not in allowed:
            raise DiscordHTTPError(
                400,
                50035,
                "Invalid Form Body",
                form_errors(
                    [
                        FieldError(
                            "type",
                            "INTERACTION_RESPONSE_TYPE_INVALID",
                            f"Invalid callback type {ctype} for interaction type {rec.type}",
                        )
                    ]
                ),
            )
        if ctype in (CallbackType.CHANNEL_MESSAGE, CallbackType.UPDATE_MESSAGE):
            errors = validate_message(
                data, has_files=bool(ctx.files), is_edit=ctype == CallbackType.UPDATE_MESSAGE
            )
        elif ctype == CallbackType.MODAL:
            errors = validate_modal(data)
        elif ctype == CallbackType.AUTOCOMPLETE_RESULT:
            errors = validate_choices(data.get("choices"))
        else:
            errors = []
        if errors:
            raise invalid_form(errors)
        rec.callback = {"type": ctype, "data": data}
        rec.callback_files = list(ctx.files)
        rec.callback_at = time.monotonic()
        rec.callback_received_at = ctx.received_at
        channel = self.state.channel(rec.channel_id)
        resource: JSON = {"type": ctype}
        if ctype == CallbackType.CHANNEL_MESSAGE:
            message = self.store.create(
                channel, data, ctx.files, author_id=self.state.bot_user.id, interaction=rec
            )
            rec.original_message_id = int(message["id"])
            rec.visible_message_ids.append(rec.original_message_id)
            resource["message"] = message
        elif ctype == CallbackType.DEFERRED_CHANNEL_MESSAGE:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = self.store.create(
                channel, {"content": ""}, [], author_id=self.state.bot_user.id, interaction=rec, flags=flags
            )
            rec.original_message_id = int(message["id"])
            resource["message"] = message
        elif ctype == CallbackType.DEFERRED_UPDATE_MESSAGE:
            rec.original_message_id = rec.source_message_id
        elif ctype == CallbackType.UPDATE_MESSAGE:
            if rec.source_message_id is None:  # pragma: no cover - excluded by _ALLOWED_CALLBACKS
                raise http_error(400, 50035, "Invalid Form Body")
            message = self.store.edit(rec.source_message_id, data, ctx.files)
            rec.original_message_id = rec.source_message_id
            rec.visible_message_ids.append(rec.source_message_id)
            resource["message"] = message
        elif ctype == CallbackType.MODAL:
            self.registry.modals.append((rec, data))
        self.notify()
        if not ctx.flag("with_response"):
            return Reply(204)
        summary: JSON = {"id": str(rec.id), "type": rec.type}
        if rec.original_message_id is not None and ctype in (4, 5, 7):
            original = self.state.messages[rec.original_message_id]
            summary["response_message_id"] = str(rec.original_message_id)
            summary["response_message_loading"] = bool(original["flags"] & LOADING)
            summary["response_message_ephemeral"] = bool(original["flags"] & EPHEMERAL)
        return Reply(200, {"interaction": summary, "resource": resource})

    # -- webhooks (followups, @original) ------------------------------------------------------

    def _webhook_record(self, ctx: RequestContext) -> InteractionRecord:
        rec = self.registry.by_token.get(ctx.params["interaction_token"])
        if rec is None or ctx.int_param("application_id") != self.state.application_id:
            raise http_error(404, 10015, "Unknown Webhook")
        if rec.callback is None:
            raise http_error(404, 10015, "Unknown Webhook")
        return rec

    def _webhook_message_id(self, ctx: RequestContext, rec: InteractionRecord) -> int:
        if "message_id" not in ctx.params:
            if rec.original_message_id is None or rec.original_message_id not in self.state.messages:
                raise http_error(404, 10008, "Unknown Message")
            return rec.original_message_id
        message_id = ctx.int_param("message_id")
        if message_id not in self.state.messages or (
            message_id != rec.original_message_id and message_id not in rec.followup_ids
        ):
            raise http_error(404, 10008, "Unknown Message")
        return message_id

    async def _followup(self, ctx: RequestContext) -> Reply:
        rec = self._webhook_record(ctx)
        body = ctx.body()
        errors = validate_message(body, has_files=bool(ctx.files), is_edit=False)
        if errors:
            raise invalid_form(errors)
        original = self.state.messages.get(rec.original_message_id or 0)
        if (
            rec.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE
            and original is not None
            and original["flags"] & LOADING
        ):
            # Discord: the first followup after a "thinking" deferral replaces the loading message.
            message = self.store.edit(int(original["id"]), body, ctx.files, finish_loading=True)
        else:
            flags = int(body.get("flags") or 0) & _SETTABLE_FLAGS
            channel = self.state.channel(rec.channel_id)
            message = self.store.create(
                channel, body, ctx.files, author_id=self.state.bot_user.id, interaction=rec, flags=flags
            )
        message_id = int(message["id"])
        rec.followup_ids.append(message_id)
        if message_id not in rec.visible_message_ids:
            rec.visible_message_ids.append(message_id)
        self.notify()
        return Reply(200, message) if ctx.flag("wait") else Reply(204)

    async def _webhook_get(self, ctx: RequestContext) -> Reply:
        rec = self._webhook_record(ctx)
        return Reply(200, self.state.message_copy(self._webhook_message_id(ctx, rec)))

    async def _webhook_edit(self, ctx: RequestContext) -> Reply:
        rec = self._webhook_record(ctx)
        message_id = self._webhook_message_id(ctx, rec)
        body = ctx.body()
        errors = validate_message(body, has_files=bool(ctx.files), is_edit=True)
        if errors:
            raise invalid_form(errors)
        loading = bool(self.state.messages[message_id]["flags"] & LOADING)
        message = self.store.edit(message_id, body, ctx.files, finish_loading=loading)
        if message_id == rec.original_message_id and message_id not in rec.visible_message_ids:
            rec.visible_message_ids.append(message_id)
        self.notify()
        return Reply(200, message)

    async def _webhook_delete(self, ctx: RequestContext) -> Reply:
        rec = self._webhook_record(ctx)
        self.store.delete(self._webhook_message_id(ctx, rec))
        return Reply(204)

    # -- channels and messages ----------------------------------------------------------------

    def _channel_for(self, ctx: RequestContext) -> ChannelModel:
        channel = self.state.channels.get(ctx.int_param("channel_id"))
        if channel is None:
            raise http_error(404, 10003, "Unknown Channel")
        if channel.guild_id is not None:
            guild = self.state.guild(channel.guild_id)
            if not guild.bot_joined:
                raise http_error(*MISSING_ACCESS)
            if not self._bot_perms(channel) & Permission.VIEW_CHANNEL:
                raise http_error(*MISSING_ACCESS)
        return channel

    def _bot_perms(self, channel: ChannelModel) -> int:
        return self.state.channel_permissions(channel.id, self.state.bot_user.id)

    def _require(self, channel: ChannelModel, permissions: int) -> None:
        if channel.guild_id is not None and self._bot_perms(channel) & permissions != permissions:
            raise http_error(*MISSING_PERMISSIONS)

    def _channel_message(self, ctx: RequestContext, channel: ChannelModel) -> JSON:
        message = self.state.messages.get(ctx.int_param("message_id"))
        if message is None or int(message["channel_id"]) != channel.id or message["flags"] & EPHEMERAL:
            raise http_error(404, 10008, "Unknown Message")
        return message

    async def _get_channel(self, ctx: RequestContext) -> Reply:
        return Reply(200, self.state.channel_payload(self._channel_for(ctx)))

    async def _list_messages(self, ctx: RequestContext) -> Reply:
        channel = self._channel_for(ctx)
        self._require(channel, Permission.READ_MESSAGE_HISTORY)
        limit = max(1, min(100, int(ctx.query.get("limit", "50"))))
        ids = list(reversed(self.state.history.get(channel.id, [])))
        if "before" in ctx.query:
            ids = [i for i in ids if i < int(ctx.query["before"])]
        if "after" in ctx.query:
            ids = sorted(i for i in ids if i > int(ctx.query["after"]))[:limit][::-1]
        return Reply(200, [self.state.message_copy(i) for i in ids[:limit]])

    async def _get_message(self, ctx: RequestContext) -> Reply:
        channel = self._channel_for(ctx)
        self._require(channel, Permission.READ_MESSAGE_HISTORY)
        return Reply(200, copy.deepcopy(self._channel_message(ctx, channel)))

    async def _post_message(self, ctx: RequestContext) -> Reply:
        channel = self.state.channels.get(ctx.int_param("channel_id"))
        if channel is None:
            raise http_error(404, 10003, "Unknown Channel")
        if channel.is_dm:
            recipient = channel.recipient_id or 0
            if recipient in self.state.closed_dms or not self.state.shares_guild_with_bot(recipient):
                raise http_error(403, 50007, "Cannot send messages to this user")
        else:
            channel = self._channel_for(ctx)
            send = Permission.SEND_MESSAGES_IN_THREADS if channel.is_thread else Permission.SEND_MESSAGES
            self._require(channel, send)
            body = ctx.body()
            if body.get("embeds"):
                self._require(channel, Permission.EMBED_LINKS)
            if ctx.files:
                self._require(channel, Permission.ATTACH_FILES)
            if body.get("message_reference"):
                self._require(channel, Permission.READ_MESSAGE_HISTORY)
            if channel.is_thread and (channel.archived or channel.locked):
                raise http_error(400, 50083, "Thread is archived")
        body = ctx.body()
        errors = validate_message(body, has_files=bool(ctx.files), is_edit=False)
        if errors:
            raise invalid_form(errors)
        nonce_key = self._enforced_nonce(channel, body)
        if nonce_key is not None:
            earlier = self.state.nonces.get(nonce_key)
            if (
                earlier is not None
                and earlier[0] in self.state.messages
                and time.monotonic() - earlier[1] <= NONCE_WINDOW_SECONDS
            ):
                return Reply(200, self.state.message_copy(earlier[0]))  # Discord: no new message
        flags = int(body.get("flags") or 0) & (SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | COMPONENTS_V2)
        message = self.store.create(channel, body, ctx.files, author_id=self.state.bot_user.id, flags=flags)
        if nonce_key is not None:
            self.state.nonces[nonce_key] = (int(message["id"]), time.monotonic())
        return Reply(200, message)

    def _enforced_nonce(self, channel: ChannelModel, body: JSON) -> tuple[int, int, str] | None:
        """The (channel, author, nonce) key when ``enforce_nonce`` asks for de-duplication."""
        nonce = body.get("nonce")
        if nonce is None or not body.get("enforce_nonce"):
            return None
        if isinstance(nonce, str) and len(nonce) > NONCE_MAX_LENGTH:
            raise invalid_form(
                [
                    FieldError(
                        "nonce", "BASE_TYPE_BAD_LENGTH", f"Must be {NONCE_MAX_LENGTH} or fewer in length."
                    )
                ]
            )
        return channel.id, self.state.bot_user.id, str(nonce)

    async def _edit_channel_message(self, ctx: RequestContext) -> Reply:
        channel = self._channel_for(ctx)
        message = self._channel_message(ctx, channel)
        if int(message["author"]["id"]) != self.state.bot_user.id:
            raise http_error(403, 50005, "Cannot edit a message authored by another user")
        body = ctx.body()
        errors = validate_message(body, has_files=bool(ctx.files), is_edit=True)
        if errors:
            raise invalid_form(errors)
        return Reply(200, self.store.edit(int(message["id"]), body, ctx.files))

    async def _delete_channel_message(self, ctx: RequestContext) -> Reply:
        channel = self._channel_for(ctx)
        message = self._channel_message(ctx, channel)
        if int(message["author"]["id"]) != self.state.bot_user.id:
            self._require(channel, Permission.MANAGE_MESSAGES)
        self.store.delete(int(message["id"]))
        return Reply(204)

    async def _typing(self, ctx: RequestContext) -> Reply:
        channel = self._channel_for(ctx)
        self._require(
            channel, Permission.SEND_MESSAGES_IN_THREADS if channel.is_thread else Permission.SEND_MESSAGES
        )
        return Reply(204)

    def _new_thread(self, parent: ChannelModel, body: JSON, *, thread_id: int | None, private: bool) -> Reply:
        if parent.guild_id is None or parent.type not in (
            ChannelType.GUILD_TEXT,
            ChannelType.GUILD_ANNOUNCEMENT,
        ):
            raise http_error(400, 50024, "Cannot execute action on this channel type")
        self._require(
            parent,
            Permission.CREATE_PRIVATE_THREADS if private else Permission.CREATE_PUBLIC_THREADS,
        )
        name = str(body.get("name") or "")
        if not 1 <= len(name) <= 100:
            raise invalid_form(
                [FieldError("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")]
            )
        thread = self.state.create_channel(
            parent.guild_id,
            name,
            type=ChannelType.PRIVATE_THREAD if private else ChannelType.PUBLIC_THREAD,
            parent_id=parent.id,
            owner_id=self.state.bot_user.id,
            channel_id=thread_id,
        )
        thread.auto_archive_duration = int(body.get("auto_archive_duration") or 1440)
        thread.rate_limit_per_user = int(body.get("rate_limit_per_user") or 0)
        thread.invitable = bool(body.get("invitable", True))
        payload = self.state.channel_payload(thread)
        payload["member"] = {
            "id": str(thread.id),
            "user_id": str(self.state.bot_user.id),
            "join_timestamp": thread.created_at,
            "flags": 0,
        }
        self.emitter.emit("THREAD_CREATE", {**payload, "newly_created": True}, Intent.GUILDS)
        self.notify()
        return Reply(201, payload)

    async def _thread_from_message(self, ctx: RequestContext) -> Reply:
        parent = self._channel_for(ctx)
        message = self._channel_message(ctx, parent)
        if int(message["id"]) in self.state.channels:
            raise http_error(400, 160004, "A thread has already been created for this message")
        return self._new_thread(parent, ctx.body(), thread_id=int(message["id"]), private=False)

    async def _thread_without_message(self, ctx: RequestContext) -> Reply:
        parent = self._channel_for(ctx)
        body = ctx.body()
        private = int(body.get("type", ChannelType.PRIVATE_THREAD)) == ChannelType.PRIVATE_THREAD
        return self._new_thread(parent, body, thread_id=None, private=private)

    # -- guilds -------------------------------------------------------------------------------

    def _guild_for(self, ctx: RequestContext) -> Guild:
        guild = self.state.guilds.get(ctx.int_param("guild_id"))
        if guild is None:
            raise http_error(404, 10004, "Unknown Guild")
        if not guild.bot_joined:
            raise http_error(*MISSING_ACCESS)
        return guild

    async def _list_my_guilds(self, ctx: RequestContext) -> Reply:
        """The bot's guilds (every shard's: REST knows no shards), by id, paged as Discord pages them."""
        try:
            limit = int(ctx.query.get("limit") or 200)
            before = int(ctx.query["before"]) if ctx.query.get("before") else None
            after = int(ctx.query["after"]) if ctx.query.get("after") else None
        except ValueError:
            raise invalid_form([FieldError("limit", "NUMBER_TYPE_COERCE", "Value is not int.")]) from None
        if not 1 <= limit <= 200:
            raise invalid_form([FieldError("limit", "NUMBER_TYPE_MAX", "int value should be 1 to 200.")])
        guilds = sorted(self.state.joined_guilds(), key=lambda g: g.id)
        if after is not None:
            guilds = [g for g in guilds if g.id > after]
        if before is not None:
            guilds = [g for g in guilds if g.id < before][-limit:]
        bot_id = self.state.bot_user.id
        page: list[JSON] = [
            {
                "id": str(g.id),
                "name": g.name,
                "icon": None,
                "banner": None,
                "owner": g.owner_id == bot_id,
                "permissions": str(self.state.guild_permissions(g.id, bot_id)),
                "features": [],
                **(
                    {"approximate_member_count": len(g.members), "approximate_presence_count": 0}
                    if ctx.flag("with_counts")
                    else {}
                ),
            }
            for g in guilds[:limit]
        ]
        return Reply(200, page)

    async def _get_guild(self, ctx: RequestContext) -> Reply:
        guild = self._guild_for(ctx)
        data = self.state.guild_payload(guild)
        if ctx.flag("with_counts"):
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return Reply(200, data)

    async def _get_guild_channels(self, ctx: RequestContext) -> Reply:
        guild = self._guild_for(ctx)
        return Reply(200, [self.state.channel_payload(c) for c in guild.channels.values() if not c.is_thread])

    async def _get_guild_roles(self, ctx: RequestContext) -> Reply:
        guild = self._guild_for(ctx)
        return Reply(200, [r.to_payload() for r in guild.roles.values()])

    async def _get_guild_member(self, ctx: RequestContext) -> Reply:
        guild = self._guild_for(ctx)
        user_id = ctx.int_param("user_id")
        if user_id not in guild.members:
            raise http_error(404, 10007, "Unknown Member")
        return Reply(200, self.state.member_payload(guild.id, user_id))
