"""A weekly fan-out that outlasts the dispatcher's interval: no scheduler warnings, every DM once.

Discord's rate limits stretch 60 DMs (each a DM channel and a message) over several seconds while
the dispatcher is due every 0.5 s. APScheduler must not log "maximum number of running instances
reached" on every tick of a long run, and the overlapping ticks must not send anything twice.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fakediscord.fake_discord import FakeDiscord
from fakediscord.ratelimits import RateLimits
from tests.reliability.helpers import bounded, build_lab, count, kindred
from tests.reliability.test_kill_restart import seed_due

SUBSCRIBERS = 60
REQUESTS_PER_SECOND = 20  # 120 requests: about six seconds, a dozen dispatcher intervals


@bounded(60)
async def test_a_fanout_longer_than_the_interval_is_quiet_and_sends_each_dm_once(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    async with FakeDiscord(rate_limits=RateLimits(global_per_second=REQUESTS_PER_SECOND)) as fake:
        lab, users = build_lab(fake, extra_members=SUBSCRIBERS)
        db_path = tmp_path / "kindred.sqlite3"
        await seed_due(db_path, lab.guild_id, users)
        async with kindred(fake, tmp_path, commands) as bot:
            await fake.wait_until(
                lambda: sum(1 for u in users if fake.dm_messages(u)) >= 5, 15, description="the fan-out"
            )
            started = fake.requests[-1].at
            await fake.wait_until(lambda: all(fake.dm_messages(u) for u in users), 40, description="every DM")
            lasted = fake.requests[-1].at - started
            await fake.wait_until(
                lambda: count(db_path, "SELECT count(*) FROM deliveries") == SUBSCRIBERS,
                10,
                description="every delivery recorded",
            )
            await asyncio.sleep(1.5)  # three more dispatcher intervals: a repeat or a warning shows now
            logs = bot.logs()
        assert lasted > 1.0, f"the fan-out took {lasted:.1f} s, not longer than a few intervals"
        assert [len(fake.dm_messages(u)) for u in users] == [1] * SUBSCRIBERS
        assert "maximum number of running instances" not in logs, logs
        assert not [line for line in logs.splitlines() if "apscheduler" in line and "WARNING" in line], logs
        assert "Traceback" not in logs, logs
