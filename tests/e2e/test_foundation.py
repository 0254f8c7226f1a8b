"""Issue 2 end to end: /help, /crisis and /resources through the real bot process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot
from tests.backends import database_url, postgres_only, sqlite_only
from tests.e2e.conftest import Lab, sync_commands
from tests.e2e.messages import EPHEMERAL, custom_ids, text_of

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


async def test_help_is_private_and_points_to_crisis(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    handle = await fake.invoke("help", user_id=lab.member, guild_id=lab.guild_id, channel_id=lab.general)
    message = await handle.wait_message()
    assert message["flags"] & EPHEMERAL
    text = text_of(message)
    assert "not therapy" in text
    assert "/crisis" in text
    assert "kindred:crisis" in custom_ids(message)


async def test_crisis_in_a_guild_defaults_to_the_locale_country(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    handle = await fake.invoke("crisis", user_id=lab.member, guild_id=lab.guild_id, channel_id=lab.general)
    message = await handle.wait_message()
    assert message["flags"] & EPHEMERAL
    text = text_of(message)
    assert "United Kingdom" in text
    assert "116 123" in text and "85258" in text
    assert "findahelpline.com" in text
    assert "emergency number" in text


async def test_crisis_with_a_country_option_and_in_a_dm(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    handle = await fake.invoke("crisis", {"country": "JP"}, user_id=lab.member)  # a DM with the bot
    text = text_of(await handle.wait_message())
    assert "0120-279-338" in text
    assert (
        "0570-783-556" not in text
    )  # issue 12: unconfirmed lines (Inochi no Denwa's Navi Dial) are never shown
    assert "findahelpline.com" in text


async def test_crisis_for_a_country_without_lines_still_helps(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    handle = await fake.invoke("crisis", {"country": "Atlantis"}, user_id=lab.member, guild_id=lab.guild_id)
    text = text_of(await handle.wait_message())
    assert "Atlantis" in text
    assert "findahelpline.com" in text and "befrienders.org" in text
    assert "emergency number" in text


async def test_crisis_in_chinese_for_zh_cn(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    handle = await fake.invoke("crisis", user_id=lab.zh_member, guild_id=lab.guild_id, locale="zh-CN")
    text = text_of(await handle.wait_message())
    assert "12356" in text and "010-82951332" in text
    assert "紧急" in text
    assert "findahelpline.com" in text


async def test_crisis_country_autocomplete(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    choices = await fake.autocomplete(
        "crisis", {"country": "Ger"}, "country", user_id=lab.member, guild_id=lab.guild_id
    )
    assert {"name": "Germany (DE)", "value": "DE"} in [
        {"name": c["name"], "value": c["value"]} for c in choices
    ]
    preferred = await fake.autocomplete(
        "crisis", {"country": ""}, "country", user_id=lab.member, guild_id=lab.guild_id
    )
    assert preferred[0]["value"] == "GB"


@sqlite_only
async def test_crisis_answers_when_the_database_file_is_unreadable(
    fake: FakeDiscord, lab: Lab, tmp_path: Path
) -> None:
    await sync_commands(fake, tmp_path / "sync")
    (tmp_path / "kindred.sqlite3").write_bytes(b"\x00garbage, not a database\x00" * 512)
    async with running_bot(
        fake, tmp_path, env={"KINDRED_SECRET_KEY": "0f3c9a7e21b84d56a0c2e9f7b13d4a68"}
    ) as process:
        handle = await fake.invoke("crisis", {"country": "GB"}, user_id=lab.member, guild_id=lab.guild_id)
        assert "116 123" in text_of(await handle.wait_message())
        other = await fake.invoke(
            "resources search", {"query": "money"}, user_id=lab.member, guild_id=lab.guild_id
        )
        refusal = text_of(await other.wait_message())
        assert "can't reach its storage" in refusal and "/crisis" in refusal
        assert "database unavailable at start" in process.logs()


@postgres_only
async def test_crisis_answers_when_the_database_server_is_unreachable_at_start(
    fake: FakeDiscord, lab: Lab, tmp_path: Path
) -> None:
    await sync_commands(fake, tmp_path / "sync")
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # a port nothing listens on: the server is down
    port = closed.getsockname()[1]
    closed.close()
    env = {
        "KINDRED_SECRET_KEY": "0f3c9a7e21b84d56a0c2e9f7b13d4a68",
        "KINDRED_DATABASE_URL": f"postgresql://kindred@127.0.0.1:{port}/kindred",
    }
    async with running_bot(fake, tmp_path, env=env) as process:
        handle = await fake.invoke("crisis", {"country": "GB"}, user_id=lab.member, guild_id=lab.guild_id)
        assert "116 123" in text_of(await handle.wait_message())
        other = await fake.invoke(
            "resources search", {"query": "money"}, user_id=lab.member, guild_id=lab.guild_id
        )
        refusal = text_of(await other.wait_message())
        assert "can't reach its storage" in refusal and "/crisis" in refusal
        assert "database unavailable at start" in process.logs()


@postgres_only
async def test_crisis_answers_when_the_database_server_goes_away_while_running_then_recovers(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    name = database_url(kindred.db_path).rsplit("/", 1)[1]
    admin = await asyncpg.connect(database_url(kindred.db_path).rsplit("/", 1)[0] + "/postgres")
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
        handle = await fake.invoke("crisis", {"country": "US"}, user_id=lab.member, guild_id=lab.guild_id)
        assert "988" in text_of(await handle.wait_message())
        other = await fake.invoke(
            "resources search", {"query": "money"}, user_id=lab.member, guild_id=lab.guild_id
        )
        assert "can't reach its storage" in text_of(await other.wait_message())
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()
    back = await fake.invoke(
        "resources search", {"query": "money"}, user_id=lab.member, guild_id=lab.guild_id
    )
    assert "can't reach its storage" not in text_of(await back.wait_message())


@sqlite_only
async def test_crisis_answers_when_the_database_breaks_while_running(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    db = kindred.db_path
    with db.open("r+b") as raw:  # corrupt the live file in place, header included
        raw.write(b"\xff" * 4096)
    for path in db.parent.glob(db.name + "-*"):
        path.write_bytes(b"\xff" * 64)
    handle = await fake.invoke("crisis", {"country": "US"}, user_id=lab.member, guild_id=lab.guild_id)
    assert "988" in text_of(await handle.wait_message())


async def test_resources_topics_then_select_then_topic(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    handle = await fake.invoke("resources topics", user_id=lab.member, guild_id=lab.guild_id)
    overview = await handle.wait_message()
    assert overview["flags"] & EPHEMERAL
    assert "Publishing limbo" in text_of(overview) or "publishing" in text_of(overview).lower()
    assert "kindred:topics" in custom_ids(overview)
    picked = await fake.select(overview, "kindred:topics", ["job-market"], user_id=lab.member)
    response = await picked.response()
    assert response["type"] == 7  # the overview is replaced by the topic
    topic = text_of(response["data"])
    assert "kyunghyuncho.me" in str(response["data"]) or "job" in topic.lower()
    assert "/crisis" in topic


async def test_resources_show_with_autocomplete(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    choices = await fake.autocomplete(
        "resources show", {"topic": "comp"}, "topic", user_id=lab.member, guild_id=lab.guild_id
    )
    assert "compute-gap" in [c["value"] for c in choices]
    handle = await fake.invoke(
        "resources show", {"topic": "compute-gap"}, user_id=lab.member, guild_id=lab.guild_id
    )
    message = await handle.wait_message()
    assert message["flags"] & EPHEMERAL
    assert "washingtonpost.com" in str(message["embeds"])
    unknown = await fake.invoke(
        "resources show", {"topic": "astrology"}, user_id=lab.member, guild_id=lab.guild_id
    )
    assert "no topic called" in text_of(await unknown.wait_message())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("publishing", "publishing-limbo"),
        ("money", "sudden-money"),
        ("job market", "job-market"),
        ("lonely", "lonely-startups"),
        ("anxiety", "social-anxiety"),
    ],
)
async def test_resources_search(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess, query: str, expected: str
) -> None:
    handle = await fake.invoke(
        "resources search", {"query": query}, user_id=lab.member, guild_id=lab.guild_id
    )
    message = await handle.wait_message()
    assert message["flags"] & EPHEMERAL
    assert message["embeds"], text_of(message)
    assert expected.split("-")[0] in str(message["embeds"][0]).lower()


async def test_stops_cleanly_on_sigterm(fake: FakeDiscord, lab: Lab, tmp_path: Path) -> None:
    process = BotProcess(fake, tmp_path, env={"KINDRED_SECRET_KEY": "0f3c9a7e21b84d56a0c2e9f7b13d4a68"})
    await process.start()
    await process.wait_ready()
    assert await process.stop() == 0
    assert "shutting down" in process.logs()


def test_run_without_token_explains_and_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_"))}
    env["KINDRED_DB_PATH"] = str(tmp_path / "k.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr and "discord.com/developers/applications" in result.stderr


def test_check_validates_everything_offline(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_"))}
    env |= {"DISCORD_TOKEN": "offline.check.token", "KINDRED_DB_PATH": str(tmp_path / "k.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_check_reports_file_and_line(tmp_path: Path) -> None:
    copy = tmp_path / "kindred"
    for part in ("bot", "cogs", "resources"):
        shutil.copytree(REPO / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    path = copy / "resources" / "en" / "topics.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines) if line.strip() == "kind: paper")
    lines[number] = lines[number].replace("paper", "rumour")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_", "PYTHONPATH"))}
    env |= {"DISCORD_TOKEN": "offline.check.token", "KINDRED_DB_PATH": str(tmp_path / "k.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"resources/en/topics.yaml:{number + 1}: kind must be one of" in result.stderr


async def test_health_reports_a_connected_bot(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    heartbeat = kindred.db_path.with_name("kindred.heartbeat")
    await fake.wait_until(heartbeat.exists, 10, description="the first heartbeat")
    env = {**kindred.env, "KINDRED_HEARTBEAT_PATH": str(heartbeat)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "healthy" in result.stdout
    stale = subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        cwd=REPO,
        env={**env, "KINDRED_HEARTBEAT_PATH": str(heartbeat.with_name("never-written"))},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert stale.returncode == 1 and "unhealthy" in stale.stdout
