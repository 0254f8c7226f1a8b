"""Helpers for the reliability suite: a lab in the fake, commands without a sync process, pings, mounts."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import aiohttp
import pytest

from fakediscord.fake_discord import FakeDiscord, RecordedRequest
from fakediscord.harness import BotProcess, running_bot
from fakediscord.interactions import Channel, OptionType, Role, User
from tests.dbview import rows
from tests.e2e.messages import text_of

SECRET = "reliability-secret-key-" + "r" * 32
BASE_ENV = {
    "KINDRED_SECRET_KEY": SECRET,
    "KINDRED_DISPATCH_INTERVAL": "0.5",
    "KINDRED_MIN_SHARE_DELAY_MINUTES": "0",
}  # tests choose each lab's share delay themselves
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
STORE_UNAVAILABLE = "can't reach its storage"
UNEXPECTED = "something went wrong on kindred's side"
NOT_MODERATOR = "Only the lab's moderators"
# A member needs a moment to fill in a form. The bot no longer depends on it (KindredModal.open
# listens before the form is shown; test_concurrent_forms submits inside that window on purpose).
FORM_FILL_SECONDS = 0.1
VIEW_AND_SEND = (1 << 10) | (1 << 11)

P = ParamSpec("P")
R = TypeVar("R")


def bounded(seconds: float) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Fail an async test that runs longer than `seconds` (no pytest-timeout plugin needed)."""

    def wrap(test: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        @functools.wraps(test)
        async def run(*args: P.args, **kwargs: P.kwargs) -> R:
            return await asyncio.wait_for(test(*args, **kwargs), seconds)

        return run

    return wrap


@dataclass
class Lab:
    """One lab server: owner (a moderator by Manage Server), members, a moderator role, channels."""

    guild_id: int
    general: int
    prompts: int
    owner: int
    member: int
    other: int
    moderator_role: int


def build_lab(fake: FakeDiscord, *, extra_members: int = 0) -> tuple[Lab, list[int]]:
    """A lab guild; returns it and `extra_members` further member ids."""
    owner = fake.add_user("pi", locale="en-GB")
    guild = fake.add_guild("Lab of Small Models", owner_id=owner.id)
    general = fake.add_text_channel(guild.id, "general")
    prompts = fake.add_text_channel(guild.id, "prompts")
    member = fake.add_user("phd-student", locale="en-GB")
    other = fake.add_user("postdoc", locale="en-US")
    role = fake.add_role(guild.id, "wellbeing", 0)
    fake.add_member(guild.id, member.id)
    fake.add_member(guild.id, other.id)
    extra = []
    for n in range(extra_members):
        user = fake.add_user(f"member-{n}", locale="en-GB")
        fake.add_member(guild.id, user.id)
        extra.append(user.id)
    return Lab(guild.id, general.id, prompts.id, owner.id, member.id, other.id, role.id), extra


async def _sync_schema(folder: Path) -> list[dict[str, Any]]:
    async with FakeDiscord() as fake:
        proc = BotProcess(fake, folder, args=["sync"], env={"KINDRED_SECRET_KEY": SECRET})
        await proc.start()
        code = await proc.wait(60)
        assert code == 0, proc.log_tail()
        return fake.commands()


def synced_schema(folder: Path) -> list[dict[str, Any]]:
    """Run `python -m bot sync` once against a throwaway fake and return the published commands."""
    return asyncio.run(_sync_schema(folder))


async def publish(fake: FakeDiscord, commands: list[dict[str, Any]]) -> None:
    """Publish commands exactly as `python -m bot sync` did (a PUT with the bot token), minus the process."""
    url = f"{fake.api_base}/applications/{fake.application_id}/commands"
    async with (
        aiohttp.ClientSession() as session,
        session.put(url, json=commands, headers={"Authorization": f"Bot {fake.token}"}) as response,
    ):
        assert response.status == 200, await response.text()
    fake.requests.clear()  # the test's own PUT is not the bot's traffic


@contextlib.asynccontextmanager
async def kindred(
    fake: FakeDiscord,
    folder: Path,
    commands: list[dict[str, Any]],
    *,
    env: dict[str, str] | None = None,
    check_unhandled: bool = True,
) -> AsyncIterator[BotProcess]:
    """Publish the command schema, then run `python -m bot` until the block ends."""
    await publish(fake, commands)
    async with running_bot(
        fake, folder, env={**BASE_ENV, **(env or {})}, check_unhandled=check_unhandled
    ) as bot:
        yield bot


def due_now() -> dict[str, str]:
    """/subscribe options for a weekly slot that fell one minute ago (UTC)."""
    moment = datetime.now(UTC) - timedelta(minutes=1)
    return {"day": DAYS[moment.weekday()], "time": moment.strftime("%H:%M"), "timezone": "UTC"}


def answers_file(db_path: Path) -> Path:
    """The file that holds the answers of open weeks (kept apart from the main database)."""
    return db_path.with_name(db_path.name + "-answers")


def receipts_file(db_path: Path) -> Path:
    """The file that holds this week's check-in receipts (kept apart from the answers)."""
    return db_path.with_name(db_path.name + "-receipts")


def count(db_path: Path, sql: str) -> int:
    """One integer from the bot's database `db_path`, read with a separate connection (as an operator
    would), on either backend: on SQLite the file that holds the table (tests.dbview.rows)."""
    return int(rows(db_path, sql)[0][0])


# -- mentions -------------------------------------------------------------------------------------

_USER = re.compile(r"<@!?(\d+)>")
_ROLE = re.compile(r"<@&(\d+)>")
_EVERYONE = re.compile(r"@(everyone|here)")


def pings(body: Any) -> set[str]:
    """Who a message body would ping on Discord, given its content and allowed_mentions."""
    if not isinstance(body, dict):
        return set()
    content = str(body.get("content") or "")
    users = set(_USER.findall(content))
    roles = set(_ROLE.findall(content))
    everyone = {f"@{m}" for m in _EVERYONE.findall(content)}
    allowed = body.get("allowed_mentions")
    if allowed is None:  # Discord's default: parse everything
        return {f"user:{u}" for u in users} | {f"role:{r}" for r in roles} | everyone
    parse = set(allowed.get("parse") or [])
    found: set[str] = set()
    found |= {f"user:{u}" for u in users if "users" in parse or u in set(allowed.get("users") or [])}
    found |= {f"role:{r}" for r in roles if "roles" in parse or r in set(allowed.get("roles") or [])}
    if "everyone" in parse:
        found |= everyone
    return found


def message_bodies(requests: list[RecordedRequest]) -> Iterator[tuple[RecordedRequest, dict[str, Any]]]:
    """Every message body the bot sent: callbacks with a message, followups, edits, channel posts."""
    for request in requests:
        if request.method not in ("POST", "PATCH") or not isinstance(request.json, dict):
            continue
        route = request.route or ""
        if route.endswith("/callback"):
            if request.json.get("type") in (4, 7):
                yield request, request.json.get("data") or {}
        elif route.startswith("/webhooks/") or route.startswith("/channels/{channel_id}/messages"):
            yield request, request.json


def assert_no_pings(requests: list[RecordedRequest]) -> None:
    """Nothing the bot sent could ping anyone, and every body carries allowed_mentions (the contract)."""
    for request, body in message_bodies(requests):
        assert body.get("allowed_mentions") is not None or not body.get("content"), (
            f"{request!r} has content but no allowed_mentions"
        )
        assert not pings(body), f"{request!r} would ping {pings(body)}: {str(body.get('content'))[:200]!r}"


# -- file systems ---------------------------------------------------------------------------------


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(list(argv), capture_output=True, text=True, check=False, timeout=30)
    except FileNotFoundError:
        return subprocess.CompletedProcess(list(argv), 127, "", f"{argv[0]}: not installed")


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """Mount a size-limited tmpfs at `path` for the block; skip the test if mounting is not allowed."""
    path.mkdir(parents=True, exist_ok=True)
    result = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path))
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN): {result.stderr.strip()}")
    try:
        yield path
    finally:
        if _run("umount", str(path)).returncode != 0:
            _run("umount", "-l", str(path))


