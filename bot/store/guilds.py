"""Per-guild settings (channels, timezone, anonymity threshold, review mode, prompt schedule)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime

from bot.schedule import iso_week, week_end
from bot.store.db import Database

DEFAULT_TIMEZONE = "UTC"
DEFAULT_K = 5


@dataclass(frozen=True)
class GuildSettings:
    """How one lab configured kindred; defaults apply until a moderator runs /admin setup."""

    guild_id: int
    peer_channel_id: int | None = None
    prompt_channel_id: int | None = None
    alert_channel_id: int | None = None
    moderator_role_id: int | None = None
    timezone: str = DEFAULT_TIMEZONE
    k_threshold: int = DEFAULT_K
    review_mode: bool = False
    prompt_weekday: int | None = None
    prompt_time: str | None = None
    lang: str = "en"
    share_daily_limit: int = 3
    share_delay_minutes: int = 10
    country: str | None = None
    timezone_next: str | None = None
    timezone_next_from: str | None = None
    reps_channel_id: int | None = None
    reach_kept_days: int = 30

    def week_timezone(self, now: datetime) -> str:
        """The timezone that decides which week a check-in counts in at `now`.

        A change a moderator makes applies from the start of the following week only, so moving
        the timezone back and forth cannot shift a colleague's check-in between weeks.
        """
        if (
            self.timezone_next
            and self.timezone_next_from
            and now >= datetime.fromisoformat(self.timezone_next_from)
        ):
            return self.timezone_next
        return self.timezone

    @property
    def declared_timezone(self) -> str:
        """The timezone the lab asked for (prompt posts and defaults follow it at once)."""
        return self.timezone_next or self.timezone

    @property
    def prompts_enabled(self) -> bool:
        """True when a weekly prompt channel, day and time are all set."""
        return None not in (self.prompt_channel_id, self.prompt_weekday, self.prompt_time)


_COLUMNS = [f.name for f in fields(GuildSettings)]


async def get_settings(db: Database, guild_id: int) -> GuildSettings:
    """The guild's settings, or the defaults if it never ran setup (from memory after the first read)."""
    return await db.guilds.get(guild_id, "settings", lambda: _load_settings(db, guild_id))


async def _load_settings(db: Database, guild_id: int) -> GuildSettings:
    row = await db.fetchone(
        f"SELECT {', '.join(_COLUMNS)} FROM guild_settings WHERE guild_id = ?",  # noqa: S608 - fixed names
        (guild_id,),
    )
    if row is None:
        return GuildSettings(guild_id)
    values = dict(zip(_COLUMNS, tuple(row), strict=True))
    values["review_mode"] = bool(values["review_mode"])
    return GuildSettings(**values)


async def all_settings(db: Database) -> list[GuildSettings]:
    """Settings of every guild that ran setup (used to register prompt jobs at start)."""
    rows = await db.fetchall(f"SELECT {', '.join(_COLUMNS)} FROM guild_settings")  # noqa: S608
    result = []
    for row in rows:
        values = dict(zip(_COLUMNS, tuple(row), strict=True))
        values["review_mode"] = bool(values["review_mode"])
        result.append(GuildSettings(**values))
    return result


async def save_settings(db: Database, settings: GuildSettings, now: datetime) -> None:
    """Insert or replace the guild's settings row (and forget the cached one)."""
    values = [getattr(settings, name) for name in _COLUMNS]
    values[_COLUMNS.index("review_mode")] = int(settings.review_mode)
    placeholders = ", ".join("?" for _ in _COLUMNS)
    updates = ", ".join(f"{name} = excluded.{name}" for name in _COLUMNS[1:])
    async with db.guilds.changing(settings.guild_id):
        await db.execute(
            f"INSERT INTO guild_settings ({', '.join(_COLUMNS)}, updated_at) VALUES ({placeholders}, ?)"  # noqa: S608
            f" ON CONFLICT (guild_id) DO UPDATE SET {updates}, updated_at = excluded.updated_at",
            (*values, now.isoformat()),
        )


def timezone_change(settings: GuildSettings, timezone: str, now: datetime) -> dict[str, str | None]:
    """The settings fields for a new lab timezone: check-in weeks follow it from the next week on."""
    in_force = settings.week_timezone(now)
    if timezone == in_force:
        return {"timezone": in_force, "timezone_next": None, "timezone_next_from": None}
    boundary = week_end(iso_week(now, in_force), in_force)
    return {"timezone": in_force, "timezone_next": timezone, "timezone_next_from": boundary.isoformat()}


def with_changes(settings: GuildSettings, **changes: object) -> GuildSettings:
    """A copy of `settings` with the given fields changed (unknown names raise TypeError)."""
    return replace(settings, **changes)  # type: ignore[arg-type]
