"""Pytest-free helpers to run a bot subprocess against :class:`fakediscord.fake_discord.FakeDiscord`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path
from typing import ClassVar

from fakediscord.fake_discord import FakeDiscord

REPO_ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = Path(__file__).resolve().parent / "launcher.py"

# Inherited variables with these prefixes are dropped so a developer's shell cannot leak a real
# token or config into the e2e run.
_SCRUBBED_PREFIXES = ("DISCORD_", "KINDRED_")


class BotStartupError(RuntimeError):
    """The bot process died or never connected; the message ends with its log tail."""


class BotProcess:
    """A bot subprocess started through ``fakediscord/launcher.py``; output goes to ``<tmp>/bot.log``.

    ``store_env`` (set by a test suite, e.g. to run on PostgreSQL) maps the process's database
    path to extra environment, applied before the caller's own ``env``.
    """

    store_env: ClassVar[Callable[[Path], Mapping[str, str]] | None] = None

    def __init__(
        self,
        fake: FakeDiscord,
        tmp_path: Path,
        *,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        module: str | None = None,
        db_path: Path | None = None,
        shards: Sequence[int] | None = None,
    ) -> None:
        """`db_path`: a database shared with other processes (default: its own in `tmp_path`).

        `shards`: the shard ids this process runs; :meth:`wait_ready` waits for each of them
        (default: for any live session, which is all one unsharded process has).
        """
        self.fake = fake
        self.tmp_path = Path(tmp_path)
        self.args = list(args)
        self.module = module
        self.shards = list(shards) if shards is not None else None
        self.log_path = self.tmp_path / "bot.log"
        self.db_path = Path(db_path) if db_path is not None else self.tmp_path / "kindred.sqlite3"
        self.env = self._build_env(env or {})
        self._proc: asyncio.subprocess.Process | None = None

    def _build_env(self, extra: Mapping[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_PREFIXES)}
        env.update(
            {
                "KINDRED_FAKE_API": self.fake.api_base,
                "KINDRED_FAKE_GATEWAY": self.fake.gateway_url,
                "DISCORD_TOKEN": self.fake.token,
                "KINDRED_DB_PATH": str(self.db_path),
                "XDG_CONFIG_HOME": str(self.tmp_path / "config"),  # a generated key goes here, per test
                "PYTHONUNBUFFERED": "1",
            }
        )
        if BotProcess.store_env is not None:
            env.update(BotProcess.store_env(self.db_path))
        env.update(extra)
        return env

    @property
    def command(self) -> list[str]:
        """The argv that is executed."""
        module = ["--module", self.module] if self.module else []
        return [sys.executable, str(LAUNCHER), *module, *self.args]

    async def start(self) -> None:
        """Spawn the process (does not wait for the gateway)."""
        if self._proc is not None:
            raise RuntimeError("already started")
        self.tmp_path.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._proc = await asyncio.create_subprocess_exec(
                *self.command,
                cwd=REPO_ROOT,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )

    @property
    def pid(self) -> int | None:
        """The process id, None before start."""
        return None if self._proc is None else self._proc.pid

    @property
    def returncode(self) -> int | None:
        """Exit status, None while running (negative = killed by that signal)."""
        return None if self._proc is None else self._proc.returncode

    @property
    def running(self) -> bool:
        """Started and not yet exited."""
        return self._proc is not None and self._proc.returncode is None

    async def wait(self, timeout: float | None = None) -> int:
        """Wait for the process to exit; returns its exit status."""
        if self._proc is None:
            raise RuntimeError("not started")
        return await asyncio.wait_for(self._proc.wait(), timeout)

    async def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL. Returns the exit status."""
        proc = self._proc
        if proc is None:
            return None
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), timeout)
            except TimeoutError:
                self.kill()
                await proc.wait()
        return proc.returncode

    def kill(self) -> None:
        """SIGKILL (no cleanup in the bot)."""
        if self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.kill()

    def logs(self) -> str:
        """Everything the process printed so far (stdout + stderr)."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        """The last `lines` lines of the log."""
        return "\n".join(self.logs().splitlines()[-lines:])

    async def wait_ready(self, timeout: float = 15.0) -> None:
        """Wait for the fake to see a live session; fail fast (with logs) if the process exits."""
        proc = self._proc
        if proc is None:
            raise RuntimeError("not started")
        if self.shards is None:
            ready = asyncio.ensure_future(self.fake.wait_ready(timeout))
        else:
            ready = asyncio.ensure_future(self.fake.wait_shards_ready(self.shards, timeout))
        exited = asyncio.ensure_future(proc.wait())
        try:
            done, _ = await asyncio.wait({ready, exited}, return_when=asyncio.FIRST_COMPLETED)
            if ready in done:
                ready.result()
                return
            raise BotStartupError(
                f"bot exited with status {proc.returncode} before connecting\n"
                f"--- bot log tail ---\n{self.log_tail()}"
            )
        except TimeoutError as exc:
            raise BotStartupError(f"{exc}\n--- bot log tail ---\n{self.log_tail()}") from exc
        finally:
            for task in (ready, exited):
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                        await task


def fake_problems(fake: FakeDiscord) -> list[str]:
    """Things that should fail a test at teardown: unhandled routes and fake-internal errors."""
    problems = [f"unhandled route: {r.method} {r.path}" for r in fake.unhandled]
    problems += [f"fake internal error: {e}" for e in fake.errors]
    return problems


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    tmp_path: Path,
    *,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
    module: str | None = None,
    ready_timeout: float = 15.0,
    check_unhandled: bool = True,
    db_path: Path | None = None,
    shards: Sequence[int] | None = None,
) -> AsyncIterator[BotProcess]:
    """Start a bot, wait until it is connected, yield it, stop it.

    `db_path` and `shards` are :class:`BotProcess`'s: several sharded processes, one database.

    On a clean exit of the block, raises AssertionError if the fake saw unhandled routes or
    crashed internally (``check_unhandled``). Errors carry the bot's log tail.
    """
    bot = BotProcess(fake, tmp_path, args=args, env=env, module=module, db_path=db_path, shards=shards)
    await bot.start()
    try:
        await bot.wait_ready(ready_timeout)
        yield bot
    except BaseException as exc:
        if not isinstance(exc, (BotStartupError, GeneratorExit, asyncio.CancelledError)):
            exc.add_note(f"--- bot log tail ---\n{bot.log_tail()}")
        raise
    finally:
        await bot.stop()
    if check_unhandled:
        problems = fake_problems(fake)
        if problems:
            raise AssertionError("\n".join(problems) + f"\n--- bot log tail ---\n{bot.log_tail()}")
