"""The lab's calendar: conference deadlines, the lab's own dates, and which prompt a day calls for.

Pure: no I/O, no wall clock (``now`` is always passed in), aware datetimes only. Deadlines are
instants in UTC; "AoE" (Anywhere on Earth) is UTC-12 all year, with no daylight saving, so a
deadline never moves when a member's clock changes. Display converts to the lab's or a member's
IANA zone at the last moment.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "AOE",
    "Cadence",
    "CadencePost",
    "CalendarDate",
    "Phase",
    "Snapshot",
    "cadence_posts",
    "display",
    "parse_snapshot",
    "parse_zone_label",
    "week_before",
    "weeks_marked",
]

UTC = dt.UTC
AOE = dt.timezone(dt.timedelta(hours=-12), "AoE")

#: Deadline types that start a "deadline week" (the work is due).
SUBMISSION_KINDS = frozenset(
    {"abstract", "paper", "submission", "supplementary", "deadline", "commitment_deadline"}
)
#: Types that are a decision reaching authors.
DECISION_KINDS = frozenset({"notification", "decision"})
#: Types that open a rebuttal or review-reading period.
REBUTTAL_KINDS = frozenset({"rebuttal_start", "review_release", "rebuttal"})
#: Every type a stored date may have (the snapshot's, normalised, plus the lab's own).
KINDS = (
    "deadline",
    "abstract",
    "paper",
    "submission",
    "supplementary",
    "commitment_deadline",
    "review_release",
    "rebuttal_start",
    "rebuttal_end",
    "notification",
    "camera_ready",
    "event",
    "other",
)
_ALIASES = {
    "camera-ready": "camera_ready",
    "final-notification": "notification",
    "first-notification": "review_release",
    "author_response": "rebuttal_start",
    "rebuttal_and_revision": "rebuttal_start",
    "rebuttal": "rebuttal_start",
    "revision-deadline": "other",
    "registration": "other",
    "reviewer_registration": "other",
    "withdrawal": "other",
}

#: The decompression prompt comes a day after a deadline and stays due for another day.
DECOMPRESS_AFTER = dt.timedelta(hours=24)
DECOMPRESS_UNTIL = dt.timedelta(hours=48)
#: How far ahead a submission deadline turns the weekly prompt practical.
WEEK = dt.timedelta(days=7)

_OFFSET = re.compile(r"(?:UTC|GMT)\s*([+-])\s*([0-9]{1,2})(?::?([0-9]{2}))?")
_FIXED = {"AOE": AOE, "UTC": UTC, "GMT": UTC, "Z": UTC, "PST": dt.timezone(dt.timedelta(hours=-8), "PST")}
_SLUG = re.compile(r"[a-z0-9][a-z0-9_+-]{0,40}")


def parse_zone_label(label: str) -> dt.tzinfo:
    """The zone a deadline's `timezone` label names: AoE, UTC, UTC+2, GMT-08, PST or an IANA key.

    AoE is UTC-12 for every date; PST is read as the fixed UTC-8 it spells (the venues that write
    it mean their deadline's clock, not Pacific daylight time).
    """
    text = label.strip()
    if text.upper() in _FIXED:
        return _FIXED[text.upper()]
    if match := _OFFSET.fullmatch(text.upper()):
        sign = -1 if match[1] == "-" else 1
        hours, minutes = int(match[2]), int(match[3] or 0)
        if hours > 14 or minutes > 59:
            raise ValueError(f"offset out of range: {label!r}")
        return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone label {label!r}") from None


def to_utc(local: str, zone_label: str) -> dt.datetime:
    """The UTC instant of "YYYY-MM-DD HH:MM:SS" (or a bare date, meaning 23:59:59) in a labelled zone."""
    text = local.strip()
    if len(text) == 10:
        text += " 23:59:59"
    naive = dt.datetime.fromisoformat(text)
    if naive.tzinfo is not None:
        raise ValueError(f"expected a local time without an offset: {local!r}")
    return naive.replace(tzinfo=parse_zone_label(zone_label)).astimezone(UTC)


def normal_kind(raw: str) -> str:
    """A snapshot type in kindred's vocabulary (unknown types become "other")."""
    kind = raw.strip().lower()
    kind = _ALIASES.get(kind, kind)
    return kind if kind in KINDS else "other"


@dataclass(frozen=True)
class CalendarDate:
    """One dated moment the lab cares about: a venue's deadline, or the lab's own date."""

    key: str  # "neurips26:paper" for shipped dates, "lab-3" for the lab's own
    series: str  # "neurips", or "lab"
    title: str  # "NeurIPS 2026" or "Thesis submission"
    kind: str
    label: str
    at: dt.datetime  # aware, UTC

    def __post_init__(self) -> None:
        """Refuse naive instants: a deadline without a zone is a guess."""
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError("a calendar date must be timezone-aware")


@dataclass(frozen=True)
class Series:
    """A venue in the snapshot, with every edition's dates."""

    slug: str
    title: str
    full_name: str
    dates: tuple[CalendarDate, ...]


@dataclass(frozen=True)
class Snapshot:
    """The shipped deadline data with where it came from."""

    source: str
    licence: str
    snapshot_date: dt.date
    series: Mapping[str, Series]

    def dates_of(self, slugs: Iterable[str]) -> list[CalendarDate]:
        """Every shipped date of the followed venues, oldest first."""
        out = [d for slug in slugs if slug in self.series for d in self.series[slug].dates]
        return sorted(out, key=lambda d: (d.at, d.key))

    def find(self, key: str) -> CalendarDate | None:
        """The shipped date with this key, if any."""
        series = self.series.get(key.split(":", 1)[0])
        if series is None:
            return None
        return next((d for d in series.dates if d.key == key), None)

    def suggestions(self, typed: str, now: dt.datetime, limit: int = 25) -> list[tuple[str, str]]:
        """(slug, label) for venues matching what was typed, those with upcoming dates first."""
        wanted = typed.strip().casefold()
        rows = []
        for slug, series in self.series.items():
            if wanted and wanted not in f"{slug} {series.title} {series.full_name}".casefold():
                continue
            upcoming = [d for d in series.dates if d.at > now and d.kind in SUBMISSION_KINDS]
            label = series.title
            if upcoming:
                label += f" (next: {upcoming[0].label}, {upcoming[0].at:%Y-%m-%d})"
            rows.append((0 if upcoming else 1, series.title.casefold(), slug, label[:100]))
        rows.sort()
        return [(slug, label) for _, _, slug, label in rows[:limit]]


def parse_snapshot(data: Any) -> tuple[Snapshot | None, list[str]]:
    """Validate the shipped resources/calendar/ai-deadlines.yaml; return it and every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return None, ["expected a mapping with source, licence, snapshot_date and venues"]
    for field in ("source", "licence", "snapshot_date"):
        if not str(data.get(field) or "").strip():
            problems.append(f"missing {field}: the snapshot must say where and when it came from")
    try:
        snapshot_date = dt.date.fromisoformat(str(data.get("snapshot_date")))
    except ValueError:
        problems.append("snapshot_date must be YYYY-MM-DD")
        snapshot_date = dt.date.min
    venues = data.get("venues")
    if not isinstance(venues, list) or not venues:
        problems.append("expected a non-empty `venues:` list")
        venues = []
    series: dict[str, Series] = {}
    seen_keys: set[str] = set()
    for n, raw in enumerate(venues):
        where = f"venues[{n}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: each venue must be a mapping")
            continue
        slug, title = str(raw.get("slug", "")), str(raw.get("title", "")).strip()
        if not _SLUG.fullmatch(slug) or slug in series:
            problems.append(f"{where}: slug {slug!r} must be unique, lowercase and short")
            continue
        if not title:
            problems.append(f"{where}: missing title")
        dates: list[CalendarDate] = []
        for m, entry in enumerate(raw.get("dates") or []):
            here = f"{where}.dates[{m}]"
            if not isinstance(entry, dict):
                problems.append(f"{here}: each date must be a mapping")
                continue
            key, kind = str(entry.get("key", "")), str(entry.get("kind", ""))
            if not key.startswith(slug) or ":" not in key or key in seen_keys:
                problems.append(f"{here}: key {key!r} must be unique and start with {slug!r}")
                continue
            if kind not in KINDS:
                problems.append(f"{here}: unknown kind {kind!r}")
                continue
            try:
                at = dt.datetime.fromisoformat(str(entry.get("at", "")).replace("Z", "+00:00"))
            except ValueError:
                problems.append(f"{here}: `at` must be an ISO instant like 2026-05-07T11:59:59Z")
                continue
            if at.utcoffset() != dt.timedelta(0):
                problems.append(f"{here}: `at` must be in UTC (ending in Z)")
                continue
            seen_keys.add(key)
            edition = str(entry.get("edition") or title)
            dates.append(CalendarDate(key, slug, edition, kind, str(entry.get("label") or kind), at))
        if not dates:
            problems.append(f"{where}: venue {slug!r} has no valid dates")
        series[slug] = Series(slug, title, str(raw.get("full_name") or title), tuple(dates))
    if problems:
        return None, problems
    return Snapshot(str(data["source"]), str(data["licence"]), snapshot_date, series), []


def display(at: dt.datetime, tz: str) -> str:
    """A date as a reader in zone `tz` sees it, e.g. "Thu 7 May 2026, 12:59 (Europe/London)"."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    local = at.astimezone(ZoneInfo(tz))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} ({tz})"


def discord_timestamp(at: dt.datetime) -> str:
    """Discord's <t:…:F> markup, which every member's client shows in their own local time."""
    return f"<t:{int(at.timestamp())}:F>"


class Phase(enum.Enum):
    """What a one-off cadence post is about."""

    DECOMPRESS = "decompress"
    DECISION = "decision"
    REBUTTAL = "rebuttal"


@dataclass(frozen=True)
class CadencePost:
    """A one-off lab post the calendar calls for now; `key` makes it idempotent per guild."""

    phase: Phase
    date: CalendarDate

    @property
    def key(self) -> str:
        """The once-only key stored when the post is made.

        Reviews released and the rebuttal opening days later are one season: one post per edition.
        """
        if self.phase is Phase.REBUTTAL:
            return f"{self.phase.value}:{self.date.series}:{self.date.title}"
        return f"{self.phase.value}:{self.date.key}"


def _aoe_day_start(at: dt.datetime) -> dt.datetime:
    """The start (in UTC) of the AoE calendar day containing `at`."""
    local = at.astimezone(AOE)
    return dt.datetime.combine(local.date(), dt.time(0, 0), tzinfo=AOE).astimezone(UTC)


def window_of(phase: Phase, date: CalendarDate) -> tuple[dt.datetime, dt.datetime]:
    """When a phase's post is due: [start, end). A bot that was down past `end` does not post late."""
    if phase is Phase.DECOMPRESS:
        return date.at + DECOMPRESS_AFTER, date.at + DECOMPRESS_UNTIL
    # Decisions and reviews arrive during their AoE day; post as that day starts anywhere.
    start = _aoe_day_start(date.at)
    return start, start + dt.timedelta(hours=48)


def _phase_of(kind: str) -> Phase | None:
    if kind in SUBMISSION_KINDS:
        return Phase.DECOMPRESS
    if kind in DECISION_KINDS:
        return Phase.DECISION
    if kind in REBUTTAL_KINDS:
        return Phase.REBUTTAL
    return None


def cadence_posts(
    dates: Sequence[CalendarDate], now: dt.datetime, done: Iterable[str] = ()
) -> list[CadencePost]:
    """The one-off posts due at `now` and not yet made (keys in `done`), one per phase at most.

    Several venues can share a day (an abstract and a paper deadline two days apart, two
    conferences' decisions at once): the lab gets one post per phase, naming the earliest.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    made = set(done)
    chosen: dict[Phase, CadencePost] = {}
    for date in sorted(dates, key=lambda d: (d.at, d.key)):
        phase = _phase_of(date.kind)
        if phase is None or phase in chosen:
            continue
        start, end = window_of(phase, date)
        post = CadencePost(phase, date)
        if start <= now < end and post.key not in made:
            chosen[phase] = post
    # A decompression post is pointless while another deadline is still days away.
    if Phase.DECOMPRESS in chosen and week_before(dates, now, within=dt.timedelta(days=3)) is not None:
        del chosen[Phase.DECOMPRESS]
    return [chosen[p] for p in Phase if p in chosen]


def week_before(
    dates: Sequence[CalendarDate], now: dt.datetime, within: dt.timedelta = WEEK
) -> CalendarDate | None:
    """The nearest submission deadline in (now, now + within], if the lab is in a deadline week."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    ahead = [d for d in dates if d.kind in SUBMISSION_KINDS and now < d.at <= now + within]
    return min(ahead, key=lambda d: (d.at, d.key)) if ahead else None


class Cadence(enum.Enum):
    """Which pool the weekly lab prompt comes from this week."""

    USUAL = "usual"
    DEADLINE_WEEK = "deadline_week"
    GENTLE = "gentle"


def weekly_cadence(dates: Sequence[CalendarDate], now: dt.datetime, *, gentle: bool) -> Cadence:
    """Gentle mode wins over everything; otherwise a deadline week makes prompts short and practical."""
    if gentle:
        return Cadence.GENTLE
    return Cadence.DEADLINE_WEEK if week_before(dates, now) is not None else Cadence.USUAL


def weeks_marked(dates: Sequence[CalendarDate], week_of: Any) -> dict[str, str]:
    """ISO week -> the first date that falls in it ("NeurIPS 2026 paper"), for chart annotations.

    `week_of` maps an instant to its ISO week key in the lab's zone (bot.schedule.iso_week).
    """
    marks: dict[str, str] = {}
    for date in sorted(dates, key=lambda d: (d.at, d.key)):
        if date.kind in SUBMISSION_KINDS or date.kind in DECISION_KINDS or date.kind == "event":
            marks.setdefault(str(week_of(date.at)), f"{date.title} {date.kind.replace('_', ' ')}")
    return marks


def weeks_touched(start: dt.datetime, end: dt.datetime, week_of: Any) -> list[str]:
    """Every ISO week (per `week_of`) a period [start, end] touches, in order, e.g. a gentle period."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    weeks: list[str] = []
    moment = start
    while moment <= end:
        week = str(week_of(moment))
        if not weeks or weeks[-1] != week:
            weeks.append(week)
        moment += dt.timedelta(days=1)
    last = str(week_of(end))
    if weeks[-1:] != [last] and start <= end:
        weeks.append(last)
    return weeks
