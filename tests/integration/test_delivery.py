"""The weekly DM dispatcher on a real SQLite file with an injected clock and a recording sender."""

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot import delivery
from bot.aggregation import Answer
from bot.anonymity import checkin_receipt, member_key, seal_user
from bot.delivery import SendResult, dispatch_due, first_due
from bot.schedule import WeeklySlot, iso_week
from bot.shards import parse_shards
from bot.store import Database, StoreUnavailable, claims
from bot.store import subscriptions as subs
from bot.store.checkins import record_checkin
from tests.backends import open_store

KEY = b"dispatch-test-key-0123456789abcdef0123"
GUILD = 111
GRACE = timedelta(hours=6)
MONDAY_0930 = WeeklySlot(0, time(9, 30), "Europe/London")
# Monday 2026-11-23 09:30 London is 09:30 UTC (GMT in November).
DUE = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


class Recorder:
    def __init__(self, results: dict[int, SendResult] | None = None) -> None:
        self.sent: list[tuple[int, str]] = []
        self.results = results or {}
        self.explode_for: set[int] = set()

    async def __call__(self, sub: subs.Subscription, user_id: int) -> SendResult:
        if user_id in self.explode_for:
            raise RuntimeError("boom")
        result = self.results.get(user_id, SendResult.SENT)
        if result is SendResult.SENT:
            self.sent.append((user_id, sub.kind))
        return result


async def subscribe(
    db: Database, user_id: int, *, kind: str = "checkin", due: datetime = DUE, guild_id: int = GUILD
) -> None:
    await subs.save_subscription(
        db,
        subs.Subscription(
            member=member_key(KEY, guild_id, user_id),
            guild_id=guild_id,
            kind=kind,
            recipient=seal_user(KEY, user_id, guild_id=guild_id, purpose=f"subscription:{kind}"),
            slot=MONDAY_0930,
            next_due=due,
        ),
        DUE - timedelta(days=1),
    )


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = open_store(tmp_path / "k.sqlite3")
    yield database
    await database.close()


async def test_due_delivery_is_sent_once_and_rescheduled(db: Database) -> None:
    await subscribe(db, 1)
    send = Recorder()
    report = await dispatch_due(db, KEY, DUE + timedelta(seconds=5), GRACE, send)
    assert (report.sent, send.sent) == (1, [(1, "checkin")])
    again = await dispatch_due(db, KEY, DUE + timedelta(minutes=1), GRACE, send)
    assert again.sent == 0 and len(send.sent) == 1
    [sub] = await subs.subscriptions_of(db, [member_key(KEY, GUILD, 1)])
    assert sub.next_due == DUE + timedelta(days=7)


async def test_not_due_yet_is_left_alone(db: Database) -> None:
    await subscribe(db, 1)
    send = Recorder()
    await dispatch_due(db, KEY, DUE - timedelta(seconds=1), GRACE, send)
    assert send.sent == []


async def test_late_within_grace_is_sent_older_is_skipped_without_burst(db: Database) -> None:
    await subscribe(db, 1)
    await subscribe(db, 2, due=DUE - timedelta(days=21))  # down for three weeks
    send = Recorder()
    report = await dispatch_due(db, KEY, DUE + timedelta(hours=5), GRACE, send)
    assert send.sent == [(1, "checkin")]
    assert report.skipped_late == 1
    [stale] = await subs.subscriptions_of(db, [member_key(KEY, GUILD, 2)])
    assert stale.next_due == DUE + timedelta(days=7)


async def test_member_who_already_checked_in_is_skipped(db: Database) -> None:
    await subscribe(db, 1)
    await subscribe(db, 2)
    now = DUE + timedelta(minutes=1)
    week = iso_week(now, "UTC")
    await record_checkin(
        db, guild_id=GUILD, week=week, receipt=checkin_receipt(KEY, GUILD, 1, week), answer=Answer(3, 3)
    )
    send = Recorder()
    report = await dispatch_due(db, KEY, now, GRACE, send)
    assert send.sent == [(2, "checkin")]
    assert report.skipped_checked_in == 1


