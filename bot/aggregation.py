"""Anonymous lab pulse: turn one guild's anonymous check-ins into what /pulse may show.

The promise is that nothing /pulse shows lets a curious moderator learn one person's
answer. This module is where that promise is kept for aggregates; it is pure (no I/O, no
clock) so the rules can be proved by exhaustive and property-based tests.

What it protects against:

* Watching a live figure. The current week and future weeks are always withheld, so nobody
  can note a number, wait for one colleague to check in, and look again.
* Small weeks. A week with fewer than ``k`` check-ins shows nothing at all, and the
  ``Withheld`` value does not carry the count.
* Small categories. A mood or energy bin (``low`` 1-2, ``okay`` 3, ``good`` 4-5) or a topic
  with fewer than ``floor`` answers is never shown exactly; a hidden bin is shown as
  ``SUPPRESSED``. Bins add up to ``count``, so hiding one bin alone is useless (subtract
  the others from the total): when exactly one bin would be hidden, the smallest other one
  is hidden too (complementary suppression). That is not enough against someone who knows
  the rule, so a few boundary cases hide every bin (see ``_suppress``); with that, every
  hidden bin has at least two possible values given everything shown, which the tests
  check exhaustively.
* Changing ``k``. A moderator can change ``k`` and look again. What a closed week shows
  does not depend on ``k`` (only whether it is shown), provided the floor stays fixed,
  which is why ``category_floor`` does not grow with ``k``: views of one week at two
  floors can be combined (moods 6 low, 6 okay, 2 good show nothing at floor 3 but
  ``okay = 6`` at floor 6, and only that split fits both).
* The mean as a side channel. An exact mean fixes the sum of all answers, and the sum can
  pin down a hidden bin: with moods 2, 2, 2, 2, 5 the pulse may show only ``low = 4``,
  but a mean of 2.6 means the sum is 13, the four lows add up to at most 8, so the fifth
  person must have said 5. The mean of a dimension is therefore shown only when none of
  its bins is hidden.
* Differencing over time. A closed week's output depends only on that week's answers, so
  repeated queries return the same thing. This relies on the store filing each answer
  under the week it was given in (the guild's timezone) and never moving it, so a week
  that is closed never changes.

What it does NOT protect against (no exact aggregate can):

* Background knowledge. A moderator who knows the answers of everyone else who checked in
  learns the last person's answer from the count and any exact figure.
* Homogeneity. If everyone lands in one bin, or picks one topic, the pulse shows it, and
  anyone known to have checked in is then known to be in that bin. Likewise, when all bins
  are shown, the mean can reveal that a whole bin answered the same value.
* Participation. The exact count of a closed week with at least ``k`` check-ins is shown
  (and lowering ``k`` to 3 shows it for any week with 3 or more), and ``no_data`` versus
  ``below_threshold`` tells zero apart from one or two.
* Ranges. A hidden bin is guaranteed at least two possible values, not that it may be
  empty: "low = 4, the rest hidden" out of 5 still says one person was okay or good.
* Collusion and fake members. ``k`` counts distinct check-ins; members who tell the
  moderator their own answers shrink the crowd the others hide in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal

__all__ = [
    "BIN_LABELS",
    "MAX_TOPICS",
    "MIN_FLOOR",
    "MIN_K",
    "SUPPRESSED",
    "Answer",
    "WeekPulse",
    "Withheld",
    "category_floor",
    "pulse_series",
    "summarise_week",
]

SUPPRESSED: Final = -1
"""Count shown for a hidden bin: withheld to protect a small group (not "fewer than floor":
the bin may be empty, small, or hidden only so that a small one cannot be subtracted out)."""

BIN_LABELS: Final = ("low", "okay", "good")
MIN_K: Final = 3
MIN_FLOOR: Final = 3
MAX_TOPICS: Final = 5

_WEEK_KEY = re.compile(r"[0-9]{4}-W[0-9]{2}")

WithheldReason = Literal["current_week", "future_week", "below_threshold", "no_data"]


@dataclass(frozen=True)
class Answer:
    """One anonymous check-in: mood and energy on a 1-5 scale, and stressor topic slugs."""

    mood: int
    energy: int
    topics: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        """Reject values outside the 1-5 scale so a bad row cannot skew a pulse."""
        for name, value in (("mood", self.mood), ("energy", self.energy)):
            if isinstance(value, bool) or not 1 <= value <= 5:
                raise ValueError(f"{name} must be an integer from 1 to 5, got {value!r}")


@dataclass(frozen=True)
class WeekPulse:
    """What /pulse may show for one closed week with at least k check-ins.

    A bin count of ``SUPPRESSED`` means hidden; a mean of ``None`` means hidden because
    one of that dimension's bins is hidden.
    """

    week: str
    count: int
    mood_mean: float | None
    energy_mean: float | None
    mood_bins: tuple[tuple[str, int], ...]
    energy_bins: tuple[tuple[str, int], ...]
    top_topics: tuple[tuple[str, int], ...]
    suppressed_topics: bool


@dataclass(frozen=True)
class Withheld:
    """A week /pulse shows nothing for, and why; never carries the number of check-ins."""

    week: str
    reason: WithheldReason


def category_floor(k: int) -> int:
    """The smallest category shown exactly: 3 for every valid k, so a week reads the same at any k.

    Three, so that no category ever shows one or two people (two people in a category
    would learn each other's answer). It deliberately does not grow with ``k``: a curious
    moderator can lower ``k`` to its minimum and look again, so a larger floor for a larger
    ``k`` adds no protection against them, while two views of one week at different floors
    can be combined to recover a hidden bin (see the module docstring).
    """
    _check_k(k)
    return MIN_FLOOR


def summarise_week(
    week: str, current_week: str, answers: Sequence[Answer], *, k: int, floor: int
) -> WeekPulse | Withheld:
    """Summarise one guild's answers for one week, or say why nothing can be shown."""
    _check_k(k)
    _check_floor(floor)
    _check_week(week)
    _check_week(current_week)
    # Decide on the week before looking at the answers: even "no data" for the current week
    # would change to "below threshold" the moment one person answers.
    if week == current_week:
        return Withheld(week, "current_week")
    if week > current_week:
        return Withheld(week, "future_week")
    count = len(answers)
    if count == 0:
        return Withheld(week, "no_data")
    if count < k:
        return Withheld(week, "below_threshold")
    mood_bins, mood_mean = _dimension([a.mood for a in answers], floor)
    energy_bins, energy_mean = _dimension([a.energy for a in answers], floor)
    top_topics, suppressed_topics = _topics((a.topics for a in answers), floor)
    return WeekPulse(
        week=week,
        count=count,
        mood_mean=mood_mean,
        energy_mean=energy_mean,
        mood_bins=mood_bins,
        energy_bins=energy_bins,
        top_topics=top_topics,
        suppressed_topics=suppressed_topics,
    )


def pulse_series(
    weeks: Sequence[str],
    current_week: str,
    answers_by_week: Mapping[str, Sequence[Answer]],
    *,
    k: int,
    floor: int,
) -> list[WeekPulse | Withheld]:
    """Summarise each requested week in order; a week with no answers is "no_data"."""
    return [
        summarise_week(week, current_week, answers_by_week.get(week, ()), k=k, floor=floor) for week in weeks
    ]


def _check_k(k: int) -> None:
    """Reject thresholds below the design's minimum crowd of three."""
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}, got {k}")


