"""Permission bypass: a server admin can make /admin usable by anyone (Integrations override).

Discord then delivers /admin interactions from ordinary members, so kindred must refuse them at
runtime. Every /admin subcommand is read from the synced schema, so new ones are covered too.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from fakediscord.fake_discord import FakeDiscord, InteractionHandle
from fakediscord.harness import BotProcess
from fakediscord.interactions import InteractionType, OptionType
from tests.e2e.messages import text_of
from tests.reliability.helpers import NOT_MODERATOR, Leaf, World, bounded, build_lab, count, kindred, leaves

pytestmark = pytest.mark.asyncio(loop_scope="module")
MODERATOR_TABLES = ("guild_settings", "guild_prompts", "resource_overlay", "resource_history", "guild_topics")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def world(
    commands: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    async with FakeDiscord() as fake:
        lab, members = build_lab(fake, extra_members=1)
        async with kindred(fake, tmp_path_factory.mktemp("permissions"), commands) as bot:
            yield World(fake, bot, lab, members, [leaf for leaf in leaves(commands) if leaf.moderator_only])


def invoke_raw(world: World, leaf: Leaf, user_id: int, *, guild: bool = True) -> InteractionHandle:
    """Invoke with every required option filled validly, as a raw payload (attachments included)."""
    options: list[dict[str, Any]] = []
    resolved: dict[str, Any] = {}
    lab = world.lab
    for spec in leaf.options:
        if not spec.get("required"):
            continue
        if spec["type"] == OptionType.ATTACHMENT:
            resolved.setdefault("attachments", {})["1"] = {
                "id": "1",
                "filename": "resources.yaml",
                "size": 10,
                "content_type": "text/yaml",
                "url": f"{world.fake.base_url}/attachments/0/1/resources.yaml",
                "proxy_url": f"{world.fake.base_url}/attachments/0/1/resources.yaml",
            }
            value: Any = "1"
        elif spec["type"] in (OptionType.CHANNEL, OptionType.ROLE, OptionType.USER, OptionType.MENTIONABLE):
            value = str(lab.general if spec["type"] == OptionType.CHANNEL else lab.moderator_role)
        else:
            value = world.valid(spec)
        options.append({"name": spec["name"], "type": spec["type"], "value": value})
    names = leaf.path.split()
    kinds = (
        [OptionType.SUB_COMMAND]
        if len(names) == 2
        else [OptionType.SUB_COMMAND_GROUP, OptionType.SUB_COMMAND]
    )
    for name, kind in reversed(list(zip(names[1:], kinds, strict=True))):
        options = [{"name": name, "type": kind, "options": options}]
    registered = next(c for c in world.fake.commands() if c["name"] == names[0])
    data: dict[str, Any] = {"id": registered["id"], "name": names[0], "type": 1, "options": options}
    if resolved:
        data["resolved"] = resolved
    return world.fake.send_raw_interaction(
        InteractionType.APPLICATION_COMMAND, data, user_id=user_id, guild_id=lab.guild_id if guild else None
    )


def untouched(bot: BotProcess) -> None:
    for table in MODERATOR_TABLES:
        assert count(bot.db_path, f"SELECT count(*) FROM {table}") == 0, f"{table} was changed"  # noqa: S608


@bounded(40)
async def test_every_admin_command_is_refused_to_non_moderators(world: World) -> None:
    fake, lab = world.fake, world.lab
    assert len(world.leaves) >= 5, [leaf.path for leaf in world.leaves]
    fake.allow_command(lab.guild_id, "admin", lab.member)  # override for one member
    fake.allow_command(lab.guild_id, "admin", lab.guild_id)  # and for @everyone
    for leaf in world.leaves:
        for user in (lab.member, lab.other):
            handle = invoke_raw(world, leaf, user)
            reply = text_of(await handle.wait_message(5))
            assert NOT_MODERATOR in reply, f"/{leaf.path} by a member: {reply[:200]}"
        # Discord would also deliver it through the schema-checked path; same answer.
        if all(o["type"] != OptionType.ATTACHMENT for o in leaf.options if o.get("required")):
            checked = await fake.invoke(
                leaf.path,
                {o["name"]: world.valid(o) for o in leaf.options if o.get("required")},
                user_id=lab.member,
                guild_id=lab.guild_id,
            )
            assert NOT_MODERATOR in text_of(await checked.wait_message(5)), leaf.path
    untouched(world.bot)
    # Control: the owner (Manage Server) is let through.
    owner = await fake.invoke("admin status", user_id=lab.owner, guild_id=lab.guild_id)
    assert "Database: ok" in text_of(await owner.wait_message(5))


async def test_admin_in_a_dm_is_refused(world: World) -> None:
    for leaf in world.leaves[:3]:
        handle = invoke_raw(world, leaf, world.lab.member, guild=False)
        reply = text_of(await handle.wait_message(5))
        assert "inside your lab's server" in reply or NOT_MODERATOR in reply, reply
    untouched(world.bot)


async def test_admin_autocomplete_tells_non_moderators_nothing(world: World) -> None:
    fake, lab = world.fake, world.lab
    secret_prompt = "What would you tell your PI if nothing could go wrong?"
    added = await fake.invoke(
        "admin prompts add",
        {"topic": "compute-gap", "text": secret_prompt},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert re.search(r"lab-\d+", text_of(await added.wait_message(5)))
    leaked: list[str] = []
    for leaf in world.leaves:
        for option in leaf.options:
            if not option.get("autocomplete"):
                continue
            choices = await fake.autocomplete(
                leaf.path, {}, option["name"], user_id=lab.member, guild_id=lab.guild_id, timeout=5
            )
            leaked += [
                f"/{leaf.path} {option['name']}: {c['name']}" for c in choices if "PI if nothing" in c["name"]
            ]
    assert not leaked, leaked
