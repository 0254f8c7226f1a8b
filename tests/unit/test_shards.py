"""KINDRED_SHARDS parsing, a guild's shard and the shard-aware settings (bot.shards, bot.config)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, settings_from
from bot.shards import DM_SHARD, ShardPlan, ShardSpecError, describe_ids, parse_shards, shard_of

TOKEN = "abc.def.ghi"


@pytest.mark.parametrize(
    ("raw", "ids", "count"),
    [
        ("0-3/8", (0, 1, 2, 3), 8),
        ("5/8", (5,), 8),
        ("0,2,4/8", (0, 2, 4), 8),
        ("0-1,6/8", (0, 1, 6), 8),
        (" 1 / 2 ", (1,), 2),
        ("0/1", (0,), 1),
        ("4,0-1/5", (0, 1, 4), 5),  # written in any order, kept sorted
        ("7-7/8", (7,), 8),
    ],
)
def test_valid_values(raw: str, ids: tuple[int, ...], count: int) -> None:
    assert parse_shards(raw) == ShardPlan(ids, count)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("8/8", "shard 8 does not exist in 8 shards"),
        ("0-8/8", "shard 8 does not exist in 8 shards"),
        ("0/0", "at least 1"),
        ("3-1/8", "runs backwards"),
        ("0-3", "IDS/COUNT"),
        ("0-3/8/2", "IDS/COUNT"),
        ("all", "IDS/COUNT"),
        ("a/8", "whole number"),
        ("0-/8", "whole number"),
        ("-1/8", "whole number"),
        ("/8", "whole number"),
        ("0,,1/8", "whole number"),
        ("1/x", "whole number"),
        ("0-2,1/8", "named twice"),
        ("１/2", "whole number"),  # a full-width digit: isdigit() but not ASCII
        ("0/99999999999", "at most"),
    ],
)
def test_bad_values_say_why(raw: str, reason: str) -> None:
    with pytest.raises(ShardSpecError, match=reason):
        parse_shards(raw)


def test_a_plan_refuses_what_discord_would_close_with_4010() -> None:
    with pytest.raises(ShardSpecError):
        ShardPlan((), 2)
    with pytest.raises(ShardSpecError):
        ShardPlan((2,), 2)
    with pytest.raises(ShardSpecError):
        ShardPlan((1, 0), 2)


def test_shard_of_follows_discords_formula() -> None:
    guild_id = 81384788765712384  # Discord's documented example guild
    assert shard_of(guild_id, 1) == 0
    assert shard_of(guild_id, 16) == (guild_id >> 22) % 16
    assert shard_of((5 << 22) + 123, 8) == 5  # the low 22 bits (worker, process, counter) never count
    assert shard_of((13 << 22) + 4_194_303, 8) == 5
    with pytest.raises(ValueError):
        shard_of(guild_id, 0)


def test_ownership_and_dms() -> None:
    plan = parse_shards("0-3/8")
    assert plan.owns_guild(2 << 22)
    assert not plan.owns_guild(6 << 22)
    assert plan.runs_dms
    assert DM_SHARD == 0
    assert not parse_shards("5/8").runs_dms
    # Every guild is owned by exactly one of a set of plans that covers every shard.
    plans = [parse_shards("0/3"), parse_shards("1-2/3")]
    for shift in range(12):
        assert sum(p.owns_guild((shift << 22) + 7) for p in plans) == 1


def test_describe_folds_runs_of_three_or_more() -> None:
    assert describe_ids([0, 1, 2, 3]) == "0-3"
    assert describe_ids([3, 0, 1, 2, 6]) == "0-3,6"
    assert describe_ids([0, 1]) == "0,1"
    assert describe_ids([5]) == "5"
    assert str(parse_shards("0,1,2,3/8")) == "0-3/8"
    assert str(parse_shards("0,2,4/8")) == "0,2,4/8"


def test_unset_means_one_process_with_every_shard(tmp_path: Path) -> None:
    settings = settings_from({"DISCORD_TOKEN": TOKEN, "KINDRED_DB_PATH": str(tmp_path / "k.db")})
    assert settings.shards is None
    assert settings.heartbeat_path == tmp_path / "kindred.heartbeat"  # as before sharding


def test_configured_shards_and_their_own_heartbeat_file(tmp_path: Path) -> None:
    env = {"DISCORD_TOKEN": TOKEN, "KINDRED_DB_PATH": str(tmp_path / "k.db")}
    first = settings_from({**env, "KINDRED_SHARDS": "0-3/8"})
    second = settings_from({**env, "KINDRED_SHARDS": "4-7/8"})
    assert first.shards == ShardPlan((0, 1, 2, 3), 8)
    # Two processes beside one database: one's beats must never hide the other's silence.
    assert first.heartbeat_path != second.heartbeat_path
    assert first.heartbeat_path.parent == tmp_path
    explicit = settings_from({**env, "KINDRED_SHARDS": "1/2", "KINDRED_HEARTBEAT_PATH": str(tmp_path / "h")})
    assert explicit.heartbeat_path == tmp_path / "h"


@pytest.mark.parametrize("raw", ["9/8", "0/0", "3-1/8", "three", "0-3"])
def test_bad_setting_names_the_variable_and_an_example(raw: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from({"DISCORD_TOKEN": TOKEN, "KINDRED_SHARDS": raw})
    message = str(caught.value)
    assert message.startswith("KINDRED_SHARDS: ")
    assert "KINDRED_SHARDS=0-3/8" in message
