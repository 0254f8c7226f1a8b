"""The SQLite connection: PRAGMAs, migrations, serialised transactions, and recovery after faults."""

from __future__ import annotations

import asyncio
import logging
import os
import random
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.guild_cache import GuildCache

log = logging.getLogger(__name__)

# Discord needs an answer within 3 s: waiting for the connection plus SQLite's busy wait must stay
# well inside that, so a locked database yields a kind "busy" reply instead of silence.
BUSY_TIMEOUT_MS = 1000
LOCK_WAIT_SECONDS = 1.5
Params = Sequence[Any] | dict[str, Any]


class StoreUnavailable(Exception):
    """The database cannot be used right now (locked, unreadable, disk full); nothing was changed."""


def migrations(folder: str = "migrations") -> list[tuple[int, str, str]]:
    """The numbered SQL migration files shipped in bot/store/<folder>, in order.

    `migrations` is SQLite's set, `migrations_pg` PostgreSQL's: the same numbers, one dialect each.
    """
    found = []
    for entry in resources.files("bot.store").joinpath(folder).iterdir():
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


class _Connection:
    """One connection to one SQLite file; every use is serialised so transactions never interleave.

    If the file cannot be opened or a query fails for reasons outside our control, callers get
    StoreUnavailable and the next use tries to reconnect, so the bot recovers when the fault clears.
    """

    journal_mode = "WAL"

    def __init__(
        self, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, lock_wait: float = LOCK_WAIT_SECONDS
    ) -> None:
        """Remember the path; nothing is opened until `open()` or first use."""
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.lock_wait = lock_wait
        self._conn: aiosqlite.Connection | None = None
        self._closed = False
        self._lock = asyncio.Lock()
        self._opened_read_only = False
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
        """Open (or reopen) the connection, set PRAGMAs and prepare the schema."""
        async with self._lock:
            await self._connect()

    async def _prepare(self, conn: aiosqlite.Connection) -> int:
        """Create or migrate the schema on a fresh connection; return its version."""
        raise NotImplementedError

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
            await conn.execute(f"PRAGMA journal_mode = {self.journal_mode}")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA secure_delete = ON")
            await conn.execute("PRAGMA temp_store = MEMORY")
            self.version = await self._prepare(conn)
        except (OSError, sqlite3.Error) as exc:
            await conn.close()
            raise StoreUnavailable(f"cannot prepare database: {exc}") from exc
        _owner_only(self.path)
        # SQLite silently opens a write-protected file read-only; remember it, so the first write
        # after the protection is lifted reconnects instead of failing once.
        self._opened_read_only = not os.access(self.path, os.W_OK)
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
            if self._opened_read_only and os.access(self.path, os.W_OK):
                await self._drop()
            conn = await self._connect()
            try:
                await conn.execute("BEGIN IMMEDIATE")
            except (OSError, sqlite3.Error) as exc:
                raise await self._fault(exc) from exc
            try:
                yield conn
                await conn.execute("COMMIT")
            except BaseException as exc:
                # A failed COMMIT may already have rolled back (SQLite does so on I/O errors and a
                # full disk); rolling back again would only log a second, misleading error.
                if conn.in_transaction:
                    try:
                        await conn.execute("ROLLBACK")
                    except (OSError, sqlite3.Error) as rollback:
                        log.warning("rollback after a failed transaction also failed: %s", rollback)
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

    async def vacuum(self) -> None:
        """Rewrite the whole file compactly, so freed pages keep nothing of earlier layouts."""
        async with self._turn():
            conn = await self._connect()
            try:
                await conn.execute("VACUUM")
            except (OSError, sqlite3.Error) as exc:
                raise await self._fault(exc) from exc


def _owner_only(path: Path) -> None:
    """Make a database file and its journals readable by kindred's user only (0600)."""
    for candidate in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        try:
            os.chmod(candidate, 0o600)
        except FileNotFoundError:
            continue
        except OSError:
            log.warning("could not make %s private (mode 0600)", candidate.name)


