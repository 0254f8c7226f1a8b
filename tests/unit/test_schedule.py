"""Weekly schedule maths: DST, ISO weeks, missed deliveries, parsers."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.schedule import (
    Delivery,
    WeeklySlot,
    advance,
    cron_fields,
    iso_week,
    latest_occurrence,
    next_occurrence,
    parse_clock,
    parse_timezone,
    parse_weekday,
    period_of,
    plan_delivery,
    previous_weeks,
    resolve_local,
    week_end,
    week_start,
)

UTC = dt.UTC
MON, SUN = 0, 6

# Northern and southern DST, no DST, half-hour offsets, a 30-minute DST shift (Lord Howe)
# and DST changes at local midnight (Santiago).
ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/Santiago",
    "UTC",
]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(moment: dt.datetime, tz: str) -> dt.datetime:
    return moment.astimezone(ZoneInfo(tz))


# --- resolve_local and next_occurrence across DST ------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "at", "expected_utc", "expected_local"),
    [
        # Spring-forward gaps: the wall time does not exist, so it moves forward by the gap.
        ("Europe/London", "2027-03-28", "01:30", "2027-03-28T01:30+00:00", "02:30+01:00"),
        ("America/New_York", "2027-03-14", "02:30", "2027-03-14T07:30+00:00", "03:30-04:00"),
        ("Australia/Sydney", "2026-10-04", "02:30", "2026-10-03T16:30+00:00", "03:30+11:00"),
        # Fall-back overlaps: the wall time happens twice; the first occurrence wins.
        ("Europe/London", "2026-10-25", "01:30", "2026-10-25T00:30+00:00", "01:30+01:00"),
        ("America/New_York", "2026-11-01", "01:30", "2026-11-01T05:30+00:00", "01:30-04:00"),
        ("Australia/Sydney", "2026-04-05", "02:30", "2026-04-04T15:30+00:00", "02:30+11:00"),
        # Ordinary days, and a zone without DST.
        ("Europe/London", "2026-07-06", "09:30", "2026-07-06T08:30+00:00", "09:30+01:00"),
        ("Asia/Shanghai", "2026-07-06", "09:30", "2026-07-06T01:30+00:00", "09:30+08:00"),
    ],
)
def test_resolve_local_gap_moves_forward_and_overlap_takes_first(
    tz: str, day: str, at: str, expected_utc: str, expected_local: str
) -> None:
    moment = resolve_local(dt.date.fromisoformat(day), dt.time.fromisoformat(at), ZoneInfo(tz))
    assert moment == dt.datetime.fromisoformat(expected_utc)
    assert moment.utcoffset() == dt.timedelta(0)
    assert local(moment, tz).isoformat(timespec="minutes").endswith(f"T{expected_local}")


@pytest.mark.parametrize(
    ("tz", "weekday", "at", "after", "expected"),
    [
        # 09:30 London on the Mondays either side of both 2026 changes: 09:30 local each time.
        ("Europe/London", MON, "09:30", "2026-03-27T00:00+00:00", "2026-03-30T08:30+00:00"),
        ("Europe/London", MON, "09:30", "2026-03-21T00:00+00:00", "2026-03-23T09:30+00:00"),
        ("Europe/London", MON, "09:30", "2026-10-21T00:00+00:00", "2026-10-26T09:30+00:00"),
        # Gap on the change day itself, for each DST zone.
        ("Europe/London", SUN, "01:30", "2027-03-27T12:00+00:00", "2027-03-28T01:30+00:00"),
        ("America/New_York", SUN, "02:30", "2027-03-13T12:00+00:00", "2027-03-14T07:30+00:00"),
        ("Australia/Sydney", SUN, "02:30", "2026-10-02T00:00+00:00", "2026-10-03T16:30+00:00"),
        # Overlap: first occurrence.
        ("Europe/London", SUN, "01:30", "2026-10-24T12:00+00:00", "2026-10-25T00:30+00:00"),
        ("America/New_York", SUN, "01:30", "2026-10-31T12:00+00:00", "2026-11-01T05:30+00:00"),
        # Just after the first 01:30, the repeated 01:30 is NOT a second occurrence that week.
        ("Europe/London", SUN, "01:30", "2026-10-25T00:30+00:00", "2026-11-01T01:30+00:00"),
        ("America/New_York", SUN, "01:30", "2026-11-01T05:30+00:00", "2026-11-08T06:30+00:00"),
        # Southern hemisphere: DST ends in April, starts in October.
        ("Australia/Sydney", MON, "09:30", "2026-03-31T00:00+00:00", "2026-04-05T23:30+00:00"),
        ("Australia/Sydney", MON, "09:30", "2026-03-28T00:00+00:00", "2026-03-29T22:30+00:00"),
        ("Australia/Sydney", MON, "09:30", "2026-10-01T00:00+00:00", "2026-10-04T22:30+00:00"),
        # No DST: always 01:30 UTC.
        ("Asia/Shanghai", MON, "09:30", "2026-03-27T00:00+00:00", "2026-03-30T01:30+00:00"),
        ("Asia/Shanghai", MON, "09:30", "2026-10-21T00:00+00:00", "2026-10-26T01:30+00:00"),
        # Strictly after: an `after` exactly on an occurrence gives the next week's.
        ("Europe/London", MON, "09:30", "2026-07-06T08:30+00:00", "2026-07-13T08:30+00:00"),
        ("Europe/London", MON, "09:30", "2026-07-06T08:29:59+00:00", "2026-07-06T08:30+00:00"),
    ],
)
def test_next_occurrence_across_dst(tz: str, weekday: int, at: str, after: str, expected: str) -> None:
    slot = WeeklySlot(weekday, dt.time.fromisoformat(at), tz)
    result = next_occurrence(slot, dt.datetime.fromisoformat(after))
    assert result == dt.datetime.fromisoformat(expected)
    assert result.tzinfo is UTC


def test_next_occurrence_accepts_after_in_any_zone() -> None:
    slot = WeeklySlot(MON, dt.time(9, 30), "Europe/London")
    after_utc = utc(2026, 7, 5, 12)
    after_tokyo = after_utc.astimezone(ZoneInfo("Asia/Tokyo"))
    assert next_occurrence(slot, after_tokyo) == next_occurrence(slot, after_utc)


@pytest.mark.parametrize("tz", ["Europe/London", "America/New_York", "Australia/Sydney"])
def test_0930_stays_0930_local_for_a_whole_year(tz: str) -> None:
    slot = WeeklySlot(MON, dt.time(9, 30), tz)
    occurrences = []
    moment = utc(2026, 1, 1)
    for _ in range(52):
        moment = next_occurrence(slot, moment)
        occurrences.append(moment)
    locals_ = [local(o, tz) for o in occurrences]
    assert all(o.time() == dt.time(9, 30) and o.weekday() == MON for o in locals_)
    assert all(a < b for a, b in itertools.pairwise(occurrences))
    weeks = [iso_week(o, tz) for o in occurrences]
    assert len(set(weeks)) == 52
    # Exactly one per ISO week, with no week skipped.
    assert all(previous_weeks(b, 1) == [a] for a, b in itertools.pairwise(weeks))
    # The year really crossed DST: two different UTC offsets were used.
    assert len({o.utcoffset() for o in locals_}) == 2


def test_0930_shanghai_is_always_0130_utc() -> None:
    slot = WeeklySlot(MON, dt.time(9, 30), "Asia/Shanghai")
    moment = utc(2026, 1, 1)
    for _ in range(52):
        moment = next_occurrence(slot, moment)
        assert moment.time() == dt.time(1, 30)


# --- properties -----------------------------------------------------------------------------

slots = st.builds(
    WeeklySlot,
    weekday=st.integers(0, 6),
    at=st.builds(dt.time, st.integers(0, 23), st.integers(0, 59)),
    tz=st.sampled_from(ZONES),
)
moments = st.datetimes(
    # hypothesis wants naive bounds; every generated value is aware (timezones=...).
    min_value=dt.datetime(2025, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, *(ZoneInfo(z) for z in ZONES)]),
)


def _gap_before(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.timedelta | None:
    """How far a non-existent wall time is pushed, or None if the wall time exists."""
    naive = dt.datetime.combine(day, at)
    for fold in (0, 1):
        aware = naive.replace(tzinfo=zone, fold=fold)
        if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive:
            return None
    early, late = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
    offset_before, offset_after = early.utcoffset(), late.utcoffset()
    assert offset_before is not None and offset_after is not None
    return offset_after - offset_before


def _check_next(slot: WeeklySlot, after: dt.datetime) -> None:
    result = next_occurrence(slot, after)
    assert result > after
    assert result - after <= dt.timedelta(days=8)
    wall = local(result, slot.tz)
    assert wall.weekday() == slot.weekday
    if wall.time() != slot.at:
        gap = _gap_before(wall.date(), slot.at, slot.zone())
        assert gap is not None, "moved although the wall time exists"
        assert dt.timedelta(0) < gap < dt.timedelta(hours=2)
        expected = dt.datetime.combine(wall.date(), slot.at) + gap
        assert wall.replace(tzinfo=None) == expected


@given(slot=slots, after=moments)
def test_next_occurrence_properties(slot: WeeklySlot, after: dt.datetime) -> None:
    _check_next(slot, after)


def _transition_days(tz: str) -> list[dt.date]:
    """Local dates in 2025-2030 whose length is not 24 hours."""
    zone, days = ZoneInfo(tz), []
    day = dt.date(2025, 1, 1)
    while day.year <= 2030:
        following = day + dt.timedelta(days=1)
        start = resolve_local(day, dt.time(0, 0), zone)
        if resolve_local(following, dt.time(0, 0), zone) - start != dt.timedelta(days=1):
            days.append(day)
        day = following
    return days


@pytest.mark.parametrize("tz", ZONES)
def test_every_quarter_hour_around_every_dst_change(tz: str) -> None:
    """Random search rarely lands on a change day, so sweep all of them deliberately."""
    days = _transition_days(tz)
    if tz in ("Asia/Shanghai", "Asia/Kolkata", "UTC"):
        assert days == []
    else:
        assert len(days) >= 10
    zone = ZoneInfo(tz)
    for day in days:
        for around in (day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)):
            for minute in range(0, 24 * 60, 15):
                slot = WeeklySlot(around.weekday(), dt.time(*divmod(minute, 60)), tz)
                start = resolve_local(around - dt.timedelta(days=1), dt.time(12, 0), zone)
                _check_next(slot, start)
                occurrence = next_occurrence(slot, start)
                assert local(occurrence, tz).date() == around
                assert next_occurrence(slot, occurrence) - occurrence > dt.timedelta(days=6)


@given(
    slot=slots,
    day=st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31)),
    before=st.timedeltas(dt.timedelta(microseconds=1), dt.timedelta(days=6)),
    since=st.timedeltas(dt.timedelta(0), dt.timedelta(days=6)),
)
def test_occurrences_are_found_from_anywhere_in_the_week_around_them(
    slot: WeeklySlot, day: dt.date, before: dt.timedelta, since: dt.timedelta
) -> None:
    """An oracle independent of how the search starts: build the occurrence, then look for it."""
    day += dt.timedelta(days=(slot.weekday - day.weekday()) % 7)
    occurrence = resolve_local(day, slot.at, slot.zone())
    assert next_occurrence(slot, occurrence - before) == occurrence
    assert latest_occurrence(slot, occurrence + since) == occurrence
    following = next_occurrence(slot, occurrence)
    assert local(following, slot.tz).date() == day + dt.timedelta(weeks=1)


@pytest.mark.parametrize(
    ("tz", "weekday", "at", "after", "expected"),
    [
        # Local date behind the UTC date (west of Greenwich): Sunday 22:00 in New York is
        # already Monday in UTC, and Sunday 23:00 local is still to come.
        ("America/New_York", SUN, "23:00", "2026-07-06T02:00+00:00", "2026-07-06T03:00+00:00"),
        # Local date ahead of the UTC date (east): Monday 04:00 in Shanghai is Sunday in UTC.
        ("Asia/Shanghai", MON, "09:30", "2026-07-05T20:00+00:00", "2026-07-06T01:30+00:00"),
        ("Pacific/Kiritimati", MON, "00:30", "2026-07-05T10:00+00:00", "2026-07-05T10:30+00:00"),
    ],
)
def test_next_occurrence_when_local_and_utc_dates_differ(
    tz: str, weekday: int, at: str, after: str, expected: str
) -> None:
    slot = WeeklySlot(weekday, dt.time.fromisoformat(at), tz)
    assert next_occurrence(slot, dt.datetime.fromisoformat(after)) == dt.datetime.fromisoformat(expected)
    assert latest_occurrence(slot, dt.datetime.fromisoformat(expected)) == dt.datetime.fromisoformat(expected)


@given(slot=slots, first=moments, second=moments)
def test_next_occurrence_is_monotone(slot: WeeklySlot, first: dt.datetime, second: dt.datetime) -> None:
    early, late = sorted((first, second))
    assert next_occurrence(slot, early) <= next_occurrence(slot, late)


@given(slot=slots, now=moments)
def test_latest_occurrence_is_the_last_one_not_after_now(slot: WeeklySlot, now: dt.datetime) -> None:
    latest = latest_occurrence(slot, now)
    assert latest <= now
    assert now - latest < dt.timedelta(days=8)
    assert next_occurrence(slot, latest) > now  # nothing in between
    assert latest_occurrence(slot, latest) == latest


@given(slot=slots, due=moments, now=moments)
def test_advance_is_always_after_now_and_due(slot: WeeklySlot, due: dt.datetime, now: dt.datetime) -> None:
    following = advance(slot, due, now)
    assert following > now
    assert following > due
    assert following == next_occurrence(slot, max(due, now))


# --- delivery planning ----------------------------------------------------------------------

DUE = utc(2026, 3, 30, 8, 30)
GRACE = dt.timedelta(hours=6)
TICK = dt.timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("now", "grace", "expected"),
    [
        (DUE - dt.timedelta(days=1), GRACE, Delivery.WAIT),
        (DUE - TICK, GRACE, Delivery.WAIT),
        (DUE, GRACE, Delivery.SEND),
        (DUE + dt.timedelta(hours=1), GRACE, Delivery.SEND),
        (DUE + GRACE, GRACE, Delivery.SEND),
        (DUE + GRACE + TICK, GRACE, Delivery.SKIP),
        (DUE + dt.timedelta(weeks=3), GRACE, Delivery.SKIP),
        (DUE, dt.timedelta(0), Delivery.SEND),
        (DUE + TICK, dt.timedelta(0), Delivery.SKIP),
        # Same instant written in another zone.
        (DUE.astimezone(ZoneInfo("Asia/Shanghai")), GRACE, Delivery.SEND),
    ],
)
def test_plan_delivery(now: dt.datetime, grace: dt.timedelta, expected: Delivery) -> None:
    assert plan_delivery(DUE, now, grace) is expected


def test_plan_delivery_rejects_naive_and_negative_grace() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan_delivery(DUE, dt.datetime(2026, 3, 30, 9), GRACE)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        plan_delivery(dt.datetime(2026, 3, 30, 9), DUE, GRACE)  # noqa: DTZ001
    with pytest.raises(ValueError, match="negative"):
        plan_delivery(DUE, DUE, -TICK)


def test_advance_after_being_down_for_weeks_does_not_replay_missed_weeks() -> None:
    slot = WeeklySlot(MON, dt.time(9, 30), "Europe/London")
    due = utc(2026, 3, 16, 9, 30)  # Monday 09:30 GMT
    now = due + dt.timedelta(weeks=5, hours=3)  # back up on a Monday afternoon in BST
    assert plan_delivery(due, now, GRACE) is Delivery.SKIP
    following = advance(slot, due, now)
    assert following > now
    assert following - now < dt.timedelta(weeks=1)
    assert following == utc(2026, 4, 27, 8, 30)  # next Monday 09:30 BST


def test_advance_handled_on_time_goes_to_next_week() -> None:
    slot = WeeklySlot(MON, dt.time(9, 30), "Europe/London")
    due = utc(2026, 3, 23, 9, 30)
    assert advance(slot, due, due) == utc(2026, 3, 30, 8, 30)
    assert advance(slot, due, due + GRACE) == utc(2026, 3, 30, 8, 30)
    # Handled early (clock skew): still never returns `due` again.
    assert advance(slot, due, due - dt.timedelta(minutes=1)) == utc(2026, 3, 30, 8, 30)


def test_latest_occurrence_examples() -> None:
    slot = WeeklySlot(MON, dt.time(9, 30), "Europe/London")
    assert latest_occurrence(slot, utc(2026, 3, 30, 8, 30)) == utc(2026, 3, 30, 8, 30)
    assert latest_occurrence(slot, utc(2026, 3, 30, 8, 29)) == utc(2026, 3, 23, 9, 30)


# --- ISO weeks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "tz", "expected"),
    [
        (utc(2026, 12, 31, 12), "UTC", "2026-W53"),
        (utc(2027, 1, 1, 12), "UTC", "2026-W53"),
        (utc(2027, 1, 3, 23, 59), "UTC", "2026-W53"),
        (utc(2027, 1, 4, 0), "UTC", "2027-W01"),
        (utc(2024, 12, 30, 12), "UTC", "2025-W01"),
        (utc(2026, 11, 23, 12), "Europe/London", "2026-W48"),
        # Local date decides: Sunday 23:30 UTC is already Monday in Shanghai...
        (utc(2026, 12, 27, 23, 30), "UTC", "2026-W52"),
        (utc(2026, 12, 27, 23, 30), "Asia/Shanghai", "2026-W53"),
        # ...and Monday 03:00 UTC is still Sunday in New York.
        (utc(2027, 1, 4, 3), "UTC", "2027-W01"),
        (utc(2027, 1, 4, 3), "America/New_York", "2026-W53"),
    ],
)
def test_iso_week_uses_the_local_date(moment: dt.datetime, tz: str, expected: str) -> None:
    assert iso_week(moment, tz) == expected


@pytest.mark.parametrize("year", range(2020, 2034))
def test_week_53_exists_exactly_in_long_years(year: int) -> None:
    long_year = dt.date(year, 12, 28).isocalendar().week == 53
    if long_year:
        assert week_start(f"{year}-W53", "UTC").date().isocalendar()[:2] == (year, 53)
        assert previous_weeks(f"{year + 1}-W01", 1) == [f"{year}-W53"]
    else:
        with pytest.raises(ValueError, match="no such ISO week"):
            week_start(f"{year}-W53", "UTC")
        assert previous_weeks(f"{year + 1}-W01", 1) == [f"{year}-W52"]


def test_2026_is_a_53_week_year() -> None:
    assert dt.date(2026, 12, 31).isocalendar()[:2] == (2026, 53)
    assert dt.date(2027, 1, 1).isocalendar()[:2] == (2026, 53)


@pytest.mark.parametrize(
    ("week", "tz", "start", "end"),
    [
        ("2026-W48", "UTC", "2026-11-23T00:00+00:00", "2026-11-30T00:00+00:00"),
        ("2026-W27", "Europe/London", "2026-06-28T23:00+00:00", "2026-07-05T23:00+00:00"),
        ("2026-W53", "Asia/Shanghai", "2026-12-27T16:00+00:00", "2027-01-03T16:00+00:00"),
        ("2026-W53", "America/New_York", "2026-12-28T05:00+00:00", "2027-01-04T05:00+00:00"),
        # Weeks containing a DST change are an hour shorter or longer.
        ("2027-W12", "Europe/London", "2027-03-22T00:00+00:00", "2027-03-28T23:00+00:00"),
        ("2026-W43", "Europe/London", "2026-10-18T23:00+00:00", "2026-10-26T00:00+00:00"),
        ("2026-W40", "Australia/Sydney", "2026-09-27T14:00+00:00", "2026-10-04T13:00+00:00"),
    ],
)
def test_week_start_and_end_in_local_time(week: str, tz: str, start: str, end: str) -> None:
    assert week_start(week, tz) == dt.datetime.fromisoformat(start)
    assert week_end(week, tz) == dt.datetime.fromisoformat(end)
    assert iso_week(week_start(week, tz), tz) == week
    assert iso_week(week_end(week, tz) - TICK, tz) == week
    assert iso_week(week_end(week, tz), tz) != week


@given(moment=moments, tz=st.sampled_from(ZONES))
def test_a_moment_lies_inside_its_own_week(moment: dt.datetime, tz: str) -> None:
    week = iso_week(moment, tz)
    assert week_start(week, tz) <= moment < week_end(week, tz)


@pytest.mark.parametrize(
    ("week", "n", "expected"),
    [
        ("2027-W02", 3, ["2026-W52", "2026-W53", "2027-W01"]),
        ("2026-W01", 2, ["2025-W51", "2025-W52"]),
        ("2026-W48", 1, ["2026-W47"]),
        ("2026-W48", 0, []),
    ],
)
def test_previous_weeks(week: str, n: int, expected: list[str]) -> None:
    assert previous_weeks(week, n) == expected


def test_previous_weeks_covers_a_long_run_without_gaps() -> None:
    weeks = [*previous_weeks("2031-W01", 300), "2031-W01"]
    assert len(set(weeks)) == 301
    assert weeks == sorted(weeks)
    for earlier, later in itertools.pairwise(weeks):
        assert week_end(earlier, "UTC") == week_start(later, "UTC")


@pytest.mark.parametrize("bad", ["2026-48", "2026-W5", "2026W48", "2026-W00", "2026-W54", ""])
def test_bad_week_keys_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match="ISO week"):
        week_start(bad, "UTC")
    with pytest.raises(ValueError, match="ISO week"):
        previous_weeks(bad, 1)


def test_previous_weeks_rejects_negative_n() -> None:
    with pytest.raises(ValueError, match="n must be"):
        previous_weeks("2026-W48", -1)


def test_period_of_is_the_local_week_of_the_occurrence() -> None:
    slot = WeeklySlot(MON, dt.time(7, 0), "Asia/Shanghai")
    occurrence = next_occurrence(slot, utc(2026, 12, 24))
    assert occurrence == utc(2026, 12, 27, 23, 0)  # still Sunday, W52, in UTC
    assert period_of(slot, occurrence) == "2026-W53"


# --- parsers and validation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon", 0),
        ("Monday", 0),
        ("  MON ", 0),
        ("Tue", 1),
        ("tues", 1),
        ("wednesday", 2),
        ("Wed.", 2),
        ("thurs", 3),
        ("thu", 3),
        ("fri", 4),
        ("Saturday", 5),
        ("sun", 6),
        ("周一", 0),
        ("星期一", 0),
        ("周三", 2),
        ("星期五", 4),
        ("周六", 5),
        ("周日", 6),
        ("星期天", 6),
        ("礼拜天", 6),
        ("週二", 1),
    ],
)
def test_parse_weekday_accepts(text: str, expected: int) -> None:
    assert parse_weekday(text) == expected


@pytest.mark.parametrize("text", ["", "funday", "m", "monday2", "周八", "星期", "周", "0", "7"])
def test_parse_weekday_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a weekday"):
        parse_weekday(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:30", dt.time(9, 30)),
        ("9:30", dt.time(9, 30)),
        ("0930", dt.time(9, 30)),
        ("930", dt.time(9, 30)),
        ("9am", dt.time(9, 0)),
        ("9 AM", dt.time(9, 0)),
        ("9a.m.", dt.time(9, 0)),
        ("2:15pm", dt.time(14, 15)),
        ("2:15 PM", dt.time(14, 15)),
        ("12am", dt.time(0, 0)),
        ("12:30am", dt.time(0, 30)),
        ("12pm", dt.time(12, 0)),
        ("21:05", dt.time(21, 5)),
        ("2105", dt.time(21, 5)),
        ("00:00", dt.time(0, 0)),
        ("23:59", dt.time(23, 59)),
        ("9.30", dt.time(9, 30)),
        ("9：30", dt.time(9, 30)),
    ],
)
def test_parse_clock_accepts(text: str, expected: dt.time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "9",
        "21",
        "24:00",
        "9:60",
        "9:5",
        "13pm",
        "0am",
        "09:30:00",
        "12345",
        "-1:00",
        "noon",
        "9:30xm",
        "٩:٣٠",  # Arabic-Indic digits
    ],
)
def test_parse_clock_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a time"):
        parse_clock(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/London", "Europe/London"),
        ("europe/london", "Europe/London"),
        ("  ASIA/SHANGHAI ", "Asia/Shanghai"),
        ("America/New York", "America/New_York"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("australia/lord_howe", "Australia/Lord_Howe"),
    ],
)
def test_parse_timezone_accepts(text: str, expected: str) -> None:
    assert parse_timezone(text) == expected


@pytest.mark.parametrize(
    "text", ["", "Mars/Olympus", "London", "localtime", "Factory", "../etc/passwd", "GMT+25"]
)
def test_parse_timezone_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        parse_timezone(text)


@pytest.mark.parametrize(
    ("weekday", "at", "tz", "message"),
    [
        (7, dt.time(9, 30), "UTC", "weekday"),
        (-1, dt.time(9, 30), "UTC", "weekday"),
        (0, dt.time(9, 30, tzinfo=UTC), "UTC", "naive"),
        (0, dt.time(9, 30, 15), "UTC", "minute precision"),
        (0, dt.time(9, 30), "Mars/Olympus", "unknown time zone"),
        (0, dt.time(9, 30), "../etc", "unknown time zone"),
    ],
)
def test_weekly_slot_rejects(weekday: int, at: dt.time, tz: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WeeklySlot(weekday, at, tz)


def test_naive_after_is_rejected() -> None:
    slot = WeeklySlot(MON, dt.time(9, 30), "UTC")
    with pytest.raises(ValueError, match="aware"):
        next_occurrence(slot, dt.datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        latest_occurrence(slot, dt.datetime(2026, 1, 1))  # noqa: DTZ001


# --- APScheduler cron fields ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekday", "at", "expected"),
    [
        (0, dt.time(9, 30), {"day_of_week": "mon", "hour": "9", "minute": "30"}),
        (6, dt.time(0, 0), {"day_of_week": "sun", "hour": "0", "minute": "0"}),
        (3, dt.time(21, 5), {"day_of_week": "thu", "hour": "21", "minute": "5"}),
    ],
)
def test_cron_fields(weekday: int, at: dt.time, expected: dict[str, str]) -> None:
    assert cron_fields(weekday, at) == expected


def test_cron_fields_reject_bad_weekday() -> None:
    with pytest.raises(ValueError, match="weekday"):
        cron_fields(7, dt.time(9, 30))


def test_cron_fields_drive_a_real_crontrigger_to_the_same_time() -> None:
    from apscheduler.triggers.cron import CronTrigger

    slot = WeeklySlot(MON, dt.time(9, 30), "Europe/London")
    trigger = CronTrigger(**cron_fields(slot.weekday, slot.at), timezone=slot.zone())
    now = utc(2026, 3, 25)
    fired = trigger.get_next_fire_time(None, now)
    assert fired == next_occurrence(slot, now)
