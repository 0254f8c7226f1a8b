"""Persistence: one aiosqlite connection, numbered migrations, one module per aggregate."""

from bot.store.db import Database, StoreUnavailable

__all__ = ["Database", "StoreUnavailable"]
