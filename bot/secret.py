"""The HMAC secret: from the environment, or generated once into a 0600 file beside the database."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)


def load_or_create_secret(configured: bytes | None, key_path: Path) -> bytes:
    """Return the configured key, else the key file's, else create that file (mode 0600)."""
    if configured is not None:
        return configured
    try:
        existing = key_path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing.encode()
    key_path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    log.warning(
        "KINDRED_SECRET_KEY is not set: generated a new secret key in %s (mode 0600). "
        "Back it up with the database; without it, this week's check-in receipts cannot be matched.",
        key_path,
    )
    return value.encode()
