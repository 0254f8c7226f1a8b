"""A clean stop (SIGTERM, as `docker stop` and systemd send) while members are using the bot.

kindred must exit promptly with status 0, or the supervisor kills it (Docker after 10 s) and every
deploy or restart under load becomes a SIGKILL.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from fakediscord.fake_discord import FakeDiscord, FakeTimeoutError
from fakediscord.harness import BotProcess
from tests.reliability.helpers import BASE_ENV, bounded, build_lab, check_in, publish

WRITERS = 12
STOP_WITHIN = 4.0


@bounded(40)
async def test_sigterm_while_members_check_in_exits_promptly(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    async with FakeDiscord() as fake:
        lab, members = build_lab(fake, extra_members=240)
        await publish(fake, commands)
        bot = BotProcess(fake, tmp_path, env=BASE_ENV)
        await bot.start()
        await bot.wait_ready()
        acknowledged: list[int] = []

        async def keep_checking_in(users: list[int]) -> None:
            for user in users:
                try:
                    await check_in(fake, lab.guild_id, user, timeout=3)
                except FakeTimeoutError:
                    return  # the bot is stopping
                acknowledged.append(user)

        writers = [asyncio.create_task(keep_checking_in(members[n::WRITERS])) for n in range(WRITERS)]
        try:
            await fake.wait_until(lambda: len(acknowledged) >= 20, 20, description="check-ins under way")
            started = time.monotonic()
            code = await bot.stop(timeout=STOP_WITHIN)
            took = time.monotonic() - started
        finally:
            for writer in writers:
                writer.cancel()
            await asyncio.gather(*writers, return_exceptions=True)
            bot.kill()
        assert code == 0, (
            f"kindred did not stop on SIGTERM within {STOP_WITHIN} s (exit {code}, {took:.1f} s)"
        )