def _check_floor(floor: int) -> None:
    """Reject category floors that would show a single person or a pair."""
    if floor < MIN_FLOOR:
        raise ValueError(f"floor must be at least {MIN_FLOOR}, got {floor}")


def _check_week(week: str) -> None:
    """Require "YYYY-Www" keys, because weeks are ordered by comparing the strings."""
    if not _WEEK_KEY.fullmatch(week):
        raise ValueError(f"not an ISO week key: {week!r}; expected e.g. 2026-W48")


def _bin_index(value: int) -> int:
    """The coarse bin of a 1-5 answer: 0 low (1-2), 1 okay (3), 2 good (4-5)."""
    return 0 if value <= 2 else 1 if value == 3 else 2


def _suppress(counts: Sequence[int], floor: int) -> tuple[int, ...]:
    """Hide small bins so that none can be worked out, even knowing this rule and the total.

    1. If no bin holds 1 to ``floor - 1`` answers, show every bin.
    2. Otherwise hide every bin below ``floor``, empty ones included (an exact 0 next to
       the total can complete a subtraction).
    3. If that hides one bin only, also hide the smallest other one (ties: the first),
       or the hidden bin would be ``count`` minus the other two.
    4. Hide everything if the hidden bins hold ``2 * (floor - 1)`` answers or more, or if
       ``count == 3 * (floor - 1)``.

    Why step 4: a reader who knows steps 1-3 knows each hidden bin is below the floor (or
    is the complement). Two hidden bins holding ``2 * (floor - 1)`` must each hold exactly
    ``floor - 1`` (e.g. 4 low, 2 okay, 2 good at floor 3), and three hidden bins when
    ``count == 3 * (floor - 1)`` likewise. After step 4, two hidden bins share at most
    ``2 * floor - 3`` answers, which always splits at least two ways with both below the
    floor; "all hidden" for a count below ``3 * (floor - 1)`` splits at least two ways with
    all three below the floor; for ``3 * (floor - 1)`` it covers every week with a small
    bin; and above that it covers "``floor - 1`` in two bins, the rest in the third" for
    each choice of third bin. So every hidden bin has at least two possible values.
    """
    if not any(0 < c < floor for c in counts):
        return tuple(counts)
    hidden = {i for i, c in enumerate(counts) if c < floor}
    if len(hidden) == 1:
        others = [i for i in range(len(counts)) if i not in hidden]
        hidden.add(min(others, key=lambda i: (counts[i], i)))
    pair_full = sum(counts[i] for i in hidden) >= 2 * (floor - 1)
    if pair_full or sum(counts) == len(counts) * (floor - 1):
        hidden = set(range(len(counts)))
    return tuple(SUPPRESSED if i in hidden else c for i, c in enumerate(counts))


def _mean(values: Sequence[int]) -> float:
    """The mean rounded half-up to one decimal, as people expect to read it."""
    exact = Decimal(sum(values)) / Decimal(len(values))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _dimension(values: Sequence[int], floor: int) -> tuple[tuple[tuple[str, int], ...], float | None]:
    """Coarse bins (with suppression) and the mean, hidden whenever any bin is hidden."""
    counts = [0] * len(BIN_LABELS)
    for value in values:
        counts[_bin_index(value)] += 1
    shown = _suppress(counts, floor)
    mean = None if SUPPRESSED in shown else _mean(values)
    return tuple(zip(BIN_LABELS, shown, strict=True)), mean


def _topics(selections: Iterable[frozenset[str]], floor: int) -> tuple[tuple[tuple[str, int], ...], bool]:
    """The most common topics at or above the floor, and whether any topic was hidden."""
    counts = Counter(topic for topics in selections for topic in topics)
    # Topic counts do not add up to the total (people pick several or none), so hiding the
    # small ones is enough; there is nothing to subtract them from.
    big = sorted(((topic, c) for topic, c in counts.items() if c >= floor), key=lambda tc: (-tc[1], tc[0]))
    return tuple(big[:MAX_TOPICS]), any(c < floor for c in counts.values())
