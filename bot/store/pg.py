"""PostgreSQL behind the same store (`KINDRED_DATABASE_URL=postgresql://...`), through asyncpg.

`PgDatabase` offers what `bot.store.db.Database` offers (`transaction()`, `fetchall`, `fetchone`,
`execute`, `guilds`, `checkins`, `answers`, `receipts`, `backup_to`, ...), so every store module
runs unchanged on either backend. Their SQL is written once, in the dialect both understand;
`to_postgres` only renumbers SQLite's `?` / `?N` parameters as `$N` and spells SQLite's two-argument
`max(a, b)` as `GREATEST(a, b)`. asyncpg's `Record` answers `row[0]` and `row["name"]` as
`sqlite3.Row` does; `PgConnection` answers `execute(...)` (awaited or used with `async with`),
`executemany` and `rowcount` as aiosqlite does. The schema comes from `bot/store/migrations_pg`,
numbered as `bot/store/migrations` and applied the same way (each atomically with its version).

Writes go through one connection per process, one transaction at a time, as on SQLite (store code
reads then writes inside a transaction and relies on nobody writing in between); reads use a small
pool beside it. A held lock or a lost server gives `StoreUnavailable` (the kind "try again" reply),
and the next use reconnects.

The anonymity design for check-ins on this backend is `HeldCheckins` below.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import secrets
import shutil
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import aiosqlite
import asyncpg

from bot.store.db import (
    LOCK_WAIT_SECONDS,
    Database,
    Params,
    StoreUnavailable,
    Submission,
    fail_waiters,
    migrations,
)
from bot.store.guild_cache import GuildCache

log = logging.getLogger(__name__)

# A statement waiting this long for a row lock gives up: the caller answers "busy" within Discord's 3 s.
LOCK_TIMEOUT_MS = 1000
STATEMENT_TIMEOUT_MS = 10_000
# Two processes starting at once must not both apply a migration: they queue on this advisory lock.
MIGRATION_LOCK = 0x6B696E64  # "kind"
# Every process sharing the database hears on this channel which guild's settings or resources changed.
CHANGES_CHANNEL = "kindred_guild_changes"
_FAULTS = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError, TimeoutError)
_BUSY = (
    asyncpg.exceptions.LockNotAvailableError,
    asyncpg.exceptions.DeadlockDetectedError,
    asyncpg.exceptions.SerializationError,
    asyncpg.exceptions.QueryCanceledError,
)


def is_postgres_url(url: str) -> bool:
    """True for a `postgresql://` or `postgres://` URL (what KINDRED_DATABASE_URL accepts)."""
    return url.startswith(("postgresql://", "postgres://"))


_TOKENS = re.compile(r"'(?:[^']|'')*'|\?(\d*)")
_GREATEST = re.compile(r"\bmax\(([^(),]+),([^(),]+)\)", re.IGNORECASE)
_RETURNS_ROWS = re.compile(r"^\s*(SELECT|WITH|VALUES|SHOW)\b|\bRETURNING\b", re.IGNORECASE)
_CHANGES = re.compile(r"^\s*(DELETE\s+FROM|UPDATE)\s+(\w+)", re.IGNORECASE)
# Tables that hold members' own words, and what deleting from (or updating) a table leaves behind
# there. PostgreSQL keeps a deleted or overwritten row's old version in the table's pages, and a
# plain VACUUM frees that space without overwriting it; SQLite's secure_delete zeroes it at once.
# So a transaction that deleted or changed rows there is followed by VACUUM (FULL) of those
# tables: each is rewritten into a new file and its old file is truncated ("gone on disk too").
_WORDS_TABLES = frozenset({"pending_shares", "reach_outbox", "reach_replies", "share_replies"})
_CASCADES = {"reach_conversations": ("reach_outbox", "reach_replies")}  # ON DELETE CASCADE
SCRUB_WAIT_SECONDS = 1.0
# True while some transaction that may still see what transaction $1 (xid8, as text) deleted is
# open: one running anywhere on the server (VACUUM's own snapshot would then keep the old row
# versions), or a session of this database holding an older snapshot ($2: the same xid, 32 bits).
_OLDER_SNAPSHOTS = (
    "SELECT pg_snapshot_xmin(pg_current_snapshot()) <= $1::text::xid8 OR EXISTS ("
    "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    " AND backend_xmin IS NOT NULL AND age(backend_xmin) >= age($2::xid))"
)


@lru_cache(maxsize=512)
def to_postgres(sql: str) -> str:
    """The store's SQL in PostgreSQL's spelling: `$N` parameters, `GREATEST` for a two-argument max."""
    counter = 0

    def number(match: re.Match[str]) -> str:
        nonlocal counter
        token = match.group(0)
        if token.startswith("'"):
            return token
        if match.group(1):
            return "$" + match.group(1)
        counter += 1
        return f"${counter}"

    return _GREATEST.sub(r"GREATEST(\1,\2)", _TOKENS.sub(number, sql))


def _arguments(params: Params) -> tuple[Any, ...]:
    if isinstance(params, dict):
        raise TypeError("the store passes parameters by position, never by name")
    return tuple(bytes(p) if isinstance(p, (bytearray, memoryview)) else p for p in params)


def _count(status: str) -> int:
    """The row count in a command tag such as 'UPDATE 3' or 'INSERT 0 1'."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PgCursor:
    """What a statement returned: its rows (for a query) and how many rows it touched."""

    def __init__(self, rows: list[asyncpg.Record], rowcount: int) -> None:
        """Rows are already fetched: asyncpg reads a result whole."""
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid: int | None = None

    async def fetchall(self) -> list[asyncpg.Record]:
        """Every row."""
        return self._rows

    async def fetchone(self) -> asyncpg.Record | None:
        """The first row, if any."""
        return self._rows[0] if self._rows else None

    async def __aenter__(self) -> PgCursor:
        """`async with conn.execute(...) as cursor`, as with aiosqlite."""
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Nothing to release."""


class _Statement:
    """A statement not yet run: awaited, or entered with `async with`, it runs once."""

    def __init__(self, run: Callable[[], Awaitable[PgCursor]]) -> None:
        self._run = run

    def __await__(self) -> Generator[Any, None, PgCursor]:
        return self._run().__await__()

    async def __aenter__(self) -> PgCursor:
        return await self._run()

    async def __aexit__(self, *exc: object) -> None:
        return None


class PgConnection:
    """One asyncpg connection inside a transaction, spoken to as the store speaks to aiosqlite."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        """Wrap a connection that already began its transaction."""
        self._conn = conn
        self.to_scrub: set[str] = set()  # words tables this transaction deleted from or changed

    def _note(self, sql: str) -> None:
        found = _CHANGES.match(sql)
        if found is None:
            return
        table = found.group(2).lower()
        if table in _WORDS_TABLES:
            self.to_scrub.add(table)
        if found.group(1).upper().startswith("DELETE"):
            self.to_scrub.update(_CASCADES.get(table, ()))

    def execute(self, sql: str, params: Params = ()) -> _Statement:
        """Run one statement; await the result (or `async with` it) for rows and rowcount."""
        self._note(sql)
        return _Statement(lambda: _run(self._conn, sql, params))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each parameter row."""
        self._note(sql)
        batch = [_arguments(r) for r in rows]
        if batch:
            await self._conn.executemany(to_postgres(sql), batch)

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[asyncpg.Record]:
        """Run a query and return all its rows."""
        self._note(sql)
        return await (await _run(self._conn, sql, params)).fetchall()

    @property
    def in_transaction(self) -> bool:
        """True while the transaction is open."""
        return bool(self._conn.is_in_transaction())


