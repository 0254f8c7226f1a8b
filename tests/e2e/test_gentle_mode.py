"""Issue 18 end to end: /admin event start|end (gentle mode), its notice, the reminder button, restarts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot
from fakediscord.interactions import Channel, OptionValue
from fakediscord.permissions import Permission
from tests.dbview import rows, stored_bytes, write
from tests.e2e.conftest import Lab
from tests.e2e.messages import EPHEMERAL, custom_ids, text_of
from tests.e2e.test_calendar_cadence import section
from tests.e2e.test_reach import setup_reach
from tests.e2e.test_sandbox import run_script

pytestmark = pytest.mark.e2e

JSON = dict[str, Any]


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
    # Bereavement services only: the grief topic's psychosis-care links do not belong in this notice.
    assert "https://www.cruse.org.uk" in text and "psychosis" not in text.lower()
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
        assert str(lab.member).encode() not in stored_bytes(restarted.db_path)  # sealed, never the user id
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


# -- memories for the condolences thread (cogs/_memories.py) -----------------------------------


async def start_gentle(fake: FakeDiscord, lab: Lab, **setup: OptionValue) -> tuple[JSON, int]:
    """Set the lab up (no review mode: memories are reviewed anyway) and start gentle mode."""
    handle = await fake.invoke(
        "admin setup",
        {
            "prompts_channel": Channel(lab.prompts),
            "alerts_channel": Channel(lab.alerts),
            "share_delay": 0,
            **setup,
        },
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "Saved" in text_of(await handle.wait_message())
    start = await fake.invoke(
        "admin event start", {"kind": "bereavement", "weeks": 2}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "Gentle mode is on until" in text_of(await start.wait_message())
    [notice] = fake.messages(lab.prompts)
    [thread] = fake.threads(lab.prompts)
    assert thread["thread_metadata"]["auto_archive_duration"] == 10080  # a week between memories
    return notice, int(thread["id"])


async def share_memory(
    fake: FakeDiscord, lab: Lab, notice: JSON, text: str, *, user: int | None = None
) -> JSON:
    clicked = await fake.click(notice, f"kindred:memory:{lab.guild_id}", user_id=user or lab.member)
    modal = await clicked.modal()
    assert modal["title"] == "Share a memory"
    submitted = await fake.submit_modal(modal["custom_id"], {"text": text}, user_id=user or lab.member)
    return await submitted.wait_message()


def decision(alert: JSON, action: str) -> str:
    return next(c for c in custom_ids(alert) if f":{action}:" in c)


def thread_posts(fake: FakeDiscord, thread_id: int) -> list[JSON]:
    """The thread's messages after kindred's own introduction."""
    return fake.messages(thread_id)[1:]


async def test_a_memory_is_always_reviewed_then_posted_in_the_thread_anonymously_across_a_restart(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, kindred: BotProcess, bot_env: dict[str, str]
) -> None:
    notice, thread_id = await start_gentle(fake, lab, peer_channel=Channel(lab.peer))
    assert "press **Share a memory anonymously**" in text_of(notice)
    assert f"kindred:memory:{lab.guild_id}" in custom_ids(notice)
    memory = "Ana always left the last coffee for whoever was on the late shift. I will miss her laugh."
    reply = await share_memory(fake, lab, notice, memory)
    text = text_of(reply)
    assert reply["flags"] & EPHEMERAL and "A moderator will read your memory" in text
    assert f"<#{thread_id}>" in text and "/crisis" in text and "kindred:crisis" in custom_ids(reply)
    assert "code" not in text.lower()  # nothing to answer as the author: no code is handed out
    # Held for review although the lab's review mode is off; nothing is posted yet.
    assert thread_posts(fake, thread_id) == [] and fake.messages(lab.peer) == []
    [alert] = fake.messages(lab.alerts)
    shown = text_of(alert)
    assert "A memory for the condolences thread, waiting for review" in shown
    assert "**Memories and condolences** thread" in shown and f"<#{thread_id}>" in shown
    assert "not a /share" in shown and "last coffee" in shown
    # The database holds the text until a decision, but never who wrote it.
    stored = stored_bytes(kindred.db_path)
    assert (
        b"last coffee" in stored and str(lab.member).encode() not in stored and b"phd-student" not in stored
    )
    assert rows(kindred.db_path, "SELECT thread_id FROM pending_shares") == [(thread_id,)]

    # Restart between submitting and approving: the review buttons and the queue survive.
    assert await kindred.stop() == 0
    async with running_bot(fake, tmp_path, env=bot_env) as restarted:
        await fake.wait_until(lambda: "ready as" in restarted.logs(), 15, description="on_ready")
        refused = await fake.click(alert, decision(alert, "approve"), user_id=lab.member)
        assert "Only the lab's moderators" in text_of((await refused.response())["data"])
        approved = await fake.click(alert, decision(alert, "approve"), user_id=lab.owner)
        await approved.response()
        await fake.wait_until(lambda: len(thread_posts(fake, thread_id)) == 1, 15, description="the memory")
        [posted] = thread_posts(fake, thread_id)
        assert "A memory, shared anonymously" in text_of(posted) and "last coffee" in text_of(posted)
        assert "/crisis" in text_of(posted) and "kindred:crisis" in custom_ids(posted)
        assert fake.messages(lab.peer) == []  # the thread, not the share channel
        [request] = [
            r for r in fake.requests if r.method == "POST" and r.path == f"/channels/{thread_id}/messages"
        ][1:]
        payload = json.dumps(request.json)
        assert str(lab.member) not in payload and "phd-student" not in payload
        assert request.json is not None and request.json["allowed_mentions"]["parse"] == []
        await fake.wait_until(
            lambda: "Approved by" in text_of(fake.message(int(alert["id"]))), 10, description="decided"
        )
        decided = fake.message(int(alert["id"]))
        assert f"<#{thread_id}>" in text_of(decided) and custom_ids(decided) == []
        assert rows(restarted.db_path, "SELECT count(*) FROM pending_shares") == [(0,)]
        assert b"last coffee" not in stored_bytes(restarted.db_path)
        logs = kindred.logs() + restarted.logs()
    assert "last coffee" not in logs and "miss her laugh" not in logs


async def test_a_rejected_memory_is_deleted_and_a_flagged_one_brings_crisis_lines_at_once(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    notice, thread_id = await start_gentle(fake, lab)  # no peer channel: memories need only moderators
    await share_memory(fake, lab, notice, "He taught me to plot error bars properly.")
    [alert] = fake.messages(lab.alerts)
    rejected = await fake.click(alert, decision(alert, "reject"), user_id=lab.owner)
    assert "Rejected" in text_of((await rejected.response())["data"])
    assert rows(kindred.db_path, "SELECT count(*) FROM pending_shares") == [(0,)]
    assert b"error bars" not in stored_bytes(kindred.db_path)

    reply = await share_memory(fake, lab, notice, "since she died i just want to die too")
    text = text_of(reply)
    assert "116 123" in text and "emergency number" in text  # en-GB member: UK lines, at once
    assert "flag" not in text.lower() and "crisis language" not in text.lower()  # never told why
    assert "kindred:crisis" in custom_ids(reply)
    flagged = fake.messages(lab.alerts)[-1]
    assert "crisis language" in text_of(flagged) and "condolences thread" in text_of(flagged)
    support = await fake.click(flagged, decision(flagged, "support"), user_id=lab.owner)
    assert f"<#{thread_id}>" in text_of(await support.wait_message())
    [care] = thread_posts(fake, thread_id)  # the support message, in the thread, naming no one
    assert "You're not alone" in text_of(care) and "want to die" not in text_of(care)
    await asyncio.sleep(1.5)  # a few publisher passes: nothing of the rejected or held memory appears
    assert [text_of(m) for m in thread_posts(fake, thread_id)] == [text_of(care)]
    assert "want to die" not in kindred.logs()


async def test_after_the_end_approved_memories_still_reach_the_thread_or_are_dropped_if_it_is_closed(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    notice, thread_id = await start_gentle(fake, lab, share_limit=5)
    for text in ("memory one: she hummed while pipetting", "memory two: the lab hike", "memory three: cake"):
        await share_memory(fake, lab, notice, text)
    first, second, third = fake.messages(lab.alerts)
    end = await fake.invoke("admin event end", user_id=lab.owner, guild_id=lab.guild_id)
    ended = text_of(await end.wait_message())
    assert "Gentle mode has ended" in ended and "Memories still waiting for review or posting: 3" in ended
    late = await fake.click(notice, f"kindred:memory:{lab.guild_id}", user_id=lab.zh_member)
    assert "不再接收新的回忆" in text_of(await late.wait_message())  # kind refusal, in Chinese

    # An archived thread is reopened for an approved memory.
    fake.set_thread_state(thread_id, archived=True)
    approved = await fake.click(first, decision(first, "approve"), user_id=lab.owner)
    await approved.response()
    await fake.wait_until(lambda: len(thread_posts(fake, thread_id)) == 1, 15, description="memory one")
    assert "hummed while pipetting" in text_of(thread_posts(fake, thread_id)[0])

    # A locked thread cannot take one: dropped unposted, and the review message says so.
    fake.set_thread_state(thread_id, archived=False, locked=True)
    approved = await fake.click(second, decision(second, "approve"), user_id=lab.owner)
    await approved.response()
    await fake.wait_until(
        lambda: "could not be posted" in text_of(fake.message(int(second["id"]))), 15, description="dropped"
    )
    assert custom_ids(fake.message(int(second["id"]))) == []

    # A deleted thread, found by the publisher after the jittered delay: dropped, the moderators told.
    setup = await fake.invoke("admin setup", {"share_delay": 30}, user_id=lab.owner, guild_id=lab.guild_id)
    assert "Saved" in text_of(await setup.wait_message())
    fake.delete_thread(thread_id)
    approved = await fake.click(third, decision(third, "approve"), user_id=lab.owner)
    assert "within about 30 minutes" in text_of((await approved.response())["data"])
    # Make it due, as if the delay had passed.
    assert (
        write(kindred.db_path, "UPDATE pending_shares SET publish_after = '2000-01-01T00:00:00+00:00'") == 1
    )
    await fake.wait_until(lambda: len(fake.messages(lab.alerts)) == 4, 15, description="dropped note")
    assert "could not be posted" in text_of(fake.messages(lab.alerts)[-1])
    assert rows(kindred.db_path, "SELECT count(*) FROM pending_shares") == [(0,)]
    stored, logs = stored_bytes(kindred.db_path), kindred.logs()
    assert b"lab hike" not in stored and b"cake" not in stored
    assert logs.count("memory was dropped unposted") == 2
    assert "lab hike" not in logs and "cake" not in logs and "memory one" not in logs
    assert all(
        "lab hike" not in text_of(m) and "cake" not in text_of(m) for m in fake.messages(lab.alerts)[1:]
    )


def test_a_memory_waits_the_jittered_delays_before_review_and_before_the_thread(tmp_path: Path) -> None:
    """The lab's usual 10-minute delay, in the sandbox's clock: neither step happens at once."""
    script = """\
:as moderator
/admin setup prompts_channel:#prompts alerts_channel:#mod-alerts
/admin event start kind:suicide_loss weeks:2
:as member
:press 2
> text: She always asked how our experiments were going, and meant it.
:clock +15m
:as moderator
:press 1
:clock +15m
:quit
"""
    result = run_script(script, tmp_path, "--clock", "2026-11-23T09:00Z", "--color", "never")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "[2] 🕯️ Share a memory anonymously (button)" in out
    submitted = section(out, ":press 2", ":clock +15m")
    assert "A moderator will read your memory" in submitted and "#mod-alerts" not in submitted
    review = section(out, ":clock +15m", ":as moderator")
    assert "A memory for the condolences thread, waiting for review" in review and "not a /share" in review
    approved = section(out, ":press 1", ":clock +15m")
    assert "within about 10 minutes" in approved and "A memory, shared anonymously" not in approved
    posted = out[out.rindex(":clock +15m") :]
    assert "Memories and condolences · kindred" in posted and "A memory, shared anonymously" in posted
    assert "meant it." in posted and "/crisis" in posted
