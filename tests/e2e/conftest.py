"""Fixtures that run the real kindred process against the fake Discord on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess, running_bot

pytestmark = pytest.mark.e2e

# Permissions a moderator role does NOT need: kindred's runtime check uses its own role setting.
NO_PERMISSIONS = 0
VIEW_AND_SEND = (1 << 10) | (1 << 11)


@dataclass
class Lab:
    """One simulated lab server with the people and channels tests need."""

    guild_id: int
    general: int
    peer: int
    prompts: int
    alerts: int
    owner: int
    member: int
    zh_member: int
    moderator: int
    moderator_role: int


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
def lab(fake: FakeDiscord) -> Lab:
    owner = fake.add_user("pi", locale="en-GB")
    guild = fake.add_guild("Lab of Small Models", owner_id=owner.id)
    channels = {
        name: fake.add_text_channel(guild.id, name).id
        for name in ("general", "peer-support", "prompts", "mod-alerts")
    }
    member = fake.add_user("phd-student", locale="en-GB")
    zh_member = fake.add_user("postdoc", locale="zh-CN")
    moderator = fake.add_user("wellbeing-rep", locale="en-US")
    role = fake.add_role(guild.id, "wellbeing", NO_PERMISSIONS)
    for user in (member, zh_member):
        fake.add_member(guild.id, user.id)
    fake.add_member(guild.id, moderator.id, roles=[role.id])
    return Lab(
        guild.id,
        channels["general"],
        channels["peer-support"],
        channels["prompts"],
        channels["mod-alerts"],
        owner.id,
        member.id,
        zh_member.id,
        moderator.id,
        role.id,
    )


async def sync_commands(fake: FakeDiscord, folder: Path) -> None:
    """Run `python -m bot sync` so the fake validates every invocation against the real schema."""
    proc = BotProcess(fake, folder, args=["sync"])
    await proc.start()
    code = await proc.wait(60)
    assert code == 0, proc.log_tail()
    assert fake.commands(), "sync published no commands"


@pytest.fixture
def bot_env() -> dict[str, str]:
    """Extra environment for the bot under test (tests may add to it before `kindred` starts)."""
    # Tests choose each lab's share delay themselves (0 = post at once), so the operator floor is lifted.
    return {
        "KINDRED_DISPATCH_INTERVAL": "0.5",
        "KINDRED_SECRET_KEY": "e2e-secret-key-" + "x" * 32,
        "KINDRED_MIN_SHARE_DELAY_MINUTES": "0",
    }


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Remember each phase's outcome on the test item so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
async def kindred(
    request: pytest.FixtureRequest, fake: FakeDiscord, lab: Lab, tmp_path: Path, bot_env: dict[str, str]
) -> AsyncIterator[BotProcess]:
    await sync_commands(fake, tmp_path / "sync")
    async with running_bot(fake, tmp_path, env=bot_env) as process:
        yield process
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            print(f"--- bot log tail ---\n{process.log_tail(80)}")
