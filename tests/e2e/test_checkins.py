"""Issue 3 end to end: check-ins, weekly DMs across restarts, closed DMs, privacy export and delete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot
from tests.dbview import checkins_counted, rows, stored_bytes
from tests.e2e.conftest import Lab
from tests.e2e.messages import EPHEMERAL, custom_ids, text_of
from tests.e2e.timing import slot_a_minute_ago

pytestmark = pytest.mark.e2e


def due_now() -> dict[str, str]:
    """/subscribe options for a weekly slot that fell one minute ago (UTC)."""
    day, time = slot_a_minute_ago()
    return {"day": day, "time": time, "timezone": "UTC"}


def assert_no_user_id(path: Path, *user_ids: int) -> None:
    blob = stored_bytes(path)
    for user_id in user_ids:
        for form in (str(user_id).encode(), user_id.to_bytes(8, "big"), user_id.to_bytes(8, "little")):
            assert form not in blob, f"user id {user_id} found in the database files"


def count_checkins(path: Path) -> int:
    """Check-ins counted this week (answers on SQLite, receipts on PostgreSQL: tests/dbview.py)."""
    return checkins_counted(path)


async def check_in(fake: FakeDiscord, lab: Lab, user: int, mood: str = "2") -> str:
    handle = await fake.invoke("checkin", user_id=user, guild_id=lab.guild_id, channel_id=lab.general)
    modal = await handle.modal()
    assert "anonymous" in modal["title"].lower()
    submitted = await fake.submit_modal(
        modal["custom_id"], {"mood": [mood], "energy": ["3"], "topics": ["sudden-money"]}, user_id=user
    )
    reply = await submitted.wait_message()
    assert reply["flags"] & EPHEMERAL
    return text_of(reply)


async def test_checkin_modal_round_trip_counts_once(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    first = await check_in(fake, lab, lab.member)
    assert "Thank you for checking in" in first
    assert "money" in first.lower()  # resources for the chosen topic
    second = await check_in(fake, lab, lab.member)
    assert "wasn't counted twice" in second
    assert count_checkins(kindred.db_path) == 1
    assert_no_user_id(kindred.db_path, lab.member)


async def test_lowest_mood_gets_a_gentle_line_and_crisis(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    handle = await fake.invoke("checkin", user_id=lab.member, guild_id=lab.guild_id)
    modal = await handle.modal()
    submitted = await fake.submit_modal(
        modal["custom_id"], {"mood": ["1"], "energy": ["1"]}, user_id=lab.member
    )
    reply = await submitted.wait_message()
    assert "hard week" in text_of(reply)
    assert "kindred:crisis" in custom_ids(reply)


async def test_subscribe_due_now_dm_button_counts_and_restart_does_not_resend(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, kindred: BotProcess, bot_env: dict[str, str]
) -> None:
    handle = await fake.invoke(
        "subscribe", {"kind": "checkin", **due_now()}, user_id=lab.member, guild_id=lab.guild_id
    )
    assert "on its way" in text_of(await handle.wait_message())
    await fake.wait_until(lambda: len(fake.dm_messages(lab.member)) >= 1, 15, description="the weekly DM")
    [dm] = fake.dm_messages(lab.member)
    assert "kindred:crisis" in custom_ids(dm)
    button = f"kindred:checkin:{lab.guild_id}"
    assert button in custom_ids(dm)
    clicked = await fake.click(dm, button, user_id=lab.member)
    modal = await clicked.modal()
    done = await fake.submit_modal(modal["custom_id"], {"mood": ["4"], "energy": ["4"]}, user_id=lab.member)
    assert "Thank you for checking in" in text_of(await done.wait_message())
    assert count_checkins(kindred.db_path) == 1

    # Restart the bot process: the same week's DM is never sent again.
    assert await kindred.stop() == 0
    async with running_bot(fake, tmp_path, env=bot_env):
        # A second member subscribing now proves the dispatcher ran after the restart.
        other = await fake.invoke(
            "subscribe",
            {"kind": "prompt", **due_now()},
            user_id=lab.zh_member,
            guild_id=lab.guild_id,
            locale="en-US",
        )
        await other.wait_message()
        await fake.wait_until(lambda: len(fake.dm_messages(lab.zh_member)) >= 1, 15, description="second DM")
        # The button from before the restart still works (a persistent DynamicItem).
        again = await fake.click(dm, button, user_id=lab.member)
        assert (await again.response())["type"] == 9
    assert len(fake.dm_messages(lab.member)) == 1
    assert_no_user_id(tmp_path / "kindred.sqlite3", lab.member, lab.zh_member)


async def test_closed_dms_pause_the_subscription_and_privacy_show_says_so(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    fake.close_dms(lab.member)
    handle = await fake.invoke(
        "subscribe", {"kind": "checkin", **due_now()}, user_id=lab.member, guild_id=lab.guild_id
    )
    await handle.wait_message()
    dm_channel = fake.dm_channel_id(lab.member)
    await fake.wait_for(
        lambda r: r.method == "POST" and r.path == f"/channels/{dm_channel}/messages" and r.status == 403, 15
    )
    for _ in range(50):
        show = await fake.invoke("privacy show", user_id=lab.member, guild_id=lab.guild_id)
        text = text_of(await show.wait_message())
        if "paused" in text:
            break
    assert "paused because your DMs were closed" in text
    assert fake.messages(lab.general) == []  # nothing posted publicly instead
    # Subscribing again resumes it and says it had been paused.
    fake.open_dms(lab.member)
    again = await fake.invoke(
        "subscribe", {"kind": "checkin", **due_now()}, user_id=lab.member, guild_id=lab.guild_id
    )
    assert "paused because your DMs were closed" in text_of(await again.wait_message())


async def test_unsubscribe(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    future = {"day": "monday", "time": "09:30", "timezone": "Europe/London"}
    await (
        await fake.invoke(
            "subscribe", {"kind": "prompt", **future}, user_id=lab.member, guild_id=lab.guild_id
        )
    ).wait_message()
    gone = await fake.invoke("unsubscribe", {"kind": "prompt"}, user_id=lab.member, guild_id=lab.guild_id)
    assert "won't get" in text_of(await gone.wait_message())
    again = await fake.invoke("unsubscribe", {"kind": "prompt"}, user_id=lab.member, guild_id=lab.guild_id)
    assert "weren't subscribed" in text_of(await again.wait_message())


@pytest.mark.parametrize(
    ("field", "value", "expected", "example"),
    [
        ("day", "someday", "as a day", "Monday"),
        ("time", "25:99", "as a time", "09:30"),
        ("timezone", "Mars/Olympus", "timezone", "Europe/London"),
    ],
)
async def test_subscribe_refuses_bad_input_kindly(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess, field: str, value: str, expected: str, example: str
) -> None:
    options = {"kind": "checkin", "day": "monday", "time": "09:30", "timezone": "UTC", field: value}
    handle = await fake.invoke("subscribe", options, user_id=lab.member, guild_id=lab.guild_id)
    text = text_of(await handle.wait_message())
    assert expected in text and example in text and value in text
    assert rows(kindred.db_path, "SELECT count(*) FROM subscriptions") == [(0,)]


async def test_timezone_autocomplete_puts_research_hubs_first(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    choices = await fake.autocomplete(
        "subscribe",
        {"kind": "checkin", "day": "monday", "time": "9:00", "timezone": "euro"},
        "timezone",
        user_id=lab.member,
        guild_id=lab.guild_id,
    )
    assert [c["value"] for c in choices][:2] == ["Europe/London", "Europe/Berlin"]


async def test_privacy_export_and_delete(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    future = {"day": "friday", "time": "16:00", "timezone": "Asia/Shanghai"}
    await (
        await fake.invoke(
            "subscribe", {"kind": "checkin", **future}, user_id=lab.member, guild_id=lab.guild_id
        )
    ).wait_message()
    await check_in(fake, lab, lab.member)
    export = await fake.invoke("privacy export", user_id=lab.member, guild_id=lab.guild_id)
    message = await export.wait_message()
    assert message["flags"] & EPHEMERAL
    [upload] = export.response_files
    data = json.loads(upload.data)
    assert data["subscriptions"][0]["timezone"] == "Asia/Shanghai"
    assert data["subscriptions"][0]["guild_id"] == str(lab.guild_id)
    assert data["checked_in_this_week"][0]["guild_id"] == str(lab.guild_id)
    assert "mood" not in upload.data.decode()
    assert "cannot be exported" in data["not_included"]

    ask = await fake.invoke("privacy delete", user_id=lab.member, guild_id=lab.guild_id)
    confirm = await ask.wait_message()
    assert "kindred:privacy:delete:confirm" in custom_ids(confirm)
    stranger = await fake.invoke("privacy show", user_id=lab.zh_member, guild_id=lab.guild_id)
    await stranger.wait_message()
    deleted = await fake.click(confirm, "kindred:privacy:delete:confirm", user_id=lab.member)
    assert "deleted" in text_of((await deleted.response())["data"])
    show = await fake.invoke("privacy show", user_id=lab.member, guild_id=lab.guild_id)
    text = text_of(await show.wait_message())
    assert "Weekly DMs" not in text and "checked in this week" in text  # only the receipt is left
    assert count_checkins(kindred.db_path) == 1  # anonymous answers stay: nothing links them
    assert rows(kindred.db_path, "SELECT count(*) FROM subscriptions") == [(0,)]
    assert rows(kindred.db_path, "SELECT count(*) FROM deliveries") == [(0,)]
    # Issue 11 (stuffing): deleting does not free a second check-in this week, so one account cannot
    # add chosen answers and subtract them from next week's /pulse to read a colleague's.
    assert "already" in await check_in(fake, lab, lab.member)
    assert count_checkins(kindred.db_path) == 1
    assert rows(kindred.db_path, "SELECT count(*) FROM receipts") == [(1,)]
