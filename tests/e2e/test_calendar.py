"""Issue 18 end to end: /admin calendar follow, add, list and remove against the real bot process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.schedule import week_monday
from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess
from tests.dbview import rows
from tests.e2e.conftest import Lab
from tests.e2e.messages import EPHEMERAL, text_of
from tests.e2e.timing import slot_a_minute_ago

pytestmark = pytest.mark.e2e


async def test_follow_a_venue_by_autocomplete_then_list_in_lab_and_member_time(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    setup = await fake.invoke(
        "admin setup", {"timezone": "Asia/Shanghai"}, user_id=lab.owner, guild_id=lab.guild_id
    )
    await setup.wait_message()
    choices = await fake.autocomplete(
        "admin calendar follow", {"venue": "evolutionary"}, "venue", user_id=lab.owner, guild_id=lab.guild_id
    )
    assert [c["value"] for c in choices] == ["cec"]
    assert "next: Paper submission deadline" in choices[0]["name"]
    handle = await fake.invoke(
        "admin calendar follow", {"venue": "cec"}, user_id=lab.owner, guild_id=lab.guild_id
    )
    message = await handle.wait_message()
    text = text_of(message)
    assert message["flags"] & EPHEMERAL
    assert "Following **CEC**" in text and "snapshot of 2026-07-16" in text
    # 2027-01-15 23:59:59 AoE is 2027-01-16 11:59:59 UTC, 19:59 in Shanghai; <t:> is each reader's own time.
    assert "Sat 16 Jan 2027, 19:59 (Asia/Shanghai)" in text and "<t:1800100799:F>" in text
    assert "huggingface/ai-deadlines" in text
    assert rows(kindred.db_path, "SELECT guild_id, series FROM calendar_follows") == [(lab.guild_id, "cec")]

    again = await fake.invoke(
        "admin calendar follow", {"venue": "cec"}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "already follows **CEC**" in text_of(await again.wait_message())

    add = await fake.invoke(
        "admin calendar add",
        {"date": "2027-01-10 17:00", "title": "Thesis submission", "zone": "Europe/London"},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "Added **Thesis submission** as lab-1" in text_of(await add.wait_message())
    listing = await fake.invoke("admin calendar list", user_id=lab.owner, guild_id=lab.guild_id)
    text = text_of(await listing.wait_message())
    assert "Following: CEC" in text
    assert "**Thesis submission** (lab-1): Mon 11 Jan 2027, 01:00 (Asia/Shanghai)" in text
    assert text.index("Thesis submission") < text.index("Paper submission deadline")  # soonest first

    remove = await fake.invoke(
        "admin calendar remove", {"date_id": "lab-1"}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "Removed lab-1." in text_of(await remove.wait_message())
    assert rows(kindred.db_path, "SELECT count(*) FROM calendar_dates") == [(0,)]


async def test_bad_input_is_explained_and_changes_nothing(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    cases = [
        ("admin calendar follow", {"venue": "NotAConference"}, "has no venue called **NotAConference**"),
        ("admin calendar add", {"date": "next friday", "title": "Quals"}, "isn't a date kindred can read"),
        (
            "admin calendar add",
            {"date": "2027-02-01", "title": "Quals", "zone": "Mars/Base"},
            "isn't a time zone",
        ),
        ("admin calendar add", {"date": "2027-02-01"}, "Please give the date a title"),
        ("admin calendar add", {"date": "2027-02-01", "correct": "neurips:2031:paper"}, "no shipped date"),
        ("admin calendar unfollow", {"venue": "cec"}, "doesn't follow **cec**"),
        ("admin calendar remove", {"date_id": "lab-9"}, "There is no lab date **lab-9**"),
    ]
    for command, options, expected in cases:
        handle = await fake.invoke(command, options, user_id=lab.owner, guild_id=lab.guild_id)
        assert expected in text_of(await handle.wait_message()), command
    assert rows(kindred.db_path, "SELECT count(*) FROM calendar_dates") == [(0,)]
    assert rows(kindred.db_path, "SELECT count(*) FROM calendar_follows") == [(0,)]


async def test_members_are_refused_and_offered_nothing(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    fake.allow_command(lab.guild_id, "admin", lab.member)
    handle = await fake.invoke(
        "admin calendar follow", {"venue": "cec"}, user_id=lab.member, guild_id=lab.guild_id
    )
    assert "Only the lab's moderators" in text_of(await handle.wait_message())
    choices = await fake.autocomplete(
        "admin calendar follow", {"venue": "ne"}, "venue", user_id=lab.member, guild_id=lab.guild_id
    )
    assert choices == []
    assert rows(kindred.db_path, "SELECT count(*) FROM calendar_follows") == [(0,)]


async def test_a_moderator_corrects_a_shipped_date(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    await (
        await fake.invoke("admin calendar follow", {"venue": "cec"}, user_id=lab.owner, guild_id=lab.guild_id)
    ).wait_message()
    choices = await fake.autocomplete(
        "admin calendar add",
        {"date": "2027-01-20", "correct": "paper"},
        "correct",
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "cec:2027:paper" in [c["value"] for c in choices]
    fix = await fake.invoke(
        "admin calendar add",
        {"date": "2027-01-20", "correct": "cec:2027:paper", "zone": "AoE"},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "Corrected:" in text_of(await fix.wait_message())
    listing = await fake.invoke("admin calendar list", user_id=lab.owner, guild_id=lab.guild_id)
    text = text_of(await listing.wait_message())
    assert "Paper submission deadline** (corrected by a moderator): Thu 21 Jan 2027, 11:59 (UTC)" in text
    assert "16 Jan 2027" not in text


def due_now() -> dict[str, str]:
    """/subscribe options for a weekly slot that fell one minute ago (UTC)."""
    day, time = slot_a_minute_ago()
    return {"day": day, "time": time, "timezone": "UTC"}


async def test_quiet_during_deadline_weeks_skips_only_the_subscribers_who_chose_it(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    soon = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%d")
    add = await fake.invoke(
        "admin calendar add",
        {"date": soon, "title": "Grant report"},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "Added **Grant report**" in text_of(await add.wait_message())
    quiet = await fake.invoke(
        "subscribe",
        {"kind": "prompt", **due_now(), "quiet_in_deadline_weeks": True},
        user_id=lab.member,
        guild_id=lab.guild_id,
    )
    assert "Quiet during deadline weeks" in text_of(await quiet.wait_message())
    loud = await fake.invoke(
        "subscribe", {"kind": "prompt", **due_now()}, user_id=lab.zh_member, guild_id=lab.guild_id
    )
    await loud.wait_message()
    await fake.wait_until(
        lambda: len(fake.dm_messages(lab.zh_member)) >= 1, 15, description="the loud member's DM"
    )
    await fake.wait_until(
        lambda: "1 skipped (quiet week)" in kindred.logs(), 15, description="the quiet skip"
    )
    assert fake.dm_messages(lab.member) == []
    assert sorted(rows(kindred.db_path, "SELECT quiet_deadlines FROM subscriptions")) == [(0,), (1,)]
    # The week is handled like any other (the record never says why), so it is not retried.
    assert rows(kindred.db_path, "SELECT count(*) FROM deliveries") == [(2,)]


async def test_quiet_subscribers_still_get_their_dm_outside_deadline_weeks(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    later = (datetime.now(UTC) + timedelta(days=12)).strftime("%Y-%m-%d")
    add = await fake.invoke(
        "admin calendar add", {"date": later, "title": "Quals"}, user_id=lab.owner, guild_id=lab.guild_id
    )
    await add.wait_message()
    quiet = await fake.invoke(
        "subscribe",
        {"kind": "prompt", **due_now(), "quiet_in_deadline_weeks": True},
        user_id=lab.member,
        guild_id=lab.guild_id,
    )
    await quiet.wait_message()
    await fake.wait_until(lambda: len(fake.dm_messages(lab.member)) >= 1, 15, description="the weekly DM")


async def test_pulse_marks_a_deadline_week_and_shows_the_same_figures(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    from tests.e2e.test_pulse import LAB_HISTORY, LAST, lab_bot, pulse

    wednesday = (week_monday(LAST) + timedelta(days=2)).isoformat()
    async with lab_bot(fake, lab, tmp_path, bot_env, LAB_HISTORY):
        _, before, [plain] = await pulse(fake, lab)
        add = await fake.invoke(
            "admin calendar add",
            {"date": wednesday, "title": "Quals", "zone": "UTC"},
            user_id=lab.owner,
            guild_id=lab.guild_id,
        )
        assert "Added **Quals**" in text_of(await add.wait_message())
        _, after, [marked] = await pulse(fake, lab)
    assert f"Calendar weeks (▲ on the chart): W{LAST[6:]} Quals deadline" in after
    assert "it isn't about anyone" in after
    # k and the closed-week rule are unchanged: the text is the same but for the calendar note.
    note = after[
        after.index("\n\nCalendar weeks") : after.index("it isn't about anyone.")
        + len("it isn't about anyone.")
    ]
    assert after.replace(note, "") == before
    assert "**9 check-ins** that week." in after and marked != plain