def remount(path: Path, mode: str) -> None:
    """Remount a mount point `ro` or `rw` (fails while a file there is open for writing)."""
    result = _run("mount", "-o", f"remount,{mode}", str(path))
    assert result.returncode == 0, f"remount {mode} failed: {result.stderr}"


def set_immutable(paths: list[Path], on: bool) -> None:
    """chattr +i / -i: even root cannot write, through descriptors opened before, until it is cleared."""
    for path in paths:
        if path.exists():
            result = _run("chattr", "+i" if on else "-i", str(path))
            if result.returncode != 0 and on:
                pytest.skip(f"chattr +i is not supported here: {result.stderr.strip()}")


def fill_disk(folder: Path) -> Path:
    """Write a file in `folder` until the file system is full; returns it (delete it to free space)."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as handle:  # unbuffered: nothing left to flush on close
        for size in (1 << 20, 1 << 16, 1 << 12, 1):
            chunk = b"\0" * size
            with contextlib.suppress(OSError):
                while handle.write(chunk):
                    pass
    return filler


# -- interactions ---------------------------------------------------------------------------------


async def answer(
    fake: FakeDiscord,
    command: str,
    options: dict[str, Any] | None,
    *,
    user_id: int,
    guild_id: int | None,
    timeout: float = 10.0,
) -> str:
    """Run a command and return the text of the bot's first visible reply."""
    handle = await fake.invoke(command, options or {}, user_id=user_id, guild_id=guild_id)
    return text_of(await handle.wait_message(timeout))


