"""Anonymous lab pulse: thresholds, small-category suppression, and what an attacker can deduce."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.aggregation import (
    BIN_LABELS,
    MAX_TOPICS,
    SUPPRESSED,
    Answer,
    WeekPulse,
    Withheld,
    category_floor,
    pulse_series,
    summarise_week,
)

CLOSED, CURRENT, FUTURE = "2026-W47", "2026-W48", "2026-W49"
TOPICS = ["career", "funding", "isolation", "rejection", "supervision", "visa", "workload"]

answers_st = st.builds(
    Answer,
    mood=st.integers(1, 5),
    energy=st.integers(1, 5),
    topics=st.frozensets(st.sampled_from(TOPICS), max_size=4),
)
answer_lists = st.lists(answers_st, max_size=40)
ks = st.integers(3, 10)
floors = st.integers(3, 7)


def moods(*values: int) -> list[Answer]:
    return [Answer(mood=v, energy=3) for v in values]


def true_bins(values: Iterable[int]) -> tuple[int, int, int]:
    counts = [0, 0, 0]
    for value in values:
        counts[0 if value <= 2 else 1 if value == 3 else 2] += 1
    return counts[0], counts[1], counts[2]


def half_up(values: Sequence[int]) -> float:
    exact = Decimal(sum(values)) / Decimal(len(values))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def pulse(answers: Sequence[Answer], *, k: int = 5, floor: int = 3) -> WeekPulse:
    result = summarise_week(CLOSED, CURRENT, answers, k=k, floor=floor)
    assert isinstance(result, WeekPulse)
    return result


def shown(bins: tuple[tuple[str, int], ...]) -> tuple[int, ...]:
    assert tuple(label for label, _ in bins) == BIN_LABELS
    return tuple(count for _, count in bins)


# --- what is never shown --------------------------------------------------------------------


@given(answers=answer_lists, k=ks, floor=floors)
def test_the_current_week_is_never_shown(answers: list[Answer], k: int, floor: int) -> None:
    assert summarise_week(CURRENT, CURRENT, answers, k=k, floor=floor) == Withheld(CURRENT, "current_week")


@given(answers=answer_lists, k=ks, floor=floors)
def test_future_weeks_are_never_shown(answers: list[Answer], k: int, floor: int) -> None:
    for week in (FUTURE, "2027-W01"):
        assert summarise_week(week, CURRENT, answers, k=k, floor=floor) == Withheld(week, "future_week")


@given(data=st.data(), k=ks, floor=floors)
def test_weeks_below_k_are_withheld_without_their_count(data: st.DataObject, k: int, floor: int) -> None:
    answers = data.draw(st.lists(answers_st, min_size=1, max_size=k - 1))
    assert summarise_week(CLOSED, CURRENT, answers, k=k, floor=floor) == Withheld(CLOSED, "below_threshold")


def test_an_empty_closed_week_is_no_data() -> None:
    assert summarise_week(CLOSED, CURRENT, [], k=5, floor=3) == Withheld(CLOSED, "no_data")


def test_withheld_carries_no_count() -> None:
    assert [f.name for f in dataclasses.fields(Withheld)] == ["week", "reason"]


def test_exactly_k_answers_are_shown() -> None:
    assert pulse(moods(1, 1, 1, 5, 5)).count == 5
    assert isinstance(summarise_week(CLOSED, CURRENT, moods(1, 1, 5, 5), k=5, floor=3), Withheld)


# --- invariants of what is shown ------------------------------------------------------------


@given(answers=answer_lists, k=ks, floor=floors)
def test_shown_bins_are_exact_and_never_small(answers: list[Answer], k: int, floor: int) -> None:
    result = summarise_week(CLOSED, CURRENT, answers, k=k, floor=floor)
    if len(answers) < k:
        assert isinstance(result, Withheld)
        return
    assert isinstance(result, WeekPulse)
    assert result.count == len(answers)
    for bins, mean, values in (
        (result.mood_bins, result.mood_mean, [a.mood for a in answers]),
        (result.energy_bins, result.energy_mean, [a.energy for a in answers]),
    ):
        visible, real = shown(bins), true_bins(values)
        hidden = [i for i, c in enumerate(visible) if c == SUPPRESSED]
        for i, count in enumerate(visible):
            if count != SUPPRESSED:
                assert count == real[i]
                assert count == 0 or count >= floor, "a small bin is exact"
        # Complementary suppression: never exactly one hidden bin, so subtracting the shown
        # bins from the count only ever gives the sum of two or more hidden ones.
        assert len(hidden) != 1
        if hidden:
            assert any(0 < real[i] < floor for i in hidden)
            assert mean is None
        else:
            assert sum(visible) == result.count
            assert mean == half_up(values)


@given(answers=answer_lists, k=ks, floor=floors)
def test_topics_below_floor_are_never_shown(answers: list[Answer], k: int, floor: int) -> None:
    result = summarise_week(CLOSED, CURRENT, answers, k=k, floor=floor)
    if not isinstance(result, WeekPulse):
        return
    real = Counter(topic for a in answers for topic in a.topics)
    expected = sorted(((t, c) for t, c in real.items() if c >= floor), key=lambda tc: (-tc[1], tc[0]))
    assert list(result.top_topics) == expected[:MAX_TOPICS]
    assert all(count >= floor for _, count in result.top_topics)
    assert result.suppressed_topics == any(0 < c < floor for c in real.values())


def test_topics_are_capped_at_five_and_ties_break_by_slug() -> None:
    everyone = frozenset({"workload", "career", "funding", "visa", "isolation", "rejection"})
    answers = [Answer(3, 3, everyone) for _ in range(4)] + [Answer(3, 3, frozenset({"zebra"}))]
    result = pulse(answers)
    assert result.top_topics == (
        ("career", 4),
        ("funding", 4),
        ("isolation", 4),
        ("rejection", 4),
        ("visa", 4),
    )
    assert result.suppressed_topics  # "zebra" (1) was hidden; "workload" was cut for length


def test_topics_most_common_first() -> None:
    answers = [
        *(Answer(3, 3, frozenset({"funding", "visa"})) for _ in range(3)),
        *(Answer(3, 3, frozenset({"visa"})) for _ in range(2)),
        Answer(3, 3, frozenset({"career"})),
    ]
    result = pulse(answers)
    assert result.top_topics == (("visa", 5), ("funding", 3))
    assert result.suppressed_topics


# --- concrete suppression cases -------------------------------------------------------------

LOW, OKAY, GOOD = 1, 3, 5  # one representative mood per bin


@pytest.mark.parametrize(
    ("bins", "expected"),
    [
        # Nothing small: everything exact, zeros included.
        ((3, 3, 0), (3, 3, 0)),
        ((0, 0, 7), (0, 0, 7)),
        ((4, 3, 5), (4, 3, 5)),
        # Two small bins: hide both (the empty one too), show the big one.
        ((5, 1, 1), (5, -1, -1)),
        ((1, 0, 6), (-1, -1, 6)),
        ((4, 1, 0), (4, -1, -1)),
        ((1, 1, 6), (-1, -1, 6)),
        # One small bin: hiding it alone would let count - others recover it; at floor 3 the
        # complement plus the small one always hold 4 or more, which pins nothing only if
        # everything is hidden.
        ((1, 4, 5), (-1, -1, -1)),
        ((5, 5, 2), (-1, -1, -1)),
        # Two hidden bins holding 2 * (floor - 1) = 4 must be 2 and 2: hide all.
        ((4, 2, 2), (-1, -1, -1)),
        # count == 3 * (floor - 1): all hidden means each is 2, so hide every small week.
        ((2, 2, 2), (-1, -1, -1)),
        ((4, 1, 1), (-1, -1, -1)),
        # All small.
        ((2, 1, 2), (-1, -1, -1)),
    ],
)
def test_mood_bins_at_floor_3(bins: tuple[int, int, int], expected: tuple[int, ...]) -> None:
    answers = moods(*([LOW] * bins[0] + [OKAY] * bins[1] + [GOOD] * bins[2]))
    assert shown(pulse(answers, k=3).mood_bins) == expected


@pytest.mark.parametrize(
    ("bins", "expected"),
    [
        # At floor 4 the complement can be shown: hidden pair (1, 4) holds 5 <= 2 * 4 - 3.
        ((1, 4, 6), (-1, -1, 6)),
        ((5, 1, 4), (5, -1, -1)),
        # ...but not when the pair would hold 2 * (floor - 1) = 6 or more.
        ((2, 4, 6), (-1, -1, -1)),
        ((3, 3, 5), (-1, -1, -1)),
    ],
)
def test_complementary_suppression_at_floor_4(bins: tuple[int, int, int], expected: tuple[int, ...]) -> None:
    answers = moods(*([LOW] * bins[0] + [OKAY] * bins[1] + [GOOD] * bins[2]))
    assert shown(pulse(answers, k=3, floor=4).mood_bins) == expected


def test_the_mean_is_hidden_when_it_would_reveal_a_hidden_bin() -> None:
    # Shown alone, "low = 4" hides the fifth person. An exact mean of 2.6 would not: the sum
    # is 13, four lows add up to at most 8, so the fifth must have said 5.
    result = pulse(moods(2, 2, 2, 2, 5))
    assert shown(result.mood_bins) == (4, SUPPRESSED, SUPPRESSED)
    assert result.mood_mean is None
    assert result.energy_mean == 3.0  # energy has no hidden bin, so its mean is shown


def test_means_round_half_up_to_one_decimal() -> None:
    result = pulse(moods(1, 1, 1, 4, 4, 5, 5, 5))  # 26 / 8 = 3.25
    assert shown(result.mood_bins) == (3, 0, 5)
    assert result.mood_mean == 3.3


# --- what someone who knows the rule can deduce ---------------------------------------------


Output = tuple[int, tuple[int, ...], float | None]


def _hidden_bins_are_ambiguous(outputs: dict[Output, list[tuple[int, int, int]]]) -> None:
    """Every hidden bin must have at least two values among the inputs giving one output."""
    for output, sources in outputs.items():
        _, bins, _ = output
        for i, count in enumerate(bins):
            if count == SUPPRESSED:
                values = {source[i] for source in sources}
                assert len(values) >= 2, f"{output} reveals bin {i}: only {sources}"


@pytest.mark.parametrize("floor", [3, 4, 5, 6])
def test_no_hidden_bin_can_be_deduced_from_bins_and_count(floor: int) -> None:
    """Exhaustive over every bin split of up to 36 check-ins, for an attacker who knows the rule."""
    for count in range(3, 37):
        outputs: dict[Output, list[tuple[int, int, int]]] = defaultdict(list)
        for low in range(count + 1):
            for okay in range(count - low + 1):
                bins = (low, okay, count - low - okay)
                answers = moods(*([LOW] * bins[0] + [OKAY] * bins[1] + [GOOD] * bins[2]))
                result = pulse(answers, k=3, floor=floor)
                outputs[(result.count, shown(result.mood_bins), None)].append(bins)
        _hidden_bins_are_ambiguous(outputs)


@pytest.mark.parametrize("floor", [3, 4])
def test_no_hidden_bin_can_be_deduced_with_the_mean(floor: int) -> None:
    """Exhaustive over every multiset of 1-5 moods up to 13 check-ins, means included."""
    for count in range(3, 14):
        outputs: dict[Output, list[tuple[int, int, int]]] = defaultdict(list)
        for values in itertools.combinations_with_replacement(range(1, 6), count):
            result = pulse(moods(*values), k=3, floor=floor)
            key = (result.count, shown(result.mood_bins), result.mood_mean)
            outputs[key].append(true_bins(values))
        _hidden_bins_are_ambiguous(outputs)


@given(answers=st.lists(answers_st, min_size=3, max_size=30))
def test_changing_k_never_changes_what_a_week_shows(answers: list[Answer]) -> None:
    views = {summarise_week(CLOSED, CURRENT, answers, k=k, floor=category_floor(k)) for k in range(3, 40)}
    pulses = [v for v in views if isinstance(v, WeekPulse)]
    assert len(pulses) == 1  # shown at k <= count, identically
    assert views - set(pulses) <= {Withheld(CLOSED, "below_threshold")}


def test_why_the_floor_does_not_grow_with_k() -> None:
    # Two floors give two views that fit only one split together.
    answers = moods(*([LOW] * 6 + [OKAY] * 6 + [GOOD] * 2))
    at_3, at_6 = pulse(answers, k=3, floor=3), pulse(answers, k=3, floor=6)
    assert shown(at_3.mood_bins) == (SUPPRESSED, SUPPRESSED, SUPPRESSED)
    assert shown(at_6.mood_bins) == (SUPPRESSED, 6, SUPPRESSED)
    assert {category_floor(k) for k in range(3, 100)} == {3}


# --- differencing ---------------------------------------------------------------------------


@given(answers=answer_lists)
def test_a_closed_week_reads_the_same_every_time(answers: list[Answer]) -> None:
    first = summarise_week(CLOSED, CURRENT, answers, k=5, floor=3)
    assert summarise_week(CLOSED, CURRENT, list(answers), k=5, floor=3) == first
    assert summarise_week(CLOSED, CURRENT, list(reversed(answers)), k=5, floor=3) == first


@given(history=st.lists(answer_lists, min_size=4, max_size=4), extra=answers_st)
def test_answering_this_week_changes_nothing_shown(history: list[list[Answer]], extra: Answer) -> None:
    weeks = ["2026-W45", "2026-W46", CLOSED, CURRENT]
    by_week = dict(zip(weeks, history, strict=True))
    before = pulse_series(weeks, CURRENT, by_week, k=5, floor=3)
    after = pulse_series(weeks, CURRENT, {**by_week, CURRENT: [*by_week[CURRENT], extra]}, k=5, floor=3)
    assert after == before
    assert before[-1] == Withheld(CURRENT, "current_week")


def test_pulse_series_keeps_order_and_fills_missing_weeks() -> None:
    by_week = {"2026-W46": moods(1, 1, 1, 5, 5, 5), "2026-W45": moods(3, 3)}
    series = pulse_series(
        ["2026-W44", "2026-W45", "2026-W46", CURRENT, FUTURE], CURRENT, by_week, k=5, floor=3
    )
    assert series[0] == Withheld("2026-W44", "no_data")
    assert series[1] == Withheld("2026-W45", "below_threshold")
    assert isinstance(series[2], WeekPulse)
    assert shown(series[2].mood_bins) == (3, 0, 3)
    assert series[2].mood_mean == 3.0
    assert series[3:] == [Withheld(CURRENT, "current_week"), Withheld(FUTURE, "future_week")]


def test_week_keys_compare_across_years() -> None:
    assert isinstance(summarise_week("2026-W53", "2027-W01", moods(3, 3, 3), k=3, floor=3), WeekPulse)
    assert summarise_week("2027-W01", "2026-W53", [], k=3, floor=3) == Withheld("2027-W01", "future_week")


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("k", [-1, 0, 1, 2])
def test_k_below_3_is_rejected(k: int) -> None:
    with pytest.raises(ValueError, match="k must be at least 3"):
        summarise_week(CLOSED, CURRENT, [], k=k, floor=3)
    with pytest.raises(ValueError, match="k must be at least 3"):
        category_floor(k)


@pytest.mark.parametrize("floor", [0, 1, 2])
def test_floor_below_3_is_rejected(floor: int) -> None:
    with pytest.raises(ValueError, match="floor must be at least 3"):
        summarise_week(CLOSED, CURRENT, moods(3, 3, 3), k=3, floor=floor)


@pytest.mark.parametrize("week", ["2026-48", "2026-W5", "W48", "2026-w48", ""])
def test_malformed_week_keys_are_rejected(week: str) -> None:
    with pytest.raises(ValueError, match="ISO week key"):
        summarise_week(week, CURRENT, [], k=3, floor=3)
    with pytest.raises(ValueError, match="ISO week key"):
        summarise_week(CLOSED, week, [], k=3, floor=3)


@pytest.mark.parametrize(("mood", "energy"), [(0, 3), (6, 3), (3, 0), (3, 6), (True, 3)])
def test_answers_outside_1_to_5_are_rejected(mood: int, energy: int) -> None:
    with pytest.raises(ValueError, match="from 1 to 5"):
        Answer(mood=mood, energy=energy)


def test_suppressed_sentinel_is_minus_one() -> None:
    assert SUPPRESSED == -1


@given(history=st.lists(answer_lists, min_size=3, max_size=3), sunday=answers_st, monday=answers_st)
def test_differencing_two_consecutive_queries_never_reveals_one_answer(
    history: list[list[Answer]], sunday: Answer, monday: Answer
) -> None:
    """Ask on Sunday, one person answers, ask on Monday: only a whole closed week is new."""
    older, last, this = "2026-W45", "2026-W46", CLOSED  # on Sunday `this` is the open week
    by_week = dict(zip([older, last, this], history, strict=True))
    before = pulse_series([older, last, this], this, by_week, k=5, floor=3)
    answered = {**by_week, this: [*by_week[this], sunday]}
    assert pulse_series([older, last, this], this, answered, k=5, floor=3) == before  # the open week
    assert before[-1] == Withheld(this, "current_week")

    # Monday: `this` has closed and someone answers in the new week, which stays hidden.
    after = pulse_series([older, last, this, CURRENT], CURRENT, {**answered, CURRENT: [monday]}, k=5, floor=3)
    assert after[:2] == before[:2]  # weeks already closed read the same
    assert after[2] == summarise_week(this, CURRENT, answered[this], k=5, floor=3)  # the whole week at once
    assert after[3] == Withheld(CURRENT, "current_week")
