"""Issue 16 end to end: /reach conversations with the wellbeing reps through the fake Discord."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot
from fakediscord.interactions import Channel, InvocationRejectedError, Role
from fakediscord.permissions import Permission
from tests.dbview import rows, stored_bytes, write
from tests.e2e.conftest import Lab, sync_commands
from tests.e2e.messages import EPHEMERAL, custom_ids, text_of

pytestmark = pytest.mark.e2e

CODE = re.compile(r"`([A-Za-z0-9_-]{24})`")
REPS_BOT_PERMISSIONS = int(
    Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.CREATE_PRIVATE_THREADS
    | Permission.SEND_MESSAGES_IN_THREADS
    | Permission.MANAGE_THREADS
    | Permission.MANAGE_MESSAGES
    | Permission.READ_MESSAGE_HISTORY
)
Message = dict[str, Any]


async def setup_reach(fake: FakeDiscord, lab: Lab) -> int:
    """A private reps channel where kindred may open private threads, and /admin setup pointing at it."""
    reps = fake.add_text_channel(lab.guild_id, "wellbeing-reps").id
    fake.allow(reps, fake.bot_role_id(lab.guild_id), REPS_BOT_PERMISSIONS)
    # Reps see every private thread in their channel (Manage Threads); members do not.
    fake.allow(reps, lab.moderator_role, int(Permission.VIEW_CHANNEL | Permission.MANAGE_THREADS))
    handle = await fake.invoke(
        "admin setup",
        {"reps_channel": Channel(reps), "moderator_role": Role(lab.moderator_role)},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "Saved" in text_of(await handle.wait_message())
    return reps


async def reach(
    fake: FakeDiscord, lab: Lab, text: str, *, user: int | None = None, **options: object
) -> tuple[Message, str]:
    """Open a conversation; returns the receipt and the code it shows."""
    member = user or lab.member
    handle = await fake.invoke("reach start", dict(options), user_id=member, guild_id=lab.guild_id)  # type: ignore[arg-type]
    modal = await handle.modal()
    if member == lab.member:  # the form says plainly who will know, and what a DM notice keeps
        about = json.dumps(modal)
        assert ("is NAMED" if options.get("named") else "is ANONYMOUS") in about
        assert ("deletes it when the conversation closes" in about) == bool(options.get("notify"))
    submitted = await fake.submit_modal(modal["custom_id"], {"message": text}, user_id=member)
    receipt = await submitted.wait_message()
    assert receipt["flags"] & EPHEMERAL
    found = CODE.search(text_of(receipt))
    assert found, text_of(receipt)
    return receipt, found.group(1)


async def the_thread(fake: FakeDiscord, reps: int, n: int = 1) -> Message:
    await fake.wait_until(lambda: len(fake.threads(reps)) >= n, 10, description="a private thread")
    return fake.threads(reps)[n - 1]


async def member_post(fake: FakeDiscord, thread_id: int, n: int = 1) -> Message:
    """The n-th member message kindred posted in the thread (the one with the rep buttons)."""

    def posts() -> list[Message]:
        return [m for m in fake.messages(thread_id) if any("reach-rep:team" in c for c in custom_ids(m))]

    await fake.wait_until(lambda: len(posts()) >= n, 10, description=f"member message #{n} in the thread")
    return posts()[n - 1]


async def rep_reply(
    fake: FakeDiscord, lab: Lab, post: Message, text: str, *, as_team: bool = True
) -> Message:
    button = next(c for c in custom_ids(post) if (":team:" if as_team else ":own:") in c)
    clicked = await fake.click(post, button, user_id=lab.moderator)
    modal = await clicked.modal()
    submitted = await fake.submit_modal(modal["custom_id"], {"reply": text}, user_id=lab.moderator)
    return await submitted.wait_message()


async def press(fake: FakeDiscord, receipt: Message, action: str, user: int) -> Any:
    button = next(c for c in custom_ids(receipt) if c.startswith(f"kindred:reach:{action}:"))
    return await fake.click(receipt, button, user_id=user)


async def read_replies(fake: FakeDiscord, receipt: Message, user: int) -> str:
    clicked = await press(fake, receipt, "read", user)
    return text_of(await clicked.wait_message())


async def confirm(fake: FakeDiscord, handle: Any, user: int) -> str:
    prompt = await handle.wait_message()
    button = next(c for c in custom_ids(prompt) if c.endswith(":confirm"))
    done = await fake.click(prompt, button, user_id=user)
    return text_of((await done.response())["data"])


def identity_forms(user_id: int) -> list[bytes]:
    """How a user id could sit in a file: decimal text, and 8-byte big- and little-endian integers."""
    return [str(user_id).encode(), user_id.to_bytes(8, "big"), user_id.to_bytes(8, "little")]


async def test_reach_needs_setup(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    handle = await fake.invoke("reach start", user_id=lab.member, guild_id=lab.guild_id)
    assert "hasn't set up /reach" in text_of(await handle.wait_message())


async def test_anonymous_conversation_round_trip_leaves_no_member_id(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    reps = await setup_reach(fake, lab)
    text = f"@everyone <@{lab.owner}> my supervisor shouts at me in group meetings and I dread Mondays"
    receipt, code = await reach(fake, lab, text)
    shown = text_of(receipt)
    assert "reached the wellbeing reps" in shown and "kindred:crisis" in custom_ids(receipt)
    thread = await the_thread(fake, reps)
    assert thread["type"] == 12 and thread["thread_metadata"]["invitable"] is False
    assert re.fullmatch(r"reach-[a-z2-9]{8}", thread["name"])
    thread_id = int(thread["id"])
    assert lab.member not in fake.thread_members(thread_id)  # anonymous: the member is not in the thread
    with pytest.raises(InvocationRejectedError, match="cannot see channel"):
        await fake.invoke("help", user_id=lab.member, guild_id=lab.guild_id, channel_id=thread_id)
    post = await member_post(fake, thread_id)
    assert "dread Mondays" in text_of(post)
    assert len(fake.threads(reps)) == 1  # posted once: the member's submission and the job never both post
    assert "@everyone" not in text_of(post).replace("@\u200beveryone", "")
    assert f"<@{lab.owner}>" not in text_of(post)
    assert str(lab.member) not in str(fake.messages(thread_id))
    # The member text left the database once it was in the thread.
    assert rows(kindred.db_path, "SELECT count(*) FROM reach_outbox") == [(0,)]

    # The team answers, then a rep under their own name; both carry /crisis.
    team = await rep_reply(fake, lab, post, "Thank you for telling us. That sounds exhausting.")
    assert "as the wellbeing team" in text_of(team) and "kindred:crisis" in custom_ids(team)
    named = await rep_reply(fake, lab, post, "I'm happy to talk this week.", as_team=False)
    assert "Reply sent by wellbeing-rep" in text_of(named)
    replies = await read_replies(fake, receipt, lab.member)
    assert "The wellbeing team" in replies and "That sounds exhausting" in replies
    assert "wellbeing-rep, wellbeing rep" in replies and "happy to talk" in replies
    assert rows(kindred.db_path, "SELECT rep_id, as_team FROM reach_replies ORDER BY seq") == [
        (lab.moderator, 1),
        (lab.moderator, 0),
    ]

    # The member answers through the receipt.
    answer = await press(fake, receipt, "answer", lab.member)
    modal = await answer.modal()
    sent = await fake.submit_modal(
        modal["custom_id"], {"message": "Thank you. Maybe Thursday?"}, user_id=lab.member
    )
    assert "reach the reps" in text_of(await sent.wait_message())
    second = await member_post(fake, thread_id, 2)
    assert "Maybe Thursday" in text_of(second)

    # A code that opens nothing is refused kindly; another member cannot guess one.
    wrong = await fake.invoke("reach code", user_id=lab.zh_member, guild_id=lab.guild_id)
    wrong_modal = await wrong.modal()
    refused = await fake.submit_modal(wrong_modal["custom_id"], {"code": "A" * 24}, user_id=lab.zh_member)
    assert "打不开任何对话" in text_of(await refused.wait_message())  # in the member's language

    # The byte scan: the member's id is nowhere in the database, its WAL or the thread's name.
    data = stored_bytes(kindred.db_path)
    for form in identity_forms(lab.member):
        assert form not in data, "member id stored"
    assert code.encode() not in data, "the code itself stored"
    assert b"dread Mondays" not in data and b"Maybe Thursday" not in data
    assert str(lab.member) not in thread["name"]
    assert b"sounds exhausting" in data  # replies are kept for the code (and the scan sees the tables)

    # Close and delete: the thread and the rows go, the code opens nothing.
    closed = await confirm(fake, await press(fake, receipt, "close", lab.member), lab.member)
    assert "Closed and deleted" in closed
    await fake.wait_until(lambda: fake.threads(reps) == [], 10, description="the thread deleted")
    assert rows(kindred.db_path, "SELECT count(*) FROM reach_conversations") == [(0,)]
    assert rows(kindred.db_path, "SELECT count(*) FROM reach_replies") == [(0,)]
    assert b"sounds exhausting" not in stored_bytes(kindred.db_path), "a deleted reply remains on disk"
    again = await press(fake, receipt, "read", lab.member)
    assert "doesn't open any conversation" in text_of(await again.wait_message())


async def test_named_conversation_adds_the_member_and_reveal_turns_anonymous_into_named(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    reps = await setup_reach(fake, lab)
    receipt, _ = await reach(fake, lab, "I'd like to talk about my visa worries.", named=True)
    assert not any(":reveal:" in c for c in custom_ids(receipt))
    thread = await the_thread(fake, reps)
    assert lab.member in fake.thread_members(int(thread["id"]))
    assert "chose to be named" in text_of(fake.messages(int(thread["id"]))[0])

    receipt2, _ = await reach(fake, lab, "And something else, anonymously.", user=lab.zh_member)
    thread2 = await the_thread(fake, reps, 2)
    thread2_id = int(thread2["id"])
    assert lab.zh_member not in fake.thread_members(thread2_id)
    revealed = await confirm(fake, await press(fake, receipt2, "reveal", lab.zh_member), lab.zh_member)
    assert "know who you are" in revealed or "知道你是谁" in revealed
    assert lab.zh_member in fake.thread_members(thread2_id)
    assert any(f"<@{lab.zh_member}>" in text_of(m) for m in fake.messages(thread2_id))
    assert rows(kindred.db_path, "SELECT named FROM reach_conversations ORDER BY named") == [(1,), (1,)]


async def test_crisis_message_is_urgent_for_reps_and_member_sees_lines_at_once(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    reps = await setup_reach(fake, lab)
    receipt, _ = await reach(fake, lab, "honestly i just want to die, i can't keep going like this")
    text = text_of(receipt)
    assert "116 123" in text and "don't have to wait" in text  # en-GB member: UK lines at once
    thread = await the_thread(fake, reps)
    thread_id = int(thread["id"])
    await member_post(fake, thread_id)
    await fake.wait_until(lambda: len(fake.pins(thread_id)) == 1, 10, description="the urgent note pinned")
    note = fake.message(fake.pins(thread_id)[0])
    assert "Urgent" in text_of(note) and str(lab.member) not in str(note)
    assert rows(kindred.db_path, "SELECT urgent FROM reach_conversations") == [(1,)]
    status = await fake.invoke("admin status", user_id=lab.owner, guild_id=lab.guild_id)
    assert "urgent 1" in text_of(await status.wait_message())


async def test_block_is_kind_and_the_appeal_goes_to_another_rep(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    reps = await setup_reach(fake, lab)
    await reach(fake, lab, "spam spam spam")
    thread_id = int((await the_thread(fake, reps))["id"])
    post = await member_post(fake, thread_id)
    block = next(c for c in custom_ids(post) if ":block:" in c)
    clicked = await fake.click(post, block, user_id=lab.moderator)
    modal = await clicked.modal()
    blocked = await fake.submit_modal(modal["custom_id"], {"days": "14"}, user_id=lab.moderator)
    note = text_of(await blocked.wait_message())
    assert "blocked the author" in note and "stay anonymous" in note and str(lab.member) not in note

    refused = await fake.invoke("reach start", user_id=lab.member, guild_id=lab.guild_id)
    form = await refused.modal()
    answer = await fake.submit_modal(form["custom_id"], {"message": "hello again"}, user_id=lab.member)
    kind = await answer.wait_message()
    assert "paused new /reach messages" in text_of(kind) and "kindred:crisis" in custom_ids(kind)
    appeal_button = next(c for c in custom_ids(kind) if c.startswith("kindred:reach-appeal:"))
    appeal = await fake.click(kind, appeal_button, user_id=lab.member)
    appeal_modal = await appeal.modal()
    sent = await fake.submit_modal(
        appeal_modal["custom_id"], {"appeal": "I was testing, sorry."}, user_id=lab.member
    )
    assert "rep other than the one" in text_of(await sent.wait_message())
    [posted] = [m for m in fake.messages(reps) if "Appeal" in text_of(m)]
    assert "testing, sorry" in text_of(posted) and str(lab.member) not in str(posted)
    lift = next(c for c in custom_ids(posted) if ":lift:" in c)
    same_rep = await fake.click(posted, lift, user_id=lab.moderator)
    assert "colleague should decide" in text_of((await same_rep.response())["data"])
    other = await fake.click(posted, lift, user_id=lab.owner)
    assert "Block lifted" in text_of((await other.response())["data"])
    # Lifted: the member can write again, and a different member was never blocked.
    await reach(fake, lab, "Thanks for lifting it.")
    await reach(fake, lab, "另一位成员的消息。", user=lab.zh_member)


async def test_receipts_work_after_a_restart_and_closed_dms_lose_nothing(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, kindred: BotProcess, bot_env: dict[str, str]
) -> None:
    reps = await setup_reach(fake, lab)
    fake.close_dms(lab.member)
    receipt, _ = await reach(
        fake, lab, "Could someone check in on me next week?", notify=True, dm_receipt=True
    )
    assert "reached the wellbeing reps" in text_of(receipt)  # a closed DM does not stop the conversation
    thread_id = int((await the_thread(fake, reps))["id"])
    post = await member_post(fake, thread_id)
    assert await kindred.stop() == 0
    async with running_bot(fake, tmp_path, env=bot_env):
        reply = await rep_reply(fake, lab, post, "Of course. We'll write on Monday.")
        assert "wellbeing team" in text_of(reply)
        # The receipt from before the restart still reads the reply; the DM failed quietly.
        assert "write on Monday" in await read_replies(fake, receipt, lab.member)
        assert fake.dm_messages(lab.member) == []
        fake.open_dms(lab.member)
        await rep_reply(fake, lab, post, "Still here for you.")
        await fake.wait_until(
            lambda: any("answered in your conversation" in text_of(m) for m in fake.dm_messages(lab.member)),
            10,
            description="the DM notification",
        )
        [dm] = fake.dm_messages(lab.member)
        assert "Still here" not in text_of(dm)  # the DM says only that there is an answer


async def test_snippet_reply_rep_close_retention_and_privacy_delete(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    reps = await setup_reach(fake, lab)
    receipt, _ = await reach(fake, lab, "Can we talk about my workload?")
    thread_id = int((await the_thread(fake, reps))["id"])
    post = await member_post(fake, thread_id)
    menu = next(c for c in custom_ids(post) if c.startswith("kindred:reach-snippet:"))
    # Members cannot see the thread; someone who can see it but is no rep cannot use its controls.
    team = next(c for c in custom_ids(post) if ":team:" in c)
    with pytest.raises(InvocationRejectedError, match="cannot see channel"):
        await fake.click(post, team, user_id=lab.member)
    fake.allow(reps, lab.zh_member, int(Permission.VIEW_CHANNEL | Permission.MANAGE_THREADS))
    refused = await fake.click(post, team, user_id=lab.zh_member)
    assert "只有实验室的管理员" in text_of((await refused.response())["data"])
    chosen = await fake.select(post, menu, ["thanks"], user_id=lab.moderator)
    modal = await chosen.modal()
    [row] = modal["components"]
    prefilled = row.get("component") or row["components"][0]
    assert prefilled["value"].startswith("Thank you for writing to us")
    sent = await fake.submit_modal(modal["custom_id"], {"reply": prefilled["value"]}, user_id=lab.moderator)
    assert "wellbeing team" in text_of(await sent.wait_message())
    assert "Thank you for writing to us" in await read_replies(fake, receipt, lab.member)

    close = next(c for c in custom_ids(post) if ":close:" in c)
    closed = await fake.click(post, close, user_id=lab.moderator)
    assert "deleted in 30 days" in text_of(await closed.wait_message())
    answer = await press(fake, receipt, "answer", lab.member)
    assert "is closed" in text_of(await answer.wait_message())
    assert "with the reps 0" in text_of(
        await (await fake.invoke("admin status", user_id=lab.owner, guild_id=lab.guild_id)).wait_message()
    )
    # 30 days on (as if), the retention pass forgets it and the thread is deleted on Discord.
    assert write(kindred.db_path, "UPDATE reach_conversations SET closed_on = '2000-01-01'") == 1
    await fake.wait_until(lambda: fake.threads(reps) == [], 15, description="the closed thread deleted")
    assert rows(kindred.db_path, "SELECT count(*) FROM reach_conversations") == [(0,)]
    assert rows(kindred.db_path, "SELECT count(*) FROM reach_replies") == [(0,)]

    # /privacy delete closes and deletes the member's NAMED conversations, not anonymous ones.
    await reach(fake, lab, "Named: about my visa.", named=True)
    await reach(fake, lab, "Anonymous: about my supervisor.")
    await fake.wait_until(lambda: len(fake.threads(reps)) == 2, 10, description="two threads")
    listed = await fake.invoke("privacy show", user_id=lab.member, guild_id=lab.guild_id)
    assert "Named /reach conversations: 1" in text_of(await listed.wait_message())
    export = await fake.invoke("privacy export", user_id=lab.member, guild_id=lab.guild_id)
    await export.wait_message()
    [upload] = export.response_files
    exported = json.loads(upload.data)["named_reach_conversations"]
    assert [c["state"] for c in exported] == ["open"] and "supervisor" not in upload.data.decode()
    asked = await fake.invoke("privacy delete", user_id=lab.member, guild_id=lab.guild_id)
    done = await confirm(fake, asked, lab.member)
    assert "Named /reach conversations closed and deleted: 1" in done
    await fake.wait_until(lambda: len(fake.threads(reps)) == 1, 10, description="the named thread deleted")
    assert rows(kindred.db_path, "SELECT named FROM reach_conversations") == [(0,)]
    shown = await fake.invoke("privacy show", user_id=lab.member, guild_id=lab.guild_id)
    assert "keyed hash of your code" in text_of(await shown.wait_message())
    # Three conversations opened today is the limit; the fourth is refused kindly, nothing stored.
    over = await fake.invoke("reach start", user_id=lab.member, guild_id=lab.guild_id)
    form = await over.modal()
    refused_open = await fake.submit_modal(form["custom_id"], {"message": "one more"}, user_id=lab.member)
    assert "opened 3 conversations today" in text_of(await refused_open.wait_message())
    assert rows(kindred.db_path, "SELECT count(*) FROM reach_conversations") == [(1,)]


async def test_reach_from_dms_names_the_lab_and_setup_checks_permissions(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    bare = fake.add_text_channel(lab.guild_id, "no-threads-here").id
    refused = await fake.invoke(
        "admin setup", {"reps_channel": Channel(bare)}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "Create Private Threads" in text_of(await refused.wait_message())
    reps = await setup_reach(fake, lab)
    without_lab = await fake.invoke("reach start", user_id=lab.member)
    assert "choose the lab" in text_of(await without_lab.wait_message())
    choices = await fake.autocomplete("reach start", {"lab": ""}, "lab", user_id=lab.member)
    assert [c["value"] for c in choices] == [str(lab.guild_id)]
    handle = await fake.invoke("reach start", {"lab": str(lab.guild_id)}, user_id=lab.member)
    modal = await handle.modal()
    submitted = await fake.submit_modal(
        modal["custom_id"], {"message": "Writing from my DMs."}, user_id=lab.member
    )
    receipt = await submitted.wait_message()
    assert "reached the wellbeing reps" in text_of(receipt)
    post = await member_post(fake, int((await the_thread(fake, reps))["id"]))
    assert "Writing from my DMs" in text_of(post)
    stranger = fake.add_user("not-in-the-lab")
    other_guild = fake.add_guild("Another lab", owner_id=stranger.id)
    fake.add_text_channel(other_guild.id, "general")
    not_member = await fake.invoke("reach start", {"lab": str(lab.guild_id)}, user_id=stranger.id)
    assert "choose the lab" in text_of(await not_member.wait_message())


async def test_a_delayed_anonymous_message_waits_and_survives_a_restart(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    env = {**bot_env, "KINDRED_MIN_SHARE_DELAY_MINUTES": "3"}
    await sync_commands(fake, tmp_path / "sync")
    async with running_bot(fake, tmp_path, env=env) as bot:
        reps = await setup_reach(fake, lab)
        receipt, _ = await reach(fake, lab, "Please don't let anyone know this was me.")
        assert "within about 3 minutes" in text_of(receipt)
        assert fake.threads(reps) == []  # nothing yet: the time would point to whoever just typed
        waiting = rows(bot.db_path, "SELECT post_after FROM reach_outbox")
        assert len(waiting) == 1
        assert await bot.stop() == 0
    # As if the delay had passed.
    assert (
        write(
            tmp_path / "kindred.sqlite3", "UPDATE reach_outbox SET post_after = '2000-01-01T00:00:00+00:00'"
        )
        == 1
    )
    async with running_bot(fake, tmp_path, env=env):
        thread = await the_thread(fake, reps)
        post = await member_post(fake, int(thread["id"]))
        assert "anyone know this was me" in text_of(post)
        assert len(fake.threads(reps)) == 1
        assert "No replies yet" in await read_replies(fake, receipt, lab.member)


async def test_a_named_conversation_that_cannot_open_keeps_nothing_and_gives_the_text_back(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    reps = await setup_reach(fake, lab)
    fake.fail_next(
        "POST", rf"/channels/{reps}/threads$", 403, {"message": "Missing Permissions", "code": 50013}
    )
    handle = await fake.invoke("reach start", {"named": True}, user_id=lab.member, guild_id=lab.guild_id)
    modal = await handle.modal()
    submitted = await fake.submit_modal(
        modal["custom_id"], {"message": "About my funding gap."}, user_id=lab.member
    )
    reply = text_of(await submitted.wait_message())
    assert "nothing was kept" in reply and "About my funding gap" in reply
    assert rows(kindred.db_path, "SELECT count(*) FROM reach_conversations") == [(0,)]
    assert rows(kindred.db_path, "SELECT count(*) FROM reach_outbox") == [(0,)]
    assert fake.threads(reps) == []
