"""Suite-wide setup: with KINDRED_TEST_DATABASE_URL set, every bot process the tests start uses
PostgreSQL (a database of its own per test folder, see tests/backends.py) instead of SQLite."""

from __future__ import annotations

from fakediscord.harness import BotProcess
from tests.backends import ON_POSTGRES, store_env

if ON_POSTGRES:
    BotProcess.store_env = store_env
