"""Which database kindred uses: SQLite at KINDRED_DB_PATH, or PostgreSQL at KINDRED_DATABASE_URL."""

from __future__ import annotations

from bot.anonymity import open_value, seal_value
from bot.config import Settings
from bot.store.db import Database

HELD_CONTEXT = "held-checkins"


def database_for(settings: Settings, secret: bytes | None = None) -> Database:
    """The store for these settings; on PostgreSQL, `secret` seals the check-ins a clean stop holds.

    A process running a shard range (KINDRED_SHARDS) is named by it: its claims (bot.store.claims)
    and its carry file beside the heartbeat are its own, and its next start takes both back.
    """
    process = f"{settings.shards.describe()}-of-{settings.shards.count}" if settings.shards else ""
    if settings.database_url is None:
        db = Database(settings.db_path)
        db.claimant = f"kindred:{process or 'all'}"
        return db
    from bot.store.pg import PgDatabase  # asyncpg loads only for a PostgreSQL store

    db = PgDatabase(settings.database_url)
    db.claimant = f"kindred:{process or 'all'}"
    if secret is not None:
        context = f"{HELD_CONTEXT}/{process}"
        db.held_checkins.seal = lambda plain: seal_value(secret, plain, context=context)
        db.held_checkins.unseal = lambda sealed: open_value(secret, sealed, context=context)
        suffix = f"-{process}" if process else ""
        db.held_checkins.carry_file = settings.heartbeat_path.with_name(
            f"kindred-held-checkins{suffix}.sealed"
        )
    return db
