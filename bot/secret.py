"""The one secret: from the environment, or a 0600 key file kept apart from the database and backups."""

from __future__ import annotations

import logging
import os
import secrets
import stat
from pathlib import Path

log = logging.getLogger(__name__)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""


def _warn_if_loose(path: Path) -> None:
    """Warn when others can read the key file: anyone who can read it can undo the anonymity."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning(
            "the secret key file %s can be read by other users (mode %o); run chmod 600 on it",
            path,
            stat.S_IMODE(mode),
        )


def write_key_file(path: Path, value: str) -> None:
    """Write a key file atomically with mode 0600 (the folder is created 0700)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(path.name + ".new")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    os.replace(temporary, path)


def load_or_create_secret(configured: bytes | None, key_path: Path, legacy_path: Path | None = None) -> bytes:
    """Return the configured key, else the key file's, else create that file (mode 0600)."""
    if configured is not None:
        return configured
    existing = _read(key_path)
    if existing:
        _warn_if_loose(key_path)
        return existing.encode()
    if legacy_path is not None and (old := _read(legacy_path)):
        log.warning(
            "the secret key is in %s, beside the database, so a copy of the data folder carries the "
            "key with it. Move it: set KINDRED_SECRET_KEY, or move the file to %s.",
            legacy_path,
            key_path,
        )
        _warn_if_loose(legacy_path)
        return old.encode()
    value = secrets.token_hex(32)
    write_key_file(key_path, value)
    log.warning(
        "KINDRED_SECRET_KEY is not set: generated a new secret key in %s (mode 0600). Keep it apart "
        "from the database and its backups (a backup plus its key undoes the anonymity), and keep a "
        "copy somewhere safe: without it, weekly DMs and blocks stop working.",
        key_path,
    )
    return value.encode()
