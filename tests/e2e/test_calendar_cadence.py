"""Issue 18 end to end in the sandbox's virtual time: deadline weeks, decompression, rebuttal and
decision days in the lab's prompts channel, once each, across a restart.

The real `python -m bot sandbox` runs kindred against the in-process fake Discord with a clock that
moves only when the script says so, so NeurIPS 2026's dates (May to September) can be lived through.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_sandbox import run_script

pytestmark = pytest.mark.e2e

SETUP = """\
:as moderator
/admin setup prompts_channel:#prompts timezone:Europe/London prompt_day:monday prompt_time:10:00
/admin calendar follow venue:neurips
"""


def section(out: str, start: str, end: str) -> str:
    """The output between two script lines (the sandbox echoes each one)."""
    head = out.index(start)
    return out[head : out.index(end, head + len(start))]


def test_a_deadline_week_turns_the_weekly_prompt_practical_then_decompression_follows(tmp_path: Path) -> None:
    script = (
        SETUP
        + ":clock 2026-04-27T09:30Z\n:clock 2026-05-04T09:30Z\n:clock 2026-05-08T13:00Z\n:clock +2d\n:quit\n"
    )
    result = run_script(script, tmp_path, "--clock", "2026-04-13T08:00Z", "--color", "never")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    usual = section(out, ":clock 2026-04-27T09:30Z", ":clock 2026-05-04T09:30Z")
    assert "This week's reflection" in usual and "deadline week" not in usual
    week = section(out, ":clock 2026-05-04T09:30Z", ":clock 2026-05-08T13:00Z")
    assert "A deadline week: one small question" in week
    assert "Coming up: NeurIPS 2026 · Abstract registration deadline" in week
    assert "This week's reflection" not in week
    assert "started a thread “Reflection 2026-W19”" in week  # replies still go in a thread
    after = section(out, ":clock 2026-05-08T13:00Z", ":clock +2d")
    assert "The deadline has passed" in after and "NeurIPS 2026 · Paper submission deadline" in after
    assert "Need someone right now? /crisis" in after
    assert out.count("The deadline has passed") == 1  # once, not again in the next two days


def test_rebuttal_and_decision_day_link_the_reviews_resources_once_across_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "lab.db"
    first = run_script(
        SETUP + ":clock 2026-07-22T13:00Z\n:clock 2026-07-27T13:00Z\n:clock 2026-09-24T12:30Z\n:quit\n",
        tmp_path,
        "--clock",
        "2026-07-13T08:00Z",
        "--color",
        "never",
        "--db",
        str(db),
    )
    out = first.stdout
    assert first.returncode == 0, out + first.stderr
    reviews = section(out, ":clock 2026-07-22T13:00Z", ":clock 2026-07-27T13:00Z")
    assert "Reviews and rebuttals" in reviews and "unkind review" in reviews
    assert "https://doi.org/10.1038/nj7322-467a" in reviews and "topic:reviews-and-rejection" in reviews
    assert out.count("Reviews and rebuttals") == 1  # reviews released, then rebuttal opens: one season
    decision = out[out.index(":clock 2026-09-24T12:30Z") :]
    assert "Decision day" in decision and "NeurIPS 2026 · Author notification" in decision
    assert "https://doi.org/10.1038/nj7322-467a" in decision and "Crisis lines (button)" in decision
    # kindred restarts in the middle of decision day: the post is not made twice.
    again = run_script(
        ":clock +3h\n:quit\n", tmp_path, "--clock", "2026-09-24T15:00Z", "--color", "never", "--db", str(db)
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Decision day" not in again.stdout


def test_a_decision_day_missed_while_down_is_not_posted_late(tmp_path: Path) -> None:
    db = tmp_path / "lab.db"
    first = run_script(SETUP + ":quit\n", tmp_path, "--clock", "2026-09-01T08:00Z", "--db", str(db))
    assert first.returncode == 0, first.stdout + first.stderr
    late = run_script(
        ":clock +1h\n:quit\n", tmp_path, "--clock", "2026-09-27T08:00Z", "--color", "never", "--db", str(db)
    )
    assert late.returncode == 0, late.stdout + late.stderr
    assert "Decision day" not in late.stdout


def test_gentle_mode_pauses_the_cadence_sends_the_reminder_and_ends_by_itself(tmp_path: Path) -> None:
    script = (
        SETUP
        + "/admin event start kind:bereavement weeks:2\n:press 1\n"
        + ":clock 2026-05-04T09:30Z\n:clock 2026-05-08T13:00Z\n:clock 2026-05-14T10:00Z\n:clock 2026-05-18T09:30Z\n:quit\n"
    )
    result = run_script(script, tmp_path, "--clock", "2026-04-30T09:00Z", "--color", "never")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "Our lab is grieving" in out and "https://www.cruse.org.uk" in out
    assert "Check on me in two weeks (button)" in out and "started a thread “Memories and condolences”" in out
    assert "kindred will DM you once" in out
    deadline_week = section(out, ":clock 2026-05-04T09:30Z", ":clock 2026-05-08T13:00Z")
    assert "This week, gently" in deadline_week and "deadline week" not in deadline_week
    assert "No DMs or posts arrived" in section(out, ":clock 2026-05-08T13:00Z", ":clock 2026-05-14T10:00Z")
    reminder = section(out, ":clock 2026-05-14T10:00Z", ":clock 2026-05-18T09:30Z")
    assert "DM from kindred" in reminder and "You asked kindred to check on you about now" in reminder
    assert "Crisis lines (button)" in reminder
    after = out[out.index(":clock 2026-05-18T09:30Z") :]
    assert "This week's reflection" in after and "gently" not in after  # ended by itself, usual prompts back
    assert out.count("You asked kindred to check on you") == 1
