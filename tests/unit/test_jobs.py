"""bot.jobs: periodic, weekly and one-off jobs with kindred: ids, paused until woken, listed by label."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.jobs import DISPATCH_JOB_ID, PROMPT_JOB_PREFIX, Jobs, prompt_job_id
from bot.schedule import cron_fields

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def nothing(*args: object) -> None:
    return None


@pytest.fixture
async def jobs() -> AsyncIterator[Jobs]:
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.start(paused=True)  # computes next runs, never fires
    yield Jobs(scheduler)
    scheduler.shutdown(wait=False)


def weekly_trigger() -> CronTrigger:
    return CronTrigger(**cron_fields(0, time(9, 30)), timezone=ZoneInfo("Europe/London"))


async def test_ids_must_be_kindreds(jobs: Jobs) -> None:
    with pytest.raises(ValueError, match="kindred:"):
        jobs.every("dispatch", 30, nothing, first_run=NOW)
    with pytest.raises(ValueError, match="kindred:"):
        jobs.cancel_all("prompt:")
    assert jobs.scheduler.get_jobs() == []


async def test_a_paused_periodic_job_waits_to_be_woken_once(jobs: Jobs) -> None:
    job = jobs.every(DISPATCH_JOB_ID, 30, nothing, first_run=None, label="admin.job_dispatch")
    assert job.next_run_time is None and jobs.exists(DISPATCH_JOB_ID)
    assert jobs.upcoming(None) == []  # paused: nothing to show
    assert jobs.run_now(DISPATCH_JOB_ID, NOW) is False  # a paused job is not started by run_now
    assert jobs.wake(DISPATCH_JOB_ID, NOW) is True
    woken = jobs.get(DISPATCH_JOB_ID)
    assert woken is not None and woken.next_run_time == NOW
    assert jobs.wake(DISPATCH_JOB_ID, NOW + timedelta(hours=1)) is False  # a reconnect changes nothing
    assert [(u.label, u.next_run) for u in jobs.upcoming(None)] == [("admin.job_dispatch", NOW)]


async def test_periodic_jobs_coalesce_and_allow_one_run_at_a_time(jobs: Jobs) -> None:
    job = jobs.every(DISPATCH_JOB_ID, 30, nothing, first_run=NOW, never_misfires=True)
    assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time is None
    other = jobs.every("kindred:shares", 30, nothing, first_run=NOW)
    assert other.misfire_grace_time == 1  # APScheduler's default: a stale run is dropped


async def test_weekly_jobs_are_per_guild_and_replaced_not_doubled(jobs: Jobs) -> None:
    for guild in (1, 2):
        jobs.weekly(
            prompt_job_id(guild),
            weekly_trigger(),
            nothing,
            args=[guild],
            grace=timedelta(hours=6),
            guild_id=guild,
            label="admin.job_prompt",
        )
    jobs.weekly(prompt_job_id(1), weekly_trigger(), nothing, args=[1], grace=timedelta(hours=6), guild_id=1)
    assert sorted(j.id for j in jobs.scheduler.get_jobs()) == ["kindred:prompt:1", "kindred:prompt:2"]
    job = jobs.get(prompt_job_id(2))
    assert job is not None and job.args == (2,) and job.misfire_grace_time == 6 * 3600
    assert job.next_run_time is not None
    assert job.next_run_time.astimezone(ZoneInfo("Europe/London")).time() == time(9, 30)


async def test_upcoming_lists_bot_wide_jobs_then_this_guilds(jobs: Jobs) -> None:
    jobs.weekly(
        prompt_job_id(7),
        weekly_trigger(),
        nothing,
        grace=timedelta(hours=1),
        guild_id=7,
        label="admin.job_prompt",
    )
    jobs.weekly(
        prompt_job_id(8),
        weekly_trigger(),
        nothing,
        grace=timedelta(hours=1),
        guild_id=8,
        label="admin.job_prompt",
    )
    jobs.every(DISPATCH_JOB_ID, 30, nothing, first_run=NOW, label="admin.job_dispatch")
    jobs.every("kindred:shares", 30, nothing, first_run=NOW)  # no label: not shown
    assert [u.label for u in jobs.upcoming(7)] == ["admin.job_dispatch", "admin.job_prompt"]
    assert [u.label for u in jobs.upcoming(None)] == ["admin.job_dispatch"]


async def test_cancel_and_cancel_all(jobs: Jobs) -> None:
    for guild in (1, 2):
        jobs.weekly(prompt_job_id(guild), weekly_trigger(), nothing, grace=timedelta(hours=1), guild_id=guild)
    jobs.every(DISPATCH_JOB_ID, 30, nothing, first_run=NOW)
    assert jobs.cancel_all(PROMPT_JOB_PREFIX) == 2
    assert [j.id for j in jobs.scheduler.get_jobs()] == [DISPATCH_JOB_ID]
    assert jobs.cancel(DISPATCH_JOB_ID) is True
    assert jobs.cancel(DISPATCH_JOB_ID) is False
    assert jobs.scheduler.get_jobs() == []


async def test_run_now_brings_a_weekly_job_forward(jobs: Jobs) -> None:
    jobs.weekly(prompt_job_id(1), weekly_trigger(), nothing, grace=timedelta(hours=1), guild_id=1)
    assert jobs.run_now(prompt_job_id(1), NOW) is True
    forward = jobs.get(prompt_job_id(1))
    assert forward is not None and forward.next_run_time == NOW
    assert jobs.run_now(prompt_job_id(2), NOW) is False


async def test_a_one_off_job_runs_at_its_moment(jobs: Jobs) -> None:
    later = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    job = jobs.once("kindred:once:test", later, nothing, args=["x"], label="admin.job_dispatch")
    assert job.next_run_time == later and job.args == ("x",)
    assert [u.next_run for u in jobs.upcoming(None)] == [later]
