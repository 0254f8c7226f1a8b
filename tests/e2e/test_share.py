"""Issue 6 end to end: anonymous shares, review, crisis screening, blocking and the daily limit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.screening import explain
from bot.screening.engine import LEARNED
from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot
from fakediscord.interactions import Channel, OptionValue
from tests.dbview import rows, stored_bytes, write
from tests.e2e.conftest import Lab
from tests.e2e.messages import EPHEMERAL, Message, custom_id_with, custom_ids, text_of

pytestmark = pytest.mark.e2e


async def setup_sharing(fake: FakeDiscord, lab: Lab, **options: OptionValue) -> None:
    handle = await fake.invoke(
        "admin setup",
        {
            "peer_channel": Channel(lab.peer),
            "alerts_channel": Channel(lab.alerts),
            "share_delay": 0,
            **options,
        },
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "Saved" in text_of(await handle.wait_message())


async def share(
    fake: FakeDiscord,
    lab: Lab,
    text: str,
    *,
    user: int | None = None,
    warning: str = "",
    locale: str | None = None,
) -> dict:  # type: ignore[type-arg]
    handle = await fake.invoke("share", user_id=user or lab.member, guild_id=lab.guild_id, locale=locale)
    modal = await handle.modal()
    submitted = await fake.submit_modal(
        modal["custom_id"], {"text": text, "warning": warning}, user_id=user or lab.member
    )
    return await submitted.wait_message()


def pending(path: Path) -> int:
    return int(rows(path, "SELECT count(*) FROM pending_shares")[0][0])


def db_holds(path: Path, needle: bytes) -> bool:
    return needle in stored_bytes(path)


async def test_share_needs_setup(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    handle = await fake.invoke("share", user_id=lab.member, guild_id=lab.guild_id)
    assert "isn't set up" in text_of(await handle.wait_message())


async def test_share_posts_anonymously_without_pings_and_with_a_thread(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await setup_sharing(fake, lab)
    text = f"@everyone <@{lab.owner}> <@&{lab.moderator_role}> reviewer 2 destroyed our paper and I feel like a fraud"
    reply = await share(fake, lab, text)
    assert reply["flags"] & EPHEMERAL and "Shared anonymously" in text_of(reply)
    assert "/crisis" in text_of(reply) and "kindred:crisis" in custom_ids(reply)  # screening can miss
    [post] = fake.messages(lab.peer)
    shown = text_of(post)
    assert "feel like a fraud" in shown
    assert "@everyone" not in shown.replace("@\u200beveryone", "")
    assert f"<@{lab.owner}>" not in shown and str(lab.member) not in str(post)
    request = next(
        r for r in fake.requests if r.method == "POST" and r.path == f"/channels/{lab.peer}/messages"
    )
    assert request.json is not None and request.json["allowed_mentions"]["parse"] == []
    assert not request.json["allowed_mentions"].get("users") and not request.json["allowed_mentions"].get(
        "roles"
    )
    await fake.wait_for(
        lambda r: r.method == "POST" and r.path.endswith(f"/messages/{post['id']}/threads"), 10
    )
    assert pending(kindred.db_path) == 0
    assert not db_holds(kindred.db_path, b"feel like a fraud")
    assert not db_holds(kindred.db_path, str(lab.member).encode())


async def test_content_warning_hides_the_text_behind_a_spoiler(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await setup_sharing(fake, lab)
    await share(fake, lab, "My grandmother died during the rebuttal period.", warning="grief")
    [post] = fake.messages(lab.peer)
    embed = post["embeds"][0]
    assert embed["title"] == "Content warning: grief"
    # Quoted and hidden line by line (issue 20), so no line of the text shows before it is opened.
    assert all(line.startswith("> ||") and line.endswith("||") for line in embed["description"].splitlines())


async def held_for_review(fake: FakeDiscord, lab: Lab, text: str) -> Message:
    """Turn review on, share ``text`` and return the moderators' one alert for it."""
    await setup_sharing(fake, lab, review_mode=True)
    await share(fake, lab, text)
    [alert] = fake.messages(lab.alerts)
    return alert


