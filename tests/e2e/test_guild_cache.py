"""Issue 19: a guild's settings, overlay and topics come from memory, and are never stale after an edit.

Each test first reads what it will change (so the running bot has it cached), changes it through
the command a moderator uses, and reads it again at once; then restarts the bot and reads it again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot
from tests.e2e.conftest import Lab
from tests.e2e.messages import text_of
from tests.e2e.test_resource_editing import add_counselling, show

pytestmark = pytest.mark.e2e


async def crisis(fake: FakeDiscord, lab: Lab) -> str:
    handle = await fake.invoke("crisis", user_id=lab.member, guild_id=lab.guild_id, locale="en-US")
    return text_of(await handle.wait_message()) + str((await handle.wait_message()).get("embeds"))


async def test_an_added_resource_shows_at_once_in_show_search_crisis_and_after_a_restart(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, kindred: BotProcess, bot_env: dict[str, str]
) -> None:
    # Warm every cached view of the lab: show, search, the check-in form's topics, /crisis.
    assert "example.edu/counselling" not in await show(fake, lab, "finding-help")
    search = await fake.invoke(
        "resources search", {"query": "counselling staff"}, user_id=lab.member, guild_id=lab.guild_id
    )
    assert "Staff counselling service" not in text_of(await search.wait_message())
    assert "Staff counselling service" not in await crisis(fake, lab)

    assert "Added **Staff counselling service**" in await add_counselling(fake, lab)
    assert "example.edu/counselling" in await show(fake, lab, "finding-help")
    search = await fake.invoke(
        "resources search", {"query": "counselling staff"}, user_id=lab.member, guild_id=lab.guild_id
    )
    assert "Staff counselling service" in text_of(await search.wait_message())
    assert "Staff counselling service" in await crisis(fake, lab)

    assert await kindred.stop() == 0
    async with running_bot(fake, tmp_path, env=bot_env):
        assert "example.edu/counselling" in await show(fake, lab, "finding-help")
        assert "Staff counselling service" in await crisis(fake, lab)


async def test_a_settings_change_shows_at_once_and_after_a_restart(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, kindred: BotProcess, bot_env: dict[str, str]
) -> None:
    assert "Crisis lines: Ireland" not in await crisis(fake, lab)  # cached: no lab country yet
    handle = await fake.invoke("admin setup", {"country": "IE"}, user_id=lab.owner, guild_id=lab.guild_id)
    assert "Ireland (IE)" in text_of(await handle.wait_message())
    assert "Crisis lines: Ireland" in await crisis(fake, lab)
    handle = await fake.invoke("admin setup", {"country": "GB"}, user_id=lab.owner, guild_id=lab.guild_id)
    await handle.wait_message()
    assert "Crisis lines: United Kingdom" in await crisis(fake, lab)

    assert await kindred.stop() == 0
    async with running_bot(fake, tmp_path, env=bot_env):
        assert "Crisis lines: United Kingdom" in await crisis(fake, lab)


async def test_a_removed_default_disappears_at_once_and_reset_brings_it_back(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    topic = "sudden-money"
    before = await show(fake, lab, topic)
    choices = await fake.autocomplete(
        "admin resources remove", {"item": ""}, "item", user_id=lab.owner, guild_id=lab.guild_id
    )
    target = next(c for c in choices if c["value"].startswith(topic))
    title = target["name"].rsplit(" (", 1)[0]
    assert title in before
    removed = await fake.invoke(
        "admin resources remove", {"item": target["value"]}, user_id=lab.owner, guild_id=lab.guild_id
    )
    await removed.wait_message()
    assert title not in await show(fake, lab, topic)
    reset = await fake.invoke(
        "admin resources reset", {"topic": topic}, user_id=lab.owner, guild_id=lab.guild_id
    )
    ask = await reset.wait_message()
    confirmed = await fake.click(ask, "kindred:reset:confirm", user_id=lab.owner)
    await confirmed.response()
    assert await show(fake, lab, topic) == before
