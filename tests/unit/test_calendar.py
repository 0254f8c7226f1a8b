"""The lab calendar's maths: AoE, local display, and which prompt applies on which day (injected clocks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.calendar import (
    AOE,
    Cadence,
    CalendarDate,
    Phase,
    cadence_posts,
    display,
    parse_snapshot,
    parse_zone_label,
    to_utc,
    week_before,
    weekly_cadence,
    weeks_marked,
    weeks_touched,
)
from bot.calendar_data import read_snapshot
from bot.schedule import iso_week

UTC = dt.UTC
RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def date(kind: str, when: str, key: str | None = None) -> CalendarDate:
    return CalendarDate(key or f"neurips:2026:{kind}", "neurips", "NeurIPS 2026", kind, kind, at(when))


# NeurIPS 2026's paper deadline: 2026-05-06 23:59:59 AoE.
PAPER = date("paper", "2026-05-07T11:59:59")
NOTIFY = date("notification", "2026-09-25T11:59:59")
REBUTTAL = date("rebuttal_start", "2026-07-27T12:00:00")


def test_aoe_is_utc_minus_twelve_all_year_with_no_daylight_saving() -> None:
    assert to_utc("2026-05-06 23:59:59", "AoE") == at("2026-05-07T11:59:59")
    assert to_utc("2026-01-15 23:59:59", "AoE") == at("2026-01-16T11:59:59")
    assert to_utc("2026-07-15", "AoE") == at("2026-07-16T11:59:59")  # a bare date means end of day
    assert AOE.utcoffset(None) == dt.timedelta(hours=-12)


@pytest.mark.parametrize(
    ("label", "offset"),
    [("UTC", 0), ("UTC+02", 2), ("GMT+02", 2), ("UTC-7", -7), ("UTC-08", -8), ("PST", -8), ("UTC+0", 0)],
)
def test_zone_labels_of_the_upstream_data(label: str, offset: int) -> None:
    assert parse_zone_label(label).utcoffset(None) == dt.timedelta(hours=offset)


def test_iana_zone_labels_follow_daylight_saving() -> None:
    assert to_utc("2026-07-01 12:00:00", "Europe/London") == at("2026-07-01T11:00:00")
    assert to_utc("2026-01-01 12:00:00", "Europe/London") == at("2026-01-01T12:00:00")
    with pytest.raises(ValueError, match="unknown time zone"):
        parse_zone_label("Mars/Olympus")


def test_local_display_across_a_dst_change() -> None:
    assert display(PAPER.at, "Europe/London") == "Thu 7 May 2026, 12:59 (Europe/London)"
    assert display(PAPER.at, "Asia/Shanghai") == "Thu 7 May 2026, 19:59 (Asia/Shanghai)"
    autumn = at("2026-10-30T11:59:59")  # London is back on GMT after 25 October
    assert display(autumn, "Europe/London") == "Fri 30 Oct 2026, 11:59 (Europe/London)"
    assert display(autumn, "America/New_York") == "Fri 30 Oct 2026, 07:59 (America/New_York)"


def test_deadline_week_is_the_seven_days_before_a_submission_deadline() -> None:
    dates = [PAPER, NOTIFY]
    assert week_before(dates, at("2026-04-30T11:59:58")) is None
    assert week_before(dates, at("2026-04-30T11:59:59")) == PAPER
    assert week_before(dates, at("2026-05-07T11:59:58")) == PAPER
    assert week_before(dates, at("2026-05-07T11:59:59")) is None  # the deadline has passed
    assert weekly_cadence(dates, at("2026-05-04T09:00:00"), gentle=False) is Cadence.DEADLINE_WEEK
    assert weekly_cadence(dates, at("2026-05-20T09:00:00"), gentle=False) is Cadence.USUAL
    assert weekly_cadence(dates, at("2026-05-04T09:00:00"), gentle=True) is Cadence.GENTLE
    assert week_before([NOTIFY], at("2026-09-20T00:00:00")) is None  # decisions are not deadlines


def test_decompression_comes_24_to_48_hours_after_the_deadline() -> None:
    assert cadence_posts([PAPER], at("2026-05-08T11:59:58")) == []
    [post] = cadence_posts([PAPER], at("2026-05-08T11:59:59"))
    assert post.phase is Phase.DECOMPRESS and post.key == "decompress:neurips:2026:paper"
    assert cadence_posts([PAPER], at("2026-05-09T11:59:58"))[0] == post
    assert cadence_posts([PAPER], at("2026-05-09T11:59:59")) == []  # too late: never posted late
    assert cadence_posts([PAPER], at("2026-05-08T20:00:00"), done=[post.key]) == []


def test_decompression_waits_while_another_deadline_is_days_away() -> None:
    abstract = date("abstract", "2026-05-05T11:59:59")
    assert cadence_posts([abstract, PAPER], at("2026-05-06T13:00:00")) == []
    [post] = cadence_posts([abstract, PAPER], at("2026-05-08T13:00:00"))
    assert post.date == PAPER


def test_decision_day_starts_with_the_aoe_day_of_the_notification() -> None:
    # 2026-09-24 23:59:59 AoE: that AoE day began at 2026-09-24 12:00 UTC.
    assert cadence_posts([NOTIFY], at("2026-09-24T11:59:59")) == []
    [post] = cadence_posts([NOTIFY], at("2026-09-24T12:00:00"))
    assert post.phase is Phase.DECISION
    assert cadence_posts([NOTIFY], at("2026-09-26T12:00:00")) == []


def test_rebuttal_and_decision_on_the_same_day_get_one_post_each_phase() -> None:
    other = date("notification", "2026-09-25T18:00:00", key="iclr:2027:notification")
    posts = cadence_posts([REBUTTAL, NOTIFY, other], at("2026-09-25T00:00:00"))
    assert [p.phase for p in posts] == [Phase.DECISION]
    assert posts[0].date == NOTIFY
    assert [p.phase for p in cadence_posts([REBUTTAL], at("2026-07-27T12:30:00"))] == [Phase.REBUTTAL]


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        cadence_posts([PAPER], dt.datetime(2026, 5, 8, 12))  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        CalendarDate("lab-1", "lab", "Quals", "deadline", "Quals", dt.datetime(2026, 5, 8))  # noqa: DTZ001


def test_weeks_marked_in_the_labs_zone() -> None:
    # 13:00 UTC on Sunday 10 May is already Monday 11 May in Auckland: next ISO week there.
    sunday = date("deadline", "2026-05-10T13:00:00", key="lab-1")
    assert weeks_marked([sunday], lambda t: iso_week(t, "UTC")) == {"2026-W19": "NeurIPS 2026 deadline"}
    assert weeks_marked([sunday], lambda t: iso_week(t, "Pacific/Auckland")) == {
        "2026-W20": "NeurIPS 2026 deadline"
    }
    assert weeks_marked([REBUTTAL], lambda t: iso_week(t, "UTC")) == {}


def test_the_shipped_snapshot_validates_and_has_its_source() -> None:
    snapshot, problems = read_snapshot(RESOURCES)
    assert problems == [] and snapshot is not None
    assert "huggingface/ai-deadlines" in snapshot.source and snapshot.licence.startswith("MIT")
    assert snapshot.snapshot_date == dt.date(2026, 7, 16)
    assert len(snapshot.series) >= 60
    paper = snapshot.find("neurips:2026:paper")
    assert paper is not None and paper.at == at("2026-05-07T11:59:59")
    assert snapshot.suggestions("neur", at("2026-04-01T00:00:00"))[0][0] == "neurips"


def test_snapshot_problems_are_named() -> None:
    _, problems = parse_snapshot(
        {"venues": [{"slug": "x", "title": "X", "dates": [{"key": "y:1", "kind": "paper"}]}]}
    )
    text = "\n".join(problems)
    assert "missing source" in text and "missing licence" in text and "snapshot_date" in text
    assert "must be unique and start with 'x'" in text
    _, problems = parse_snapshot(
        {
            "source": "s",
            "licence": "MIT",
            "snapshot_date": "2026-07-16",
            "venues": [
                {
                    "slug": "x",
                    "title": "X",
                    "dates": [{"key": "x:1", "kind": "paper", "at": "2026-05-07T11:59:59+02:00"}],
                }
            ],
        }
    )
    assert any("must be in UTC" in p for p in problems)


def test_reviews_released_then_rebuttal_is_one_post_per_edition() -> None:
    released = date("review_release", "2026-07-23T11:59:59")
    [first] = cadence_posts([released, REBUTTAL], at("2026-07-22T13:00:00"))
    assert first.phase is Phase.REBUTTAL and first.date == released
    assert cadence_posts([released, REBUTTAL], at("2026-07-27T13:00:00"), done=[first.key]) == []


def test_weeks_touched_by_a_gentle_period() -> None:
    def week_of(t: dt.datetime) -> str:
        return iso_week(t, "UTC")

    assert weeks_touched(at("2026-05-01T09:00:00"), at("2026-05-14T09:00:00"), week_of) == [
        "2026-W18",
        "2026-W19",
        "2026-W20",
    ]
    assert weeks_touched(at("2026-05-04T09:00:00"), at("2026-05-04T10:00:00"), week_of) == ["2026-W19"]