async def test_prompt_dms_are_not_skipped_by_checkins(db: Database) -> None:
    await subscribe(db, 1, kind="prompt")
    now = DUE + timedelta(minutes=1)
    week = iso_week(now, "UTC")
    await record_checkin(
        db, guild_id=GUILD, week=week, receipt=checkin_receipt(KEY, GUILD, 1, week), answer=Answer(3, 3)
    )
    send = Recorder()
    await dispatch_due(db, KEY, now, GRACE, send)
    assert send.sent == [(1, "prompt")]


async def test_closed_dms_pause_only_that_member_and_failures_do_not_stop_others(db: Database) -> None:
    for user in (1, 2, 3, 4):
        await subscribe(db, user)
    send = Recorder({2: SendResult.DM_CLOSED, 3: SendResult.FAILED})
    send.explode_for.add(4)
    report = await dispatch_due(db, KEY, DUE + timedelta(minutes=1), GRACE, send)
    assert send.sent == [(1, "checkin")]
    assert (report.paused, report.failed, len(report.errors)) == (1, 1, 1)
    [paused] = await subs.subscriptions_of(db, [member_key(KEY, GUILD, 2)])
    assert paused.paused_reason == "dm_closed"
    # The failed ones stay due and are retried; the paused one is not.
    retry = Recorder()
    await dispatch_due(db, KEY, DUE + timedelta(minutes=2), GRACE, retry)
    assert sorted(retry.sent) == [(3, "checkin"), (4, "checkin")]
    assert await subs.counts(db, GUILD) == (3, 1)