async def test_review_mode_approve_and_reject(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    await setup_sharing(fake, lab, review_mode=True)
    reply = await share(fake, lab, "The job market makes me feel like my PhD was a mistake.")
    assert "once a moderator has read it" in text_of(reply)
    assert "/crisis" in text_of(reply) and "kindred:crisis" in custom_ids(reply)
    assert fake.messages(lab.peer) == []
    [alert] = fake.messages(lab.alerts)
    assert "job market" in text_of(alert)
    approve = custom_id_with(alert, ":approve:")
    # A member who is not a moderator cannot decide.
    refused = await fake.click(alert, approve, user_id=lab.member)
    assert "Only the lab's moderators" in text_of((await refused.response())["data"])
    decided = await fake.click(alert, approve, user_id=lab.owner)
    await decided.response()
    await fake.wait_until(lambda: len(fake.messages(lab.peer)) == 1, 10, description="the approved post")
    # The text is removed from the alert too, and its buttons are gone (decided once).
    await fake.wait_until(
        lambda: "job market" not in text_of(fake.message(int(alert["id"]))),
        10,
        description="the alert edited after approval",
    )
    decided_alert = fake.message(int(alert["id"]))
    assert "Approved by" in text_of(decided_alert) and custom_ids(decided_alert) == []
    # Reject deletes the text.
    await share(fake, lab, "Nobody in this lab reads my drafts.")
    alert2 = fake.messages(lab.alerts)[-1]
    reject = custom_id_with(alert2, ":reject:")
    rejected = await fake.click(alert2, reject, user_id=lab.owner)
    assert "Rejected" in text_of((await rejected.response())["data"])
    assert len(fake.messages(lab.peer)) == 1
    assert pending(kindred.db_path) == 0
    assert not db_holds(kindred.db_path, b"reads my drafts")


async def test_crisis_language_is_held_author_gets_lines_moderators_get_alert(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await setup_sharing(fake, lab)  # not review mode: a flagged share is held anyway
    reply = await share(fake, lab, "honestly i just want to die, i can't do another year of this")
    text = text_of(reply)
    assert "116 123" in text and "emergency number" in text  # en-GB member: UK lines, at once
    assert "flag" not in text.lower() and "crisis language" not in text.lower()  # never told why
    assert "kindred:crisis" in custom_ids(reply)
    assert fake.messages(lab.peer) == []
    [alert] = fake.messages(lab.alerts)
    assert "crisis language" in text_of(alert)
    support = custom_id_with(alert, ":support:")
    posted = await fake.click(alert, support, user_id=lab.owner)
    assert "support message" in text_of(await posted.wait_message())
    [message] = fake.messages(lab.peer)
    assert "You're not alone" in text_of(message) and "findahelpline.com" in text_of(message)
    assert "another year" not in text_of(message)


async def test_a_warning_sign_no_rule_names_is_held_by_the_word_model(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await setup_sharing(fake, lab)
    words = "Soon I'll be with Grandad again. That's a comfort, honestly."
    assert explain(words) == (LEARNED,)  # the rules miss it; the word model (learned.py) holds it
    reply = await share(fake, lab, words)
    assert "116 123" in text_of(reply) and "warning" not in text_of(reply).lower()  # never told why
    assert fake.messages(lab.peer) == []
    [alert] = fake.messages(lab.alerts)
    assert "other warning signs in the wording" in text_of(alert)


async def test_a_slow_link_never_doubles_a_review_request_or_a_post(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    """With no delay a share is due at once: the publisher pass (every 0.5 s here) meets the command.

    Discord answers the alert and the post two seconds late, so several passes run while the
    command still waits on each; the lab still sees one review request and one post.
    """
    await setup_sharing(fake, lab)
    with fake.answering_late("POST", rf"^/channels/{lab.alerts}/messages$", 2.0):
        held = await share(fake, lab, "honestly i just want to die, i can't do another year of this")
    assert "116 123" in text_of(held)
    with fake.answering_late("POST", rf"^/channels/{lab.peer}/messages$", 2.0):
        posted = await share(fake, lab, "The reviewers asked for three more baselines. Again.")
    assert "Shared anonymously" in text_of(posted)
    await asyncio.sleep(1.5)  # three more passes
    assert len(fake.messages(lab.alerts)) == 1
    assert len(fake.messages(lab.peer)) == 1
    assert pending(kindred.db_path) == 1  # the held one, waiting for its moderator


async def test_an_approval_on_a_slow_link_posts_once(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    alert = await held_for_review(fake, lab, "My advisor hasn't answered an email in a month.")
    approve = custom_id_with(alert, ":approve:")
    with fake.answering_late("POST", rf"^/channels/{lab.peer}/messages$", 2.0):
        decided = await fake.click(alert, approve, user_id=lab.owner)
        await decided.response()
        await fake.wait_until(
            lambda: "Approved by" in text_of(fake.message(int(alert["id"]))), 10, description="the approval"
        )
    await asyncio.sleep(1.5)
    assert len(fake.messages(lab.peer)) == 1
    assert pending(kindred.db_path) == 0


async def test_research_talk_is_not_held(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    await setup_sharing(fake, lab)
    await share(fake, lab, "I had to kill -9 the training job again and the run died at step 90k. So tired.")
    assert len(fake.messages(lab.peer)) == 1 and fake.messages(lab.alerts) == []


async def test_blocked_author_is_refused_but_stays_anonymous(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    alert = await held_for_review(fake, lab, "spam spam spam")
    block = custom_id_with(alert, ":block:")
    blocked = await fake.click(alert, block, user_id=lab.owner)
    note = text_of((await blocked.response())["data"])
    assert "still anonymous" in note and str(lab.member) not in note
    refused = await fake.invoke("share", user_id=lab.member, guild_id=lab.guild_id)
    modal = await refused.modal()
    answer = await fake.submit_modal(modal["custom_id"], {"text": "hello again"}, user_id=lab.member)
    assert "can't share anonymously" in text_of(await answer.wait_message())
    other = await share(fake, lab, "另一个人，欢迎你。", user=lab.zh_member, locale="zh-CN")
    assert "管理员读过之后" in text_of(
        other
    )  # a different author is not blocked (and is answered in Chinese)
    assert not db_holds(kindred.db_path, str(lab.member).encode())


async def test_daily_limit(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    await setup_sharing(fake, lab, share_limit=2)
    for n in range(2):
        assert "Shared anonymously" in text_of(await share(fake, lab, f"post number {n}"))
    assert "daily limit" in text_of(await share(fake, lab, "one too many"))
    assert len(fake.messages(lab.peer)) == 2


async def test_delayed_share_survives_a_restart(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, kindred: BotProcess, bot_env: dict[str, str]
) -> None:
    await setup_sharing(fake, lab, share_delay=30)
    reply = await share(fake, lab, "Posting this with a delay so the timing gives nothing away.")
    assert "within about 30 minutes" in text_of(reply) and "kindred:crisis" in custom_ids(reply)
    assert fake.messages(lab.peer) == [] and pending(kindred.db_path) == 1
    # Make it due, as if 30 minutes had passed.
    assert (
        write(kindred.db_path, "UPDATE pending_shares SET publish_after = '2000-01-01T00:00:00+00:00'") == 1
    )
    assert await kindred.stop() == 0
    async with running_bot(fake, tmp_path, env=bot_env):
        await fake.wait_until(lambda: len(fake.messages(lab.peer)) == 1, 15, description="the delayed share")
    assert pending(tmp_path / "kindred.sqlite3") == 0
