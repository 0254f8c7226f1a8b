"""Keyed identities: what lets kindred recognise a member without storing who they are.

Every key is derived from the one secret with HKDF-SHA256, one key per purpose, so no two
purposes can be linked to each other and nothing can be recomputed from a user id without the
secret (which never enters the database):

- `checkin_receipt` proves "this member already checked in this week in this guild" and
  nothing else; it lives in its own file with no link to the answers.
- `member_key` finds a member's subscriptions in one guild; it differs per guild, so the same
  person in two labs is two unrelated values.
- `share_token` is the opaque author of a share (blocks, the daily limit), rotated by epoch.
- `seal_user` stores the id needed to send a DM, encrypted with AES-256-GCM. The associated data
  binds the guild and the purpose, so a sealed value copied into another row does not open.
- `reach_author` is the author of /reach conversations in one guild (blocks), with no epoch so a
  block lasts its whole term; conversations keep it only sealed (`seal_value`), so two
  conversations of one member cannot be matched from the database file.
- `reach_quota_token` counts one member's /reach messages for one day, unlinkable across days.
- `reach_code_hash` is what the database keeps of a /reach capability code.
- `share_code_hash` is what the database keeps of a /share author code (reply as OP, update,
  withdraw); `share_reporter_token` and `share_reply_token` count reports and replies for one day.
- `key_check_value` lets kindred notice, before touching anything, that it was given another key.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12
TAG_BYTES = 16
ID_BYTES = 8
SEALED_BYTES = NONCE_BYTES + ID_BYTES + TAG_BYTES
_HKDF_SALT = b"kindred/hkdf/v2"

# The version 1 seal (HMAC-CTR with an HMAC tag), readable only to upgrade old rows.
_LEGACY_NONCE, _LEGACY_TAG = 16, 16
LEGACY_SEALED_BYTES = _LEGACY_NONCE + ID_BYTES + _LEGACY_TAG


class SealError(ValueError):
    """A sealed value was tampered with, moved to another row, or sealed under another key."""


@functools.lru_cache(maxsize=64)
def derive(secret: bytes, purpose: str) -> bytes:
    """The 32-byte key for one purpose, derived from the secret with HKDF-SHA256."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=f"kindred/{purpose}".encode()
    ).derive(secret)


def _mac(key: bytes, *parts: object) -> bytes:
    message = "\x1f".join(str(p) for p in parts).encode()
    return hmac.new(key, message, hashlib.sha256).digest()


def random_id() -> bytes:
    """A random primary key: reveals no order of insertion."""
    return secrets.token_bytes(16)


def random_code() -> str:
    """A capability a member holds (128 bits, URL-safe); the database keeps only its keyed hash."""
    return secrets.token_urlsafe(16)


def checkin_receipt(secret: bytes, guild_id: int, user_id: int, week: str) -> bytes:
    """Proof that a member checked in during `week`; unlinkable to their answers."""
    return _mac(derive(secret, "checkin-receipt"), guild_id, user_id, week)


def member_key(secret: bytes, guild_id: int, user_id: int) -> bytes:
    """Lookup key for a member's own settings in one guild, without storing their id."""
    return _mac(derive(secret, "member"), guild_id, user_id)


def share_token(secret: bytes, guild_id: int, user_id: int, epoch: str) -> str:
    """Opaque per-author token for abuse handling in one guild, rotated by `epoch`."""
    return _mac(derive(secret, "share-author"), guild_id, user_id, epoch).hex()[:32]


def reach_author(secret: bytes, guild_id: int, user_id: int) -> str:
    """Opaque author of /reach conversations in one guild (for blocks); never stored in the clear."""
    return _mac(derive(secret, "reach-author"), guild_id, user_id).hex()[:32]


def reach_quota_token(secret: bytes, guild_id: int, user_id: int, day: str) -> str:
    """One member's /reach counter for one day; a new value every day, so days cannot be linked."""
    return _mac(derive(secret, "reach-quota"), guild_id, user_id, day).hex()[:32]


def reach_named_key(secret: bytes, guild_id: int, user_id: int) -> bytes:
    """Finds a member's NAMED /reach conversations (for /privacy delete); anonymous ones have none."""
    return _mac(derive(secret, "reach-named"), guild_id, user_id)