async def _run(conn: asyncpg.Connection, sql: str, params: Params) -> PgCursor:
    query = to_postgres(sql)
    args = _arguments(params)
    if _RETURNS_ROWS.search(query):
        rows = await conn.fetch(query, *args)
        return PgCursor(rows, len(rows))
    status = await conn.execute(query, *args)
    return PgCursor([], _count(status))


def pg_migrations() -> list[tuple[int, str, str]]:
    """The numbered PostgreSQL migrations, in order (the same numbers as SQLite's)."""
    return migrations("migrations_pg")


async def apply_pg_migrations(conn: asyncpg.Connection) -> int:
    """Apply pending migrations, each with its version bump in one transaction; return the version.

    Processes starting together queue on an advisory lock, so each migration runs once.
    """
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
        await conn.execute("CREATE TABLE IF NOT EXISTS kindred_schema (version BIGINT NOT NULL)")
        version = await conn.fetchval("SELECT max(version) FROM kindred_schema") or 0
        for number, name, sql in pg_migrations():
            if number <= version:
                continue
            log.info("applying migration %s (PostgreSQL)", name)
            async with conn.transaction():
                await conn.execute(sql)
                await conn.execute("DELETE FROM kindred_schema")
                await conn.execute("INSERT INTO kindred_schema (version) VALUES ($1)", number)
            version = number
    return int(version)


