"""SIGTERM while an interaction is in flight: it finishes, its answer arrives, nothing fails after its write.

Discord is slow to take one answer (the fake holds the check-in's callback request) when `docker
stop` sends SIGTERM. kindred must let that interaction finish before it closes its HTTP session:
the member sees "Thank you", the check-in is counted once, and the log has no "Session is closed"
traceback. While it waits, a new interaction is turned away kindly and /crisis still answers.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess
from fakediscord.rest import Reply, RequestContext
from tests.backends import ON_POSTGRES
from tests.dbview import checkins_counted
from tests.e2e.messages import text_of
from tests.reliability.helpers import (
    BASE_ENV,
    FORM_FILL_SECONDS,
    answer,
    bounded,
    build_lab,
    count,
    publish,
)

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"
RESTARTING = "kindred is restarting"
HOLD_AFTER_SIGTERM = 0.5  # long enough for an undrained bot to have closed its HTTP session


@bounded(45)
async def test_sigterm_lets_an_interaction_in_flight_finish(
    tmp_path: Path, commands: list[dict[str, Any]]
) -> None:
    async with FakeDiscord() as fake:
        lab, _ = build_lab(fake)
        await publish(fake, commands)
        bot = BotProcess(fake, tmp_path, env=BASE_ENV)
        await bot.start()
        stopping: asyncio.Task[int | None] | None = None
        try:
            await bot.wait_ready()
            opened = await fake.invoke("checkin", user_id=lab.member, guild_id=lab.guild_id)
            assert (await opened.response())["type"] == 9
            await asyncio.sleep(FORM_FILL_SECONDS)

            held, release = asyncio.Event(), asyncio.Event()

            async def hold_the_first_answer(ctx: RequestContext) -> Reply | None:
                route = ctx.route
                if (
                    ctx.method == "POST"
                    and route is not None
                    and route.template == CALLBACK
                    and not held.is_set()
                ):
                    held.set()
                    await release.wait()  # then Discord takes it as usual
                return None

            fake.add_hook(hold_the_first_answer)
            submitted = await opened.submit_modal(
                {"mood": ["3"], "energy": ["3"], "topics": ["sudden-money"]}
            )
            await fake.wait_until(held.is_set, 10, description="the check-in's answer on its way")
            # The check-in was written before kindred answered; now Discord is slow to take the answer.
            assert checkins_counted(bot.db_path) == 1

            stopping = asyncio.create_task(bot.stop(timeout=20))
            await fake.wait_until(lambda: "shutting down" in bot.logs(), 10, description="SIGTERM handled")
            await asyncio.sleep(HOLD_AFTER_SIGTERM)

            # While it waits for the check-in, kindred turns new work away kindly but still shows crisis lines.
            turned_away = await fake.invoke("checkin", user_id=lab.other, guild_id=lab.guild_id)
            reply = await turned_away.response(5)
            assert reply["type"] == 4 and RESTARTING in text_of(reply.get("data") or {}), reply
            crisis = await answer(
                fake, "crisis", {"country": "GB"}, user_id=lab.other, guild_id=lab.guild_id, timeout=5
            )
            assert "116 123" in crisis

            release.set()
            code = await stopping
        finally:
            release.set()
            if stopping is not None and not stopping.done():
                await stopping
            bot.kill()
        logs = bot.logs()
        assert code == 0, logs
        assert "Thank you" in text_of(await submitted.wait_message(1)), submitted.record.callback
        answered = fake.find_requests("POST", CALLBACK)
        statuses = [r.status for r in answered if r.params["interaction_id"] == str(submitted.id)]
        assert len(statuses) == 1 and statuses[0] in (200, 204), statuses  # taken once, and it was not late
        assert count(bot.db_path, "SELECT count(*) FROM receipts") == 1
        if ON_POSTGRES:  # the answer waits for its lab's k: a clean stop seals it beside the heartbeat
            assert count(bot.db_path, "SELECT count(*) FROM open_checkins") == 0
            assert bot.db_path.with_name("kindred-held-checkins.sealed").is_file()
        else:
            assert count(bot.db_path, "SELECT count(*) FROM open_checkins") == 1
        assert not fake.late_interactions
        assert "Session is closed" not in logs, logs
        assert "Traceback" not in logs, logs
        assert "unexpected error" not in logs, logs
