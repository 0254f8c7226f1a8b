"""/pulse end to end: closed weeks only, nothing below k, no small bin, the same answer every time."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.aggregation import Answer
from bot.anonymity import checkin_receipt
from bot.schedule import iso_week, previous_weeks
from bot.store.checkins import close_weeks, record_checkin
from fakediscord.fake_discord import FakeDiscord, InvocationRejectedError
from fakediscord.harness import BotProcess, running_bot
from tests.backends import open_store
from tests.e2e.conftest import Lab, sync_commands
from tests.e2e.messages import EPHEMERAL, Message, custom_ids, text_of

pytestmark = pytest.mark.e2e

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CURRENT = iso_week(datetime.now(UTC), "UTC")  # a new lab's timezone is UTC
WEEKS = previous_weeks(CURRENT, 12)
LAST, TWO_AGO, THREE_AGO, FIVE_AGO = WEEKS[-1], WEEKS[-2], WEEKS[-3], WEEKS[-5]


def answer(mood: int, energy: int = 4, *topics: str) -> Answer:
    return Answer(mood=mood, energy=energy, topics=frozenset(topics))


# Last week: 9 check-ins, every mood bin big enough (3 low, 3 okay, 3 good; mean 28 / 9 = 3.1),
# energy all good; "sudden-money" picked 5 times, "publishing-limbo" 3, "no-escape" once.
LAST_WEEK = [
    answer(1, 4, "sudden-money", "publishing-limbo"),
    answer(2, 4, "sudden-money", "publishing-limbo"),
    answer(2, 4, "sudden-money", "publishing-limbo"),
    answer(3, 4, "sudden-money"),
    answer(3, 4, "sudden-money", "no-escape"),
    answer(3),
    answer(4),
    answer(5),
    answer(5),
]
# Five weeks ago: 12 check-ins, one low and one okay: both hidden, so the mean is hidden too.
FIVE_WEEKS_AGO = [answer(4, 3) for _ in range(10)] + [answer(1, 3), answer(3, 3)]
# Three weeks ago: 3 check-ins, below the default k of 5.
THREE_WEEKS_AGO = [answer(1, 1), answer(3, 3), answer(5, 5)]
LAB_HISTORY = {LAST: LAST_WEEK, THREE_AGO: THREE_WEEKS_AGO, FIVE_AGO: FIVE_WEEKS_AGO}


async def seed(path: Path, guild_id: int, key: str, weeks: Mapping[str, Sequence[Answer]]) -> None:
    """Write check-ins of past weeks straight into the database, as the bot would have filed them.

    Their weeks are closed at once, as the bot's retention pass does at start (on PostgreSQL the
    answers of a lab's last few check-ins wait in memory until then: bot.store.pg.HeldCheckins).
    """
    db = open_store(path)
    await db.open()
    try:
        for week, answers in weeks.items():
            for person, given in enumerate(answers):
                receipt = checkin_receipt(key.encode(), guild_id, 9_000 + person, week)
                assert await record_checkin(db, guild_id=guild_id, week=week, receipt=receipt, answer=given)
        await close_weeks(db, datetime.now(UTC))
    finally:
        await db.close()


@contextlib.asynccontextmanager
async def lab_bot(
    fake: FakeDiscord,
    lab: Lab,
    tmp_path: Path,
    bot_env: dict[str, str],
    weeks: Mapping[str, Sequence[Answer]],
) -> AsyncIterator[BotProcess]:
    """The bot, started on a database that already holds the lab's past check-ins."""
    await seed(tmp_path / "kindred.sqlite3", lab.guild_id, bot_env["KINDRED_SECRET_KEY"], weeks)
    await sync_commands(fake, tmp_path / "sync")
    async with running_bot(fake, tmp_path, env=bot_env) as process:
        yield process


async def pulse(fake: FakeDiscord, lab: Lab, user: int | None = None) -> tuple[Message, str, list[bytes]]:
    """Run /pulse; the reply, its text and the bytes of every file attached."""
    handle = await fake.invoke("pulse", user_id=user or lab.member, guild_id=lab.guild_id)
    message = await handle.wait_message()
    assert message["flags"] & EPHEMERAL
    assert "kindred:crisis" in custom_ids(message)
    assert all("/crisis" in (embed.get("footer") or {}).get("text", "") for embed in message["embeds"])
    return message, text_of(message), [upload.data for upload in handle.response_files]


def last_week_block(text: str) -> str:
    """The lines about last week (up to the first blank line)."""
    return text.split("\n\n")[0]


def assert_no_small_figure(text: str) -> None:
    """Every count shown for a mood/energy bin or a topic is 0 or at least the floor of 3."""
    bins = [int(n) for n in re.findall(r"\b(?:low|okay|good) (\d+)", text)]
    topics = [int(n) for n in re.findall(r"\((\d+)\)", text)]
    assert all(n == 0 or n >= 3 for n in bins + topics), text


