"""kindred's scheduled jobs: one small wrapper over APScheduler, every job with a `kindred:` id.

Three shapes: periodic (every N seconds), weekly (a cron trigger at a local wall-clock time) and
one-off (at a moment). A cog registers its jobs in ``cog_load`` and cancels them in
``cog_unload``. A periodic job may be registered paused and woken once the bot is connected
(:meth:`Jobs.wake`), so it does not pile up behind a gateway that is not there yet. ``/admin
status`` asks :meth:`Jobs.upcoming` for the jobs it shows, by their labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.job import Job
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.date import DateTrigger

PREFIX = "kindred:"
#: The weekly-DM dispatcher (every dispatch interval).
DISPATCH_JOB_ID = "kindred:dispatch"
#: Posting queued anonymous shares (every dispatch interval).
PUBLISH_JOB_ID = "kindred:shares"
#: Opening /reach threads and posting member messages that waited (every dispatch interval).
REACH_JOB_ID = "kindred:reach"
#: The prefix of every guild's weekly prompt job.
PROMPT_JOB_PREFIX = "kindred:prompt:"


def prompt_job_id(guild_id: int) -> str:
    """The stable scheduler id of a guild's weekly prompt job."""
    return f"{PROMPT_JOB_PREFIX}{guild_id}"


@dataclass(frozen=True)
class Upcoming:
    """A job /admin status shows: its label (a string key) and when it runs next."""

    label: str
    next_run: datetime


@dataclass(frozen=True)
class _Meta:
    label: str | None
    guild_id: int | None


class Jobs:
    """The bot's jobs on one APScheduler scheduler (the sandbox passes one it runs by hand)."""

    def __init__(self, scheduler: BaseScheduler) -> None:
        """Wrap `scheduler`; starting and stopping it stays with the bot's lifecycle."""
        self.scheduler = scheduler
        self._meta: dict[str, _Meta] = {}

    def every(
        self,
        job_id: str,
        seconds: float,
        func: Callable[..., Any],
        *,
        first_run: datetime | None,
        label: str | None = None,
        never_misfires: bool = False,
    ) -> Job:
        """Run `func` every `seconds`, first at `first_run` (None: registered paused, see :meth:`wake`).

        `never_misfires`: a run however late still happens (APScheduler's default drops a run more
        than a second late, which suits jobs that run again soon anyway).
        """
        late: dict[str, Any] = {"misfire_grace_time": None} if never_misfires else {}
        return self._add(
            job_id,
            func,
            "interval",
            label=label,
            guild_id=None,
            seconds=seconds,
            next_run_time=first_run,
            **late,
        )

    def weekly(
        self,
        job_id: str,
        trigger: BaseTrigger,
        func: Callable[..., Any],
        *,
        args: Sequence[Any] = (),
        grace: timedelta,
        guild_id: int | None = None,
        label: str | None = None,
    ) -> Job:
        """Run `func(*args)` on a weekly cron `trigger`; a run up to `grace` late still happens, once."""
        return self._add(
            job_id,
            func,
            trigger,
            label=label,
            guild_id=guild_id,
            args=list(args),
            misfire_grace_time=int(grace.total_seconds()),
        )

    def once(
        self,
        job_id: str,
        when: datetime,
        func: Callable[..., Any],
        *,
        args: Sequence[Any] = (),
        guild_id: int | None = None,
        label: str | None = None,
    ) -> Job:
        """Run `func(*args)` once at `when` (an aware moment); the job is gone afterwards."""
        return self._add(
            job_id, func, DateTrigger(run_date=when), label=label, guild_id=guild_id, args=list(args)
        )

    def _add(
        self,
        job_id: str,
        func: Callable[..., Any],
        trigger: BaseTrigger | str,
        *,
        label: str | None,
        guild_id: int | None,
        **options: Any,
    ) -> Job:
        if not job_id.startswith(PREFIX):
            raise ValueError(f"kindred's job ids start with {PREFIX!r}: {job_id!r}")
        job = self.scheduler.add_job(
            func, trigger, id=job_id, replace_existing=True, coalesce=True, max_instances=1, **options
        )
        self._meta[job_id] = _Meta(label, guild_id)
        return job

    def get(self, job_id: str) -> Job | None:
        """The job with this id, if it is scheduled."""
        job: Job | None = self.scheduler.get_job(job_id)
        return job

    def exists(self, job_id: str) -> bool:
        """Whether a job with this id is scheduled (paused or not)."""
        return self.get(job_id) is not None

    def wake(self, job_id: str, now: datetime) -> bool:
        """Run a paused job at `now` and on its schedule after that; False if missing or not paused."""
        job = self.get(job_id)
        if job is None or job.next_run_time is not None:
            return False
        job.modify(next_run_time=now)
        return True

    def run_now(self, job_id: str, now: datetime) -> bool:
        """Bring a scheduled (not paused) job's next run forward to `now`; False if there is none."""
        job = self.get(job_id)
        if job is None or job.next_run_time is None:
            return False
        job.modify(next_run_time=now)
        return True

    def cancel(self, job_id: str) -> bool:
        """Remove a job; False if there was none."""
        self._meta.pop(job_id, None)
        job = self.get(job_id)
        if job is None:
            return False
        job.remove()
        return True

    def cancel_all(self, prefix: str) -> int:
        """Remove every job whose id starts with `prefix` (e.g. every guild's prompt job)."""
        if not prefix.startswith(PREFIX):
            raise ValueError(f"kindred's job ids start with {PREFIX!r}: {prefix!r}")
        ids = [job.id for job in self.scheduler.get_jobs() if job.id.startswith(prefix)]
        return sum(self.cancel(job_id) for job_id in ids)

    def upcoming(self, guild_id: int | None) -> list[Upcoming]:
        """Labelled jobs that will run: the bot-wide ones first, then this guild's, as registered."""
        found: list[tuple[bool, Upcoming]] = []
        for job_id, meta in self._meta.items():
            if meta.label is None or meta.guild_id not in (None, guild_id):
                continue
            job = self.get(job_id)
            if job is not None and job.next_run_time is not None:
                found.append((meta.guild_id is not None, Upcoming(meta.label, job.next_run_time)))
        return [upcoming for _, upcoming in sorted(found, key=lambda pair: pair[0])]
