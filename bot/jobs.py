"""kindred's scheduled jobs: their `kindred:` ids, in one place."""

from __future__ import annotations

#: The weekly-DM dispatcher (every dispatch interval).
DISPATCH_JOB_ID = "kindred:dispatch"
#: Posting queued anonymous shares (every dispatch interval).
PUBLISH_JOB_ID = "kindred:shares"
#: The prefix of every guild's weekly prompt job.
PROMPT_JOB_PREFIX = "kindred:prompt:"


def prompt_job_id(guild_id: int) -> str:
    """The stable scheduler id of a guild's weekly prompt job."""
    return f"{PROMPT_JOB_PREFIX}{guild_id}"
