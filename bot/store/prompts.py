"""Lab-specific prompts and the weekly posts made from the guild's pool."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.content import Library, Prompt
from bot.store.db import Database


@dataclass(frozen=True)
class LabPrompt:
    """A prompt a moderator added for their lab."""

    prompt: Prompt
    created_by: int
    created_at: str


async def lab_pool(db: Database, library: Library, guild_id: int | None, lang: str) -> list[Prompt]:
    """Shipped prompts in `lang` plus the guild's own."""
    pool = list(library.pack(lang).prompts)
    if guild_id is not None:
        pool += [lab.prompt for lab in await lab_prompts(db, guild_id)]
    return pool


async def lab_prompts(db: Database, guild_id: int) -> list[LabPrompt]:
    """The guild's own prompts, oldest first."""
    rows = await db.fetchall(
        "SELECT id, topic, text, created_by, created_at FROM guild_prompts WHERE guild_id = ?"
        " ORDER BY created_at, id",
        (guild_id,),
    )
    return [LabPrompt(Prompt(r["id"], r["topic"], r["text"]), r["created_by"], r["created_at"]) for r in rows]


async def add_lab_prompt(
    db: Database, guild_id: int, topic: str, text: str, actor_id: int, now: datetime
) -> Prompt:
    """Store a new lab prompt with the next free id (lab-1, lab-2, ...)."""
    async with db.transaction() as conn:
        async with conn.execute("SELECT id FROM guild_prompts WHERE guild_id = ?", (guild_id,)) as cursor:
            taken = {row[0] for row in await cursor.fetchall()}
        number = 1
        while f"lab-{number}" in taken:
            number += 1
        prompt = Prompt(f"lab-{number}", topic, text)
        await conn.execute(
            "INSERT INTO guild_prompts (guild_id, id, topic, text, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (guild_id, prompt.id, topic, text, actor_id, now.isoformat()),
        )
    return prompt


async def remove_lab_prompt(db: Database, guild_id: int, prompt_id: str) -> bool:
    """Delete one lab prompt; True if it existed."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM guild_prompts WHERE guild_id = ? AND id = ?", (guild_id, prompt_id)
        )
        return cursor.rowcount > 0


async def post_for(db: Database, guild_id: int, period: str) -> sqlite3.Row | None:
    """The weekly post already made for this period, if any."""
    return await db.fetchone(
        "SELECT * FROM prompt_posts WHERE guild_id = ? AND period = ?", (guild_id, period)
    )


async def current_cycle(db: Database, guild_id: int) -> tuple[int, list[str]]:
    """The guild's current rotation cycle and the prompt ids already used in it."""
    row = await db.fetchone("SELECT max(cycle) FROM prompt_posts WHERE guild_id = ?", (guild_id,))
    cycle = int(row[0]) if row is not None and row[0] is not None else 0
    used = await db.fetchall(
        "SELECT prompt_id FROM prompt_posts WHERE guild_id = ? AND cycle = ?", (guild_id, cycle)
    )
    return cycle, [r[0] for r in used]


async def record_post(
    db: Database, guild_id: int, period: str, prompt_id: str, cycle: int, channel_id: int, message_id: int
) -> None:
    """Remember this period's post (ignored if one was recorded meanwhile)."""
    await db.execute(
        "INSERT INTO prompt_posts (guild_id, period, prompt_id, cycle, channel_id, message_id)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (guild_id, period, prompt_id, cycle, channel_id, message_id),
    )
