import pytest

from bot.anonymity import (
    SealError,
    checkin_receipt,
    derive,
    key_check_value,
    legacy_open_user,
    member_key,
    open_user,
    seal_user,
    share_token,
)

KEY = b"k" * 64
OTHER = b"o" * 64
GUILD = 5


def test_seal_round_trip_and_randomised() -> None:
    user = 123456789012345678
    first = seal_user(KEY, user, guild_id=GUILD, purpose="subscription:checkin")
    second = seal_user(KEY, user, guild_id=GUILD, purpose="subscription:checkin")
    assert first != second
    assert open_user(KEY, first, guild_id=GUILD, purpose="subscription:checkin") == user
    assert open_user(KEY, second, guild_id=GUILD, purpose="subscription:checkin") == user


def test_seal_refuses_tampering_and_other_keys() -> None:
    sealed = bytearray(seal_user(KEY, 42, guild_id=GUILD, purpose="p"))
    with pytest.raises(SealError):
        open_user(OTHER, bytes(sealed), guild_id=GUILD, purpose="p")
    sealed[17] ^= 1
    with pytest.raises(SealError):
        open_user(KEY, bytes(sealed), guild_id=GUILD, purpose="p")
    with pytest.raises(SealError):
        open_user(KEY, b"short", guild_id=GUILD, purpose="p")


def test_a_sealed_id_moved_to_another_guild_or_purpose_does_not_open() -> None:
    """Issue 11: the seal binds its context, so a swapped row cannot make kindred DM the wrong person."""
    sealed = seal_user(KEY, 42, guild_id=GUILD, purpose="subscription:checkin")
    with pytest.raises(SealError):
        open_user(KEY, sealed, guild_id=GUILD + 1, purpose="subscription:checkin")
    with pytest.raises(SealError):
        open_user(KEY, sealed, guild_id=GUILD, purpose="subscription:prompt")


def test_keyed_values_depend_on_key_and_purpose() -> None:
    assert checkin_receipt(KEY, 1, 2, "2026-W48") != checkin_receipt(OTHER, 1, 2, "2026-W48")
    assert checkin_receipt(KEY, 1, 2, "2026-W48") != checkin_receipt(KEY, 1, 2, "2026-W49")
    assert checkin_receipt(KEY, 1, 2, "2026-W48") == checkin_receipt(KEY, 1, 2, "2026-W48")
    assert member_key(KEY, 1, 2) != member_key(OTHER, 1, 2)
    assert share_token(KEY, 1, 2, "a") != share_token(KEY, 1, 2, "b")


def test_member_keys_differ_per_guild() -> None:
    """Issue 11: one person in two labs is two unrelated lookup keys."""
    assert member_key(KEY, 1, 2) != member_key(KEY, 3, 2)


def test_every_purpose_has_its_own_derived_key() -> None:
    keys = {derive(KEY, p) for p in ("seal", "member", "checkin-receipt", "share-author", "key-check")}
    assert len(keys) == 5 and KEY not in keys and all(len(k) == 32 for k in keys)
    assert key_check_value(KEY) != key_check_value(OTHER)


def test_version_1_seals_still_open_for_the_upgrade() -> None:
    import hashlib
    import hmac

    def mac(label: str, *parts: object) -> bytes:
        return hmac.new(KEY, "\x1f".join([label, *(str(p) for p in parts)]).encode(), hashlib.sha256).digest()

    nonce = bytes(range(16))
    plain = (987654321).to_bytes(8, "big")
    cipher = bytes(
        a ^ b for a, b in zip(plain, mac("kindred/seal-stream/v1", nonce.hex(), 0)[:8], strict=True)
    )
    sealed = nonce + cipher + mac("kindred/seal-tag/v1", (nonce + cipher).hex())[:16]
    assert legacy_open_user(KEY, sealed) == 987654321
    with pytest.raises(SealError):
        legacy_open_user(OTHER, sealed)
