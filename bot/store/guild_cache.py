"""Each guild's settings, overlay and lab topics in memory, so hot commands make no query for them.

/crisis, /resources show|search and a check-in read these on every call; they change only when a
moderator saves settings or edits resources. Every such change goes through `GuildCache.changing`
(bot.store.guilds.save_settings, bot.store.overlay.apply_change, bot.store.resources.forget_actor),
and the whole cache is dropped whenever the main connection is (re)opened, which is where
migrations run, so a value is never served after the write that changed it has returned.

A load that raced with a change is not kept: each guild has a generation, bumped by every change;
a value read from the database is stored only if the generation it started under is still current
(otherwise the read may have seen the state from before the change). Errors are never cached.

On SQLite one process owns the database file (DESIGN.md: one kindred per data directory). On
PostgreSQL several processes share the database, so each change is also published (`publish`,
set by bot.store.pg: a NOTIFY on the writer, after the commit) and every process listening drops
that guild too; a process whose listening connection was lost drops everything, since it may have
missed a change.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from typing import TypeVar, cast

T = TypeVar("T")
_MISSING = object()


class GuildCache:
    """Per-guild values keyed by what they are (`settings`, `overlay`, ...), invalidated per guild."""

    def __init__(self) -> None:
        """Start empty."""
        self._values: dict[int, dict[Hashable, object]] = {}
        self._generations: dict[int, int] = {}
        self._epoch = 0
        self.hits = 0
        self.loads = 0
        #: Tells other processes sharing the database that a guild (None: every guild) changed.
        self.publish: Callable[[int | None], Awaitable[None]] | None = None

    def _token(self, guild_id: int) -> tuple[int, int]:
        return self._epoch, self._generations.get(guild_id, 0)

    async def get(self, guild_id: int, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """The cached value, or `load()`'s result (kept unless a change happened meanwhile).

        Values must be immutable (frozen dataclasses, tuples): every caller shares the same object.
        """
        value = self._values.get(guild_id, {}).get(key, _MISSING)
        if value is not _MISSING:
            self.hits += 1
            return cast(T, value)
        token = self._token(guild_id)
        loaded = await load()
        self.loads += 1
        if self._token(guild_id) == token:
            self._values.setdefault(guild_id, {})[key] = loaded
        return loaded

    def invalidate(self, guild_id: int) -> None:
        """Forget everything about one guild; loads already under way for it are not kept."""
        self._generations[guild_id] = self._generations.get(guild_id, 0) + 1
        self._values.pop(guild_id, None)

    def clear(self) -> None:
        """Forget every guild (a reconnect, a migration, a change that spans guilds)."""
        self._epoch += 1
        self._values.clear()
        self._generations.clear()

    @asynccontextmanager
    async def changing(self, guild_id: int | None) -> AsyncIterator[None]:
        """Wrap a write to a guild's cached data (None: to any guild's); invalidates when it ends.

        Invalidation runs whether the write committed or failed (a failed one changed nothing,
        and forgetting costs only a reload), after the commit, so no read can cache the old state.
        """
        try:
            yield
        finally:
            if guild_id is None:
                self.clear()
            else:
                self.invalidate(guild_id)
            if self.publish is not None:
                await self.publish(guild_id)

    def __len__(self) -> int:
        """How many guilds have something cached."""
        return len(self._values)
