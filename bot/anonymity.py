"""Keyed identities: what lets kindred recognise a member without storing who they are.

Every value here is an HMAC-SHA256 under the secret key (which never enters the database), with
a distinct label per purpose, so nothing can be recomputed from a user id without the key and no
two purposes can be linked to each other. The database therefore never holds a user id:

- `checkin_receipt` proves "this member already checked in this week in this guild" and
  nothing else; it sits in its own table with no link to the answers.
- `member_key` finds a member's subscriptions (for /unsubscribe and /privacy).
- `seal_user` stores the id needed to send a DM, encrypted (HMAC-SHA256 in counter mode plus an
  HMAC tag, encrypt-then-MAC); only the running bot, holding the key, can open it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

NONCE_BYTES = 16
TAG_BYTES = 16
ID_BYTES = 8


class SealError(ValueError):
    """A sealed value was tampered with or sealed under another key."""


def _mac(key: bytes, label: str, *parts: object) -> bytes:
    message = "\x1f".join([label, *(str(p) for p in parts)]).encode()
    return hmac.new(key, message, hashlib.sha256).digest()


def random_id() -> bytes:
    """A random primary key: reveals no order of insertion."""
    return secrets.token_bytes(16)


def checkin_receipt(key: bytes, guild_id: int, user_id: int, week: str) -> bytes:
    """Proof that a member checked in during `week`; unlinkable to their answers."""
    return _mac(key, "kindred/checkin-receipt/v1", guild_id, user_id, week)


def member_key(key: bytes, user_id: int) -> bytes:
    """Lookup key for a member's own settings, without storing their id."""
    return _mac(key, "kindred/member/v1", user_id)


def share_token(key: bytes, guild_id: int, user_id: int, epoch: str) -> str:
    """Opaque per-author token for abuse handling in one guild, rotated by `epoch`."""
    return _mac(key, "kindred/share-author/v1", guild_id, user_id, epoch).hex()[:32]


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = b""
    counter = 0
    while len(blocks) < length:
        blocks += _mac(key, "kindred/seal-stream/v1", nonce.hex(), counter)
        counter += 1
    return blocks[:length]


def seal_user(key: bytes, user_id: int) -> bytes:
    """Encrypt a user id so the database can hold it without revealing it."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    plain = user_id.to_bytes(ID_BYTES, "big")
    cipher = bytes(a ^ b for a, b in zip(plain, _keystream(key, nonce, ID_BYTES), strict=True))
    tag = _mac(key, "kindred/seal-tag/v1", (nonce + cipher).hex())[:TAG_BYTES]
    return nonce + cipher + tag


def open_user(key: bytes, sealed: bytes) -> int:
    """Decrypt a sealed user id; raise SealError if it was altered or sealed with another key."""
    if len(sealed) != NONCE_BYTES + ID_BYTES + TAG_BYTES:
        raise SealError("sealed value has the wrong length")
    nonce, cipher, tag = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:-TAG_BYTES], sealed[-TAG_BYTES:]
    expected = _mac(key, "kindred/seal-tag/v1", (nonce + cipher).hex())[:TAG_BYTES]
    if not hmac.compare_digest(tag, expected):
        raise SealError("sealed value failed authentication")
    plain = bytes(a ^ b for a, b in zip(cipher, _keystream(key, nonce, ID_BYTES), strict=True))
    return int.from_bytes(plain, "big")