def reach_code_hash(secret: bytes, code: str) -> bytes:
    """The keyed hash of a /reach capability code: the only trace of the code in the database."""
    return _mac(derive(secret, "reach-code"), code.strip())


def seal_value(secret: bytes, value: bytes, *, context: str) -> bytes:
    """Encrypt a short value (AES-256-GCM) bound to `context`, so it opens only where it was sealed."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    aad = f"kindred/value\x1f{context}".encode()
    return nonce + AESGCM(derive(secret, "seal-value")).encrypt(nonce, value, aad)


def open_value(secret: bytes, sealed: bytes, *, context: str) -> bytes:
    """Decrypt a value sealed by `seal_value`; SealError if altered, moved or sealed under another key."""
    if len(sealed) < NONCE_BYTES + TAG_BYTES:
        raise SealError("sealed value is too short")
    aad = f"kindred/value\x1f{context}".encode()
    try:
        return AESGCM(derive(secret, "seal-value")).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except InvalidTag:
        raise SealError("sealed value failed authentication") from None


def key_check_value(secret: bytes) -> str:
    """A short value stored in the database that shows which key sealed it (reveals nothing of it)."""
    return _mac(derive(secret, "key-check"), "kindred").hex()[:16]


def _context(guild_id: int, purpose: str) -> bytes:
    return f"kindred/seal\x1f{guild_id}\x1f{purpose}".encode()


def seal_user(secret: bytes, user_id: int, *, guild_id: int, purpose: str) -> bytes:
    """Encrypt a user id for one guild and purpose, so the database can hold it without revealing it."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    cipher = AESGCM(derive(secret, "seal")).encrypt(
        nonce, user_id.to_bytes(ID_BYTES, "big"), _context(guild_id, purpose)
    )
    return nonce + cipher


def open_user(secret: bytes, sealed: bytes, *, guild_id: int, purpose: str) -> int:
    """Decrypt a sealed user id; SealError if altered, moved to another guild or purpose, or another key."""
    if len(sealed) != SEALED_BYTES:
        raise SealError("sealed value has the wrong length")
    try:
        plain = AESGCM(derive(secret, "seal")).decrypt(
            sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _context(guild_id, purpose)
        )
    except InvalidTag:
        raise SealError("sealed value failed authentication") from None
    return int.from_bytes(plain, "big")


def legacy_open_user(secret: bytes, sealed: bytes) -> int:
    """Open a version 1 seal (before HKDF and AES-GCM), only to upgrade rows written by kindred 0.1."""
    if len(sealed) != LEGACY_SEALED_BYTES:
        raise SealError("not a version 1 sealed value")
    nonce, cipher, tag = sealed[:_LEGACY_NONCE], sealed[_LEGACY_NONCE:-_LEGACY_TAG], sealed[-_LEGACY_TAG:]
    expected = _mac(secret, "kindred/seal-tag/v1", (nonce + cipher).hex())[:_LEGACY_TAG]
    if not hmac.compare_digest(tag, expected):
        raise SealError("sealed value failed authentication")
    stream = _mac(secret, "kindred/seal-stream/v1", nonce.hex(), 0)[:ID_BYTES]
    return int.from_bytes(bytes(a ^ b for a, b in zip(cipher, stream, strict=True)), "big")


def legacy_member_key(secret: bytes, user_id: int) -> bytes:
    """The version 1 member key, only to find rows written by kindred 0.1 during the upgrade."""
    return _mac(secret, "kindred/member/v1", user_id)


def share_code_hash(secret: bytes, code: str) -> bytes:
    """The keyed hash of a /share author code: the only trace of the code in the database."""
    return _mac(derive(secret, "share-code"), code.strip())


def share_reporter_token(secret: bytes, guild_id: int, user_id: int, day: str) -> str:
    """One member's report counter for one day (spam limit only); a new value every day."""
    return _mac(derive(secret, "share-reporter"), guild_id, user_id, day).hex()[:32]


def share_reply_token(secret: bytes, guild_id: int, user_id: int, day: str) -> str:
    """One member's anonymous-reply counter for one day (spam limit only); a new value every day."""
    return _mac(derive(secret, "share-reply-quota"), guild_id, user_id, day).hex()[:32]
