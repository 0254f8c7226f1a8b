"""Every slash command's name and descriptions have a Chinese version Discord will accept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.app import KindredBot, cog_names
from bot.config import RESOURCES_DIR, settings_from
from bot.hant import load_traditionaliser
from bot.startup import build_bot, load_content
from bot.translator import VALID_NAME


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[KindredBot]:
    settings = settings_from(
        {
            "DISCORD_TOKEN": "unit.test.token",
            "KINDRED_DB_PATH": str(tmp_path / "k.db"),
            "KINDRED_SECRET_KEY": "unit-test-secret-key-0123456789abcdef",
        }
    )
    content, problems = load_content(settings)
    assert content is not None, problems
    kindred = build_bot(settings, content)
    for name in cog_names():
        await kindred.load_extension(name)
    yield kindred
    # The cogs read the database as they load; an open connection's thread would keep the test
    # process alive after the last test.
    await kindred.db.close()


AnyCommand = app_commands.Command[Any, ..., Any] | app_commands.Group | app_commands.ContextMenu


def walk(command: AnyCommand) -> list[AnyCommand]:
    found = [command]
    if isinstance(command, app_commands.Group):
        for child in command.commands:
            found += walk(child)
    return found


async def test_every_command_string_has_a_chinese_translation(bot: KindredBot) -> None:
    translator = bot.translator
    assert translator is not None
    missing = []
    for top in bot.tree.get_commands():
        for command in walk(top):
            payload = await command.get_translated_payload(bot.tree, translator)
            if "zh-CN" not in (payload.get("name_localizations") or {}):
                missing.append(f"name of /{command.qualified_name}")
            if "zh-CN" not in (payload.get("description_localizations") or {}):
                missing.append(f"description of /{command.qualified_name}")
            for option in payload.get("options", []):
                if option["type"] in (1, 2):
                    continue
                if "zh-CN" not in (option.get("description_localizations") or {}):
                    missing.append(f"description of option {option['name']} of /{command.qualified_name}")
                for choice in option.get("choices", []):
                    if "zh-CN" not in (choice.get("name_localizations") or {}):
                        missing.append(f"choice {choice['name']} of /{command.qualified_name}")
    assert missing == []


async def test_translated_names_are_valid_and_unique_among_siblings(bot: KindredBot) -> None:
    translator = bot.translator
    assert translator is not None
    top_names = []
    for top in bot.tree.get_commands():
        payload = await top.get_translated_payload(bot.tree, translator)
        top_names.append(payload["name_localizations"]["zh-CN"])
        children = [o for o in payload.get("options", []) if o["type"] in (1, 2)]
        names = [c["name_localizations"]["zh-CN"] for c in children]
        assert len(names) == len(set(names)), payload["name"]
        assert all(VALID_NAME.match(n) for n in names)
    assert len(top_names) == len(set(top_names))
    # zh-TW gets the zh-CN name in Traditional characters (issue 15), for every command.
    traditional = load_traditionaliser(RESOURCES_DIR)[0]
    for top in bot.tree.get_commands():
        payload = await top.get_translated_payload(bot.tree, translator)
        localized = payload["name_localizations"]
        assert localized["zh-TW"] == traditional(localized["zh-CN"]), payload["name"]
        assert VALID_NAME.match(localized["zh-TW"])
    assert discord.Locale.chinese.value == "zh-CN"
