"""The SQLite connection: PRAGMAs, migrations, serialised transactions, and recovery after faults."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

# Discord needs an answer within 3 s: waiting for the connection plus SQLite's busy wait must stay
# well inside that, so a locked database yields a kind "busy" reply instead of silence.
BUSY_TIMEOUT_MS = 1000
LOCK_WAIT_SECONDS = 1.5
Params = Sequence[Any] | dict[str, Any]


class StoreUnavailable(Exception):
    """The database cannot be used right now (locked, unreadable, disk full); nothing was changed."""


def migrations() -> list[tuple[int, str, str]]:
    """The numbered SQL migration files shipped in bot/store/migrations, in order."""
    found = []
    for entry in resources.files("bot.store").joinpath("migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migration files must be numbered 001.. without gaps, found {numbers}")
    return found


async def apply_migrations(conn: aiosqlite.Connection) -> int:
    """Apply pending migrations, each atomically with its version bump; return the version."""
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    version = int(row[0]) if row else 0
    for number, name, sql in migrations():
        if number <= version:
            continue
        log.info("applying migration %s", name)
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _split_sql(sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {number:d}")
            await conn.execute("COMMIT")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        version = number
    return version


def _split_sql(script: str) -> Iterable[str]:
    """Split a migration script into complete statements (triggers included)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""
    if buffer.strip():
        raise RuntimeError(f"incomplete SQL statement at end of migration: {buffer[:60]!r}")


class Database:
    """One shared connection; every use is serialised so transactions never interleave.

    If the file cannot be opened or a query fails for reasons outside our control, callers get
    StoreUnavailable and the next use tries to reconnect, so the bot recovers when the fault clears.
    """

    def __init__(self, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 lock_wait: float = LOCK_WAIT_SECONDS) -> None:
        """Remember the path; nothing is opened until `open()` or first use."""
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.lock_wait = lock_wait
        self._conn: aiosqlite.Connection | None = None
        self._closed = False
        self._lock = asyncio.Lock()
        self.version = 0

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """Wait (bounded) for the shared connection; StoreUnavailable if others hold it too long."""
        try:
            await asyncio.wait_for(self._lock.acquire(), self.lock_wait)
        except TimeoutError:
            raise StoreUnavailable("the database is busy") from None
        try:
            yield
        finally:
            self._lock.release()

    async def open(self) -> None:
        """Open (or reopen) the connection, set PRAGMAs and apply migrations."""
        async with self._lock:
            await self._connect()

    async def _connect(self) -> aiosqlite.Connection:
        if self._conn is not None:
            return self._conn
        if self._closed:  # shutting down: never leave a fresh connection (and its thread) behind
            raise StoreUnavailable("kindred is shutting down")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"cannot open database: {exc}") from exc
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms):d}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA secure_delete = ON")
            self.version = await apply_migrations(conn)
        except (OSError, sqlite3.Error) as exc:
            await conn.close()
            raise StoreUnavailable(f"cannot prepare database: {exc}") from exc
        self._conn = conn
        return conn

    async def close(self) -> None:
        """Close the connection for good (idempotent); later uses get StoreUnavailable."""
        async with self._lock:
            self._closed = True
            await self._drop()

    async def _drop(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.close()
            except (OSError, sqlite3.Error):
                log.warning("closing the database failed", exc_info=True)

    @property
    def is_open(self) -> bool:
        """True while a connection is held."""
        return self._conn is not None

    async def _fault(self, exc: BaseException) -> StoreUnavailable:
        """Classify a failure; drop the connection if it may be broken."""
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return StoreUnavailable("the database is busy")
        await self._drop()
        return StoreUnavailable(f"database error: {exc}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run a block atomically: BEGIN IMMEDIATE, COMMIT, or ROLLBACK on any error."""
        async with self._turn():
            conn = await self._connect()
            try:
                await conn.execute("BEGIN IMMEDIATE")
            except (OSError, sqlite3.Error) as exc:
                raise await self._fault(exc) from exc
            try:
                yield conn
                await conn.execute("COMMIT")
            except BaseException as exc:
                try:
                    await conn.execute("ROLLBACK")
                except (OSError, sqlite3.Error):
                    log.warning("rollback failed", exc_info=True)
                if isinstance(exc, (OSError, sqlite3.Error)):
                    raise await self._fault(exc) from exc
                raise

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows."""
        async with self._turn():
            conn = await self._connect()
            try:
                async with conn.execute(sql, params) as cursor:
                    return list(await cursor.fetchall())
            except (OSError, sqlite3.Error) as exc:
                raise await self._fault(exc) from exc

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """Run a read query and return the first row, if any."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def execute(self, sql: str, params: Params = ()) -> None:
        """Run one write statement in its own transaction."""
        async with self.transaction() as conn:
            await conn.execute(sql, params)

    async def checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it, leaving no journal of recent commits."""
        async with self._turn():
            conn = await self._connect()
            try:
                await conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except (OSError, sqlite3.Error) as exc:
                raise await self._fault(exc) from exc

    async def backup_to(self, target: Path) -> None:
        """Copy the live database to `target` with SQLite's online backup API."""
        async with self._turn():
            conn = await self._connect()
            target.parent.mkdir(parents=True, exist_ok=True)
            async with aiosqlite.connect(target) as dest:
                try:
                    await conn.backup(dest)
                except (OSError, sqlite3.Error) as exc:
                    raise await self._fault(exc) from exc
