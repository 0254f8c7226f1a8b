"""The weekly lab prompt when the gateway has not given kindred the lab's guild.

At the prompt minute Discord cannot serve the lab's guild over the gateway (an outage: READY lists
it as unavailable and no GUILD_CREATE follows), so discord.py's cache has none of its channels and
`get_channel` returns None. kindred asks Discord for the channel over REST and posts the week's
prompt anyway. When the guild comes back and the session is invalidated and re-identified, the
prompt is not posted a second time.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.store.guilds import GuildSettings, save_settings
from fakediscord.fake_discord import FakeDiscord
from tests.backends import open_store
from tests.reliability.helpers import bounded, build_lab, kindred

THREADS = "/channels/{channel_id}/messages/{message_id}/threads"


async def seed_prompt_due(db_path: Path, guild_id: int, channel_id: int) -> None:
    """The lab's weekly prompt, due a minute ago (UTC), saved with the real store function."""
    now = datetime.now(UTC)
    due = now - timedelta(minutes=1)
    db = open_store(db_path)
    try:
        await save_settings(
            db,
            GuildSettings(
                guild_id=guild_id,
                prompt_channel_id=channel_id,
                prompt_weekday=due.weekday(),
                prompt_time=due.strftime("%H:%M"),
                timezone="UTC",
            ),
            now,
        )
    finally:
        await db.close()


@bounded(60)
async def test_the_weekly_prompt_is_posted_once_while_the_guild_is_not_cached(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    async with FakeDiscord() as fake:
        lab, _ = build_lab(fake)
        await seed_prompt_due(tmp_path / "kindred.sqlite3", lab.guild_id, lab.prompts)
        fake.guild_outage(lab.guild_id)
        async with kindred(fake, tmp_path, commands) as bot:
            assert not [d for d in fake.gateway.dispatched if d.event == "GUILD_CREATE"]
            await fake.wait_until(
                lambda: len(fake.messages(lab.prompts)) >= 1, 20, description="the weekly prompt"
            )
            fetched = [
                r
                for r in fake.find_requests("GET", "/channels/{channel_id}", status=200)
                if r.params["channel_id"] == str(lab.prompts)
            ]
            assert fetched, "the prompt was posted without asking Discord for the channel"

            # The guild comes back, then the session is invalidated: a new READY, GUILD_CREATE,
            # on_ready again. Nothing may post the week's prompt twice.
            fake.guild_restored(lab.guild_id)
            await fake.drop_connection(resumable=False)
            await fake.wait_until(
                lambda: fake.gateway.is_live and fake.gateway.identify_count == 2,
                15,
                description="the bot to identify again",
            )
            await asyncio.sleep(3.0)  # discord.py fires on_ready 2 s after the last GUILD_CREATE
            assert bot.running
            logs = bot.logs()
        posts = fake.messages(lab.prompts)
        assert len(posts) == 1, posts
        assert len(fake.find_requests("POST", THREADS, status=201)) == 1
        assert "prompts channel of a guild is gone" not in logs, logs
        assert "Traceback" not in logs, logs
