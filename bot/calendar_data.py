"""Reading the shipped deadline snapshot (resources/calendar/ai-deadlines.yaml) once per process."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.calendar import Snapshot, parse_snapshot
from bot.yamlfile import Problem

SNAPSHOT = Path("calendar") / "ai-deadlines.yaml"
# libyaml when present: the pure-Python parser takes most of a second over ~500 dates.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_cache: dict[Path, Snapshot] = {}


def read_snapshot(resources_dir: Path) -> tuple[Snapshot | None, list[Problem]]:
    """Parse and validate the snapshot; every problem names the file."""
    name = f"resources/{SNAPSHOT.as_posix()}"
    try:
        data = yaml.load((resources_dir / SNAPSHOT).read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, [Problem(name, 1, f"cannot read the deadline snapshot: {exc}")]
    snapshot, problems = parse_snapshot(data)
    if snapshot is not None:
        _cache[resources_dir] = snapshot  # start-up validates it: the bot then never parses it again
    return snapshot, [Problem(name, 1, message) for message in problems]


def snapshot_of(resources_dir: Path) -> Snapshot:
    """The validated snapshot (start-up has already refused to run if it has problems)."""
    if resources_dir in _cache:
        return _cache[resources_dir]
    snapshot, problems = read_snapshot(resources_dir)
    if snapshot is None:
        raise RuntimeError("; ".join(str(p) for p in problems))
    return snapshot
