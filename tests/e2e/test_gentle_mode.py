"""Issue 18 end to end: /admin event start|end (gentle mode), its notice, the reminder button, restarts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot
from fakediscord.interactions import Channel
from fakediscord.permissions import Permission
from tests.e2e.conftest import Lab
from tests.e2e.messages import custom_ids, text_of
from tests.e2e.test_reach import setup_reach

pytestmark = pytest.mark.e2e


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return [tuple(r) for r in conn.execute(sql).fetchall()]


def db_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if not p.name.endswith(".key"))


async def test_start_pins_a_safe_messaging_notice_then_end_restores_across_a_restart(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, kindred: BotProcess, bot_env: dict[str, str]
) -> None:
    await setup_reach(fake, lab)  # /reach is on, so the notice offers it
    fake.allow(lab.prompts, fake.bot_role_id(lab.guild_id), int(Permission.MANAGE_MESSAGES))  # to pin
    setup = await fake.invoke(
        "admin setup", {"prompts_channel": Channel(lab.prompts)}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "Saved" in text_of(await setup.wait_message())
    handle = await fake.invoke(
        "admin event start", {"kind": "suicide_loss", "weeks": 3}, user_id=lab.owner, guild_id=lab.guild_id
    )
    reply = text_of(await handle.wait_message())
    assert "Gentle mode is on until" in reply and f"<#{lab.prompts}>" in reply
    [notice] = fake.messages(lab.prompts)
    text = text_of(notice)
    # Safe-messaging: no method or cause, complicated grief is normal, help now, every message has /crisis.
    assert "died by suicide" in text and "Please don't share details of how they died or guess at why" in text
    assert "help is available right now: /crisis" in text and "committed" not in text
    assert "/reach" in text and "stores only when to send it, never why" in text
    assert (
        "https://www.nhs.uk/mental-health/feelings-symptoms-behaviours/feelings-and-symptoms/grief-bereavement-loss/"
        in text
    )
    assert "kindred:crisis" in custom_ids(notice) and f"kindred:remind:{lab.guild_id}" in custom_ids(notice)
    assert fake.pins(lab.prompts) == [int(notice["id"])]
    [thread] = fake.threads(lab.prompts)
    assert thread["name"] == "Memories and condolences"
    assert rows(kindred.db_path, "SELECT kind FROM gentle_events") == [("suicide_loss",)]

    again = await fake.invoke(
        "admin event start", {"kind": "incident"}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "already on" in text_of(await again.wait_message())
    assert len(fake.messages(lab.prompts)) == 1

    # Restart in the middle: the mode, the notice's button and /admin event end all survive.
    assert await kindred.stop() == 0
    async with running_bot(fake, tmp_path, env=bot_env) as restarted:
        await fake.wait_until(lambda: "ready as" in restarted.logs(), 15, description="on_ready")
        clicked = await fake.click(notice, f"kindred:remind:{lab.guild_id}", user_id=lab.member)
        assert "kindred will DM you once" in text_of(await clicked.wait_message())
        [(due,)] = rows(restarted.db_path, "SELECT due FROM reminders")
        assert str(due).endswith("Z")
        assert str(lab.member).encode() not in db_bytes(restarted.db_path)  # sealed, never the user id
        show = await fake.invoke("privacy show", user_id=lab.member, guild_id=lab.guild_id)
        assert 'A one-off "check on me" DM' in text_of(await show.wait_message())
        ask = await fake.invoke("privacy delete", user_id=lab.member, guild_id=lab.guild_id)
        confirm = await ask.wait_message()
        deleted = await fake.click(confirm, "kindred:privacy:delete:confirm", user_id=lab.member)
        await deleted.wait_message()
        assert rows(restarted.db_path, "SELECT count(*) FROM reminders") == [(0,)]
        end = await fake.invoke("admin event end", user_id=lab.owner, guild_id=lab.guild_id)
        assert "Gentle mode has ended" in text_of(await end.wait_message())
        assert fake.pins(lab.prompts) == []
        assert rows(restarted.db_path, "SELECT count(*) FROM gentle_events") == [(0,)]
        assert rows(restarted.db_path, "SELECT count(*) FROM gentle_periods") == [(1,)]
        none = await fake.invoke("admin event end", user_id=lab.owner, guild_id=lab.guild_id)
        assert "nothing to end" in text_of(await none.wait_message())


async def test_bad_input_starts_nothing_and_members_are_refused(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    no_channel = await fake.invoke(
        "admin event start", {"kind": "bereavement"}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "choose a channel for the notice" in text_of(await no_channel.wait_message())
    too_long = await fake.invoke(
        "admin event start",
        {"kind": "bereavement", "weeks": 40, "channel": Channel(lab.general)},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "1 to 12 weeks" in text_of(await too_long.wait_message())
    fake.allow_command(lab.guild_id, "admin", lab.member)
    member = await fake.invoke(
        "admin event start",
        {"kind": "bereavement", "channel": Channel(lab.general)},
        user_id=lab.member,
        guild_id=lab.guild_id,
    )
    assert "Only the lab's moderators" in text_of(await member.wait_message())
    assert fake.messages(lab.general) == []
    assert rows(kindred.db_path, "SELECT count(*) FROM gentle_events") == [(0,)]
