from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.heartbeat import beat, check_health, stopped

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
LIMIT = timedelta(minutes=3)


def test_fresh_beat_is_healthy(tmp_path: Path) -> None:
    path = tmp_path / "hb"
    beat(path, NOW)
    ok, reason = check_health(path, NOW + timedelta(seconds=30), LIMIT)
    assert ok and "30s" in reason


def test_stale_beat_is_unhealthy(tmp_path: Path) -> None:
    path = tmp_path / "hb"
    beat(path, NOW)
    ok, reason = check_health(path, NOW + timedelta(minutes=4), LIMIT)
    assert not ok and "240s" in reason


def test_missing_or_garbled_file_is_unhealthy(tmp_path: Path) -> None:
    assert not check_health(tmp_path / "none", NOW, LIMIT)[0]
    (tmp_path / "bad").write_text("not a time")
    assert not check_health(tmp_path / "bad", NOW, LIMIT)[0]


def test_a_clean_stop_is_unhealthy_at_once_until_the_next_beat(tmp_path: Path) -> None:
    path = tmp_path / "hb"
    beat(path, NOW)
    stopped(path, NOW + timedelta(seconds=5))
    ok, reason = check_health(path, NOW + timedelta(seconds=6), LIMIT)
    assert not ok and reason == f"unhealthy: kindred stopped {(NOW + timedelta(seconds=5)).isoformat()}"
    beat(path, NOW + timedelta(seconds=60))  # started again and connected
    assert check_health(path, NOW + timedelta(seconds=61), LIMIT)[0]
