"""One typed Settings object, built once from the environment and `.env`."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

from bot.shards import EXAMPLE as SHARDS_EXAMPLE
from bot.shards import ShardPlan, ShardSpecError, parse_shards

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESOURCES_DIR = PROJECT_ROOT / "resources"
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "kindred.sqlite3"

MISSING_TOKEN_HELP = (
    "DISCORD_TOKEN is not set. Create an application at "  # noqa: S105 - instructions, not a secret
    "https://discord.com/developers/applications, open Bot > Reset Token, and put "
    "DISCORD_TOKEN=<token> in a .env file beside README.md (see .env.example). "
    "To try kindred first without Discord, run `bash scripts/run sandbox`."
)


# A configured key with fewer distinct characters than this is a placeholder, not a secret
# ("k" * 40, "aaaa…"); secrets.token_hex(32) has 16.
MIN_KEY_SYMBOLS = 10


class ConfigError(Exception):
    """A configuration variable is missing or malformed; the message says how to fix it."""


@dataclass(frozen=True)
class Settings:
    """Everything kindred reads from its environment, validated."""

    discord_token: str = field(repr=False)
    db_path: Path
    secret_key: bytes | None = field(repr=False)
    dev_guild_id: int | None
    log_level: str
    dispatch_interval: float
    delivery_grace: timedelta
    heartbeat_path: Path
    health_max_age: timedelta
    resources_dir: Path = RESOURCES_DIR
    key_file: Path | None = None
    accept_new_key: bool = False
    unsafe_debug_logs: bool = False
    min_share_delay_minutes: int = 2
    database_url: str | None = field(default=None, repr=False)  # PostgreSQL instead of db_path (issue 21)
    #: KINDRED_SHARDS: the shards this process runs; None (unset) = every shard Discord recommends.
    shards: ShardPlan | None = None

    @property
    def secret_key_path(self) -> Path:
        """Where a generated secret key lives: apart from the data volume, so backups never carry it."""
        if self.key_file is not None:
            return self.key_file
        digest = hashlib.sha256(str(self.db_path).encode()).hexdigest()[:12]
        return config_home() / "kindred" / f"secret-{digest}.key"

    @property
    def legacy_key_path(self) -> Path:
        """Where kindred 0.1 generated its key: beside the database (moved from there with a warning)."""
        return self.db_path.with_name(self.db_path.name + ".key")


def config_home() -> Path:
    """$XDG_CONFIG_HOME, else ~/.config: a place for the key that is not the data volume."""
    raw = os.environ.get("XDG_CONFIG_HOME", "").strip()
    return Path(raw) if raw else Path.home() / ".config"


def _minutes(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > 120:
        raise ConfigError(f"{name} must be a whole number of minutes from 0 to 120, not {raw!r}.")
    return int(raw)


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in {"1", "true", "yes"}


def _int(env: Mapping[str, str], name: str, hint: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number ({hint}), not {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive ({hint}).")
    return value


def _float(env: Mapping[str, str], name: str, default: float, hint: str) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number ({hint}), not {raw!r}.") from None
    if not value > 0:
        raise ConfigError(f"{name} must be greater than 0 ({hint}).")
    return value


def _path(env: Mapping[str, str], name: str, default: Path) -> Path:
    raw = env.get(name, "").strip()
    return Path(raw).expanduser().resolve() if raw else default


def _shards(env: Mapping[str, str]) -> ShardPlan | None:
    raw = env.get("KINDRED_SHARDS", "").strip()
    if not raw:
        return None
    try:
        return parse_shards(raw)
    except ShardSpecError as exc:
        raise ConfigError(f"KINDRED_SHARDS: {exc} ({SHARDS_EXAMPLE}).") from None


def default_heartbeat_path(db_path: Path, shards: ShardPlan | None) -> Path:
    """Beside the database; one file per shard range, so one process's beat never hides another's silence."""
    if shards is None:
        return db_path.with_name("kindred.heartbeat")
    return db_path.with_name(f"kindred-shards-{shards.describe()}-of-{shards.count}.heartbeat")


def settings_from(env: Mapping[str, str], *, require_token: bool = True) -> Settings:
    """Validate `env` into Settings; raise ConfigError naming the variable on any problem."""
    token = env.get("DISCORD_TOKEN", "").strip()
    if require_token and not token:
        raise ConfigError(MISSING_TOKEN_HELP)
    if token and any(ch.isspace() for ch in token):
        raise ConfigError("DISCORD_TOKEN contains spaces; paste the token exactly as Discord shows it.")

    level = env.get("KINDRED_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in logging.getLevelNamesMapping():
        raise ConfigError(f"KINDRED_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, not {level!r}.")

    secret_raw = env.get("KINDRED_SECRET_KEY", "").strip()
    if secret_raw and (len(secret_raw) < 32 or len(set(secret_raw)) < MIN_KEY_SYMBOLS):
        raise ConfigError(
            "KINDRED_SECRET_KEY must be at least 32 characters and not a repeated pattern; generate one with "
            '`python -c "import secrets; print(secrets.token_hex(32))"`, or leave it unset '
            "and kindred will create one in a private key file (KINDRED_SECRET_KEY_FILE)."
        )

    db_path = _path(env, "KINDRED_DB_PATH", DEFAULT_DB_PATH)
    database_url = env.get("KINDRED_DATABASE_URL", "").strip() or None
    if database_url is not None and not database_url.startswith(("postgresql://", "postgres://")):
        raise ConfigError(
            "KINDRED_DATABASE_URL must be a PostgreSQL URL such as "
            "postgresql://kindred@db.example.org/kindred (leave it unset to use SQLite at KINDRED_DB_PATH)."
        )
    key_file = env.get("KINDRED_SECRET_KEY_FILE", "").strip()
    shards = _shards(env)
    return Settings(
        shards=shards,
        key_file=Path(key_file).expanduser().resolve() if key_file else None,
        accept_new_key=_flag(env, "KINDRED_ACCEPT_NEW_KEY"),
        unsafe_debug_logs=_flag(env, "KINDRED_UNSAFE_DEBUG_LOGS"),
        min_share_delay_minutes=_minutes(env, "KINDRED_MIN_SHARE_DELAY_MINUTES", 2),
        discord_token=token,
        db_path=db_path,
        database_url=database_url,
        secret_key=secret_raw.encode() if secret_raw else None,
        dev_guild_id=_int(env, "KINDRED_DEV_GUILD_ID", "the id of your test server"),
        log_level=level,
        dispatch_interval=_float(
            env, "KINDRED_DISPATCH_INTERVAL", 30.0, "seconds between checks for due DMs"
        ),
        delivery_grace=timedelta(
            hours=_float(env, "KINDRED_DELIVERY_GRACE_HOURS", 6.0, "hours a late DM may still be sent")
        ),
        heartbeat_path=_path(env, "KINDRED_HEARTBEAT_PATH", default_heartbeat_path(db_path, shards)),
        health_max_age=timedelta(
            seconds=_float(env, "KINDRED_HEALTH_MAX_AGE", 180.0, "seconds without a gateway heartbeat")
        ),
    )


def load_settings(*, require_token: bool = True, dotenv_path: Path | None = None) -> Settings:
    """Read `.env` (without overriding the real environment), then validate."""
    load_dotenv(dotenv_path or PROJECT_ROOT / ".env", override=False)
    return settings_from(os.environ, require_token=require_token)
