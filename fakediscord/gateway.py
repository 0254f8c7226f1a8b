"""The fake gateway: HELLO/heartbeat, IDENTIFY -> READY + GUILD_CREATE, RESUME with replay.

Frames are sent as JSON text (discord.py only inflates binary frames), so the ``compress``
query parameter the client asks for is ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

JSON = dict[str, Any]

_log = logging.getLogger(__name__)


class Op:
    """Gateway opcodes."""

    DISPATCH = 0
    HEARTBEAT = 1
    IDENTIFY = 2
    PRESENCE_UPDATE = 3
    VOICE_STATE_UPDATE = 4
    RESUME = 6
    RECONNECT = 7
    REQUEST_GUILD_MEMBERS = 8
    INVALID_SESSION = 9
    HELLO = 10
    HEARTBEAT_ACK = 11


class Intent:
    """Gateway intent bits the fake cares about."""

    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15
    PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


class CloseCode:
    """Gateway close codes used by the fake."""

    UNKNOWN_ERROR = 4000
    UNKNOWN_OPCODE = 4001
    DECODE_ERROR = 4002
    NOT_AUTHENTICATED = 4003
    AUTHENTICATION_FAILED = 4004
    ALREADY_AUTHENTICATED = 4005
    DISALLOWED_INTENTS = 4014


@dataclass
class DispatchRecord:
    """One DISPATCH frame sent to the bot."""

    session_id: str
    seq: int
    event: str
    data: JSON


class Connection:
    """One websocket connection; frames go through an ordered outbox drained by a writer task."""

    def __init__(self, ws: web.WebSocketResponse, number: int) -> None:
        """Wrap an accepted websocket."""
        self.ws = ws
        self.number = number
        self.outbox: asyncio.Queue[str | None] = asyncio.Queue()
        self.session: GatewaySession | None = None
        self.writer: asyncio.Task[None] | None = None
        self.client_close_code: int | None = None

    def send(self, payload: JSON) -> None:
        """Queue a frame (never blocks; order is preserved)."""
        self.outbox.put_nowait(json.dumps(payload, separators=(",", ":")))

    def send_raw(self, frame: str) -> None:
        """Queue an already serialized frame."""
        self.outbox.put_nowait(frame)

    async def run_writer(self) -> None:
        """Drain the outbox into the socket until the sentinel or a closed socket."""
        while True:
            frame = await self.outbox.get()
            if frame is None or self.ws.closed:
                return
            try:
                await self.ws.send_str(frame)
            except (ConnectionError, RuntimeError):
                return

    async def close(self, code: int, message: str = "") -> None:
        """Flush queued frames, then close the socket with ``code``."""
        self.outbox.put_nowait(None)
        if self.writer is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(asyncio.shield(self.writer), timeout=5)
        if not self.ws.closed:
            await self.ws.close(code=code, message=message.encode())


@dataclass
class GatewaySession:
    """A gateway session: survives reconnects (RESUME) until invalidated."""

    id: str
    intents: int
    identify: JSON
    seq: int = 0
    buffer: list[tuple[int, str]] = field(default_factory=list)
    connection: Connection | None = None
    invalidated: bool = False
    ready: bool = False


ReadyPayloads = Callable[["GatewaySession"], tuple[JSON, list[JSON]]]


class FakeGateway:
    """Gateway endpoint logic. The owner supplies READY/GUILD_CREATE payloads and a notifier."""

    def __init__(
        self,
        *,
        token: str,
        heartbeat_interval_ms: int,
        privileged_intents: int,
        ready_payloads: ReadyPayloads,
        notify: Callable[[], None],
    ) -> None:
        """Configure; ``ready_payloads`` builds (READY data, [GUILD_CREATE data]) for a session."""
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.privileged_intents = privileged_intents
        self._ready_payloads = ready_payloads
        self._notify = notify
        self.sessions: list[GatewaySession] = []
        self.connections: list[Connection] = []
        self.dispatched: list[DispatchRecord] = []
        self.received: list[JSON] = []
        self.client_close_codes: list[int | None] = []
        self.identify_count = 0
        self.resume_count = 0
        self.heartbeat_count = 0

    # -- public state ------------------------------------------------------------------------

    @property
    def session(self) -> GatewaySession | None:
        """The newest session that has not been invalidated."""
        for session in reversed(self.sessions):
            if not session.invalidated:
                return session
        return None

    @property
    def is_live(self) -> bool:
        """Whether a session is ready and currently connected."""
        session = self.session
        return session is not None and session.ready and session.connection is not None

    def dispatch(self, event: str, data: JSON) -> int | None:
        """Send (or buffer, while disconnected) a DISPATCH on the current session; returns seq."""
        session = self.session
        if session is None:
            return None
        session.seq += 1
        frame = json.dumps(
            {"op": Op.DISPATCH, "t": event, "s": session.seq, "d": data}, separators=(",", ":")
        )
        session.buffer.append((session.seq, frame))
        self.dispatched.append(DispatchRecord(session.id, session.seq, event, data))
        if session.connection is not None:
            session.connection.send_raw(frame)
        self._notify()
        return session.seq

    async def drop_connection(self, *, resumable: bool = True) -> None:
        """Close the live socket (4000, client resumes) or invalidate the session (op 9, d=false)."""
        session = self.session
        if session is None or session.connection is None:
            raise RuntimeError("no live gateway connection to drop")
        conn = session.connection
        if resumable:
            session.connection = None
            await conn.close(CloseCode.UNKNOWN_ERROR, "fake: connection dropped")
        else:
            session.invalidated = True
            session.connection = None
            conn.send({"op": Op.INVALID_SESSION, "d": False})
        self._notify()

    async def reconnect_request(self) -> None:
        """Send op 7 RECONNECT: the client closes and resumes."""
        session = self.session
        if session is None or session.connection is None:
            raise RuntimeError("no live gateway connection")
        session.connection.send({"op": Op.RECONNECT, "d": None})

    async def close_all(self) -> None:
        """Close every open socket (fake shutdown)."""
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await conn.close(1001, "fake: shutting down")

    # -- websocket handler -------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve one websocket connection."""
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        conn = Connection(ws, len(self.connections) + 1)
        self.connections.append(conn)
        conn.writer = asyncio.create_task(conn.run_writer(), name=f"fake-gateway-writer-{conn.number}")
        conn.send({"op": Op.HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                try:
                    payload = json.loads(msg.data)
                except ValueError:
                    await conn.close(CloseCode.DECODE_ERROR, "Error while decoding payload.")
                    break
                self.received.append(payload)
                await self._on_frame(conn, payload)
        finally:
            conn.client_close_code = ws.close_code
            self.client_close_codes.append(ws.close_code)
            session = conn.session
            if session is not None and session.connection is conn:
                session.connection = None
                if ws.close_code in (1000, 1001):
                    # A clean close by the client ends the session, as on Discord.
                    session.invalidated = True
            conn.outbox.put_nowait(None)
            self.connections.remove(conn)
            self._notify()
        return ws

    async def _on_frame(self, conn: Connection, payload: JSON) -> None:
        op = payload.get("op")
        data = payload.get("d")
        if op == Op.HEARTBEAT:
            self.heartbeat_count += 1
            conn.send({"op": Op.HEARTBEAT_ACK})
        elif op == Op.IDENTIFY:
            await self._identify(conn, data or {})
        elif op == Op.RESUME:
            await self._resume(conn, data or {})
        elif op in (Op.PRESENCE_UPDATE, Op.VOICE_STATE_UPDATE, Op.REQUEST_GUILD_MEMBERS):
            if conn.session is None:
                await conn.close(CloseCode.NOT_AUTHENTICATED, "Not authenticated.")
        else:
            await conn.close(CloseCode.UNKNOWN_OPCODE, f"Unknown opcode {op}.")

    async def _identify(self, conn: Connection, data: JSON) -> None:
        if conn.session is not None:
            await conn.close(CloseCode.ALREADY_AUTHENTICATED, "Already authenticated.")
            return
        if data.get("token") != self.token:
            await conn.close(CloseCode.AUTHENTICATION_FAILED, "Authentication failed.")
            return
        intents = int(data.get("intents") or 0)
        if intents & Intent.PRIVILEGED & ~self.privileged_intents:
            await conn.close(CloseCode.DISALLOWED_INTENTS, "Disallowed intent(s).")
            return
        self.identify_count += 1
        for old in self.sessions:
            old.invalidated = True
        session = GatewaySession(id=f"fake-session-{len(self.sessions) + 1}", intents=intents, identify=data)
        self.sessions.append(session)
        session.connection = conn
        conn.session = session
        ready, guild_creates = self._ready_payloads(session)
        ready["session_id"] = session.id
        self.dispatch("READY", ready)
        for guild in guild_creates:
            self.dispatch("GUILD_CREATE", guild)
        session.ready = True
        self._notify()

    async def _resume(self, conn: Connection, data: JSON) -> None:
        session = next((s for s in self.sessions if s.id == data.get("session_id")), None)
        if data.get("token") != self.token:
            await conn.close(CloseCode.AUTHENTICATION_FAILED, "Authentication failed.")
            return
        if session is None or session.invalidated:
            conn.send({"op": Op.INVALID_SESSION, "d": False})
            return
        self.resume_count += 1
        if session.connection is not None and session.connection is not conn:
            stale = session.connection
            session.connection = None
            await stale.close(CloseCode.UNKNOWN_ERROR, "fake: superseded by resume")
        last_seq = int(data.get("seq") or 0)
        for seq, frame in session.buffer:
            if seq > last_seq:
                conn.send_raw(frame)
        session.connection = conn
        conn.session = session
        self.dispatch("RESUMED", {"_trace": ["fake-discord"]})
        self._notify()
