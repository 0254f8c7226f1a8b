"""Weekly schedule maths: local wall-clock slots, DST, ISO weeks and missed deliveries.

Pure: no I/O, no wall clock (``now`` is always passed in), aware datetimes only.
Local times follow zoneinfo so 09:30 Europe/London stays 09:30 local across DST. A local
time that does not exist on a DST day (spring-forward gap) moves forward by the gap; an
ambiguous one (fall-back) takes its first occurrence.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import zoneinfo
from dataclasses import dataclass
from zoneinfo import ZoneInfo

__all__ = [
    "Delivery",
    "WeeklySlot",
    "advance",
    "cron_fields",
    "iso_week",
    "latest_occurrence",
    "next_occurrence",
    "parse_clock",
    "parse_timezone",
    "parse_weekday",
    "period_of",
    "plan_delivery",
    "previous_weeks",
    "resolve_local",
    "timezone_suggestions",
    "week_end",
    "week_monday",
    "week_start",
]

UTC = dt.UTC

_WEEKDAY_NAMES: tuple[tuple[str, ...], ...] = (
    ("monday", "mon", "mo"),
    ("tuesday", "tue", "tues", "tu"),
    ("wednesday", "wed", "weds", "we"),
    ("thursday", "thu", "thur", "thurs", "th"),
    ("friday", "fri", "fr"),
    ("saturday", "sat", "sa"),
    ("sunday", "sun", "su"),
)
_CHINESE_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_CHINESE_PREFIXES = ("星期", "礼拜", "禮拜", "周", "週")
_CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_WEEK_KEY = re.compile(r"([0-9]{4})-W([0-9]{2})")
_CLOCK_12H = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?(am|pm)")
_CLOCK_24H = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")
_CLOCK_COMPACT = re.compile(r"([0-9]{1,2})([0-9]{2})")

# Present in zoneinfo.available_timezones() on many systems but not a place anyone lives:
# "localtime" would silently mean "wherever the server runs".
_NOT_USER_ZONES = frozenset({"localtime", "Factory"})


@dataclass(frozen=True)
class WeeklySlot:
    """One weekly wall-clock time in an IANA zone, e.g. Monday 09:30 Europe/London."""

    weekday: int
    at: dt.time
    tz: str

    def __post_init__(self) -> None:
        """Reject slots the schedule maths cannot honour, naming what is wrong."""
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday}")
        if self.at.tzinfo is not None:
            raise ValueError("at must be a naive local wall-clock time; the zone goes in tz")
        if self.at.second or self.at.microsecond:
            raise ValueError("at must have minute precision (no seconds)")
        _zone(self.tz)

    def zone(self) -> ZoneInfo:
        """The slot's zone as a ZoneInfo."""
        return _zone(self.tz)


class Delivery(enum.Enum):
    """What to do with a due weekly delivery right now."""

    SEND = "send"
    SKIP = "skip"
    WAIT = "wait"


def _zone(key: str) -> ZoneInfo:
    """Load a zone, turning both zoneinfo failure types into ValueError."""
    try:
        return ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {key!r}; use an IANA name like Europe/London") from exc


def _require_aware(name: str, moment: dt.datetime) -> None:
    """Raise if a datetime is naive, because naive times are ambiguous across zones."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def parse_weekday(text: str) -> int:
    """Parse an English or Chinese weekday name ("Mon", "tuesday", "周三", "星期日") to 0..6."""
    word = text.strip().lower().rstrip(".")
    for index, names in enumerate(_WEEKDAY_NAMES):
        if word in names:
            return index
    for prefix in _CHINESE_PREFIXES:
        if word.startswith(prefix) and word[len(prefix) :] in _CHINESE_DAYS:
            return _CHINESE_DAYS[word[len(prefix) :]]
    raise ValueError(f"not a weekday: {text!r}; try Monday, Mon or 周一")


def parse_clock(text: str) -> dt.time:
    """Parse a wall-clock time ("09:30", "9:30", "0930", "9am", "2:15pm", "21:05")."""
    clean = text.strip().lower().replace("：", ":").replace(" ", "")
    clean = clean.replace("a.m.", "am").replace("p.m.", "pm")
    if match := _CLOCK_12H.fullmatch(clean):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise ValueError(f"not a time: {text!r}; try 9:30am or 21:05")
        hour = hour % 12 + (12 if match[3] == "pm" else 0)
        return dt.time(hour, minute)
    match = _CLOCK_24H.fullmatch(clean) or _CLOCK_COMPACT.fullmatch(clean)
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour <= 23 and minute <= 59:
            return dt.time(hour, minute)
    raise ValueError(f"not a time: {text!r}; try 09:30, 9am or 21:05")


@functools.cache
def _zone_keys() -> dict[str, str]:
    """Map lower-cased IANA keys to their canonical spelling (loaded once)."""
    keys = (zoneinfo.available_timezones() | {"UTC"}) - _NOT_USER_ZONES
    return {key.lower(): key for key in keys}


def parse_timezone(text: str) -> str:
    """Return the canonical IANA key for a case-insensitive name like "europe/london"."""
    wanted = text.strip().replace(" ", "_").lower()
    try:
        return _zone_keys()[wanted]
    except KeyError:
        raise ValueError(
            f"unknown time zone {text!r}; use an IANA name like Europe/London or Asia/Shanghai"
        ) from None


def resolve_local(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant of a local wall time; gap times move forward, ambiguous take the first."""
    # fold=0 is PEP 495's "earlier" reading: in a fall-back overlap it is the first occurrence,
    # and in a spring-forward gap it applies the pre-transition offset, which lands exactly
    # `gap` later on the wall clock (01:30 GMT on the London change day is 02:30 BST).
    local = dt.datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=tz)
    return local.astimezone(UTC)