async def test_crash_between_send_and_commit_sends_at_most_once_more(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await subscribe(db, 1)
    send = Recorder()
    original = subs.complete_delivery

    async def crash(*args: object, **kwargs: object) -> None:
        raise StoreUnavailable("disk went away")

    monkeypatch.setattr(subs, "complete_delivery", crash)
    await dispatch_due(db, KEY, DUE + timedelta(seconds=5), GRACE, send)
    monkeypatch.setattr(subs, "complete_delivery", original)
    # The send's claim (bot.store.claims) still holds: passes within its lease send nothing ...
    await dispatch_due(db, KEY, DUE + timedelta(seconds=35), GRACE, send)
    await dispatch_due(db, KEY, DUE + timedelta(seconds=65), GRACE, send)
    assert send.sent == [(1, "checkin")]
    # ... and once it lapsed, the unrecorded DM is sent once more, then never again.
    await dispatch_due(db, KEY, DUE + claims.LEASE + timedelta(seconds=5), GRACE, send)
    await dispatch_due(db, KEY, DUE + claims.LEASE + timedelta(seconds=35), GRACE, send)
    assert send.sent == [(1, "checkin"), (1, "checkin")]


async def test_resubscribing_after_this_weeks_dm_does_not_send_it_again(db: Database) -> None:
    await subscribe(db, 1)
    send = Recorder()
    await dispatch_due(db, KEY, DUE + timedelta(seconds=5), GRACE, send)
    await subscribe(db, 1, due=first_due(MONDAY_0930, DUE + timedelta(minutes=10), GRACE))
    await dispatch_due(db, KEY, DUE + timedelta(minutes=11), GRACE, send)
    assert send.sent == [(1, "checkin")]


async def test_each_process_sends_only_its_own_guilds_dms(db: Database) -> None:
    """Two processes on shards 0/2 and 1/2: every member's DM is sent once, by its guild's process."""
    guilds = {0: (4 << 22) + 1, 1: (7 << 22) + 2}  # (id >> 22) % 2: shard 0 and shard 1
    for user in range(1, 7):
        await subscribe(db, user, guild_id=guilds[user % 2])
    first, second = parse_shards("0/2"), parse_shards("1/2")
    send_first, send_second = Recorder(), Recorder()
    at = DUE + timedelta(seconds=5)
    report = await dispatch_due(db, KEY, at, GRACE, send_first, owns=first.owns_guild)
    assert sorted(send_first.sent) == [(2, "checkin"), (4, "checkin"), (6, "checkin")]
    assert report.sent == 3
    await dispatch_due(db, KEY, at + timedelta(seconds=1), GRACE, send_second, owns=second.owns_guild)
    assert sorted(send_second.sent) == [(1, "checkin"), (3, "checkin"), (5, "checkin")]
    # Nothing is left for either: each week went out exactly once.
    for owner, recorder in ((first, send_first), (second, send_second)):
        await dispatch_due(db, KEY, at + timedelta(minutes=1), GRACE, recorder, owns=owner.owns_guild)
    assert len(send_first.sent) + len(send_second.sent) == 6


async def test_another_shards_backlog_does_not_hide_this_processs_dms(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other process is down with more due rows than a batch: ours, due later, still go out."""
    monkeypatch.setattr(delivery, "BATCH", 3)
    theirs, ours = (1 << 22) + 1, (2 << 22) + 2  # shard 1 and shard 0 of 2
    for user in range(1, 8):
        await subscribe(db, user, guild_id=theirs, due=DUE - timedelta(minutes=30))
    for user in (20, 21):
        await subscribe(db, user, guild_id=ours)
    send = Recorder()
    await dispatch_due(db, KEY, DUE + timedelta(seconds=5), GRACE, send, owns=parse_shards("0/2").owns_guild)
    assert sorted(send.sent) == [(20, "checkin"), (21, "checkin")]


def test_first_due_uses_this_weeks_slot_only_within_grace() -> None:
    assert first_due(MONDAY_0930, DUE + timedelta(hours=1), GRACE) == DUE
    assert first_due(MONDAY_0930, DUE + timedelta(hours=7), GRACE) == DUE + timedelta(days=7)
    assert first_due(MONDAY_0930, DUE - timedelta(hours=1), GRACE) == DUE


async def test_two_processes_on_one_database_send_each_due_dm_once(tmp_path: Path, db: Database) -> None:
    """Two kindred processes (two store connections) dispatch the same due subscriptions at once."""
    for user_id in range(1, 41):
        await subscribe(db, user_id)
    other = open_store(tmp_path / "k.sqlite3")
    try:
        first, second = Recorder(), Recorder()
        now = DUE + timedelta(seconds=5)
        await asyncio.gather(
            dispatch_due(db, KEY, now, GRACE, first), dispatch_due(other, KEY, now, GRACE, second)
        )
        sent = sorted(first.sent + second.sent)
        assert sent == [(u, "checkin") for u in range(1, 41)]  # every DM, none twice
    finally:
        await other.close()


async def test_a_claim_is_won_once_lapses_after_its_lease_and_a_release_frees_it(db: Database) -> None:
    assert await claims.claim(db, "dm", b"item", DUE)
    assert not await claims.claim(db, "dm", b"item", DUE + timedelta(minutes=9))
    assert await claims.claim(db, "dm", b"other", DUE)  # claims are per item
    assert await claims.claim(db, "dm", b"item", DUE + claims.LEASE)  # its process died: retaken once
    assert not await claims.claim(db, "dm", b"item", DUE + claims.LEASE)
    await claims.release(db, "dm", b"item")
    assert await claims.claim(db, "dm", b"item", DUE + claims.LEASE)
    assert await claims.forget_expired(db, DUE + 3 * claims.LEASE) == 2


async def test_a_failed_send_releases_its_claim_so_the_next_pass_retries(db: Database) -> None:
    await subscribe(db, 1)
    send = Recorder({1: SendResult.FAILED})
    assert (await dispatch_due(db, KEY, DUE + timedelta(seconds=5), GRACE, send)).failed == 1
    send.results = {}
    report = await dispatch_due(db, KEY, DUE + timedelta(seconds=35), GRACE, send)
    assert report.sent == 1 and send.sent == [(1, "checkin")]


async def test_a_restarted_process_takes_back_the_claims_its_last_run_died_holding(tmp_path: Path) -> None:
    first = open_store(tmp_path / "k.sqlite3")
    first.claimant = "shards 0/2"
    assert await claims.claim(first, "dm", b"item", DUE)
    await first.close()  # it died mid-send
    neighbour = open_store(tmp_path / "k.sqlite3")
    neighbour.claimant = "shards 1/2"
    again = open_store(tmp_path / "k.sqlite3")
    again.claimant = "shards 0/2"
    try:
        assert await claims.release_mine(neighbour) == 0
        assert not await claims.claim(neighbour, "dm", b"item", DUE)  # not its own: waits for the lease
        assert await claims.release_mine(again) == 1
        assert await claims.claim(again, "dm", b"item", DUE)
    finally:
        await neighbour.close()
        await again.close()