ANSWERS_SCHEMA = """
CREATE TABLE IF NOT EXISTS open_checkins (
    id       BLOB    PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    week     TEXT    NOT NULL,
    mood     INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
    energy   INTEGER NOT NULL CHECK (energy BETWEEN 1 AND 5),
    topics   TEXT    NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID
"""

RECEIPTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS receipts (
    receipt BLOB PRIMARY KEY,
    week    TEXT NOT NULL
) STRICT, WITHOUT ROWID
"""

ANSWER_COLUMNS = ("id", "guild_id", "week", "mood", "energy", "topics")

# The last batch of check-ins each file committed (see CheckinBatches); one row at most.
FLUSH_STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS flush_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    batch INTEGER NOT NULL
) STRICT
"""

# Receipts of the batch being written, in the receipts file only, emptied before anyone is thanked.
PENDING_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_receipts (
    receipt BLOB PRIMARY KEY
) STRICT, WITHOUT ROWID
"""


class AnonymousFile(_Connection):
    """A file of its own for one anonymous table: answers of open weeks, or receipts.

    Answers and receipts never share a file, a transaction or a journal, so nothing commits them
    side by side. The file uses a rollback journal (deleted at each commit, holding only the
    previous state) instead of a WAL (which keeps every commit in order), and every transaction
    that adds or removes rows rewrites the whole table in key order (`_relayout`): cell offsets,
    pages and the freelist then depend on the set of random keys, never on the order in which
    rows arrived. secure_delete zeroes what the rewrite frees. Check-ins reach these files in
    batches (`CheckinBatches`), one rewrite per batch; `insert_in_key_order` stays for single rows.
    """

    journal_mode = "DELETE"

    def __init__(self, path: Path, table: str, schema: Sequence[str], **kwargs: Any) -> None:
        """One table (and the batch bookkeeping beside it), created on first open."""
        super().__init__(path, **kwargs)
        self.table = table
        self.schema = tuple(schema)

    async def _prepare(self, conn: aiosqlite.Connection) -> int:
        for statement in self.schema:
            await conn.execute(statement)
        return 1

    def _insert_sql(self, columns: Sequence[str]) -> str:
        marks = ", ".join("?" for _ in columns)
        return f"INSERT INTO {self.table} ({', '.join(columns)}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608

    async def insert_in_key_order(self, columns: Sequence[str], values: Sequence[Any]) -> bool:
        """Insert one row unless its key exists, then lay the whole table out again in key order."""
        async with self.transaction() as conn:
            cursor = await conn.execute(self._insert_sql(columns), tuple(values))
            if cursor.rowcount != 1:
                return False
            await _relayout(conn, self.table)
        return True

    async def insert_many_in_key_order(self, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert many rows (existing keys are kept) and lay the table out once, in key order."""
        if not rows:
            return
        async with self.transaction() as conn:
            await conn.executemany(self._insert_sql(columns), [tuple(r) for r in rows])
            await _relayout(conn, self.table)

    async def delete_where(self, where: str, params: Params = ()) -> int:
        """Delete rows matching `where` (a fixed SQL condition) and lay the rest out in key order."""
        async with self.transaction() as conn:
            cursor = await conn.execute(f"DELETE FROM {self.table} WHERE {where}", params)  # noqa: S608
            removed = cursor.rowcount
            if removed:
                await _relayout(conn, self.table)
        return removed


async def _relayout(conn: aiosqlite.Connection, table: str) -> None:
    """Rewrite `table` in primary-key order: cleared and refilled, so no cell keeps its arrival slot."""
    await conn.execute(f"CREATE TEMP TABLE relayout AS SELECT * FROM {table}")  # noqa: S608
    await conn.execute(f"DELETE FROM {table}")  # noqa: S608 - the table is cleared page by page
    await conn.execute(f"INSERT INTO {table} SELECT * FROM temp.relayout ORDER BY 1")  # noqa: S608
    await conn.execute("DROP TABLE temp.relayout")


