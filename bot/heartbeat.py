"""A file the running bot refreshes while connected to the gateway; `python -m bot health` reads it."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path


def beat(path: Path, now: datetime) -> None:
    """Atomically record that the gateway connection is alive at `now`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(now.isoformat(), encoding="ascii")
    os.replace(tmp, path)


def last_beat(path: Path) -> datetime | None:
    """When the bot last recorded a live connection, or None if never/unreadable."""
    try:
        moment = datetime.fromisoformat(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_health(path: Path, now: datetime, max_age: timedelta) -> tuple[bool, str]:
    """Healthy when the last beat is younger than `max_age`; returns (ok, one-line reason)."""
    moment = last_beat(path)
    if moment is None:
        return False, f"unhealthy: no heartbeat recorded at {path}"
    age = now - moment
    if age > max_age:
        return False, f"unhealthy: last gateway heartbeat {int(age.total_seconds())}s ago"
    return True, f"healthy: last gateway heartbeat {int(age.total_seconds())}s ago"
