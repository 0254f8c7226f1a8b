"""Which Discord shards a kindred process runs, and which shard a guild belongs to (pure).

Discord splits a bot's guilds over ``shard_count`` gateway connections: guild events go to shard
``(guild_id >> 22) % shard_count`` and direct messages always to shard 0. ``KINDRED_SHARDS``
gives each process a fixed part of them, as ``IDS/COUNT``:

- ``0-3/8``: shards 0, 1, 2 and 3 of 8;
- ``5/8``: shard 5 of 8 only;
- ``0,2,4/8``: a list (ranges and single ids may be mixed: ``0-1,6/8``).

Unset, one process runs every shard Discord recommends (``ShardPlan`` is None then).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Discord delivers every direct message (and DM interaction) on this shard.
DM_SHARD = 0
#: Discord's own ceiling is far lower for almost every bot; this only rejects absurd input.
MAX_SHARD_COUNT = 65_536

EXAMPLE = "e.g. KINDRED_SHARDS=0-3/8 for shards 0 to 3 of 8, 5/8 for shard 5 only, or 0,2,4/8"


class ShardSpecError(ValueError):
    """A KINDRED_SHARDS value that cannot be read; the message says why (without the variable name)."""


@dataclass(frozen=True)
class ShardPlan:
    """The shards this process runs (sorted, distinct) out of `count`."""

    ids: tuple[int, ...]
    count: int

    def __post_init__(self) -> None:
        """Refuse a plan Discord would close with 4010 (invalid shard)."""
        if not 1 <= self.count <= MAX_SHARD_COUNT:
            raise ShardSpecError(f"the shard count must be from 1 to {MAX_SHARD_COUNT}, not {self.count}")
        if not self.ids:
            raise ShardSpecError("name at least one shard")
        if list(self.ids) != sorted(set(self.ids)):
            raise ShardSpecError("shard ids must be sorted and distinct")
        outside = [i for i in self.ids if not 0 <= i < self.count]
        if outside:
            raise ShardSpecError(
                f"shard {outside[0]} does not exist in {self.count} shards (ids run 0 to {self.count - 1})"
            )

    def runs(self, shard_id: int) -> bool:
        """Whether this process runs `shard_id`."""
        return shard_id in self.ids

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process receives `guild_id`'s events (and so does its scheduled work)."""
        return self.runs(shard_of(guild_id, self.count))

    @property
    def runs_dms(self) -> bool:
        """Whether direct messages (always shard 0) arrive in this process."""
        return self.runs(DM_SHARD)

    def describe(self) -> str:
        """The ids in the short form KINDRED_SHARDS takes: "0-3", "5", "0,2,4"."""
        return describe_ids(self.ids)

    def __str__(self) -> str:
        """``0-3/8``: the value KINDRED_SHARDS would hold for this plan."""
        return f"{self.describe()}/{self.count}"


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord sends a guild's events to (its DMs have no guild: :data:`DM_SHARD`)."""
    if shard_count < 1:
        raise ValueError(f"shard_count must be at least 1, not {shard_count}")
    return (guild_id >> 22) % shard_count


def describe_ids(ids: Iterable[int]) -> str:
    """Sorted ids with runs of three or more folded: [0, 1, 2, 3, 6] -> "0-3,6"; [0, 1] -> "0,1"."""
    ordered = sorted(set(ids))
    parts: list[str] = []
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        if end - start >= 2:
            parts.append(f"{ordered[start]}-{ordered[end]}")
        else:
            parts.extend(str(i) for i in ordered[start : end + 1])
        start = end + 1
    return ",".join(parts)


def _number(text: str, what: str) -> int:
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        raise ShardSpecError(f"{what} must be a whole number, not {text!r}")
    return int(text)


def parse_shards(raw: str) -> ShardPlan:
    """Read ``IDS/COUNT`` (see the module docstring); ShardSpecError says what is wrong."""
    text = raw.strip()
    ids_part, slash, count_part = text.partition("/")
    if not slash or "/" in count_part:
        raise ShardSpecError(f"write the shards as IDS/COUNT, not {raw!r}")
    count = _number(count_part, "the shard count")
    if count == 0:
        raise ShardSpecError("the shard count must be at least 1")
    if count > MAX_SHARD_COUNT:
        raise ShardSpecError(f"the shard count must be at most {MAX_SHARD_COUNT}, not {count}")
    ids: list[int] = []
    for item in ids_part.split(","):
        low_text, dash, high_text = item.partition("-")
        low = _number(low_text, "a shard id")
        high = _number(high_text, "a shard id") if dash else low
        if high < low:
            raise ShardSpecError(f"the range {item.strip()!r} runs backwards; write {high}-{low}")
        if high >= count:
            raise ShardSpecError(f"shard {high} does not exist in {count} shards (ids run 0 to {count - 1})")
        ids.extend(range(low, high + 1))
    if len(ids) != len(set(ids)):
        raise ShardSpecError(f"a shard is named twice in {ids_part.strip()!r}")
    return ShardPlan(tuple(sorted(ids)), count)