async def check_in(
    fake: FakeDiscord, guild_id: int, user_id: int, *, mood: str = "3", timeout: float = 10.0
) -> str:
    """/checkin then submit the modal; the text of whichever reply came (a refusal may come first)."""
    handle = await fake.invoke("checkin", user_id=user_id, guild_id=guild_id)
    response = await handle.response(timeout)
    if response["type"] != 9:
        return text_of(response.get("data") or {})
    await asyncio.sleep(FORM_FILL_SECONDS)
    submitted = await handle.submit_modal({"mood": [mood], "energy": ["3"], "topics": ["sudden-money"]})
    return text_of(await submitted.wait_message(timeout))


def not_due() -> dict[str, str]:
    """/subscribe options for a weekly prompt three days from now (never due during a test)."""
    moment = datetime.now(UTC) + timedelta(days=3)
    return {"kind": "prompt", "day": DAYS[moment.weekday()], "time": "12:00", "timezone": "UTC"}


SUBSCRIBED = "You'll get"


async def search_hits(fake: FakeDiscord, query: str, *, user_id: int, guild_id: int) -> int:
    """How many results /resources search shows (0 for a refusal or "nothing matched")."""
    handle = await fake.invoke("resources search", {"query": query}, user_id=user_id, guild_id=guild_id)
    message = await handle.wait_message()
    return sum(len(str(e.get("description") or "").split("\n\n")) for e in message.get("embeds") or [])


# -- commands read from the synced schema ---------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """A command or subcommand that can be invoked, with its options."""

    path: str
    options: tuple[dict[str, Any], ...]

    def __repr__(self) -> str:
        return f"/{self.path}"

    @property
    def moderator_only(self) -> bool:
        return self.path.split()[0] == "admin"


def leaves(commands: list[dict[str, Any]]) -> list[Leaf]:
    found: list[Leaf] = []

    def walk(node: dict[str, Any], path: list[str]) -> None:
        subs = [
            o
            for o in node.get("options") or []
            if o["type"] in (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP)
        ]
        if subs:
            for sub in subs:
                walk(sub, [*path, sub["name"]])
        else:
            found.append(Leaf(" ".join(path), tuple(node.get("options") or [])))

    for command in commands:
        if command.get("type", 1) == 1:
            walk(command, [command["name"]])
    return found


class World:
    """The running bot, its fake and lab, and the commands read from the schema."""

    def __init__(
        self, fake: FakeDiscord, bot: BotProcess, lab: Lab, members: list[int], leaves: list[Leaf]
    ) -> None:
        self.fake = fake
        self.bot = bot
        self.lab = lab
        self.members = members
        self.leaves = leaves
        self.turn = 0

    def __repr__(self) -> str:  # hypothesis prints fixtures of failing examples
        return "<World>"

    def next_member(self) -> int:
        self.turn += 1
        return self.members[self.turn % len(self.members)]

    def user_for(self, leaf: Leaf) -> int:
        return self.lab.owner if leaf.moderator_only else self.next_member()

    def valid(self, option: dict[str, Any]) -> Any:
        """A valid value for a required option that is not under test."""
        kind = option["type"]
        if option.get("choices"):
            return option["choices"][0]["value"]
        if kind == OptionType.STRING:
            return {
                "kind": "checkin",
                "day": "monday",
                "time": "09:30",
                "timezone": "UTC",
                "topic": "compute-gap",
                "country": "GB",
                "query": "money",
                "text": "What helped you this week?",
            }.get(option["name"], "x")
        if kind in (OptionType.INTEGER, OptionType.NUMBER):
            return max(option.get("min_value", 1), min(option.get("max_value", 5), 5))
        if kind == OptionType.BOOLEAN:
            return False
        if kind == OptionType.CHANNEL:
            return Channel(self.lab.general)
        if kind == OptionType.ROLE:
            return Role(self.lab.moderator_role)
        if kind in (OptionType.USER, OptionType.MENTIONABLE):
            return User(self.lab.member)
        raise ValueError(f"no valid value for option type {kind}")

    def options_with(self, leaf: Leaf, name: str, value: Any) -> dict[str, Any] | None:
        """The leaf's required options filled validly, with `name` set to `value` (None if impossible)."""
        chosen: dict[str, Any] = {}
        for option in leaf.options:
            if option["name"] == name:
                chosen[name] = value
            elif option.get("required"):
                if option["type"] == OptionType.ATTACHMENT:
                    return None  # the fake cannot upload option attachments
                chosen[option["name"]] = self.valid(option)
        return chosen
