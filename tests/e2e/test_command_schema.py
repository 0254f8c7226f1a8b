"""The slash-command schema kindred publishes on `python -m bot sync`, compared with a golden file.

The golden file (tests/e2e/data/synced_commands.json) holds the exact JSON bodies the real bot
PUT to the fake Discord's application-commands endpoints (global and one guild). A refactor that
changes names, options, choices, translations, permissions or contexts fails here. When a change
to the command surface is intended, regenerate the file and review its diff:

    KINDRED_REGENERATE_SCHEMA=1 .venv/bin/python -m pytest tests/e2e/test_command_schema.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess

pytestmark = pytest.mark.e2e
GOLDEN = Path(__file__).resolve().parent / "data" / "synced_commands.json"
GUILD_ROUTE = "/applications/{application_id}/guilds/{guild_id}/commands"
GLOBAL_ROUTE = "/applications/{application_id}/commands"


async def _synced_body(fake: FakeDiscord, folder: Path, args: list[str], route: str) -> Any:
    before = len(fake.requests)
    proc = BotProcess(fake, folder, args=args)
    await proc.start()
    assert await proc.wait(60) == 0, proc.log_tail()
    puts = [r for r in fake.requests[before:] if r.method == "PUT" and r.route == route]
    assert len(puts) == 1, f"expected one PUT to {route}, saw {fake.requests[before:]}"
    assert puts[0].status == 200, puts[0].response
    return puts[0].json


def _render(schema: Any) -> str:
    # Key order is kept as discord.py sends it: the comparison is of the bytes on the wire (as JSON).
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


async def test_synced_command_schema_matches_the_golden_file(fake: FakeDiscord, tmp_path: Path) -> None:
    owner = fake.add_user("pi", locale="en-GB")
    guild = fake.add_guild("Lab of Small Models", owner_id=owner.id)
    schema = {
        "global": await _synced_body(fake, tmp_path / "global", ["sync"], GLOBAL_ROUTE),
        "guild": await _synced_body(
            fake, tmp_path / "guild", ["sync", "--guild", str(guild.id)], GUILD_ROUTE
        ),
    }
    assert not fake.unhandled and not fake.errors
    rendered = _render(schema)
    if os.environ.get("KINDRED_REGENERATE_SCHEMA") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(rendered, encoding="utf-8")
        pytest.skip(f"regenerated {GOLDEN}; review and commit its diff")
    assert GOLDEN.is_file(), f"{GOLDEN} is missing; see this module's docstring to generate it"
    assert rendered == GOLDEN.read_text(encoding="utf-8")
