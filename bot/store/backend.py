"""Which database kindred uses: SQLite at KINDRED_DB_PATH, or PostgreSQL at KINDRED_DATABASE_URL."""

from __future__ import annotations

from bot.anonymity import open_value, seal_value
from bot.config import Settings
from bot.store.db import Database

HELD_CONTEXT = "held-checkins"


def database_for(settings: Settings, secret: bytes | None = None, *, process: str = "") -> Database:
    """The store for these settings; on PostgreSQL, `secret` seals the check-ins a clean stop holds.

    `process` names this process among several sharing one database (its shard range), so each
    keeps its own carry file beside the heartbeat.
    """
    if settings.database_url is None:
        return Database(settings.db_path)
    from bot.store.pg import PgDatabase  # asyncpg loads only for a PostgreSQL store

    db = PgDatabase(settings.database_url)
    if secret is not None:
        context = f"{HELD_CONTEXT}/{process}"
        db.held_checkins.seal = lambda plain: seal_value(secret, plain, context=context)
        db.held_checkins.unseal = lambda sealed: open_value(secret, sealed, context=context)
        suffix = f"-{process}" if process else ""
        db.held_checkins.carry_file = settings.heartbeat_path.with_name(
            f"kindred-held-checkins{suffix}.sealed"
        )
    return db
