"""bot.reach: codes, handles, delays, states and limits, with randomness and time pinned."""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, date, datetime, timedelta

import pytest

from bot import reach
from bot.anonymity import SealError, open_value, reach_author, reach_code_hash, reach_quota_token, seal_value

KEY = b"unit-reach-key-0123456789abcdef012345"


def test_codes_carry_at_least_128_bits_and_are_checked() -> None:
    code = reach.new_code()
    assert reach.CODE_BYTES * 8 >= 128 and len(code) == 24
    assert reach.clean_code(f"  `{code}` ") == code
    assert reach.clean_code(code[:-1]) is None and reach.clean_code(code + "!") is None
    with pytest.raises(ValueError, match="not a code"):
        reach.new_code(lambda _n: "short")
    assert len({reach.new_code() for _ in range(200)}) == 200


def test_handles_come_from_chance_only() -> None:
    counter = itertools.count()
    handle = reach.new_handle(lambda n: next(counter) % n)
    assert handle == reach.HANDLE_ALPHABET[:8]
    assert reach.thread_name("reach", handle) == f"reach-{handle}"
    assert all(c in reach.HANDLE_ALPHABET for c in reach.new_handle())
    assert all(d not in reach.new_handle() for d in "01lio")


def test_anonymous_delay_is_between_a_third_of_the_bound_and_the_bound() -> None:
    assert reach.member_delay(0) == timedelta(0)
    assert reach.member_delay(3, lambda _n: 0) == timedelta(minutes=1)
    assert reach.member_delay(3, lambda n: n - 1) == timedelta(minutes=3)
    for _ in range(50):
        assert timedelta(minutes=1) <= reach.member_delay(3, secrets.randbelow) <= timedelta(minutes=3)
    now = datetime(2026, 12, 2, 10, tzinfo=UTC)
    assert reach.post_time(now, anonymous=False, max_minutes=10) == now  # named: at once
    assert reach.post_time(now, anonymous=True, max_minutes=3, randbelow=lambda _n: 0) == now + timedelta(
        minutes=1
    )


def test_states_move_with_messages_and_replies() -> None:
    assert reach.after_member_message("waiting") == "waiting"
    assert reach.after_member_message("answered") == "open"
    assert reach.after_rep_reply("open") == "answered"
    for bad in ("closed",):
        with pytest.raises(ValueError, match="closed"):
            reach.after_member_message(bad)
    with pytest.raises(ValueError, match="waiting"):
        reach.after_rep_reply("waiting")


def test_block_days_and_dates() -> None:
    assert reach.block_days(None) == reach.block_days(" ") == 30
    assert reach.block_days(" 14 ") == 14
    for bad in ("0", "366", "two", "-3", "1.5"):
        with pytest.raises(ValueError):
            reach.block_days(bad)
    assert reach.block_ends(date(2026, 12, 2), 14) == "2026-12-16"
    assert reach.forget_before(date(2026, 12, 2), 30) == "2026-11-02"
    assert reach.forget_before(date(2026, 12, 2), 0) == "2026-12-01"  # at least a day


def test_counts_by_state_never_count_closed_as_urgent() -> None:
    counts = reach.count_states(
        [("open", True), ("open", False), ("answered", False), ("waiting", True), ("closed", True)]
    )
    assert (counts.waiting, counts.open, counts.answered, counts.urgent, counts.closed) == (1, 2, 1, 2, 1)
    assert counts.active == 4


def test_keyed_values_differ_by_purpose_guild_and_day() -> None:
    author = reach_author(KEY, 1, 99)
    assert author != reach_author(KEY, 2, 99) != reach_author(KEY, 1, 98)
    assert reach_quota_token(KEY, 1, 99, "2026-12-02") != reach_quota_token(KEY, 1, 99, "2026-12-03")
    assert reach_quota_token(KEY, 1, 99, "2026-12-02") != author
    assert reach_code_hash(KEY, "x" * 24) == reach_code_hash(KEY, " " + "x" * 24)
    assert reach_code_hash(KEY, "x" * 24) != reach_code_hash(b"other" * 8, "x" * 24)


def test_sealed_author_opens_only_in_its_own_conversation() -> None:
    sealed = seal_value(KEY, b"token", context="a")
    assert open_value(KEY, sealed, context="a") == b"token"
    assert seal_value(KEY, b"token", context="a") != sealed  # random nonce: equal tokens do not match
    with pytest.raises(SealError):
        open_value(KEY, sealed, context="b")
    with pytest.raises(SealError):
        open_value(b"other" * 8, sealed, context="a")
    with pytest.raises(SealError):
        open_value(KEY, sealed[:10], context="a")
