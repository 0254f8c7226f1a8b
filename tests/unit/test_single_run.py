"""SingleRun: one pass at a time, requests during a pass collapse into exactly one more pass."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.single_run import SingleRun


class Work:
    """A pass that waits for the test to let it finish, counting overlaps."""

    def __init__(self) -> None:
        self.started = 0
        self.active = 0
        self.most_active = 0
        self.gates: list[asyncio.Event] = []

    async def __call__(self) -> None:
        self.started += 1
        self.active += 1
        self.most_active = max(self.most_active, self.active)
        gate = asyncio.Event()
        self.gates.append(gate)
        try:
            await gate.wait()
        finally:
            self.active -= 1

    async def finish_pass(self, n: int) -> None:
        while len(self.gates) < n:
            await asyncio.sleep(0)
        self.gates[n - 1].set()
        for _ in range(5):
            await asyncio.sleep(0)


async def test_requests_during_a_pass_become_one_more_pass() -> None:
    work = Work()
    runner = SingleRun(work, "test-work")
    await runner.request()
    await asyncio.sleep(0)
    for _ in range(10):  # ten scheduler ticks while the first pass runs
        await runner.request()
    assert work.started == 1
    await work.finish_pass(1)
    assert work.started == 2  # one follow-up for all ten ticks
    await work.finish_pass(2)
    await runner.wait()
    assert (work.started, work.most_active, runner.running) == (2, 1, False)


async def test_a_request_after_a_pass_starts_a_new_one() -> None:
    work = Work()
    runner = SingleRun(work, "test-work")
    await runner.request()
    await work.finish_pass(1)
    await runner.wait()
    assert not runner.running
    await runner.request()
    await work.finish_pass(2)
    await runner.wait()
    assert work.started == 2 and work.most_active == 1


async def test_a_failing_pass_is_logged_and_the_next_request_runs_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []

    async def broken() -> None:
        calls.append(1)
        raise RuntimeError("boom")

    runner = SingleRun(broken, "test-broken")
    with caplog.at_level(logging.ERROR, logger="bot.single_run"):
        await runner.request()
        await runner.wait()
        await runner.request()
        await runner.wait()
    assert len(calls) == 2
    assert [r.getMessage() for r in caplog.records] == [
        "test-broken failed; it runs again at its next interval"
    ] * 2
