"""Issue 4 end to end: /admin setup, weekly lab prompts across restarts, /prompt, /admin prompts|status."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store.db import migrations
from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot
from fakediscord.interactions import Channel, Role
from fakediscord.permissions import Permission
from tests.dbview import rows
from tests.e2e.conftest import Lab
from tests.e2e.messages import EPHEMERAL, text_of
from tests.e2e.timing import slot_a_minute_ago

pytestmark = pytest.mark.e2e


def prompt_due_now() -> dict[str, str]:
    day, time = slot_a_minute_ago()
    return {"prompt_day": day, "prompt_time": time, "timezone": "UTC"}


def settings_rows(path: Path) -> int:
    return int(rows(path, "SELECT count(*) FROM guild_settings")[0][0])


async def test_setup_without_options_shows_settings(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    handle = await fake.invoke("admin setup", user_id=lab.owner, guild_id=lab.guild_id)
    message = await handle.wait_message()
    assert message["flags"] & EPHEMERAL
    text = text_of(message)
    assert "Anonymity threshold (k): 5" in text and "Weekly lab prompt: off" in text


async def test_setup_names_the_missing_permission_and_saves_nothing(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    fake.deny(lab.prompts, fake.bot_role_id(lab.guild_id), Permission.CREATE_PUBLIC_THREADS)
    handle = await fake.invoke(
        "admin setup",
        {"prompts_channel": Channel(lab.prompts), "peer_channel": Channel(lab.peer)},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    text = text_of(await handle.wait_message())
    assert f"<#{lab.prompts}>: Create Public Threads" in text
    assert f"<#{lab.peer}>" not in text
    assert settings_rows(kindred.db_path) == 0


async def test_setup_refuses_k_below_three(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    handle = await fake.invoke("admin setup", {"k": 3}, user_id=lab.owner, guild_id=lab.guild_id)
    assert "Anonymity threshold (k): 3" in text_of(await handle.wait_message())


async def test_setup_then_firing_posts_a_prompt_with_a_thread_once_across_restarts(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, kindred: BotProcess, bot_env: dict[str, str]
) -> None:
    handle = await fake.invoke(
        "admin setup",
        {"prompts_channel": Channel(lab.prompts), **prompt_due_now()},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "Saved" in text_of(await handle.wait_message())
    await fake.wait_until(lambda: len(fake.messages(lab.prompts)) >= 1, 15, description="the weekly prompt")
    [post] = fake.messages(lab.prompts)
    assert "reflection" in text_of(post).lower()
    await fake.wait_for(
        lambda r: r.method == "POST" and r.path.endswith(f"/messages/{post['id']}/threads"), 10
    )
    assert await kindred.stop() == 0
    async with running_bot(fake, tmp_path, env=bot_env) as again:
        await fake.wait_until(
            lambda: "already posted; not posting again" in again.logs(),
            15,
            description="the restarted bot's catch-up check",
        )
    assert len(fake.messages(lab.prompts)) == 1


async def test_non_moderator_is_refused_even_when_discord_shows_admin(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    fake.allow_command(lab.guild_id, "admin", lab.member)  # a server admin's Integrations override
    for command, options in (("admin setup", {"k": 9}), ("admin status", {}), ("admin prompts list", {})):
        handle = await fake.invoke(command, options, user_id=lab.member, guild_id=lab.guild_id)
        assert "Only the lab's moderators" in text_of(await handle.wait_message()), command
    assert settings_rows(kindred.db_path) == 0


async def test_moderator_role_grants_admin(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    fake.allow_command(lab.guild_id, "admin", lab.moderator_role)
    before = await fake.invoke("admin status", user_id=lab.moderator, guild_id=lab.guild_id)
    assert "Only the lab's moderators" in text_of(await before.wait_message())
    setup = await fake.invoke(
        "admin setup", {"moderator_role": Role(lab.moderator_role)}, user_id=lab.owner, guild_id=lab.guild_id
    )
    await setup.wait_message()
    # The weekly-DM dispatcher is scheduled once the bot is ready; status lists it with its next run.
    await fake.wait_until(lambda: "ready as" in kindred.logs(), 15, description="on_ready")
    after = await fake.invoke("admin status", user_id=lab.moderator, guild_id=lab.guild_id)
    text = text_of(await after.wait_message())
    assert "Database: ok" in text and f"schema version {migrations()[-1][0]}" in text
    assert "weekly DMs: next run" in text and "Weekly DMs in this server: 0 active, 0 paused" in text
    assert "Shard 0 of 1 (this process runs all of them)" in text  # unsharded: the one shard Discord offers


async def test_prompt_on_demand(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    handle = await fake.invoke("prompt", {"topic": "compute-gap"}, user_id=lab.member, guild_id=lab.guild_id)
    message = await handle.wait_message()
    assert message["flags"] & EPHEMERAL
    assert "/crisis" in text_of(message)
    unknown = await fake.invoke("prompt", {"topic": "horoscopes"}, user_id=lab.member, guild_id=lab.guild_id)
    assert "no topic called" in text_of(await unknown.wait_message())
    dm = await fake.invoke("prompt", user_id=lab.member)
    assert (await dm.wait_message())["embeds"]


async def test_lab_prompts_add_list_remove(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    text = "What is one experiment you'd run this month if compute were free?"
    added = await fake.invoke(
        "admin prompts add", {"topic": "compute-gap", "text": text}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "lab-1" in text_of(await added.wait_message())
    bad = await fake.invoke(
        "admin prompts add",
        {"topic": "compute-gap", "text": "@everyone look"},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "can't be used" in text_of(await bad.wait_message())
    listing = await fake.invoke("admin prompts list", user_id=lab.owner, guild_id=lab.guild_id)
    listed = text_of(await listing.wait_message())
    assert "lab-1" in listed and f"<@{lab.owner}>" in listed and "compute were free" in listed
    removed = await fake.invoke(
        "admin prompts remove", {"prompt_id": "lab-1"}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "Removed" in text_of(await removed.wait_message())
    missing = await fake.invoke(
        "admin prompts remove", {"prompt_id": "lab-1"}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "no lab prompt" in text_of(await missing.wait_message())


async def test_everyone_and_managed_roles_cannot_be_the_moderator_role(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    """Issue 20: @everyone as the moderator role would hand /admin to every member."""
    everyone = await fake.invoke(
        "admin setup", {"moderator_role": Role(lab.guild_id)}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "can't be the moderator role" in text_of(await everyone.wait_message())
    assert rows(
        kindred.db_path, "SELECT count(*) FROM guild_settings WHERE moderator_role_id IS NOT NULL"
    ) == [(0,)]
