"""Issue 17 end to end: anonymous replies, the author's code, reports and moderation of published shares."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot
from fakediscord.permissions import Permission
from tests.dbview import rows, stored_bytes
from tests.e2e.conftest import Lab
from tests.e2e.messages import EPHEMERAL, custom_ids, text_of
from tests.e2e.test_reach import identity_forms
from tests.e2e.test_share import setup_sharing, share

pytestmark = pytest.mark.e2e

CODE = re.compile(r"`([A-Za-z0-9_-]{24})`")
Message = dict[str, Any]


def button(message: Message, prefix: str) -> str:
    return next(c for c in custom_ids(message) if c.startswith(prefix))


async def publish(fake: FakeDiscord, lab: Lab, text: str, **kwargs: Any) -> tuple[Message, str, int]:
    """Share, and return the post, the author's code from the confirmation, and the reply thread."""
    confirmation = await share(fake, lab, text, **kwargs)
    found = CODE.search(text_of(confirmation))
    assert found, text_of(confirmation)
    await fake.wait_until(lambda: len(fake.threads(lab.peer)) >= 1, 10, description="the reply thread")
    post = fake.messages(lab.peer)[-1]
    return post, found.group(1), int(fake.threads(lab.peer)[-1]["id"])


async def reply(fake: FakeDiscord, post: Message, text: str, user: int) -> Message:
    clicked = await fake.click(post, button(post, "kindred:sp:reply:"), user_id=user)
    modal = await clicked.modal()
    submitted = await fake.submit_modal(modal["custom_id"], {"reply": text}, user_id=user)
    return await submitted.wait_message()


async def as_author(
    fake: FakeDiscord, post: Message, code: str, action: str, text: str, user: int
) -> Message:
    clicked = await fake.click(post, button(post, "kindred:sp:author:"), user_id=user)
    modal = await clicked.modal()
    submitted = await fake.submit_modal(
        modal["custom_id"], {"code": code, "action": [action], "text": text}, user_id=user
    )
    return await submitted.wait_message()


async def report(fake: FakeDiscord, message: Message, reason: str, user: int, details: str = "") -> Message:
    prefix = (
        "kindred:sp:report:"
        if any(c.startswith("kindred:sp:") for c in custom_ids(message))
        else "kindred:spr:report:"
    )
    clicked = await fake.click(message, button(message, prefix), user_id=user)
    modal = await clicked.modal()
    submitted = await fake.submit_modal(
        modal["custom_id"], {"reason": [reason], "details": details}, user_id=user
    )
    return await submitted.wait_message()


