"""Gateway drops in the middle of work: resumable drops, an invalidated session, interactions in between.

The weekly fan-out and a lab's weekly prompt are running when the socket drops (close 4000, the bot
RESUMEs) and when the session is invalidated (op 9, the bot IDENTIFYs again and gets READY again).
Afterwards there is exactly one of everything: one DM per member, one lab post with one thread,
one dispatcher job, one prompt job, one answer per interaction.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fakediscord.fake_discord import FakeDiscord
from fakediscord.interactions import Channel
from fakediscord.ratelimits import RateLimits
from tests.e2e.messages import text_of
from tests.reliability.helpers import DAYS, bounded, build_lab, kindred
from tests.reliability.test_kill_restart import seed_due

SUBSCRIBERS = 60
REQUESTS_PER_SECOND = 20  # a slower global limit stretches the fan-out over the drops


def prompt_due_now() -> dict[str, str]:
    moment = datetime.now(UTC) - timedelta(minutes=1)
    return {"prompt_day": DAYS[moment.weekday()], "prompt_time": moment.strftime("%H:%M"), "timezone": "UTC"}


async def reconnected(fake: FakeDiscord, *, identifies: int, resumes: int) -> None:
    await fake.wait_until(
        lambda: (
            fake.gateway.is_live
            and fake.gateway.identify_count == identifies
            and fake.gateway.resume_count == resumes
        ),
        15,
        description="the bot to reconnect",
    )


@bounded(60)
async def test_drops_and_resumes_mid_fanout_leave_one_of_everything(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    async with FakeDiscord(rate_limits=RateLimits(global_per_second=REQUESTS_PER_SECOND)) as fake:
        lab, users = build_lab(fake, extra_members=SUBSCRIBERS)
        await seed_due(tmp_path / "kindred.sqlite3", lab.guild_id, users)
        async with kindred(fake, tmp_path, commands) as bot:
            setup = await fake.invoke(
                "admin setup",
                {"prompts_channel": Channel(lab.prompts), **prompt_due_now()},
                user_id=lab.owner,
                guild_id=lab.guild_id,
            )
            assert "Saved" in text_of(await setup.wait_message())
            await fake.wait_until(
                lambda: sum(1 for u in users if fake.dm_messages(u)) >= 3,
                15,
                description="the fan-out to start",
            )

            await fake.drop_connection(resumable=False)  # op 9: a new session, READY and on_ready again
            await reconnected(fake, identifies=2, resumes=0)
            await fake.drop_connection(resumable=True)
            during = await fake.invoke("crisis", {"country": "GB"}, user_id=lab.member, guild_id=lab.guild_id)
            await reconnected(fake, identifies=2, resumes=1)
            await fake.drop_connection(resumable=True)
            after = await fake.invoke(
                "resources show", {"topic": "compute-gap"}, user_id=lab.member, guild_id=lab.guild_id
            )
            await reconnected(fake, identifies=2, resumes=2)
            in_the_middle = sum(1 for u in users if fake.dm_messages(u))
            await asyncio.sleep(2.5)  # discord.py fires on_ready again 2 s after the last GUILD_CREATE

            await fake.wait_until(lambda: all(fake.dm_messages(u) for u in users), 30, description="every DM")
            await fake.wait_until(
                lambda: len(fake.messages(lab.prompts)) >= 1, 15, description="the lab prompt"
            )
            await asyncio.sleep(1.0)  # more dispatcher runs and any second prompt job would show by now
            status = await fake.invoke("admin status", user_id=lab.owner, guild_id=lab.guild_id)
            status_text = text_of(await status.wait_message())
            assert "116 123" in text_of(await during.wait_message())
            assert (await after.response())["type"] == 4
            assert bot.running

        assert in_the_middle < SUBSCRIBERS, "the drops should land in the middle of the fan-out"
        assert [len(fake.dm_messages(u)) for u in users] == [1] * SUBSCRIBERS
        posts = fake.messages(lab.prompts)
        assert len(posts) == 1, [text_of(p)[:60] for p in posts]
        threads = fake.find_requests(
            "POST", "/channels/{channel_id}/messages/{message_id}/threads", status=201
        )
        assert len(threads) == 1
        assert len(re.findall(r"weekly DMs: next run", status_text)) == 1, status_text
        assert len(re.findall(r"this lab's weekly prompt: next run", status_text)) == 1, status_text
        callbacks = [r for r in fake.requests if r.route and r.route.endswith("/callback")]
        assert not [r for r in callbacks if r.status != 204 and r.status != 200], "a callback was refused"
        answered = [r.params["interaction_id"] for r in callbacks]
        assert len(answered) == len(set(answered)), "an interaction was answered twice"
