"""Look into a bot process's database from a test, on either backend, as an outsider would.

`rows` runs a query where the table lives: on SQLite, the main file or, for the open weeks'
anonymous tables, the answers or receipts file beside it; on PostgreSQL, the test's database on
the server. `stored_bytes` is everything the store keeps on disk for that database, for scans
that a user id or a member's words appear nowhere: on SQLite its files, on PostgreSQL the
database's own relation files after a CHECKPOINT, plus every table as text.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.store.pg import to_postgres
from tests.backends import ON_POSTGRES, _run, database_url

_ANSWERS = re.compile(r"\b(open_checkins)\b")
_RECEIPTS = re.compile(r"\b(receipts|pending_receipts)\b")


def sqlite_file(db_path: Path, sql: str) -> Path:
    """Which of the three SQLite files holds the table `sql` reads."""
    if _ANSWERS.search(sql):
        return db_path.with_name(db_path.name + "-answers")
    if _RECEIPTS.search(sql):
        return db_path.with_name(db_path.name + "-receipts")
    return db_path


def rows(db_path: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of one read query (plain tuples; blobs as bytes)."""
    if not ON_POSTGRES:
        with sqlite3.connect(sqlite_file(db_path, sql)) as conn:
            return [tuple(r) for r in conn.execute(sql, tuple(params)).fetchall()]
    found: list[tuple[Any, ...]] = []

    async def fetch() -> None:
        import asyncpg

        conn = await asyncpg.connect(database_url(db_path))
        try:
            found.extend(tuple(r) for r in await conn.fetch(to_postgres(sql), *params))
        finally:
            await conn.close()

    _run(fetch())
    return found


def write(db_path: Path, sql: str, params: Sequence[Any] = ()) -> int:
    """Change the database behind the bot's back (make something due, as if time had passed); rows touched."""
    if not ON_POSTGRES:
        with sqlite3.connect(sqlite_file(db_path, sql)) as conn:
            return conn.execute(sql, tuple(params)).rowcount
    touched: list[int] = []

    async def change() -> None:
        import asyncpg

        conn = await asyncpg.connect(database_url(db_path))
        try:
            status = await conn.execute(to_postgres(sql), *params)
            touched.append(int(status.rsplit(" ", 1)[-1]) if status.rsplit(" ", 1)[-1].isdigit() else 0)
        finally:
            await conn.close()

    _run(change())
    return touched[0]


def checkins_counted(db_path: Path) -> int:
    """Check-ins counted this open week: answers on SQLite; receipts on PostgreSQL, where the answers
    wait in the bot's memory until their lab has k (bot.store.pg.HeldCheckins)."""
    table = "receipts" if ON_POSTGRES else "open_checkins"
    return int(rows(db_path, f"SELECT count(*) FROM {table}")[0][0])  # noqa: S608 - fixed names


def stored_bytes(db_path: Path) -> bytes:
    """Every byte the store keeps for this database (see the module docstring)."""
    if not ON_POSTGRES:
        return b"".join(
            p.read_bytes()
            for p in sorted(db_path.parent.glob(db_path.name + "*"))
            if not p.name.endswith(".key")
        )
    parts: list[bytes] = []

    async def collect() -> None:
        import asyncpg

        conn = await asyncpg.connect(database_url(db_path))
        try:
            await conn.execute("CHECKPOINT")  # heap pages reach their files
            folder = Path(await conn.fetchval("SHOW data_directory")) / "base"
            oid = await conn.fetchval("SELECT oid FROM pg_database WHERE datname = current_database()")
            tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            for table in tables:
                for record in await conn.fetch(f'SELECT * FROM "{table[0]}"'):  # noqa: S608 - catalogue names
                    parts.append(repr(tuple(record)).encode())
        finally:
            await conn.close()
        parts.extend(await asyncio.to_thread(_read_folder, folder / str(oid)))

    _run(collect())
    return b"".join(parts)


def _read_folder(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()]
