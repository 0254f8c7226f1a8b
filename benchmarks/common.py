"""Shared pieces of the benchmarks: machine description, percentiles, processes, worlds in the fake."""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess

REPO_ROOT = Path(__file__).resolve().parents[1]
SECRET = "benchmark-secret-key-" + "b" * 32
BARE_BOT = "benchmarks.bare_bot"


@dataclass(frozen=True)
class Figure:
    """One reported number: what, value, unit, target (text) and whether it met the target."""

    section: str
    name: str
    value: float
    unit: str
    target: str = ""
    passed: bool | None = None
    note: str = ""
    #: The figure as a multiple of the bare bot's, measured in the same run (None: no bare counterpart).
    ratio: float | None = None

    @property
    def verdict(self) -> str:
        """PASS / MISS, or blank for figures without a target."""
        if self.passed is None:
            return ""
        return "PASS" if self.passed else "MISS"


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The median (NaN for no values)."""
    return statistics.median(values) if values else float("nan")


def yardstick_us() -> float:
    """Microseconds this machine takes for ``sum(range(10000))`` (best of 5 x 2,000): pure CPython speed.

    Session machines differ by 2-3x; a figure recorded beside this one can be compared across them.
    """
    import timeit

    return min(timeit.repeat("sum(range(10000))", number=2000, repeat=5)) / 2000 * 1e6


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, Python and OS of this machine."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    import aiosqlite
    import discord

    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "RAM": ram,
        "Python": sys.version.split()[0],
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "discord.py": discord.__version__,
        "SQLite": __import__("sqlite3").sqlite_version,
        "aiosqlite": aiosqlite.__version__,
    }


def rss_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KiB, read from /proc (no psutil needed)."""
    rss = hwm = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    return rss, hwm


async def sync_commands(fake: FakeDiscord, folder: Path) -> None:
    """`python -m bot sync`, so the fake knows and checks kindred's real command schema."""
    proc = BotProcess(fake, folder, args=["sync"], env={"KINDRED_SECRET_KEY": SECRET})
    await proc.start()
    code = await proc.wait(120)
    if code != 0:
        raise RuntimeError(f"sync failed:\n{proc.log_tail()}")


async def wait_for_log(bot: BotProcess, needle: str, timeout: float, *, since: int = 0) -> float:
    """Poll the bot's log (from character `since` on) until `needle` appears; returns when (monotonic)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle in bot.logs()[since:]:
            return time.monotonic()
        if not bot.running:
            raise RuntimeError(f"bot exited while waiting for {needle!r}:\n{bot.log_tail()}")
        await asyncio.sleep(0.01)
    raise TimeoutError(f"{needle!r} not in the bot log after {timeout}s:\n{bot.log_tail()}")


def fmt(value: float, digits: int = 1) -> str:
    """A number for the results table."""
    if value != value:  # NaN
        return "n/a"
    if abs(value) >= 1000 and digits <= 1:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"