async def test_pulse_below_k_explains_and_shows_no_figure(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    async with lab_bot(fake, lab, tmp_path, bot_env, {LAST: LAST_WEEK[:4], TWO_AGO: LAST_WEEK[:2]}) as bot:
        message, text, files = await pulse(fake, lab)
        assert "Fewer than 5 check-ins that week, so nothing is shown to protect people's anonymity" in text
        assert "there's nothing to show yet" in text and "/checkin" in text
        assert "4 check-ins" not in text and "2 check-ins" not in text
        assert not re.search(r"\b(?:low|okay|good) \d", text) and "average" not in text
        assert "Sudden money" not in text
        assert files == [] and "image" not in message["embeds"][0]
        assert len(message["embeds"]) == 1  # no resources for a week that is not shown
    assert "sudden-money" not in bot.logs()


async def test_pulse_at_or_above_k_shows_figures_chart_and_resources(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    async with lab_bot(fake, lab, tmp_path, bot_env, LAB_HISTORY) as bot:
        message, text, files = await pulse(fake, lab)
        week = int(LAST[6:])
        assert f"**Last week** · Week {week} (" in text
        assert "**9 check-ins** that week." in text
        assert "**Mood**: low 3 · okay 3 · good 3 · average 3.1 out of 5" in text
        assert "**Energy**: low 0 · okay 0 · good 9 · average 4.0 out of 5" in text
        assert "Sudden money (5) · Publishing limbo (3)" in text
        assert "No escape" not in text and "hidden to protect small groups" in text
        assert "The chart shows the average mood of each of the last 12 weeks" in text
        assert_no_small_figure(text)
        # The weeks that are not last week appear only in the chart, as gaps or points.
        assert "12 check-ins" not in text and "3 check-ins" not in text
        [png] = files
        assert png.startswith(PNG_SIGNATURE)
        assert message["embeds"][0]["image"]["url"].endswith("pulse.png")
        resources = message["embeds"][1]
        assert "Sudden money" in resources["title"]
        assert "Felix Hill on money as a source of anxiety" in resources["description"]
        assert resources["description"].count("](http") <= 3
    logs = bot.logs()
    assert "3.1" not in logs and "sudden-money" not in logs and "9 check-ins" not in logs


async def test_checking_in_this_week_changes_nothing_pulse_shows(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    async with lab_bot(fake, lab, tmp_path, bot_env, LAB_HISTORY):
        _, before, before_files = await pulse(fake, lab)
        for user in (lab.member, lab.zh_member, lab.moderator):
            opened = await fake.invoke("checkin", user_id=user, guild_id=lab.guild_id, locale="en-GB")
            modal = await opened.modal()
            submitted = await fake.submit_modal(
                modal["custom_id"],
                {"mood": ["1"], "energy": ["1"], "topics": ["no-escape"]},
                user_id=user,
                locale="en-GB",
            )
            assert "Thank you for checking in" in text_of(await submitted.wait_message())
        _, after, after_files = await pulse(fake, lab)
        assert after == before
        assert after_files == before_files  # the chart is byte for byte the same


async def test_changing_k_changes_what_is_shown_never_a_small_bin(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    async with lab_bot(fake, lab, tmp_path, bot_env, LAB_HISTORY):
        _, at_5, _ = await pulse(fake, lab)

        raised = await fake.invoke("admin setup", {"k": 10}, user_id=lab.owner, guild_id=lab.guild_id)
        assert "Anonymity threshold (k): 10" in text_of(await raised.wait_message())
        _, at_10, files_10 = await pulse(fake, lab)
        assert "Fewer than 10 check-ins that week" in at_10 and "9 check-ins" not in at_10
        assert f"**Most recent week with enough check-ins** · Week {int(FIVE_AGO[6:])} (" in at_10
        assert "**12 check-ins** that week." in at_10
        assert "**Mood**: good 10 · low and okay hidden to protect small groups" in at_10
        assert not re.search(r"\b(?:low|okay) 1\b", at_10)
        assert "**Energy**: low 0 · okay 12 · good 0 · average 3.0 out of 5" in at_10
        assert_no_small_figure(at_10)
        assert files_10 == []  # the only week shown has its mean hidden: nothing to plot

        lowered = await fake.invoke("admin setup", {"k": 3}, user_id=lab.owner, guild_id=lab.guild_id)
        assert "Anonymity threshold (k): 3" in text_of(await lowered.wait_message())
        _, at_3, files_3 = await pulse(fake, lab)
        assert_no_small_figure(at_3)
        assert last_week_block(at_3) == last_week_block(at_5)  # a week reads the same at any k
        assert len(files_3) == 1


async def test_zh_member_sees_chinese(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    async with lab_bot(fake, lab, tmp_path, bot_env, LAB_HISTORY):
        message, text, files = await pulse(fake, lab, lab.zh_member)
        assert message["embeds"][0]["title"] == "实验室的每周动态"
        assert "那一周共有 **9 次签到**。" in text
        assert "**心情**：低落 3 · 一般 3 · 不错 3 · 平均 3.1 分（满分 5 分）" in text
        assert "突如其来的财富（5）" in text and "发表困境（3）" in text
        assert "突如其来的财富" in message["embeds"][1]["title"]
        assert "现在就需要有人陪你聊聊吗" in text  # the /crisis footer, in Chinese
        assert len(files) == 1


async def test_pulse_is_guild_only(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    async with lab_bot(fake, lab, tmp_path, bot_env, {}):
        with pytest.raises(InvocationRejectedError):
            await fake.invoke("pulse", user_id=lab.member)
