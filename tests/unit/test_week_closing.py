"""Issue 11: a week closes only once it has ended everywhere; timezone changes wait for the next week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.schedule import first_open_week, iso_week, week_closed
from bot.store.guilds import GuildSettings, timezone_change, with_changes

MONDAY_NOON = datetime(2026, 11, 30, 12, tzinfo=UTC)  # W48 has just ended at UTC-12


def test_a_week_closes_at_monday_noon_utc() -> None:
    assert not week_closed("2026-W48", MONDAY_NOON - timedelta(seconds=1))
    assert week_closed("2026-W48", MONDAY_NOON)
    assert first_open_week(MONDAY_NOON) == "2026-W49"


@given(
    st.datetimes(
        min_value=datetime(2024, 1, 1),  # noqa: DTZ001 - naive bounds
        max_value=datetime(2030, 1, 1),  # noqa: DTZ001 - naive bounds
        timezones=st.just(UTC),
    ),
    st.sampled_from(["Pacific/Kiritimati", "Etc/GMT+12", "UTC", "Asia/Shanghai", "America/Los_Angeles"]),
)
def test_no_timezone_can_see_a_week_that_is_still_open_somewhere(now: datetime, tz: str) -> None:
    """Whatever the lab's timezone, its current week is never closed, so /pulse cannot show it."""
    assert not week_closed(iso_week(now, tz), now)


def test_a_timezone_change_applies_from_the_next_week_of_the_one_in_force() -> None:
    now = datetime(2026, 12, 2, 10, tzinfo=UTC)  # Wednesday of W49
    settings = GuildSettings(1)
    changed = with_changes(settings, **timezone_change(settings, "Pacific/Kiritimati", now))
    assert changed.week_timezone(now) == "UTC"
    assert changed.declared_timezone == "Pacific/Kiritimati"
    start = datetime(2026, 12, 7, tzinfo=UTC)
    assert changed.week_timezone(start - timedelta(seconds=1)) == "UTC"
    assert changed.week_timezone(start) == "Pacific/Kiritimati"
    # Toggling back before the week ends cancels the change: nothing was ever in force but UTC.
    back = with_changes(changed, **timezone_change(changed, "UTC", now))
    assert (back.timezone, back.timezone_next) == ("UTC", None)


def test_toggling_the_timezone_cannot_move_a_check_in_between_weeks() -> None:
    """The attack: flip +14/-12 around one colleague's check-in to shift it into another week."""
    now = datetime(2026, 12, 6, 11, tzinfo=UTC)  # Sunday 11:00 UTC: W50 at UTC+14, W49 at UTC-12
    settings = GuildSettings(1)
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12", "Pacific/Kiritimati"):
        settings = with_changes(settings, **timezone_change(settings, zone, now))
        assert iso_week(now, settings.week_timezone(now)) == "2026-W49"
