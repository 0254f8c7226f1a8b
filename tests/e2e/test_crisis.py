"""Issue 12 end to end: /crisis for the lab's country, emergency numbers, the country switch, DMs, failures."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot
from tests.e2e.conftest import Lab, sync_commands
from tests.e2e.messages import EPHEMERAL, custom_ids, text_of
from tests.reliability.helpers import not_due

pytestmark = pytest.mark.e2e


def switch_menu(message: dict[str, Any]) -> dict[str, Any]:
    """The country select under a /crisis reply."""
    for row in message.get("components") or []:
        for component in row.get("components") or []:
            if str(component.get("custom_id", "")).startswith("kindred:crisis:switch"):
                found: dict[str, Any] = component
                return found
    raise AssertionError(f"no country switch in {custom_ids(message)}")


def offered(message: dict[str, Any]) -> list[str]:
    return [option["value"] for option in switch_menu(message)["options"]]


async def set_lab_country(fake: FakeDiscord, lab: Lab, country: str) -> str:
    handle = await fake.invoke("admin setup", {"country": country}, user_id=lab.owner, guild_id=lab.guild_id)
    return text_of(await handle.wait_message())


async def test_lab_set_to_ireland_shows_irish_lines_to_an_en_us_member(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    saved = await set_lab_country(fake, lab, "IE")
    assert "Country for /crisis: Ireland (IE)" in saved
    handle = await fake.invoke("crisis", user_id=lab.member, guild_id=lab.guild_id, locale="en-US")
    message = await handle.wait_message()
    assert message["flags"] & EPHEMERAL
    text = text_of(message)
    assert "Crisis lines: Ireland" in text
    assert "call an emergency number: **112** or **999**" in text
    assert text.index("112") < text.index("116 123")  # the emergency number leads
    for number in ("116 123", "50808", "1800 247 247", "51444"):
        assert number in text
    assert "988" not in text  # not the US lines the en-US locale would suggest
    assert "findahelpline.com" in text and "befrienders.org" in text
    menu = switch_menu(message)
    assert menu["custom_id"] == "kindred:crisis:switch:IE"
    assert offered(message)[:3] == ["IE", "US", "CA"] and offered(message)[-1] == "elsewhere"
    assert len(menu["options"]) <= 25
    assert [o["value"] for o in menu["options"] if o.get("default")] == ["IE"]


async def test_the_menu_switches_country_in_place(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    await set_lab_country(fake, lab, "IE")
    first = await (await fake.invoke("crisis", user_id=lab.member, guild_id=lab.guild_id)).wait_message()
    picked = await fake.select(first, "kindred:crisis:switch:IE", ["JP"], user_id=lab.member)
    response = await picked.response()
    assert response["type"] == 7  # the same message, re-rendered
    text = text_of(response["data"])
    assert "Crisis lines: Japan" in text and "**119** (ambulance, fire) or **110** (police)" in text
    assert "0120-279-338" in text and "0570-783-556" not in text
    assert "Ireland" not in text.split("\n\n")[0]
    assert [o["value"] for o in switch_menu(response["data"])["options"] if o.get("default")] == ["JP"]
    elsewhere = await fake.select(
        first, "kindred:crisis:switch:IE", ["elsewhere"], user_id=lab.member
    )  # as updated
    other = text_of((await elsewhere.response())["data"])
    assert "local emergency number" in other and "findahelpline.com" in other


async def test_a_zh_tw_member_is_offered_taiwan_and_hong_kong(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    handle = await fake.invoke("crisis", user_id=lab.zh_member, guild_id=lab.guild_id, locale="zh-TW")
    message = await handle.wait_message()
    assert offered(message)[:2] == ["TW", "HK"]
    text = text_of(message)
    assert "1925" in text and "緊急電話" in text  # Traditional Chinese for zh-TW (issue 15)
    assert "个国家" not in text and "個國家" in text  # the directory's own texts are converted too
    to_hk = await fake.select(message, "kindred:crisis:switch", ["HK"], user_id=lab.zh_member)
    hk = text_of((await to_hk.response())["data"])
    assert "18111" in hk and "**999**" in hk


async def test_crisis_in_a_dm_answers_and_switches(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    handle = await fake.invoke("crisis", user_id=lab.member)  # a DM with the bot: no lab, no database
    message = await handle.wait_message()
    text = text_of(message)
    assert "Crisis lines: United Kingdom" in text and "**999** or **112**" in text
    assert switch_menu(message)["custom_id"] == "kindred:crisis:switch"
    picked = await fake.select(message, "kindred:crisis:switch", ["DE"], user_id=lab.member)
    assert "0800 111 0 111" in text_of((await picked.response())["data"])


async def test_the_country_option_beats_the_lab_country(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await set_lab_country(fake, lab, "Ireland")
    handle = await fake.invoke("crisis", {"country": "CN"}, user_id=lab.zh_member, guild_id=lab.guild_id)
    text = text_of(await handle.wait_message())
    assert "12356" in text and "境外无法拨通" in text and "**120**" in text


async def test_setup_refuses_an_unknown_country_and_off_clears_it(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    refused = await set_lab_country(fake, lab, "Atlantis")
    assert "doesn't know the country “Atlantis”" in refused
    assert "Country for /crisis: Ireland" in await set_lab_country(fake, lab, "IE")
    cleared = await set_lab_country(fake, lab, "off")
    assert "Country for /crisis: not set" in cleared
    choices = await fake.autocomplete(
        "admin setup", {"country": "Ire"}, "country", user_id=lab.owner, guild_id=lab.guild_id
    )
    assert [c["value"] for c in choices] == ["IE"]


async def test_status_shows_moderators_what_members_never_see(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    handle = await fake.invoke("admin status", user_id=lab.owner, guild_id=lab.guild_id)
    text = text_of(await handle.wait_message())
    assert "Crisis directory:" in text and "jp-inochi-no-denwa" in text


async def test_garbage_database_still_answers_with_an_emergency_number(
    fake: FakeDiscord, lab: Lab, tmp_path: Path
) -> None:
    await sync_commands(fake, tmp_path / "sync")
    (tmp_path / "kindred.sqlite3").write_bytes(b"\x00not a database at all\x00" * 512)
    async with running_bot(fake, tmp_path, env={"KINDRED_SECRET_KEY": "0f3c9a7e21b84d56a0c2e9f7b13d4a68"}):
        handle = await fake.invoke("crisis", user_id=lab.member, guild_id=lab.guild_id)
        message = await handle.wait_message()
        text = text_of(message)
        assert "Crisis lines: United Kingdom" in text  # no lab settings: the locale's hint
        assert "**999** or **112**" in text and "116 123" in text
        picked = await fake.select(message, "kindred:crisis:switch", ["AU"], user_id=lab.member)
        assert "**000**" in text_of((await picked.response())["data"])


async def test_the_menu_works_after_a_restart(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    await sync_commands(fake, tmp_path / "sync")
    async with running_bot(fake, tmp_path, env=bot_env):
        message = await (
            await fake.invoke("crisis", user_id=lab.member, guild_id=lab.guild_id)
        ).wait_message()
    async with running_bot(fake, tmp_path, env=bot_env):
        picked = await fake.select(message, "kindred:crisis:switch", ["NZ"], user_id=lab.member)
        response = await picked.response()
        assert response["type"] == 7 and "1737" in text_of(response["data"])


async def test_crisis_answers_in_time_while_another_writer_holds_the_database(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await set_lab_country(fake, lab, "IE")
    holder = sqlite3.connect(kindred.db_path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock: kindred's next write waits on it
    try:
        await fake.invoke("subscribe", not_due(), user_id=lab.owner, guild_id=lab.guild_id)
        await asyncio.sleep(0.2)  # the write now holds kindred's one connection, so reads queue behind it
        started = time.monotonic()
        handle = await fake.invoke("crisis", user_id=lab.member, guild_id=lab.guild_id)
        text = text_of(await handle.wait_message())
        elapsed = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # The lab's settings arrive within the one-second budget or the locale answers; either way the
    # reply names a country and leads with its emergency number, well inside Discord's 3 s.
    assert ("Crisis lines: Ireland" in text and "**112** or **999**" in text) or (
        "Crisis lines: United Kingdom" in text and "**999** or **112**" in text
    )
    assert elapsed < 2.5, elapsed
    assert not fake.late_interactions
