"""Which store the backend-neutral tests run on: SQLite files, or a PostgreSQL server.

Unset, every test uses SQLite in its tmp_path. With `KINDRED_TEST_DATABASE_URL` set (CI runs
the store, e2e and reliability suites a second time so, against `scripts/pg-server`), `open_store`
gives each test path a database of its own on that server, created empty on first use and the
same one again when a test reopens the path (a restart). Tests about SQLite's files themselves
are marked `sqlite_only` and skipped on PostgreSQL, where `tests/integration/test_pg_store.py`
proves the same promises its own way.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.store import Database

SERVER_URL = os.environ.get("KINDRED_TEST_DATABASE_URL", "").strip()
ON_POSTGRES = bool(SERVER_URL)
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="about SQLite's own files; PostgreSQL has its own test")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs KINDRED_TEST_DATABASE_URL (scripts/pg-server)"
)
_created: set[str] = set()


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _run(coroutine: object) -> None:
    """Run a coroutine to completion on a loop of its own (callers may be inside pytest's loop)."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def database_url(path: Path) -> str:
    """A PostgreSQL database of this test path's own (created empty on first use)."""
    name = "t_" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    if name not in _created:

        async def create() -> None:
            import asyncpg

            conn = await asyncpg.connect(_with_database(SERVER_URL, "postgres"))
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await conn.execute(f'CREATE DATABASE "{name}"')
            finally:
                await conn.close()

        _run(create())
        _created.add(name)
    return _with_database(SERVER_URL, name)


def open_store(path: Path, **kwargs: object) -> Database:
    """The store for a test: SQLite at `path`, or its own database on the test server."""
    if not ON_POSTGRES:
        return Database(path, **kwargs)  # type: ignore[arg-type]
    from bot.store.pg import PgDatabase

    lock_wait = kwargs.get("lock_wait")
    return PgDatabase(database_url(path), **({"lock_wait": lock_wait} if lock_wait else {}))  # type: ignore[arg-type]


def store_env(path: Path) -> dict[str, str]:
    """Environment for a bot process whose database would be `path`: on PostgreSQL, its URL."""
    return {"KINDRED_DATABASE_URL": database_url(path)} if ON_POSTGRES else {}
