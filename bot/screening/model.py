"""The result type, the fixed category labels and the rule-table row shared by the rule modules."""

from __future__ import annotations

import re
import re._constants as re_constants  # type: ignore[import-not-found]  # the stdlib's own parser
import re._parser as re_parser  # type: ignore[import-not-found]
from dataclasses import dataclass
from typing import Any

SUICIDAL_IDEATION = "suicidal_ideation"
PASSIVE_IDEATION = "passive_ideation"
BURDEN = "burden"
SELF_HARM = "self_harm"
MEANS_OR_PLAN = "means_or_plan"
FAREWELL = "farewell"
GIVING_AWAY = "giving_away"
WARNING_SIGNS = "warning_signs"  # no rule fired; the word model (learned.py) held the share

CATEGORIES: tuple[str, ...] = (
    SUICIDAL_IDEATION,
    PASSIVE_IDEATION,
    BURDEN,
    SELF_HARM,
    MEANS_OR_PLAN,
    FAREWELL,
    GIVING_AWAY,
    WARNING_SIGNS,
)

SI = (SUICIDAL_IDEATION,)
PI = (PASSIVE_IDEATION,)
BU = (BURDEN,)
SH = (SELF_HARM,)
MP = (MEANS_OR_PLAN,)
FW = (FAREWELL,)
GA = (GIVING_AWAY,)


@dataclass(frozen=True)
class Screening:
    """Result of screening one share; ``categories`` never contains share text."""

    flagged: bool
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """One screening rule: id, implied categories, regex and why it exists."""

    rule_id: str
    categories: tuple[str, ...]
    pattern: re.Pattern[str]
    why: str
    negatable: bool = True
    veto: re.Pattern[str] | None = None  # ignored if this matches the sentence
    needs: tuple[frozenset[str], ...] = ()  # a match holds a string of each set (see required_literals)


def rule(
    rule_id: str,
    categories: tuple[str, ...],
    pattern: str,
    why: str,
    *,
    negatable: bool = True,
    veto: str | None = None,
) -> Rule:
    """Compile one rule-table row."""
    return Rule(
        rule_id,
        categories,
        re.compile(pattern),
        why,
        negatable,
        re.compile(veto) if veto else None,
        required_literals(pattern),
    )


@dataclass(frozen=True)
class Combo:
    """A warning sign that needs every cue somewhere in the share, and no veto anywhere in it."""

    rule_id: str
    categories: tuple[str, ...]
    cues: tuple[re.Pattern[str], ...]
    why: str
    veto: re.Pattern[str] | None = None


def combo(
    rule_id: str, categories: tuple[str, ...], cues: tuple[str, ...], why: str, *, veto: str = ""
) -> Combo:
    """Compile one combination row."""
    return Combo(
        rule_id, categories, tuple(re.compile(c) for c in cues), why, re.compile(veto) if veto else None
    )


@dataclass(frozen=True)
class CueRow:
    """A Chinese warning sign as phrase lists: one phrase of every group, and none of ``veto``.

    A phrase may hold "…", a short gap (up to 8 characters, or 4 pinyin words). Plain phrases,
    not regexes, so their pinyin forms can be generated from them.
    """

    rule_id: str
    categories: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]
    why: str
    veto: tuple[str, ...] = ()
    hanzi: bool = True  # False: the row only gives pinyin forms (hanzi rules cover it)
    local: bool = False  # True: the veto counts only in the sentences the cues were found in


def cues(
    rule_id: str,
    categories: tuple[str, ...],
    *groups: str,
    why: str,
    veto: str = "",
    hanzi: bool = True,
    local: bool = False,
) -> CueRow:
    """Build one cue row from space-separated phrase groups (a space never occurs in a phrase)."""
    return CueRow(
        rule_id, categories, tuple(tuple(g.split()) for g in groups), why, tuple(veto.split()), hanzi, local
    )


def required_literals(pattern: str) -> tuple[frozenset[str], ...]:
    """Sets of strings such that any match contains one string of every set (empty: no prefilter).

    Read from the parsed regex: a sequence needs each of its items, a branch needs one of its
    alternatives, a repeat needs its body only when it must occur. The engine skips a rule when
    a set has no string in the share, which leaves most rules unsearched on ordinary text.
    """
    return tuple(_required(list(re_parser.parse(pattern))))


def _best(sets: list[frozenset[str]]) -> frozenset[str]:
    """The most selective of several required sets: longest shortest string, then fewest strings."""
    return max(sets, key=lambda c: (min(map(len, c)), -len(c)))


def _required(items: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Every useful requirement of one sequence of parsed items (all of them must hold)."""
    needs: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is re_constants.LITERAL:
            run += chr(av)
            continue
        if len(run) >= 2:
            needs.append(frozenset([run]))
        run = ""
        if op is re_constants.SUBPATTERN:
            needs += _required(list(av[-1]))
        elif op is re_constants.BRANCH:
            options = [_required(list(alt)) for alt in av[1]]
            if all(options):
                needs.append(frozenset().union(*(_best(o) for o in options)))
        elif op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT) and av[0] >= 1:
            needs += _required(list(av[2]))
    if len(run) >= 2:
        needs.append(frozenset([run]))
    return [n for n in needs if min(map(len, n)) >= 2]
