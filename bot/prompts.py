"""Choosing reflection prompts: stateless rotation for DMs, no repeats until a pool is used up."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from bot.content import Prompt


def week_ordinal(week: str) -> int:
    """A running number for an ISO week key "YYYY-Www", consecutive across years."""
    year, number = int(week[:4]), int(week[6:8])
    return date.fromisocalendar(year, number, 1).toordinal() // 7


def prompt_for_member(pool: Sequence[Prompt], member: bytes, week: str) -> Prompt:
    """Pick the DM prompt for one member and week: walks the whole pool before any repeat."""
    if not pool:
        raise ValueError("no prompts to choose from")
    offset = int.from_bytes(member[:4], "big")
    return pool[(week_ordinal(week) + offset) % len(pool)]


def lab_order(pool: Sequence[Prompt], guild_id: int) -> list[Prompt]:
    """A fixed per-guild shuffle of the pool, so topics are mixed rather than in file order."""
    return sorted(pool, key=lambda p: hashlib.sha256(f"{guild_id}:{p.id}".encode()).digest())


def next_unused(pool: Sequence[Prompt], used: Sequence[str]) -> tuple[Prompt, bool]:
    """The first prompt in `pool` not used in this cycle, and whether a new cycle must start."""
    if not pool:
        raise ValueError("no prompts to choose from")
    seen = set(used)
    for prompt in pool:
        if prompt.id not in seen:
            return prompt, False
    return pool[0], True