class Database(_Connection):
    """The SQLite store: the main database (settings, resources, closed weeks, ...) and its anonymous files.

    `answers` and `receipts` are separate files beside the main one (`<name>-answers`,
    `<name>-receipts`), opened and closed with it.

    Reads (`fetchall`, `fetchone`) go through a second connection of their own, so they never
    queue behind a write: under WAL a reader sees the last commit made before its statement began
    and does not wait for the writer. Each read is one statement run to completion in the
    reader's thread (aiosqlite's `execute_fetchall`), so the reader never holds a read transaction
    between calls: a read right after a commit returned sees it, and checkpoints are not held up.
    The reader opens only after the writer prepared the schema (migrations run there) and is
    `query_only`. A fault on it is classified like one on the writer: StoreUnavailable, the
    reader is dropped (unless the file was merely locked) and the next read reopens it.

    `guilds` caches each guild's settings, overlay and lab topics (bot.store.guild_cache); it is
    cleared whenever the writer connects, so a migration or a replaced file is never answered
    from memory.
    """

    dialect = "sqlite"
    # Who holds this process's claims (bot.store.claims): its shard range, stable across restarts.
    claimant = "kindred"

    def __init__(
        self, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, lock_wait: float = LOCK_WAIT_SECONDS
    ) -> None:
        """Remember the paths; nothing is opened until `open()` or first use."""
        super().__init__(path, busy_timeout_ms=busy_timeout_ms, lock_wait=lock_wait)
        limits = {"busy_timeout_ms": busy_timeout_ms, "lock_wait": lock_wait}
        self.answers = AnonymousFile(
            path.with_name(path.name + "-answers"),
            "open_checkins",
            (ANSWERS_SCHEMA, FLUSH_STATE_SCHEMA),
            **limits,
        )
        self.receipts = AnonymousFile(
            path.with_name(path.name + "-receipts"),
            "receipts",
            (RECEIPTS_SCHEMA, PENDING_SCHEMA, FLUSH_STATE_SCHEMA),
            **limits,
        )
        self.checkins = CheckinBatches(self.receipts, self.answers)
        self.checkpoint_busy_since: datetime | None = None
        self.guilds = GuildCache()
        self._reader: aiosqlite.Connection | None = None
        self._reader_lock = asyncio.Lock()

    async def _prepare(self, conn: aiosqlite.Connection) -> int:
        self.guilds.clear()
        try:
            return await apply_migrations(conn)
        finally:
            self.guilds.clear()

    async def _read_connection(self) -> aiosqlite.Connection:
        """The reader, opened (after the writer prepared the schema) if it is not open yet."""
        reader = self._reader
        if reader is not None:
            return reader
        try:
            await asyncio.wait_for(self._reader_lock.acquire(), self.lock_wait)
        except TimeoutError:
            raise StoreUnavailable("the database is busy") from None
        try:
            if self._reader is not None:
                return self._reader
            if self._conn is None:
                async with self._turn():
                    await self._connect()
            if self._closed:
                raise StoreUnavailable("kindred is shutting down")
            try:
                reader = await aiosqlite.connect(self.path, isolation_level=None)
            except (OSError, sqlite3.Error) as exc:
                raise StoreUnavailable(f"cannot open database: {exc}") from exc
            try:
                reader.row_factory = aiosqlite.Row
                await reader.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms):d}")
                for pragma in ("foreign_keys = ON", "secure_delete = ON", "temp_store = MEMORY"):
                    await reader.execute(f"PRAGMA {pragma}")  # the writer's settings, for any read of them
                await reader.execute("PRAGMA query_only = ON")
            except (OSError, sqlite3.Error) as exc:
                await reader.close()
                raise StoreUnavailable(f"cannot prepare database: {exc}") from exc
            self._reader = reader
            return reader
        finally:
            self._reader_lock.release()

    async def _drop(self) -> None:
        """Drop the writer and the reader with it: whatever broke one (a replaced file) may hold for both."""
        await super()._drop()
        await self._drop_reader()

    async def _drop_reader(self) -> None:
        if self._reader is not None:
            reader, self._reader = self._reader, None
            try:
                await reader.close()
            except (OSError, sqlite3.Error):
                log.warning("closing the database reader failed", exc_info=True)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run a read query on the reader connection (beside any write) and return all rows."""
        reader = await self._read_connection()
        try:
            return list(await reader.execute_fetchall(sql, params))
        except ValueError as exc:  # aiosqlite: the reader was closed meanwhile (a fault, shutting down)
            if "closed" not in str(exc):
                raise
            raise StoreUnavailable(f"database error: {exc}") from exc
        except (OSError, sqlite3.Error) as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise StoreUnavailable("the database is busy") from exc
            if self._reader is reader:
                await self._drop_reader()
            raise StoreUnavailable(f"database error: {exc}") from exc

    async def open(self) -> None:
        """Open the main file and both anonymous files (moving kindred 0.1's anonymous tables out)."""
        await super().open()
        await self.answers.open()
        await self.receipts.open()
        await self.checkins.recover()
        await self._split_legacy_tables()

    async def _split_legacy_tables(self) -> None:
        """Move receipts and answers out of the main file, where kindred 0.1 kept them (once).

        They move to their own files (every week: `close_weeks` moves closed ones back when due),
        then the main file is rewritten (VACUUM) so no page keeps them in arrival order.
        """
        if await self.fetchone("SELECT 1 FROM sqlite_master WHERE name = 'checkin_receipts'") is None:
            return
        receipts = await self.fetchall("SELECT receipt, week FROM checkin_receipts")
        await self.receipts.insert_many_in_key_order(("receipt", "week"), [tuple(r) for r in receipts])
        columns = ("id", "guild_id", "week", "mood", "energy", "topics")
        answers = await self.fetchall(f"SELECT {', '.join(columns)} FROM checkins")  # noqa: S608
        await self.answers.insert_many_in_key_order(columns, [tuple(r) for r in answers])
        async with self.transaction() as conn:
            await conn.execute("DELETE FROM checkins")
            await conn.execute("DROP TABLE checkin_receipts")
        await self.vacuum()
        if receipts or answers:
            log.info("moved anonymous check-ins into their own files (upgrade from kindred 0.1)")

    async def close(self) -> None:
        """Write the check-ins under way, then close all three files and the reader for good (idempotent)."""
        await self.checkins.close()
        await super().close()
        async with self._reader_lock:
            await self._drop_reader()
        await self.answers.close()
        await self.receipts.close()

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file kindred's data lives in (without journals)."""
        return (self.path, self.answers.path, self.receipts.path)

    async def size_bytes(self) -> int:
        """The main file's size (not the WAL or the anonymous files, which grow with each check-in)."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    async def integrity(self) -> str:
        """'ok', or what SQLite's integrity check found in any of the three files."""
        problems = []
        for part in (self, self.answers, self.receipts):
            try:
                row = await part.fetchone("PRAGMA integrity_check")
            except StoreUnavailable as exc:
                problems.append(f"{part.path}: {exc}")
                continue
            if row is None or row[0] != "ok":
                problems.append(f"{part.path}: integrity check failed")
        return "; ".join(problems) or "ok"

    async def checkpoint(self, *, attempts: int = 3) -> bool:
        """Copy the WAL into the database and truncate it; False (and a warning) if readers kept it busy.

        SQLite reports a busy checkpoint in its result row instead of raising, so the row is checked;
        a reader holding a snapshot (a sqlite3 shell, a backup tool) blocks truncation until it ends.
        """
        for attempt in range(attempts):
            async with self._turn():
                conn = await self._connect()
                try:
                    async with conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                        row = await cursor.fetchone()
                except (OSError, sqlite3.Error) as exc:
                    raise await self._fault(exc) from exc
            if row is not None and int(row[0]) == 0:
                self.checkpoint_busy_since = None
                return True
            await asyncio.sleep(0.05 * (attempt + 1))
        if self.checkpoint_busy_since is None:
            self.checkpoint_busy_since = datetime.now(UTC)
        log.warning(
            "WAL checkpoint is busy: another program holds a read transaction on the database; "
            "recent commits stay in the -wal file until it lets go"
        )
        return False

    async def backup_to(self, target: Path) -> None:
        """Write a compact copy of the main database to `target` with VACUUM INTO.

        The copy holds closed weeks only: open weeks' answers and receipts live in the anonymous
        files, which a backup leaves out, so two backups never show who arrived between them.
        """
        async with self._turn():
            conn = await self._connect()
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                target.unlink(missing_ok=True)
                await conn.execute("VACUUM INTO ?", (str(target),))
            except (OSError, sqlite3.Error) as exc:
                raise await self._fault(exc) from exc
        _owner_only(target)


_SHUFFLE = random.SystemRandom()
_TAKE_BACK = "DELETE FROM receipts WHERE receipt IN (SELECT receipt FROM pending_receipts)"
MAX_BATCH = 256  # check-ins per flush: bounds one flush's work (and a submission's wait behind it)


@dataclass
class Submission:
    """One check-in waiting for its batch: the receipt, the answer row, and who waits for the outcome."""

    receipt: bytes
    week: str
    answer: tuple[Any, ...]  # the answers file's row, without the receipt
    done: asyncio.Future[bool] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


def fail_waiters(batch: Sequence[Submission], exc: StoreUnavailable) -> None:
    """Give every waiting submission of a batch that could not be stored the same error."""
    for each in batch:
        if not each.done.done():
            each.done.set_exception(exc)
            each.done.exception()  # marked as seen: a waiter that was cancelled meanwhile is no error


class CheckinBatches:
    """Group commit for check-ins: every submission made while a flush runs shares the next flush.

    A flush of up to MAX_BATCH check-ins is three short transactions on the two anonymous files:

    1. receipts file: keep the batch's receipts that are new this week, note them in
       `pending_receipts` with the batch number, lay `receipts` out again in key order;
    2. answers file: insert those members' answers (shuffled) and the batch number, lay
       `open_checkins` out again in key order;
    3. receipts file: empty `pending_receipts` (secure_delete zeroes it). When the next batch is
       already waiting, this is done by that batch's step 1 instead, in the same commit.

    Each member is answered after step 2 committed (and step 3, unless the next batch does it):
    True if counted, False if the receipt was used already. Nobody is thanked for an answer
    that is not on disk yet, so a crash after the thanks loses nothing. A fault in step 1 or 2
    gives every submission of the batch StoreUnavailable (the kind "try again" reply) with
    nothing counted (step 2 failing takes the receipts back); a fault in step 3 changes nothing
    for them, their answers are stored. The key-order rewrite, the expensive part, runs once
    per batch, not once per check-in. A submission arriving while a flush runs waits for that
    flush and its own (each bounded by the files' lock wait and busy timeout, and MAX_BATCH);
    one arriving when nothing is being written is flushed at once, alone, with no added delay.
    When a flush fails, everything queued behind it fails with it at once.

    A crash can only stop a flush part-way: the journal of the file being written undoes that
    transaction, and `_recover` (before the next flush) reads the batch numbers of both files:
    if the answers file never committed the batch the receipts file noted, those receipts are
    taken back (the members were never thanked and can check in again); if it did, only the note
    is dropped. So a crash loses only check-ins nobody was thanked for, never counts one twice
    and never leaves a member blocked by a receipt without its answer.

    What the files hold meanwhile: `pending_receipts` names the members of the one batch being
    written, never their answers. It is on disk from a batch's step 1 until its step 3 or, while
    check-ins keep arriving, until the next batch's step 1: at most one flush (three commits,
    each bounded by the lock wait and busy timeout) after the batch's members were answered,
    and empty whenever no check-in is being written; only a fault can leave it longer, until the
    next flush, close or start. The answers file keeps no mark of which answers a batch added (its
    `flush_state` is one number). Nothing ever holds a receipt and an answer in one file,
    transaction or journal, and both tables are rewritten in key order at every batch.
    """

    def __init__(
        self, receipts: AnonymousFile, answers: AnonymousFile, *, max_batch: int = MAX_BATCH
    ) -> None:
        """Nothing runs until the first submission."""
        self.receipts = receipts
        self.answers = answers
        self.max_batch = max_batch
        self._queue: list[Submission] = []
        self._in_flight: dict[bytes, Submission] = {}
        self._flusher: asyncio.Task[None] | None = None
        self._batch: int | None = None  # the last batch number, once recovered
        self._unsettled = False  # the receipts file still notes a batch whose answers are stored
        self._noted = False  # the receipts file may note a batch (pending_receipts, flush_state)
        self._closed = False
        self.flushes = 0

    async def submit(self, receipt: bytes, week: str, answer: Sequence[Any]) -> bool:
        """Count one check-in unless its receipt was used; True once it is on disk."""
        if self._closed:
            raise StoreUnavailable("kindred is shutting down")
        earlier = self._in_flight.get(receipt)
        if earlier is not None:  # the same member submitted twice within one flush
            await asyncio.shield(earlier.done)
            return False
        submission = Submission(receipt, week, tuple(answer))
        self._in_flight[receipt] = submission
        self._queue.append(submission)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._run(), name="kindred:checkin-flush")
        return await asyncio.shield(submission.done)

    async def _run(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            try:
                await self._flush(batch)
            except StoreUnavailable as exc:
                # The files are unusable right now: those queued meanwhile get the same answer at
                # once instead of waiting out another busy timeout (Discord wants a reply in 3 s).
                batch, self._queue = batch + self._queue, []
                fail_waiters(batch, exc)
            except Exception as exc:  # every waiter gets an answer, whatever happened
                log.error("storing a batch of check-ins failed unexpectedly", exc_info=True)
                fail_waiters(batch, StoreUnavailable(f"check-in failed: {exc}"))
            except BaseException:
                fail_waiters(batch, StoreUnavailable("kindred is shutting down"))
                raise
            finally:
                for each in batch:
                    self._in_flight.pop(each.receipt, None)

    async def _flush(self, batch: list[Submission]) -> None:
        if self._batch is None:
            await self._recover()
        number = (self._batch or 0) + 1
        keys = [s.receipt for s in batch]
        marks = ", ".join("?" for _ in keys)
        async with self.receipts.transaction() as conn:
            if self._unsettled:  # the previous batch's answers are stored: its note goes with this commit
                await conn.execute("DELETE FROM pending_receipts")
                await conn.execute("DELETE FROM flush_state")
            used_sql = f"SELECT receipt FROM receipts WHERE receipt IN ({marks})"  # noqa: S608 - marks only
            async with conn.execute(used_sql, keys) as cursor:
                used = {bytes(row[0]) for row in await cursor.fetchall()}
            fresh = sorted((s for s in batch if s.receipt not in used), key=lambda s: s.receipt)
            if fresh:
                await conn.executemany(
                    "INSERT INTO receipts (receipt, week) VALUES (?, ?)", [(s.receipt, s.week) for s in fresh]
                )
                await conn.executemany(
                    "INSERT INTO pending_receipts (receipt) VALUES (?)", [(s.receipt,) for s in fresh]
                )
                await conn.execute("INSERT OR REPLACE INTO flush_state (id, batch) VALUES (1, ?)", (number,))
                await _relayout(conn, "receipts")
        self._unsettled = False
        self._noted = bool(fresh)
        for s in batch:
            if s.receipt in used:
                s.done.set_result(False)
        if not fresh:
            return
        rows = [s.answer for s in fresh]
        _SHUFFLE.shuffle(rows)
        try:
            async with self.answers.transaction() as conn:
                await conn.executemany(
                    f"INSERT INTO open_checkins ({', '.join(ANSWER_COLUMNS)})"  # noqa: S608 - fixed names
                    f" VALUES ({', '.join('?' for _ in ANSWER_COLUMNS)})",
                    rows,
                )
                await conn.execute("INSERT OR REPLACE INTO flush_state (id, batch) VALUES (1, ?)", (number,))
                await _relayout(conn, "open_checkins")
        except StoreUnavailable:
            await self._take_back()
            raise
        self._batch = number
        self.flushes += 1
        if self._queue:
            self._unsettled = True  # the next batch, already waiting, clears the note in its first commit
        else:
            try:
                async with self.receipts.transaction() as conn:
                    await conn.execute("DELETE FROM pending_receipts")
                    await conn.execute("DELETE FROM flush_state")
                self._noted = False
            except StoreUnavailable:
                # The answers are on disk, so they count; the note goes at the next flush or start.
                log.warning("a batch of check-ins was stored but its bookkeeping could not be cleared yet")
                self._batch = None
        for s in fresh:
            s.done.set_result(True)

    async def _take_back(self) -> None:
        """The answers could not be written: remove the batch's receipts so its members can retry."""
        try:
            async with self.receipts.transaction() as conn:
                await conn.execute(_TAKE_BACK)
                await conn.execute("DELETE FROM pending_receipts")
                await conn.execute("DELETE FROM flush_state")
                await _relayout(conn, "receipts")
            self._noted = False
        except StoreUnavailable:
            log.warning("check-ins could not be stored and their receipts could not be taken back yet")
            self._batch = None  # the next flush (or start) resolves it from the batch numbers

    async def _recover(self) -> None:
        """Finish what a crash (or a fault) interrupted, from the two files' batch numbers."""
        noted = await self.receipts.fetchone("SELECT batch FROM flush_state WHERE id = 1")
        stored = await self.answers.fetchone("SELECT batch FROM flush_state WHERE id = 1")
        noted_batch = int(noted[0]) if noted else 0
        stored_batch = int(stored[0]) if stored else 0
        pending = await self.receipts.fetchone("SELECT count(*) FROM pending_receipts")
        if noted is not None or (pending is not None and pending[0]):
            unstored = noted_batch > stored_batch
            async with self.receipts.transaction() as conn:
                if unstored:
                    await conn.execute(_TAKE_BACK)
                await conn.execute("DELETE FROM pending_receipts")
                await conn.execute("DELETE FROM flush_state")
                if unstored:
                    await _relayout(conn, "receipts")
            if unstored:
                log.warning(
                    "took back the receipts of check-ins interrupted before their answers were stored"
                )
        self._batch = max(noted_batch, stored_batch)
        self._unsettled = self._noted = False

    def take_closed(self, open_from: str) -> list[tuple[Any, ...]]:
        """Answers held in memory for weeks before `open_from`: none here, every batch is on disk."""
        return []

    def restore(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Nothing to hold again: `take_closed` never hands anything over."""

    async def recover(self) -> None:
        """Resolve an interrupted batch now (at start), instead of before the first flush."""
        if self._batch is None:
            await self._recover()

    async def close(self) -> None:
        """Take no more submissions and wait for the flush under way (and those queued behind it)."""
        self._closed = True
        while self._flusher is not None and not self._flusher.done():
            await asyncio.shield(self._flusher)
        if self._noted:
            try:
                await self._recover()  # clears a note a fault left behind, so none stays on disk
            except StoreUnavailable:
                log.warning("check-in bookkeeping could not be cleared at shutdown; the next start does it")