async def eventually(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Wait for the bot's own bookkeeping (a database write after a Discord call), with a deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


def replies_in(fake: FakeDiscord, thread: int) -> list[Message]:
    return [m for m in fake.messages(thread) if any(c.startswith("kindred:spr:") for c in custom_ids(m))]


async def test_replies_survive_a_restart_are_numbered_and_leave_no_ids(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    await setup_sharing(fake, lab)
    post, _code, thread = await publish(fake, lab, "My experiment failed for the fourth time this month.")
    assert {"kindred:sp:reply:", "kindred:sp:report:", "kindred:sp:author:"} <= {
        c[: c.rindex(":") + 1] for c in custom_ids(post)
    }
    assert "kindred:crisis" in custom_ids(post)
    assert await kindred.stop() == 0  # the post's buttons must work for a bot that never saw them
    async with running_bot(fake, tmp_path, env=bot_env) as again:
        answer = await reply(fake, post, f"<@{lab.owner}> @everyone same here, it gets better", lab.zh_member)
        assert answer["flags"] & EPHEMERAL and "已匿名发在讨论串里" in text_of(answer)  # in their language
        assert "/crisis" in text_of(answer)
        await reply(fake, post, "Sending you a coffee in spirit.", lab.moderator)
        await fake.wait_until(lambda: len(replies_in(fake, thread)) == 2, 10, description="two replies")
        first, second = replies_in(fake, thread)
        assert first["embeds"][0]["title"] == "Reply 1" and second["embeds"][0]["title"] == "Reply 2"
        shown = text_of(first)
        assert (
            "same here" in shown
            and f"<@{lab.owner}>" not in shown
            and "@everyone" not in shown.replace("@\u200beveryone", "")
        )
        for user in (lab.zh_member, lab.moderator, lab.member):
            assert str(user) not in str(first) + str(second)
        posted = [
            r
            for r in fake.requests
            if r.method == "POST" and r.path == f"/channels/{thread}/messages" and r.json is not None
        ]
        assert posted and all(r.json["allowed_mentions"]["parse"] == [] for r in posted)
        db = again.db_path
        await eventually(
            lambda: (
                rows(db, "SELECT count(*), sum(CASE WHEN body IS NULL THEN 1 ELSE 0 END) FROM share_replies")
                == [(2, 2)]
            ),
            "both replies' text deleted once posted",
        )
        data = stored_bytes(db)
        assert b"same here" not in data and b"coffee in spirit" not in data
        for user in (lab.member, lab.zh_member, lab.moderator):
            assert not any(form in data for form in identity_forms(user)), user


async def test_the_author_replies_as_op_updates_and_withdraws_with_the_code(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await setup_sharing(fake, lab)
    post, code, thread = await publish(fake, lab, "Third rejection this year.", warning="rejection")
    # A wrong code changes nothing, and nothing tells whose code it might be.
    wrong = await as_author(fake, post, "A" * 24, "reply", "hello", lab.owner)
    assert "doesn't match" in text_of(wrong)
    assert replies_in(fake, thread) == []
    op = await as_author(fake, post, code, "reply", "Thank you all, this helps.", lab.member)
    assert "in the thread" in text_of(op)
    await fake.wait_until(lambda: len(replies_in(fake, thread)) == 1, 10, description="the OP reply")
    [mine] = replies_in(fake, thread)
    assert mine["embeds"][0]["title"] == "Reply 1 · from the author (OP)"
    updated = await as_author(fake, post, code, "update", "Update: I'm OK now, resubmitted.", lab.member)
    assert "added to the post" in text_of(updated)
    await fake.wait_until(
        lambda: len(fake.message(int(post["id"]))["embeds"]) == 2, 10, description="the update on the post"
    )
    embeds = fake.message(int(post["id"]))["embeds"]
    assert embeds[1]["title"] == "Update from the author"
    # The post had a content note, so the update is hidden the same way.
    assert all(line.startswith("> ||") for line in embeds[1]["description"].splitlines())
    assert "OK now" in embeds[1]["description"]
    gone = await as_author(fake, post, code, "withdraw", "", lab.member)
    assert "deleted" in text_of(gone)
    await fake.wait_until(lambda: fake.messages(lab.peer) == [], 10, description="the withdrawn post")
    assert rows(kindred.db_path, "SELECT count(*) FROM published_shares") == [(0,)]
    assert rows(kindred.db_path, "SELECT count(*) FROM share_replies") == [(0,)]
    # kindred may not delete the thread here (no Manage Threads), so it deleted the replies it posted.
    await fake.wait_until(lambda: replies_in(fake, thread) == [], 10, description="the replies withdrawn too")


async def test_every_report_reason_reaches_moderators_without_the_reporter(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await setup_sharing(fake, lab)
    post, _code, thread = await publish(fake, lab, "Running on very little sleep this week.")
    reasons = ["worried", "harassment", "identifying", "spam", "other"]
    for reason in reasons:
        done = await report(fake, post, reason, lab.zh_member, details=f"note for {reason}")
        assert done["flags"] & EPHEMERAL and "看不到是谁举报的" in text_of(done)  # in the reporter's language
    alerts = [
        m for m in fake.messages(lab.alerts) if text_of(m).startswith("\nReport:") or "Report:" in text_of(m)
    ]
    assert len(alerts) == len(reasons)
    link = f"https://discord.com/channels/{lab.guild_id}/{lab.peer}/{post['id']}"
    for alert, title in zip(
        alerts,
        ["I'm worried about the author", "Unkind", "identifies someone", "Spam", "Something else"],
        strict=True,
    ):
        assert title in text_of(alert) and link in text_of(alert)
        assert str(lab.zh_member) not in str(alert)
        assert {"kindred:spm:delete:", "kindred:spm:block:", "kindred:spm:lock:"} <= {
            c[: c.index(":", 12) + 1] for c in custom_ids(alert)
        }
    # Only the worried reason posts support in the thread: crisis lines and /reach, nobody named.
    support = [m for m in fake.messages(thread) if "thinking of you" in text_of(m)]
    assert len(support) == 1
    shown = text_of(support[0])
    assert "/reach" in shown and "/crisis" in shown and "findahelpline.com" in shown
    assert "kindred:crisis" in custom_ids(support[0]) and str(lab.zh_member) not in str(support[0])
    # The sixth report in a day is refused: the keyed, daily reporter token counts, nothing more.
    refused = await report(fake, post, "spam", lab.zh_member)
    assert "每日上限" in text_of(refused)
    data = stored_bytes(kindred.db_path)
    assert not any(form in data for form in identity_forms(lab.zh_member))
    assert b"note for" not in data


async def test_moderators_delete_and_block_from_a_report_and_lock_from_the_post(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await setup_sharing(fake, lab)
    post, _code, thread = await publish(fake, lab, "Does anyone else feel behind everyone?")
    await reply(fake, post, "you are all frauds", lab.zh_member)
    await fake.wait_until(lambda: len(replies_in(fake, thread)) == 1, 10, description="the reply")
    [bad] = replies_in(fake, thread)
    await report(fake, bad, "harassment", lab.member)
    alert = fake.messages(lab.alerts)[-1]
    assert "reply 1" in text_of(alert)
    # A member who is not a moderator cannot act from the report.
    refused = await fake.click(alert, button(alert, "kindred:spm:delete:"), user_id=lab.member)
    assert "Only the lab's moderators" in text_of((await refused.response())["data"])
    deleted = await fake.click(alert, button(alert, "kindred:spm:delete:"), user_id=lab.owner)
    assert "Deleted the reply 1" in text_of(await deleted.wait_message())
    await fake.wait_until(lambda: replies_in(fake, thread) == [], 10, description="the deleted reply")
    # Block the post's author from a report on the post: the author stays anonymous and is refused.
    await report(fake, post, "spam", lab.zh_member)
    alert = fake.messages(lab.alerts)[-1]
    clicked = await fake.click(alert, button(alert, "kindred:spm:block:"), user_id=lab.owner)
    modal = await clicked.modal()
    blocked = await fake.submit_modal(modal["custom_id"], {"days": "7"}, user_id=lab.owner)
    note = text_of(await blocked.wait_message())
    assert "for 7 days" in note and "still anonymous" in note and str(lab.member) not in note
    assert "can't share anonymously" in text_of(await share(fake, lab, "me again", user=lab.member))
    assert "can't share anonymously" in text_of(await reply(fake, post, "still me", lab.member))
    # Lock from the post's Moderate button: no new replies (and, with Manage Threads, a locked thread).
    fake.allow(lab.peer, fake.bot_role_id(lab.guild_id), int(Permission.MANAGE_THREADS))
    menu_click = await fake.click(post, button(post, "kindred:sp:moderate:"), user_id=lab.owner)
    menu = await menu_click.wait_message()
    assert menu["flags"] & EPHEMERAL
    locked = await fake.click(menu, button(menu, "kindred:spm:lock:"), user_id=lab.owner)
    assert "locked" in text_of(await locked.wait_message())
    closed = await fake.click(post, button(post, "kindred:sp:reply:"), user_id=lab.zh_member)
    assert "已锁定" in text_of((await closed.response())["data"])
    assert fake.threads(lab.peer)[-1]["thread_metadata"]["locked"] is True
    # The moderation log names the moderator and what was acted on, never the author.
    log = rows(kindred.db_path, "SELECT moderator_id, action, target FROM share_moderation_log ORDER BY at")
    assert sorted(log) == sorted(
        [(lab.owner, "delete", "reply 1"), (lab.owner, "block 7d", "post"), (lab.owner, "lock", "post")]
    )
    lines = [m for m in fake.messages(lab.alerts) if "Moderation log" in text_of(m)]
    assert len(lines) == 3 and all(f"<@{lab.owner}>" in text_of(m) for m in lines)
    assert all(str(lab.member) not in str(m) and str(lab.zh_member) not in str(m) for m in lines)
    # The log names the moderator; the author (member), replier and reporter (zh_member) appear nowhere.
    data = stored_bytes(kindred.db_path)
    for user in (lab.member, lab.zh_member):
        assert not any(form in data for form in identity_forms(user)), user


async def test_reply_review_and_crisis_screening(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    await setup_sharing(fake, lab)
    post, _code, thread = await publish(fake, lab, "Lab meeting was rough today.")
    held = await reply(fake, post, "honestly i just want to die too", lab.zh_member)
    assert "116 123" in text_of(held) or "findahelpline" in text_of(held)
    assert replies_in(fake, thread) == []
    request = fake.messages(lab.alerts)[-1]
    assert "waiting for review" in text_of(request)
    approve = await fake.click(request, button(request, "kindred:sprv:approve:"), user_id=lab.owner)
    await approve.response()
    await fake.wait_until(lambda: len(replies_in(fake, thread)) == 1, 10, description="the approved reply")
    await eventually(
        lambda: rows(kindred.db_path, "SELECT count(*) FROM share_replies WHERE body IS NOT NULL") == [(0,)],
        "the approved reply's text deleted once posted",
    )


async def test_help_and_privacy_describe_replies_in_english_and_chinese(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    for user, locale, words in (
        (lab.member, "en-GB", ("Reply anonymously", "I'm worried about the author", "never the author")),
        (lab.zh_member, "zh-CN", ("匿名回复", "我担心作者", "从不记录作者")),
    ):
        shown = ""
        for command in ("help", "privacy show"):
            handle = await fake.invoke(command, user_id=user, guild_id=lab.guild_id, locale=locale)
            message = await handle.wait_message()
            assert message["flags"] & EPHEMERAL and len(message["content"]) <= 2000
            shown += text_of(message)
        assert all(w in shown for w in words), (locale, shown)


async def test_two_members_replying_to_one_post_at_once_are_both_heard(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    # discord.py listens for one open form per custom id: one id per post meant the first reply
    # closed the form both members had open, and the second was dropped without an answer.
    await setup_sharing(fake, lab)
    post, _code, thread = await publish(fake, lab, "Reviewer 2 again. Third rejection this year.")
    forms = []
    for user in (lab.member, lab.owner):
        clicked = await fake.click(post, button(post, "kindred:sp:reply:"), user_id=user)
        forms.append((user, (await clicked.modal())["custom_id"]))
    assert forms[0][1] != forms[1][1]
    for (user, custom_id), words in zip(forms, ("Been there, it gets better.", "Proud of you."), strict=True):
        submitted = await fake.submit_modal(custom_id, {"reply": words}, user_id=user)
        assert "Your reply is in the thread" in text_of(await submitted.wait_message())
    await eventually(lambda: len(replies_in(fake, thread)) == 2, "both replies in the thread")


async def test_a_share_held_for_care_keeps_its_code_through_review(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await setup_sharing(fake, lab)
    handle = await fake.invoke("share", user_id=lab.member, guild_id=lab.guild_id)
    modal = await handle.modal()
    submitted = await fake.submit_modal(
        modal["custom_id"], {"text": "i just want to die, i can't do this anymore"}, user_id=lab.member
    )
    first = await submitted.wait_message()
    assert "116 123" in text_of(first)  # the crisis lines come first and whole
    await fake.wait_until(lambda: len(submitted.followups()) >= 2, 10, description="the author's code")
    found = CODE.search(text_of(submitted.followups()[1]))
    assert found and submitted.followups()[1]["flags"] & EPHEMERAL
    [alert] = fake.messages(lab.alerts)
    approved = await fake.click(alert, button(alert, "kindred:share:approve:"), user_id=lab.owner)
    await approved.response()
    await fake.wait_until(lambda: len(fake.messages(lab.peer)) == 1, 10, description="the approved post")
    [post] = fake.messages(lab.peer)
    gone = await as_author(fake, post, found.group(1), "withdraw", "", lab.member)
    assert "deleted" in text_of(gone)
    await fake.wait_until(lambda: fake.messages(lab.peer) == [], 10, description="the withdrawn post")


async def test_in_review_mode_replies_wait_for_a_moderator_and_rejected_ones_are_deleted(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await setup_sharing(fake, lab)
    post, _code, thread = await publish(fake, lab, "Conference deadline in two days.")
    await setup_sharing(fake, lab, review_mode=True)
    held = await reply(fake, post, "You've got this, one section at a time.", lab.owner)
    assert "A moderator will read your reply" in text_of(held) and "/crisis" in text_of(held)
    request = fake.messages(lab.alerts)[-1]
    assert "one section at a time" in text_of(request) and str(lab.owner) not in str(request)
    rejected = await fake.click(request, button(request, "kindred:sprv:reject:"), user_id=lab.owner)
    assert "Rejected" in text_of((await rejected.response())["data"])
    assert replies_in(fake, thread) == []
    assert rows(kindred.db_path, "SELECT count(*) FROM share_replies") == [(0,)]
