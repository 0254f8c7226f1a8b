"""Two members filling in a form at the same time: each submission must reach its own form.

discord.py keeps open modals in a dict keyed by custom_id alone and removes an entry by custom_id
when a modal finishes. When every check-in form of a guild (or every share form) had one custom_id,
member B opening the form while member A's was open meant A's submission was handled by B's form,
which then closed, and B's submission was discarded: no answer, not counted. That is exactly what
happens after the weekly nudge, when many members check in within the same minutes.

And a form must be listened for before Discord is asked to show it: a submission that reaches the
bot before Discord's answer to its own "show this form" callback (a slow link) was discarded too.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess
from fakediscord.interactions import Channel
from tests.dbview import checkins_counted
from tests.e2e.messages import text_of
from tests.reliability.helpers import FORM_FILL_SECONDS, Lab, build_lab, kindred

pytestmark = pytest.mark.asyncio(loop_scope="module")
ANSWER = {"mood": ["3"], "energy": ["3"]}


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def running(
    commands: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[FakeDiscord, BotProcess, Lab, Lab]]:
    async with FakeDiscord() as fake:
        first, _ = build_lab(fake)
        second, _ = build_lab(fake)
        async with kindred(fake, tmp_path_factory.mktemp("forms"), commands) as bot:
            for lab in (first, second):
                peer = fake.add_text_channel(lab.guild_id, "peer-support").id
                alerts = fake.add_text_channel(lab.guild_id, "mod-alerts").id
                setup = await fake.invoke(
                    "admin setup",
                    {"peer_channel": Channel(peer), "alerts_channel": Channel(alerts), "share_delay": 0},
                    user_id=lab.owner,
                    guild_id=lab.guild_id,
                )
                assert "Saved" in text_of(await setup.wait_message())
            yield fake, bot, first, second


async def test_two_members_checking_in_at_once_are_both_counted(
    running: tuple[FakeDiscord, BotProcess, Lab, Lab],
) -> None:
    fake, bot, lab, _ = running
    form_a = await fake.invoke("checkin", user_id=lab.member, guild_id=lab.guild_id)
    form_b = await fake.invoke("checkin", user_id=lab.other, guild_id=lab.guild_id)
    await form_a.modal()
    await form_b.modal()
    await asyncio.sleep(FORM_FILL_SECONDS)
    sent_a = await form_a.submit_modal(ANSWER)
    assert "Thank you" in text_of(await sent_a.wait_message(5))
    await asyncio.sleep(0.3)  # members type slower than this
    sent_b = await form_b.submit_modal(ANSWER)
    assert "Thank you" in text_of(await sent_b.wait_message(2))
    assert checkins_counted(bot.db_path) == 2  # on PostgreSQL, receipts: answers wait for k (HeldCheckins)


async def test_two_labs_sharing_at_once_both_get_an_answer(
    running: tuple[FakeDiscord, BotProcess, Lab, Lab],
) -> None:
    fake, _, first, second = running
    form_a = await fake.invoke("share", user_id=first.member, guild_id=first.guild_id)
    form_b = await fake.invoke("share", user_id=second.member, guild_id=second.guild_id)
    await form_a.modal()
    await form_b.modal()
    await asyncio.sleep(FORM_FILL_SECONDS)
    sent_a = await form_a.submit_modal({"text": "Rejected again today, but my lab mates were kind."})
    await sent_a.wait_message(5)
    await asyncio.sleep(0.3)
    sent_b = await form_b.submit_modal({"text": "First paper accepted!"})
    await sent_b.wait_message(2)


async def test_a_form_sent_back_before_the_bot_hears_it_was_shown_is_still_answered(
    running: tuple[FakeDiscord, BotProcess, Lab, Lab],
) -> None:
    fake, bot, _, lab = running
    before = checkins_counted(bot.db_path)
    with fake.answering_late("POST", r"^/interactions/\d+/[^/]+/callback$", 1.0):
        form = await fake.invoke("checkin", user_id=lab.member, guild_id=lab.guild_id)
        await form.modal()  # shown to the member; the bot hears that a second from now
        sent = await form.submit_modal(ANSWER)
        assert "Thank you" in text_of(await sent.wait_message(8))
    assert checkins_counted(bot.db_path) == before + 1
