"""Issue 11 through the real bot: members check in via the fake Discord; the raw files pair nothing.

Each member picks a different pair of topics, so an examiner (this test) can tell which answer
came from whom and in what order; receipts are recomputed with the key, as the operator could.
The attack: sort each file's cells by physical position and read arrival order from it.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.anonymity import checkin_receipt
from bot.schedule import iso_week
from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import running_bot
from tests.backends import sqlite_only
from tests.e2e.conftest import Lab, sync_commands
from tests.e2e.messages import text_of
from tests.forensics.sqlite_pages import blob, cells_of, physical_rank, spearman

# The files' own layout (pages, cells, journals) is SQLite's; on PostgreSQL the same promise is
# tested on xmin and ctid (tests/integration/test_pg_store.py, and the burst in test_anonymity_guards).
pytestmark = [pytest.mark.e2e, sqlite_only]
MEMBERS = 48
TOPICS = [
    "no-escape",
    "hidden-competition",
    "bottom-line",
    "sudden-money",
    "scale-over-ideas",
    "publishing-limbo",
    "lonely-startups",
    "social-anxiety",
    "job-market",
    "compute-gap",
    "burnout",
    "impostor-feelings",
]


def _add_members(fake: FakeDiscord, lab: Lab) -> list[int]:
    """MEMBERS new members of the lab, each with an English locale."""
    members = []
    for n in range(MEMBERS):
        user = fake.add_user(f"member-{n}", locale="en-GB")
        fake.add_member(lab.guild_id, user.id)
        members.append(user.id)
    return members


async def test_check_ins_through_discord_leave_no_arrival_order_on_disk(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    pairs = list(itertools.combinations(TOPICS, 2))[:MEMBERS]
    members = _add_members(fake, lab)
    await sync_commands(fake, tmp_path / "sync")
    async with running_bot(fake, tmp_path, env=bot_env) as bot:
        week = iso_week(datetime.now(UTC), "UTC")
        for n, member_id in enumerate(members):
            handle = await fake.invoke(
                "checkin", user_id=member_id, guild_id=lab.guild_id, channel_id=lab.general
            )
            modal = await handle.modal()
            submitted = await fake.submit_modal(
                modal["custom_id"],
                {"mood": [str(1 + n % 5)], "energy": ["3"], "topics": list(pairs[n])},
                user_id=member_id,
            )
            assert "Thank you for checking in" in text_of(await submitted.wait_message())
        snapshot = tmp_path / "snapshot"
        snapshot.mkdir()
        for path in bot.db_path.parent.glob(bot.db_path.name + "*"):
            shutil.copyfile(path, snapshot / path.name)  # while the bot holds the files open
    key = bot_env["KINDRED_SECRET_KEY"].encode()
    receipts = {checkin_receipt(key, lab.guild_id, user, week): n for n, user in enumerate(members)}
    by_topics = {",".join(sorted(pair)): n for n, pair in enumerate(pairs)}
    answers = [
        by_topics[str(c.values[5])]
        for c in physical_rank(cells_of(snapshot / "kindred.sqlite3-answers"))
        if len(c.values) == 6 and str(c.values[5]) in by_topics
    ]
    owners = [
        receipts[blob(c.values[0])]
        for c in physical_rank(cells_of(snapshot / "kindred.sqlite3-receipts"))
        if c.values and c.values[0] in receipts
    ]
    assert sorted(answers) == sorted(owners) == list(range(MEMBERS))  # every answer and receipt found once
    # n=48: a rank correlation under chance has sd ~0.15; 0.5 is more than 3 sd.
    assert abs(spearman(list(range(MEMBERS)), answers)) < 0.5
    assert abs(spearman(list(range(MEMBERS)), owners)) < 0.5
    assert (
        sum(a == o for a, o in zip(answers, owners, strict=True)) < 7
    )  # pairing by position ~1 right by chance
    main = b"".join(
        p.read_bytes() for p in snapshot.iterdir() if p.name in ("kindred.sqlite3", "kindred.sqlite3-wal")
    )
    assert not any(r in main for r in receipts)


async def test_check_ins_submitted_at_once_are_batched_and_pair_nothing_on_disk(
    fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> None:
    """Issue 19: 48 members submit at the same moment, so the bot writes them in shared batches."""
    pairs = list(itertools.combinations(TOPICS, 2))[:MEMBERS]
    members = _add_members(fake, lab)
    await sync_commands(fake, tmp_path / "sync")
    async with running_bot(fake, tmp_path, env=bot_env) as bot:
        week = iso_week(datetime.now(UTC), "UTC")
        modals = []
        for member_id in members:
            handle = await fake.invoke(
                "checkin", user_id=member_id, guild_id=lab.guild_id, channel_id=lab.general
            )
            modals.append(await handle.modal())
        submitted = await asyncio.gather(
            *(
                fake.submit_modal(
                    modal["custom_id"],
                    {"mood": [str(1 + n % 5)], "energy": ["3"], "topics": list(pairs[n])},
                    user_id=member_id,
                )
                for n, (modal, member_id) in enumerate(zip(modals, members, strict=True))
            )
        )
        replies = await asyncio.gather(*(s.wait_message() for s in submitted))
        assert all("Thank you for checking in" in text_of(r) for r in replies)
        snapshot = tmp_path / "snapshot"
        snapshot.mkdir()
        for path in bot.db_path.parent.glob(bot.db_path.name + "*"):
            shutil.copyfile(path, snapshot / path.name)  # right after the last thanks, files held open
    names = {p.name for p in snapshot.iterdir()}
    assert not names & {"kindred.sqlite3-answers-journal", "kindred.sqlite3-receipts-journal"}
    key = bot_env["KINDRED_SECRET_KEY"].encode()
    receipts = {checkin_receipt(key, lab.guild_id, user, week): n for n, user in enumerate(members)}
    by_topics = {",".join(sorted(pair)): n for n, pair in enumerate(pairs)}
    answers = [
        by_topics[str(c.values[5])]
        for c in physical_rank(cells_of(snapshot / "kindred.sqlite3-answers"))
        if len(c.values) == 6 and str(c.values[5]) in by_topics
    ]
    owners = [
        receipts[blob(c.values[0])]
        for c in physical_rank(cells_of(snapshot / "kindred.sqlite3-receipts"))
        if c.values and c.values[0] in receipts
    ]
    assert sorted(set(answers)) == list(range(MEMBERS))  # every answer found
    assert sorted(owners) == list(range(MEMBERS))  # every receipt once: no batch note left behind
    with sqlite3.connect(snapshot / "kindred.sqlite3-receipts") as conn:
        assert conn.execute("SELECT count(*) FROM pending_receipts").fetchone()[0] == 0
    distinct = list(dict.fromkeys(answers))
    assert abs(spearman(list(range(MEMBERS)), distinct)) < 0.5
    assert abs(spearman(list(range(MEMBERS)), owners)) < 0.5
    assert sum(a == o for a, o in zip(distinct, owners, strict=True)) < 7
    answers_raw = (snapshot / "kindred.sqlite3-answers").read_bytes()
    assert not any(r in answers_raw for r in receipts)