def next_occurrence(slot: WeeklySlot, after: dt.datetime) -> dt.datetime:
    """The first occurrence of the slot strictly after `after`, in UTC."""
    _require_aware("after", after)
    zone = slot.zone()
    # Start two days early so odd transitions (e.g. a fall-back across midnight) cannot make
    # us skip a candidate; occurrences strictly increase week by week, so the first one past
    # `after` is the answer.
    day = after.astimezone(zone).date() - dt.timedelta(days=2)
    day += dt.timedelta(days=(slot.weekday - day.weekday()) % 7)
    while (moment := resolve_local(day, slot.at, zone)) <= after:
        day += dt.timedelta(weeks=1)
    return moment


def latest_occurrence(slot: WeeklySlot, now: dt.datetime) -> dt.datetime:
    """The last occurrence of the slot at or before `now`, in UTC."""
    _require_aware("now", now)
    zone = slot.zone()
    day = now.astimezone(zone).date() + dt.timedelta(days=2)
    day -= dt.timedelta(days=(day.weekday() - slot.weekday) % 7)
    while (moment := resolve_local(day, slot.at, zone)) > now:
        day -= dt.timedelta(weeks=1)
    return moment


def _format_week(day: dt.date) -> str:
    """The "YYYY-Www" key of the ISO week containing a date."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_monday(week: str) -> dt.date:
    """The Monday of an ISO week key "YYYY-Www"; ValueError for malformed or impossible keys."""
    match = _WEEK_KEY.fullmatch(week)
    if match is None:
        raise ValueError(f"not an ISO week key: {week!r}; expected e.g. 2026-W48")
    try:
        return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise ValueError(f"no such ISO week: {week!r}") from exc


def iso_week(moment: dt.datetime, tz: str) -> str:
    """The ISO week key ("2026-W48") of the local date of `moment` in zone `tz`."""
    _require_aware("moment", moment)
    return _format_week(moment.astimezone(_zone(tz)).date())


# The last timezone on Earth to finish a day (UTC-12; POSIX-style names invert the sign).
LAST_ZONE = "Etc/GMT+12"


def first_open_week(moment: dt.datetime) -> str:
    """The earliest ISO week still running somewhere on Earth at `moment`.

    A week is closed only once it has ended in every timezone (Monday 12:00 UTC), so a
    moderator who moves the lab's timezone cannot make a week that is still open anywhere
    visible, nor watch it before and after one colleague checks in.
    """
    return iso_week(moment, LAST_ZONE)


def week_closed(week: str, moment: dt.datetime) -> bool:
    """True once `week` has ended in every timezone."""
    return week < first_open_week(moment)


def week_start(week: str, tz: str) -> dt.datetime:
    """The UTC instant of local Monday 00:00 starting ISO week `week` in zone `tz`."""
    return resolve_local(week_monday(week), dt.time(0, 0), _zone(tz))


def week_end(week: str, tz: str) -> dt.datetime:
    """The UTC instant the week ends, which is the start of the next ISO week."""
    following = _format_week(week_monday(week) + dt.timedelta(weeks=1))
    return week_start(following, tz)


def previous_weeks(week: str, n: int) -> list[str]:
    """The `n` ISO weeks before `week`, oldest first."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    monday = week_monday(week)
    return [_format_week(monday - dt.timedelta(weeks=back)) for back in range(n, 0, -1)]


def period_of(slot: WeeklySlot, occurrence: dt.datetime) -> str:
    """The delivery period (local ISO week) an occurrence belongs to, for idempotent sends."""
    return iso_week(occurrence, slot.tz)


def plan_delivery(due: dt.datetime, now: dt.datetime, grace: dt.timedelta) -> Delivery:
    """Decide whether a delivery due at `due` is sent now, waits, or is skipped as stale."""
    _require_aware("due", due)
    _require_aware("now", now)
    if grace < dt.timedelta(0):
        raise ValueError("grace must not be negative")
    if now < due:
        return Delivery.WAIT
    if now <= due + grace:
        return Delivery.SEND
    return Delivery.SKIP


def advance(slot: WeeklySlot, due: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The next due time after handling `due` at `now`; always strictly after `now`."""
    _require_aware("due", due)
    _require_aware("now", now)
    return next_occurrence(slot, max(due, now))


def cron_fields(slot_weekday: int, at: dt.time) -> dict[str, str]:
    """APScheduler 3 CronTrigger keyword arguments for a weekly wall-clock time."""
    if not 0 <= slot_weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {slot_weekday}")
    return {"day_of_week": _CRON_DAYS[slot_weekday], "hour": str(at.hour), "minute": str(at.minute)}


#: Zones offered first when a member starts typing one: where research labs tend to be.
COMMON_TIMEZONES = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Zurich",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Toronto",
    "America/Chicago",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Pacific/Auckland",
)


def timezone_suggestions(current: str, limit: int = 25) -> list[str]:
    """Zones matching what was typed, research hubs first."""
    wanted = current.strip().casefold().replace(" ", "_")
    common = [z for z in COMMON_TIMEZONES if wanted in z.casefold()]
    if len(common) >= limit:
        return common[:limit]
    others = sorted(
        z
        for z in zoneinfo.available_timezones()
        if wanted in z.casefold()
        and z not in common
        and "/" in z
        and not z.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    )
    return (common + others)[:limit]
