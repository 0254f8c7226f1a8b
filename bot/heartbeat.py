"""A file the running bot refreshes while connected to the gateway; `python -m bot health` reads it."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

STOPPED = "stopped"


def beat(path: Path, now: datetime, warning: str | None = None) -> None:
    """Atomically record that the gateway connection is alive at `now`, with a data-free warning if any."""
    _write(path, now.isoformat() + (f"\n{warning}" if warning else ""))


def stopped(path: Path, now: datetime) -> None:
    """Record a clean stop: the health check fails at once instead of minutes later."""
    _write(path, f"{STOPPED} {now.isoformat()}")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="ascii")
    os.replace(tmp, path)


def _read(path: Path) -> tuple[datetime | None, str | None]:
    try:
        first, _, rest = path.read_text(encoding="ascii").strip().partition("\n")
        moment = datetime.fromisoformat(first.strip())
    except (OSError, ValueError):
        return None, None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)), (rest.strip() or None)


def last_beat(path: Path) -> datetime | None:
    """When the bot last recorded a live connection, or None if never/unreadable."""
    return _read(path)[0]


def check_health(path: Path, now: datetime, max_age: timedelta) -> tuple[bool, str]:
    """Healthy when the last beat is younger than `max_age`; returns (ok, one-line reason)."""
    moment, warning = _read(path)
    if moment is None:
        try:
            first = path.read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            first = ""
        if first.startswith(STOPPED):
            return False, f"unhealthy: kindred {first}"
        return False, f"unhealthy: no heartbeat recorded at {path}"
    age = now - moment
    if age > max_age:
        return False, f"unhealthy: last gateway heartbeat {int(age.total_seconds())}s ago"
    note = f"; warning: {warning}" if warning else ""
    return True, f"healthy: last gateway heartbeat {int(age.total_seconds())}s ago{note}"