class PgTable:
    """`db.answers` / `db.receipts` on PostgreSQL: one table of the one database, same methods."""

    def __init__(self, db: PgDatabase, table: str) -> None:
        """Queries go through `db`; the table name is fixed by kindred, never by input."""
        self.db = db
        self.table = table

    async def open(self) -> None:
        """Nothing of its own to open."""

    async def close(self) -> None:
        """Nothing of its own to close."""

    async def fetchall(self, sql: str, params: Params = ()) -> list[asyncpg.Record]:
        """A read query (on the table's database)."""
        return await self.db.fetch_records(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> asyncpg.Record | None:
        """The first row of a read query, if any."""
        rows = await self.db.fetch_records(sql, params)
        return rows[0] if rows else None

    async def delete_where(self, where: str, params: Params = ()) -> int:
        """Delete rows matching `where` (a fixed SQL condition); returns how many."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(f"DELETE FROM {self.table} WHERE {where}", params)  # noqa: S608
        return int(cursor.rowcount)


RECEIPT_BATCH = 256  # receipts per transaction: bounds one commit's work and a submission's wait


@dataclass(frozen=True)
class _Held:
    receipt: bytes
    answer: tuple[Any, ...]  # (id, guild_id, week, mood, energy, topics)


class HeldCheckins:
    """Check-ins on PostgreSQL: a receipt at once, its answer later, among at least k others.

    Why: PostgreSQL stamps every row with the id of the transaction that wrote it (`xmin`) and
    places new rows one after another (`ctid`); the WAL keeps both. An answer written at the
    moment of its check-in sits beside its receipt in transaction ids and in time, so whoever
    holds the database (and the key that names members' receipts) could pair them. So:

    - The receipt is written at once, with `ON CONFLICT DO NOTHING`, in a transaction of
      receipts only (those submitted together share one: group commit): the database, shared by
      every process, decides whether this member already checked in, so two processes (a DM on
      shard 0, a command on the guild's shard) never count one twice.
    - The answer is held in this process's memory with the other answers of its lab and week.
      When they reach the lab's k (its /pulse threshold, at least 3), all of them are written in
      one transaction that writes no receipt, in random order: they share one `xmin`, and their
      `ctid` order is a shuffle. The receipts written since the lab's previous batch name those
      k members, and nothing says which of the k answers is whose: the same k-anonymity /pulse
      promises. Answers never enter a transaction, a page or a WAL record beside a receipt.
    - A week closing takes the held answers of that week with it (`take_closed`): `close_weeks`
      moves the whole week into `checkins` in one transaction, in key order, so the closed table
      says nothing of arrival either; a week with fewer than k answers in all is dropped there,
      as on SQLite, and its held answers never touch the database.
    - A clean stop (`close`) writes nothing it holds to the database: it seals what it holds
      (AES-GCM, a key derived from the lab's secret) into a file beside the heartbeat, which the
      next start reads and deletes (`carry_file`; if the server is unreachable then, the first
      check-in after it does, so the next stop cannot overwrite the file and lose them). Those
      answers never reach the database until their lab has k again.
    - The loss window is a crash (SIGKILL, power): the answers held then are lost, at most k-1
      per lab and open week; their receipts stay, so those members are not asked again. Nothing
      counted twice, nobody paired.
    """

    def __init__(
        self,
        db: PgDatabase,
        *,
        threshold: Callable[[int], Awaitable[int]] | None = None,
    ) -> None:
        """`threshold(guild_id)` gives a lab's k (its settings, default 5)."""
        self.db = db
        self._threshold = threshold or db.k_threshold
        self._held: dict[tuple[int, str], list[_Held]] = {}
        self._shuffle = random.SystemRandom()
        self._lock = asyncio.Lock()
        self._closed = False
        self._queue: list[Submission] = []
        self._flusher: asyncio.Task[None] | None = None
        self.flushes = 0
        self.seal: Callable[[bytes], bytes] | None = None
        self.unseal: Callable[[bytes], bytes] | None = None
        self.carry_file: Path | None = None
        self._recovered = False  # the carry file is read once the database is first reachable

    @property
    def held(self) -> int:
        """How many answers this process holds (a count, nothing more: for /admin status and tests)."""
        return sum(len(group) for group in self._held.values())

    async def submit(self, receipt: bytes, week: str, answer: Sequence[Any]) -> bool:
        """Count one check-in unless its receipt was used; True once the receipt is stored.

        Receipts submitted while one transaction of them is being written share the next one
        (group commit, as on SQLite): they say only who checked in, never what they answered.
        """
        if self._closed:
            raise StoreUnavailable("kindred is shutting down")
        if not self._recovered:  # the server was unreachable at start: take the last stop's answers now
            await self.recover()
        submission = Submission(receipt, week, tuple(answer))
        self._queue.append(submission)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._run(), name="kindred:receipts")
        return await asyncio.shield(submission.done)

    async def _run(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:RECEIPT_BATCH], self._queue[RECEIPT_BATCH:]
            try:
                async with self.db.transaction() as conn:
                    cursor = await conn.execute(
                        "INSERT INTO receipts (receipt, week) SELECT * FROM unnest(?::bytea[], ?::text[])"
                        " ON CONFLICT DO NOTHING RETURNING receipt",
                        ([s.receipt for s in batch], [s.week for s in batch]),
                    )
                    fresh = {bytes(r[0]) for r in await cursor.fetchall()}
            except StoreUnavailable as exc:
                # Nothing of this batch was counted; those queued behind it hear the same at once
                # (Discord wants an answer within 3 s) and may try again.
                batch, self._queue = batch + self._queue, []
                fail_waiters(batch, exc)
                continue
            except BaseException as exc:
                fail_waiters(batch + self._queue, StoreUnavailable(f"check-in failed: {type(exc).__name__}"))
                self._queue = []
                raise
            touched: set[tuple[int, str]] = set()
            outcomes = []
            for each in batch:
                counted = each.receipt in fresh
                fresh.discard(each.receipt)  # the same member twice in one batch counts once
                if counted:
                    key = (int(each.answer[1]), str(each.answer[2]))
                    self._held.setdefault(key, []).append(_Held(each.receipt, each.answer))
                    touched.add(key)
                outcomes.append((each, counted))
            try:
                for key in sorted(touched):
                    await self._write_ready(key)  # a batch that reached k is written before anyone hears back
            finally:
                for each, counted in outcomes:
                    if not each.done.done():
                        each.done.set_result(counted)

    async def _write_ready(self, key: tuple[int, str]) -> None:
        """Write a lab-week's held answers once they are at least its k; keep them if that fails.

        The batch leaves `_held` before the first await of its write, so an answer arriving
        meanwhile starts the next batch instead of joining (and being dropped with) this one.
        """
        async with self._lock:
            k = await self._threshold(key[0])
            while len(self._held.get(key, ())) >= k:
                batch = self._held.pop(key)
                rows = [h.answer for h in batch]
                self._shuffle.shuffle(rows)
                try:
                    async with self.db.transaction() as conn:
                        await conn.executemany(
                            "INSERT INTO open_checkins (id, guild_id, week, mood, energy, topics)"
                            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                            rows,
                        )
                except StoreUnavailable:
                    self._held[key] = batch + self._held.get(key, [])  # held again, nothing lost
                    log.warning(
                        "a batch of check-ins could not be written yet; it stays held for the next try"
                    )
                    return
                except BaseException:
                    self._held[key] = batch + self._held.get(key, [])
                    raise
                self.flushes += 1

    def take_closed(self, open_from: str) -> list[tuple[Any, ...]]:
        """Hand over (and forget) the held answers of weeks before `open_from`, for `close_weeks`."""
        taken: list[tuple[Any, ...]] = []
        for key in [k for k in self._held if k[1] < open_from]:
            taken.extend(h.answer for h in self._held.pop(key))
        return taken

    def restore(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Hold answers again that `close_weeks` took but could not store (a fault)."""
        for row in rows:
            self._held.setdefault((int(row[1]), str(row[2])), []).append(_Held(b"", tuple(row)))

    async def recover(self) -> None:
        """Read the answers a clean stop sealed beside the heartbeat, then delete that file."""
        path = self.carry_file
        self._recovered = True  # before any await: once, even if this fails (a second read finds no file)
        if path is None or self.unseal is None or not path.exists():
            return
        try:
            plain = self.unseal(path.read_bytes())
        except Exception:  # a file from another key or a torn write: nothing in it can be trusted
            log.warning("the held check-ins of the last stop could not be read; they are lost")
            path.unlink(missing_ok=True)
            return
        token, rows = _decode_rows(plain)
        # The file belongs to the database whose `held_marks` row names its token (written at that stop).
        # Against another database (a restore into a new one, an older dump) its members'
        # receipts are not there, so its answers could be counted twice: it is dropped.
        mark = await self.db.fetchone("SELECT token FROM held_marks WHERE process = ?", (self.db.claimant,))
        path.unlink(missing_ok=True)
        await self.db.execute("DELETE FROM held_marks WHERE process = ?", (self.db.claimant,))
        if mark is None or mark[0] != token:
            log.warning("held check-ins of a stop of another database (a restore?) were dropped, unread")
            return
        for row in rows:
            self._held.setdefault((int(row[1]), str(row[2])), []).append(_Held(b"", row))
        for key in list(self._held):
            await self._write_ready(key)
        log.info("took back %d held check-ins from the last stop", len(rows))

    async def close(self) -> None:
        """Take no more check-ins; seal what is held into the carry file (never into the database)."""
        self._closed = True
        while self._flusher is not None and not self._flusher.done():
            await asyncio.shield(self._flusher)  # receipts under way are stored (or refused) first
        async with self._lock:
            rows = [h.answer for group in self._held.values() for h in group]
            if not rows:
                return
            if self.carry_file is None or self.seal is None:
                log.warning(
                    "kindred stopped holding %d check-ins it had nowhere to keep; they are lost", len(rows)
                )
                return
            self._shuffle.shuffle(rows)
            self.carry_file.parent.mkdir(parents=True, exist_ok=True)
            partial = self.carry_file.with_name(self.carry_file.name + ".part")
            token = secrets.token_hex(16)
            try:  # the database remembers which carry file is its own (one per process: its claimant)
                await self.db.execute(
                    "INSERT INTO held_marks (process, token) VALUES (?, ?)"
                    " ON CONFLICT (process) DO UPDATE SET token = excluded.token",
                    (self.db.claimant, token),
                )
            except StoreUnavailable:
                log.warning(
                    "kindred stopped with %d held check-ins it could not keep (database unavailable)",
                    len(rows),
                )
                return
            partial.write_bytes(self.seal(_encode_rows(token, rows)))
            partial.chmod(0o600)
            partial.replace(self.carry_file)
            self._held.clear()
            log.info("sealed %d held check-ins beside the heartbeat for the next start", len(rows))
            log.info("sealed %d held check-ins beside the heartbeat for the next start", len(rows))


def _encode_rows(token: str, rows: Sequence[tuple[Any, ...]]) -> bytes:
    return json.dumps({"database": token, "rows": [[r[0].hex(), *r[1:6]] for r in rows]}).encode()


def _decode_rows(plain: bytes) -> tuple[str, list[tuple[Any, ...]]]:
    data = json.loads(plain)
    rows = [
        (bytes.fromhex(r[0]), int(r[1]), str(r[2]), int(r[3]), int(r[4]), str(r[5])) for r in data["rows"]
    ]
    return str(data["database"]), rows


class PgDatabase(Database):
    """The store on a PostgreSQL server (`KINDRED_DATABASE_URL`); see the module docstring."""

    dialect = "postgresql"

    def __init__(self, url: str, *, lock_wait: float = LOCK_WAIT_SECONDS, pool_size: int = 4) -> None:
        """Remember the URL; nothing connects until `open()` or first use."""
        # Database.__init__ would lay out SQLite files; only the attributes callers read are set.
        self.url = url
        self.path = Path("postgresql")
        self.lock_wait = lock_wait
        self.pool_size = pool_size
        self.version = 0
        self.guilds = GuildCache()
        self.checkpoint_busy_since = None
        self.answers = PgTable(self, "open_checkins")  # type: ignore[assignment]
        self.receipts = PgTable(self, "receipts")  # type: ignore[assignment]
        self.held_checkins = HeldCheckins(self)
        self.checkins = self.held_checkins  # type: ignore[assignment] # same submit/recover/close
        self._writer: asyncpg.Connection | None = None
        self._pool: asyncpg.Pool | None = None
        self._listener: asyncpg.Connection | None = None
        self.guilds.publish = self._publish_change
        self._lock = asyncio.Lock()
        self._closed = False

    # -- connections ---------------------------------------------------------------------------

    def _settings(self, *, read_only: bool) -> dict[str, str]:
        """Session settings sent at connect (kept across the pool's RESET ALL, unlike a SET)."""
        settings = {
            "lock_timeout": str(LOCK_TIMEOUT_MS),
            "statement_timeout": str(STATEMENT_TIMEOUT_MS),
            "idle_in_transaction_session_timeout": "60000",
            "application_name": "kindred",
        }
        if read_only:
            settings["default_transaction_read_only"] = "on"  # reads never write, as on SQLite
        return settings

    async def _connect_writer(self) -> asyncpg.Connection:
        if self._writer is not None and not self._writer.is_closed():
            return self._writer
        if self._closed:
            raise StoreUnavailable("kindred is shutting down")
        try:
            conn = await asyncpg.connect(self.url, timeout=5, server_settings=self._settings(read_only=False))
        except (*_FAULTS, ValueError) as exc:
            raise StoreUnavailable(f"cannot reach the database server: {type(exc).__name__}") from exc
        try:
            self.guilds.clear()
            self.version = await apply_pg_migrations(conn)
            self.guilds.clear()
        except _FAULTS as exc:
            await conn.close()
            raise StoreUnavailable(f"cannot prepare the database: {exc}") from exc
        self._writer = conn
        return conn

    async def _read_pool(self) -> asyncpg.Pool:
        if self._pool is not None:
            return self._pool
        if self._writer is None:
            async with self._turn():
                await self._connect_writer()
        if self._closed:
            raise StoreUnavailable("kindred is shutting down")
        try:
            # No floor: with one, asyncpg itself reconnects in the background while the server is
            # gone, logging a traceback at every retry; connections open on demand instead.
            self._pool = await asyncpg.create_pool(
                self.url,
                min_size=0,
                max_size=self.pool_size,
                timeout=5,
                server_settings=self._settings(read_only=True),
            )
        except _FAULTS as exc:
            raise StoreUnavailable(f"cannot reach the database server: {type(exc).__name__}") from exc
        return self._pool

    async def open(self) -> None:
        """Connect, apply migrations, listen for other processes' changes, take back what was held."""
        async with self._lock:
            await self._connect_writer()
        await self._read_pool()
        await self.held_checkins.recover()

    # -- the guild cache across processes -------------------------------------------------------

    async def _listen(self) -> None:
        """Listen for other processes' guild changes (once per connection; before any cached read)."""
        if self._listener is not None and not self._listener.is_closed():
            return
        if self._closed:
            return
        try:
            listener = await asyncpg.connect(
                self.url, timeout=5, server_settings=self._settings(read_only=True)
            )
            await listener.add_listener(CHANGES_CHANNEL, self._on_change)
        except _FAULTS as exc:
            raise StoreUnavailable(f"cannot reach the database server: {type(exc).__name__}") from exc
        listener.add_termination_listener(self._on_listener_lost)
        self.guilds.clear()  # anything cached before listening may have missed a change
        self._listener = listener

    def _on_change(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        if str(payload).isdigit():
            self.guilds.invalidate(int(str(payload)))
        else:
            self.guilds.clear()

    def _on_listener_lost(self, _conn: object) -> None:
        self._listener = None
        self.guilds.clear()

    async def _publish_change(self, guild_id: int | None) -> None:
        """After a change committed here, tell every other process sharing the database."""
        payload = "*" if guild_id is None else str(guild_id)
        try:
            async with self.transaction() as conn:
                await conn.execute("SELECT pg_notify(?, ?)", (CHANGES_CHANNEL, payload))
        except StoreUnavailable:
            # The server is unreachable: the other processes lost their listening connections
            # too, and each drops its whole cache when that happens.
            log.warning("could not tell other processes about a settings change (database unavailable)")

    async def _drop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.terminate()
        self.guilds.clear()
        writer, self._writer = self._writer, None
        if writer is not None:
            try:
                await writer.close(timeout=2)
            except _FAULTS:
                writer.terminate()
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()

    async def close(self) -> None:
        """Seal held check-ins away, then close every connection for good (idempotent)."""
        if self._closed:
            return
        await self.held_checkins.close()
        async with self._lock:
            self._closed = True
            await self._drop()

    @property
    def is_open(self) -> bool:
        """True while the writer connection is held."""
        return self._writer is not None and not self._writer.is_closed()

    @property
    def files(self) -> tuple[Path, ...]:
        """No file on this machine holds the data: the server does."""
        return ()

    def _fault_of(self, exc: BaseException) -> StoreUnavailable:
        if isinstance(exc, _BUSY):
            return StoreUnavailable("the database is busy")
        if isinstance(exc, asyncpg.PostgresError) and not isinstance(
            exc, (asyncpg.exceptions.PostgresConnectionError, asyncpg.exceptions.AdminShutdownError)
        ):
            return StoreUnavailable(f"database error: {type(exc).__name__}: {exc}")
        return StoreUnavailable(f"lost the database server: {type(exc).__name__}")

    # -- the store's interface -----------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run a block atomically on the writer: COMMIT, or ROLLBACK on any error."""
        async with self._turn():
            conn = await self._connect_writer()
            try:
                transaction = conn.transaction()
                await transaction.start()
            except _FAULTS as exc:
                await self._drop()
                raise self._fault_of(exc) from exc
            wrapped = PgConnection(conn)
            try:
                yield cast(aiosqlite.Connection, wrapped)
            except BaseException as exc:
                try:
                    await transaction.rollback()
                except _FAULTS:
                    await self._drop()
                if isinstance(exc, _FAULTS):
                    if not isinstance(exc, asyncpg.PostgresError) or isinstance(
                        exc, asyncpg.exceptions.PostgresConnectionError
                    ):
                        await self._drop()
                    raise self._fault_of(exc) from exc
                raise
            try:
                writer_xid = (
                    await conn.fetchval("SELECT pg_current_xact_id_if_assigned()::text")
                    if wrapped.to_scrub
                    else None
                )
                await transaction.commit()
            except _FAULTS as exc:
                await self._drop()
                raise self._fault_of(exc) from exc
            if writer_xid is not None:
                await self._scrub(conn, wrapped.to_scrub, str(writer_xid))

    async def _scrub(self, conn: asyncpg.Connection, tables: set[str], xid: str) -> None:
        """Rewrite words tables whose rows were deleted or changed, so old versions leave the disk.

        Runs after the commit of transaction `xid` (VACUUM cannot run in a transaction); the change
        itself is already safe. VACUUM (FULL) copies an old version that a transaction open
        anywhere on the server, or an older snapshot in this database, could still see, so it
        waits, briefly (SCRUB_WAIT_SECONDS), until none is left. A rewrite that still finds
        one, cannot get its lock in time (LOCK_TIMEOUT_MS) or loses the server is only logged: the
        next change to that table rewrites it again, old versions included.
        """
        deadline = asyncio.get_running_loop().time() + SCRUB_WAIT_SECONDS
        try:
            while await conn.fetchval(_OLDER_SNAPSHOTS, xid, int(xid) % 2**32):
                if asyncio.get_running_loop().time() >= deadline:
                    log.warning("rewriting after a deletion while an older snapshot is open")
                    break
                await asyncio.sleep(0.02)
        except _FAULTS as exc:
            log.warning("could not rewrite after a deletion: %s", type(exc).__name__)
            if not isinstance(exc, asyncpg.PostgresError):
                await self._drop()
            return
        for table in sorted(tables):
            try:
                await conn.execute(f"VACUUM (FULL) {table}")  # a fixed name from _WORDS_TABLES
            except _FAULTS as exc:
                log.warning("could not rewrite %s after a deletion: %s", table, type(exc).__name__)
                if not isinstance(exc, asyncpg.PostgresError):
                    await self._drop()
                return

    async def fetch_records(self, sql: str, params: Params = ()) -> list[asyncpg.Record]:
        """Run a read query on the pool (beside any write) and return all rows.

        A read that found its connection gone (the server restarted, an operator ended it) is
        tried once more on a fresh one: reads change nothing, so repeating one is harmless.
        """
        query, args = to_postgres(sql), _arguments(params)
        for attempt in (1, 2):
            pool = await self._read_pool()
            await self._listen()
            try:
                return list(await pool.fetch(query, *args))
            except _FAULTS as exc:
                lost = not isinstance(exc, asyncpg.PostgresError) or isinstance(
                    exc, (asyncpg.exceptions.PostgresConnectionError, asyncpg.exceptions.AdminShutdownError)
                )
                if lost:
                    await self._drop()
                if not lost or attempt == 2:
                    raise self._fault_of(exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        """Run a read query and return all rows (asyncpg Records: `row[0]`, `row["name"]`)."""
        return await self.fetch_records(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        """Run a read query and return the first row, if any."""
        rows = await self.fetch_records(sql, params)
        return rows[0] if rows else None

    async def k_threshold(self, guild_id: int) -> int:
        """A lab's k (its /pulse threshold; the default until it set one), from the settings cache."""
        from bot.store.guilds import get_settings  # guilds imports the store, not the other way

        return (await get_settings(self, guild_id)).k_threshold

    async def checkpoint(self, *, attempts: int = 3) -> bool:
        """Nothing to checkpoint: the server manages its WAL."""
        return True

    async def vacuum(self) -> None:
        """VACUUM the database: dead row versions of deleted data are removed from the tables."""
        async with self._turn():
            conn = await self._connect_writer()
            try:
                await conn.execute("VACUUM")
            except _FAULTS as exc:
                raise self._fault_of(exc) from exc

    async def size_bytes(self) -> int:
        """The database's size on the server."""
        row = await self.fetchone("SELECT pg_database_size(current_database())")
        return int(row[0]) if row else 0

    async def integrity(self) -> str:
        """'ok' when the server answers and the schema is at the shipped version."""
        row = await self.fetchone("SELECT max(version) FROM kindred_schema")
        expected = len(pg_migrations())
        found = int(row[0]) if row and row[0] is not None else 0
        return "ok" if found == expected else f"schema version {found}, expected {expected}"

    async def backup_to(self, target: Path) -> None:
        """Write a pg_dump (custom format) of everything but open weeks' answers and receipts.

        As on SQLite, the open weeks stay out of backups, so two backups never show who arrived
        between them. Needs `pg_dump` (Debian's postgresql-client) on PATH.
        """
        tool = shutil.which("pg_dump") or _server_tool("pg_dump")
        if tool is None:
            raise StoreUnavailable("pg_dump is not installed (Debian: postgresql-client)")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        command = [tool, "--format=custom", "--no-owner", "--file", str(partial)]
        command += ["--exclude-table-data=open_checkins", "--exclude-table-data=receipts"]
        command += ["--exclude-table-data=held_marks", self.url]
        process = await asyncio.create_subprocess_exec(
            *command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, errors = await process.communicate()
        if process.returncode != 0:
            partial.unlink(missing_ok=True)
            raise StoreUnavailable(f"pg_dump failed: {errors.decode(errors='replace').strip()[:200]}")
        partial.chmod(0o600)
        partial.replace(target)


def _server_tool(name: str) -> str | None:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else None
