from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import DEFAULT_DB_PATH, ConfigError, settings_from
from bot.secret import load_or_create_secret

TOKEN = "abc.def.ghi"


def test_missing_token_names_the_variable_and_how_to_get_one() -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from({})
    message = str(caught.value)
    assert "DISCORD_TOKEN" in message
    assert "discord.com/developers/applications" in message
    assert ".env" in message


def test_token_not_required_for_offline_commands() -> None:
    settings = settings_from({}, require_token=False)
    assert settings.discord_token == ""
    assert settings.db_path == DEFAULT_DB_PATH


def test_defaults() -> None:
    settings = settings_from({"DISCORD_TOKEN": TOKEN})
    assert settings.log_level == "INFO"
    assert settings.dev_guild_id is None
    assert settings.secret_key is None
    assert settings.delivery_grace == timedelta(hours=6)
    assert settings.heartbeat_path.parent == settings.db_path.parent
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"KINDRED_DEV_GUILD_ID": "my-server"}, "KINDRED_DEV_GUILD_ID"),
        ({"KINDRED_DEV_GUILD_ID": "-4"}, "KINDRED_DEV_GUILD_ID"),
        ({"KINDRED_LOG_LEVEL": "LOUD"}, "KINDRED_LOG_LEVEL"),
        ({"KINDRED_SECRET_KEY": "short"}, "KINDRED_SECRET_KEY"),
        ({"KINDRED_SECRET_KEY": "k" * 40}, "KINDRED_SECRET_KEY"),  # long but a placeholder (issue 20)
        ({"KINDRED_DISPATCH_INTERVAL": "soon"}, "KINDRED_DISPATCH_INTERVAL"),
        ({"KINDRED_DELIVERY_GRACE_HOURS": "0"}, "KINDRED_DELIVERY_GRACE_HOURS"),
        ({"DISCORD_TOKEN": "two words"}, "DISCORD_TOKEN"),
    ],
)
def test_malformed_variable_is_named(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        settings_from({"DISCORD_TOKEN": TOKEN, **env})


def test_relative_db_path_is_resolved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = settings_from({"DISCORD_TOKEN": TOKEN, "KINDRED_DB_PATH": "x/k.db"})
    assert settings.db_path == tmp_path / "x" / "k.db"
    assert settings.legacy_key_path == tmp_path / "x" / "k.db.key"


def test_generated_key_lives_apart_from_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings = settings_from({"DISCORD_TOKEN": TOKEN, "KINDRED_DB_PATH": str(tmp_path / "data" / "k.db")})
    assert settings.secret_key_path.parent == tmp_path / "config" / "kindred"
    assert (tmp_path / "data") not in settings.secret_key_path.parents
    chosen = settings_from(
        {
            "DISCORD_TOKEN": TOKEN,
            "KINDRED_DB_PATH": str(tmp_path / "k.db"),
            "KINDRED_SECRET_KEY_FILE": str(tmp_path / "secrets" / "kindred.key"),
        }
    )
    assert chosen.secret_key_path == tmp_path / "secrets" / "kindred.key"


def test_a_key_beside_the_database_is_still_read_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    legacy = tmp_path / "kindred.sqlite3.key"
    legacy.write_text("f" * 32 + "0123456789abcdef" * 2 + "\n")
    value = load_or_create_secret(None, tmp_path / "config" / "secret.key", legacy)
    assert value == ("f" * 32 + "0123456789abcdef" * 2).encode()
    assert "beside the database" in caplog.text
    assert not (tmp_path / "config" / "secret.key").exists()


def test_secret_generated_once_with_private_mode(tmp_path: Path) -> None:
    key_path = tmp_path / "data" / "kindred.sqlite3.key"
    first = load_or_create_secret(None, key_path)
    assert len(first) == 64
    assert key_path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_secret(None, key_path) == first
    assert load_or_create_secret(b"x" * 40, key_path) == b"x" * 40


def test_a_database_url_must_be_postgresql() -> None:
    base = {"DISCORD_TOKEN": "a.b.c"}
    assert settings_from(base).database_url is None
    url = "postgresql://kindred@db.example.org/kindred"
    assert settings_from({**base, "KINDRED_DATABASE_URL": url}).database_url == url
    with pytest.raises(ConfigError, match="KINDRED_DATABASE_URL must be a PostgreSQL URL"):
        settings_from({**base, "KINDRED_DATABASE_URL": "mysql://kindred@db/kindred"})


def test_check_names_a_bad_setting_instead_of_crashing(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_"))}
    env |= {"KINDRED_DATABASE_URL": "mysql://x", "KINDRED_DB_PATH": str(tmp_path / "k.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "KINDRED_DATABASE_URL must be a PostgreSQL URL" in result.stderr
    assert "Traceback" not in result.stderr
