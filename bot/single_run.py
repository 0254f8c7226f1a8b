"""One pass of periodic work at a time: ticks during a long pass become one more pass, quietly.

APScheduler counts a job as running until its coroutine returns. A weekly fan-out held back by
Discord's rate limits outlasts the dispatcher's interval, and with `max_instances=1` every tick in
between logged "maximum number of running instances reached". The scheduled job now only calls
`SingleRun.request()`, which returns at once: the work runs in a task of its own, never twice at
the same time, and however many ticks or "run soon" requests arrive during a pass, exactly one
more pass follows it (work that fell due meanwhile is handled then, not lost, not repeated).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class SingleRun:
    """Run `work` at most once at a time; a request while it runs asks for one more pass."""

    def __init__(self, work: Callable[[], Awaitable[object]], name: str) -> None:
        """Wrap `work` (a coroutine function); `name` names the task and the log lines."""
        self._work = work
        self.name = name
        self._again = False
        self._task: asyncio.Task[None] | None = None
        self.passes = 0

    @property
    def running(self) -> bool:
        """True while a pass (or its follow-up) is under way."""
        return self._task is not None and not self._task.done()

    async def request(self) -> None:
        """Ask for a pass (the scheduler's job calls this); returns at once."""
        self._again = True
        if not self.running:
            self._task = asyncio.create_task(self._passes(), name=self.name)

    async def wait(self) -> None:
        """Wait until no pass is running (for tests and shutdown)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def _passes(self) -> None:
        while self._again:
            self._again = False
            self.passes += 1
            try:
                await self._work()
            except Exception:
                log.exception("%s failed; it runs again at its next interval", self.name)
