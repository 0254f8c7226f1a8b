import pytest

from bot.anonymity import SealError, checkin_receipt, member_key, open_user, seal_user, share_token

KEY = b"k" * 64
OTHER = b"o" * 64


def test_seal_round_trip_and_randomised() -> None:
    user = 123456789012345678
    first, second = seal_user(KEY, user), seal_user(KEY, user)
    assert first != second
    assert open_user(KEY, first) == open_user(KEY, second) == user


def test_seal_refuses_tampering_and_other_keys() -> None:
    sealed = bytearray(seal_user(KEY, 42))
    with pytest.raises(SealError):
        open_user(OTHER, bytes(sealed))
    sealed[17] ^= 1
    with pytest.raises(SealError):
        open_user(KEY, bytes(sealed))
    with pytest.raises(SealError):
        open_user(KEY, b"short")


def test_keyed_values_depend_on_key_and_purpose() -> None:
    assert checkin_receipt(KEY, 1, 2, "2026-W48") != checkin_receipt(OTHER, 1, 2, "2026-W48")
    assert checkin_receipt(KEY, 1, 2, "2026-W48") != checkin_receipt(KEY, 1, 2, "2026-W49")
    assert checkin_receipt(KEY, 1, 2, "2026-W48") == checkin_receipt(KEY, 1, 2, "2026-W48")
    assert member_key(KEY, 2) != member_key(OTHER, 2)
    assert share_token(KEY, 1, 2, "a") != share_token(KEY, 1, 2, "b")
