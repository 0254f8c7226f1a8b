"""Issue 17, pure parts: report reasons, author actions, labels, links, epochs and the keyed values."""

from __future__ import annotations

from datetime import date

import pytest

from bot import share_posts as sp
from bot.anonymity import (
    SealError,
    open_value,
    reach_code_hash,
    seal_value,
    share_code_hash,
    share_reply_token,
    share_reporter_token,
    share_token,
)

KEY = b"k" * 64


def test_reasons_and_actions_are_closed_sets() -> None:
    assert sp.WORRIED in sp.REASONS
    assert [sp.reason_of(r) for r in sp.REASONS] == list(sp.REASONS)
    assert sp.reason_of("<script>") == "other" and sp.reason_of("") == "other"
    assert [sp.action_of(a) for a in sp.ACTIONS] == list(sp.ACTIONS)
    assert sp.action_of("delete everything") is None


def test_targets_are_named_by_order_never_by_person() -> None:
    assert sp.target_name(None) == "post"
    assert sp.target_name(3) == "reply 3"


def test_message_link() -> None:
    assert sp.message_link(1, 2, 3) == "https://discord.com/channels/1/2/3"


def test_author_epochs_are_28_day_periods_and_the_previous_one() -> None:
    start = date(1970, 1, 5)
    assert sp.author_epochs(start) == ("e0", "e-1")
    assert sp.author_epochs(date(1970, 2, 1)) == ("e0", "e-1")  # day 27
    assert sp.author_epochs(date(1970, 2, 2)) == ("e1", "e0")  # day 28


def test_the_code_hash_is_keyed_and_has_its_own_purpose() -> None:
    code = "A" * 24
    assert share_code_hash(KEY, code) == share_code_hash(KEY, f"  {code} ")
    assert share_code_hash(KEY, code) != share_code_hash(b"o" * 64, code)
    assert share_code_hash(KEY, code) != reach_code_hash(KEY, code)  # HKDF purpose per use
    assert code.encode() not in share_code_hash(KEY, code)


def test_counters_change_every_day_and_differ_from_each_other_and_the_author_token() -> None:
    reporter = share_reporter_token(KEY, 1, 42, "2026-12-01")
    assert reporter != share_reporter_token(KEY, 1, 42, "2026-12-02")
    assert reporter != share_reporter_token(KEY, 2, 42, "2026-12-01")
    assert reporter != share_reply_token(KEY, 1, 42, "2026-12-01")
    assert reporter != share_token(KEY, 1, 42, "2026-12-01")
    assert "42" not in reporter


def test_a_sealed_author_token_opens_only_for_its_own_post() -> None:
    token = share_token(KEY, 1, 42, "e1").encode()
    sealed = seal_value(KEY, token, context="share-post\x1fab")
    assert open_value(KEY, sealed, context="share-post\x1fab") == token
    assert seal_value(KEY, token, context="share-post\x1fab") != sealed  # randomised: rows don't match
    with pytest.raises(SealError):  # a sealed token moved to another post does not open
        open_value(KEY, sealed, context="share-post\x1fcd")
