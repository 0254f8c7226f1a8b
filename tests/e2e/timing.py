"""Weekly slots relative to the real clock, for tests that need something due right now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def slot_a_minute_ago() -> tuple[str, str]:
    """(day, HH:MM) of a UTC weekly slot that fell one minute ago."""
    moment = datetime.now(UTC) - timedelta(minutes=1)
    return DAYS[moment.weekday()], moment.strftime("%H:%M")
