"""The fake gateway: HELLO/heartbeat, IDENTIFY -> READY + GUILD_CREATE, RESUME with replay, shards.

Frames are sent as JSON text (discord.py only inflates binary frames), so the ``compress``
query parameter the client asks for is ignored.

Sharding follows Discord's gateway documentation: IDENTIFY may carry ``shard: [shard_id,
num_shards]`` (0 <= shard_id < num_shards; anything else is closed with 4010 Invalid shard, and a
shard that would hold more than :data:`MAX_GUILDS_PER_SHARD` guilds with 4011 Sharding required).
A session without ``shard`` is shard [0, 1]. Every event about a guild goes to the session(s)
whose shard is ``(guild_id >> 22) % num_shards``; events without a guild (direct messages, DM
interactions) go to shard 0. Several sessions (one per shard, from one process or several) are
live at once; a new IDENTIFY replaces only older sessions of the same shard.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
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
    INVALID_SHARD = 4010
    SHARDING_REQUIRED = 4011
    DISALLOWED_INTENTS = 4014


#: Discord closes a shard that would hold more guilds than this with 4011 (sharding required).
MAX_GUILDS_PER_SHARD = 2500
#: Where Discord delivers events that belong to no guild (direct messages).
DM_SHARD = 0

Shard = tuple[int, int]  # (shard_id, num_shards)


class Infer(enum.Enum):
    """Marker: route an event by the guild named in its payload."""

    FROM_PAYLOAD = "from payload"


def shard_of(guild_id: int | None, num_shards: int) -> int:
    """The shard Discord routes a guild's events to; events without a guild go to shard 0."""
    return DM_SHARD if guild_id is None else (guild_id >> 22) % num_shards


def parse_shard(value: Any) -> Shard | None:
    """IDENTIFY's ``shard`` field as (id, count): a two-integer array with 0 <= id < count; else None."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    shard_id, count = value
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (shard_id, count)):
        return None
    return (shard_id, count) if count >= 1 and 0 <= shard_id < count else None


@dataclass
class DispatchRecord:
    """One DISPATCH frame sent to the bot."""

    session_id: str
    seq: int
    event: str
    data: JSON
    shard: Shard = (0, 1)


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
    shard: Shard = (0, 1)

    def serves(self, guild_id: int | None) -> bool:
        """Whether Discord would send this session the events of `guild_id` (None: DMs)."""
        shard_id, count = self.shard
        return shard_of(guild_id, count) == shard_id

    @property
    def live(self) -> bool:
        """Ready and connected now."""
        return self.ready and self.connection is not None and not self.invalidated


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
        """Whether a session is ready and currently connected (any shard)."""
        return any(s.live for s in self.sessions)

    @property
    def current_sessions(self) -> list[GatewaySession]:
        """Every session that has not been invalidated (one per shard in use), oldest first."""
        return [s for s in self.sessions if not s.invalidated]

    def live_shards(self) -> set[Shard]:
        """The (shard_id, num_shards) of every ready, connected session."""
        return {s.shard for s in self.sessions if s.live}

    def session_of(self, shard_id: int) -> GatewaySession | None:
        """The newest current session of shard `shard_id` (any shard count)."""
        for session in reversed(self.sessions):
            if not session.invalidated and session.shard[0] == shard_id:
                return session
        return None

    def sessions_for(self, guild_id: int | None) -> list[GatewaySession]:
        """The current sessions Discord would send `guild_id`'s events to (None: direct messages)."""
        return [s for s in self.current_sessions if s.serves(guild_id)]

    def dispatch(
        self, event: str, data: JSON, *, guild_id: int | Infer | None = Infer.FROM_PAYLOAD
    ) -> int | None:
        """Send (or buffer, while disconnected) a DISPATCH to the shard(s) of its guild; returns a seq.

        ``guild_id`` routes the event (None: a direct message, shard 0); left out, it is read from
        the payload (``guild_id``, or ``id`` for GUILD_CREATE/UPDATE/DELETE). Returns the seq on
        the newest session that got it, None if no session serves that guild.
        """
        target = guild_of(event, data) if isinstance(guild_id, Infer) else guild_id
        seq: int | None = None
        for session in self.sessions_for(target):
            seq = self.send_to(session, event, data)
        return seq

    def send_to(self, session: GatewaySession, event: str, data: JSON) -> int:
        """Send (or buffer) a DISPATCH on one session; returns its seq."""
        session.seq += 1
        frame = json.dumps(
            {"op": Op.DISPATCH, "t": event, "s": session.seq, "d": data}, separators=(",", ":")
        )
        session.buffer.append((session.seq, frame))
        self.dispatched.append(DispatchRecord(session.id, session.seq, event, data, session.shard))
        if session.connection is not None:
            session.connection.send_raw(frame)
        self._notify()
        return session.seq

    async def drop_connection(self, *, resumable: bool = True, shard_id: int | None = None) -> None:
        """Close the live socket (4000, client resumes) or invalidate the session (op 9, d=false).

        ``shard_id`` picks the shard's session; by default the newest session.
        """
        session = self.session if shard_id is None else self.session_of(shard_id)
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

    async def reconnect_request(self, shard_id: int | None = None) -> None:
        """Send op 7 RECONNECT: the client closes and resumes (the newest session, or `shard_id`'s)."""
        session = self.session if shard_id is None else self.session_of(shard_id)
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
        shard = parse_shard(data["shard"]) if "shard" in data else (0, 1)
        if shard is None:
            await conn.close(CloseCode.INVALID_SHARD, "Invalid shard.")
            return
        session = GatewaySession(
            id=f"fake-session-{len(self.sessions) + 1}", intents=intents, identify=data, shard=shard
        )
        ready, guild_creates = self._ready_payloads(session)
        if len(ready.get("guilds") or ()) > MAX_GUILDS_PER_SHARD:
            await conn.close(CloseCode.SHARDING_REQUIRED, "Sharding required.")
            return
        self.identify_count += 1
        for old in self.sessions:
            if old.shard[0] == shard[0]:  # a new session of a shard replaces the old one
                old.invalidated = True
        self.sessions.append(session)
        session.connection = conn
        conn.session = session
        ready["session_id"] = session.id
        if "shard" in data:
            ready["shard"] = list(shard)
        self.send_to(session, "READY", ready)
        for guild in guild_creates:
            self.send_to(session, "GUILD_CREATE", guild)
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
        self.send_to(session, "RESUMED", {"_trace": ["fake-discord"]})
        self._notify()


_GUILD_EVENTS = ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE")


def guild_of(event: str, data: JSON) -> int | None:
    """The guild an event belongs to, as Discord routes it (None: no guild, a DM)."""
    raw = data.get("id") if event in _GUILD_EVENTS else data.get("guild_id")
    return int(raw) if raw is not None else None
