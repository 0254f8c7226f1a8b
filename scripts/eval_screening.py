"""Recall and false-positive rate of bot.screening.screen per category and language.

Usage: ``python scripts/eval_screening.py [PART|all] [--misses] [--rules]``, PART one of tuning, fresh,
probes, round3, round4, round5, heldback, fresh_heldback, round3_heldback, round4_heldback,
round5_heldback, round6 to round9 and round11 and their ``_heldback`` parts, mundane to mundane3
and mundane5 and their ``_heldback`` parts, round10_test, mundane4_test, round12_test to
round20_test and mundane6_test to mundane14_test, existing, or heldback_pooled (every held-back
third together). ``tuning``, ``fresh``, ``probes``, ``round3`` to ``round9``, ``round11``, ``mundane``
to ``mundane3`` and ``mundane5`` are the parts rules are tuned on (and the word model trained
on); the ``*heldback`` parts are the frozen held-back thirds of the sets, each reported only, and
the ``*_test`` sets are whole sets kept as a test the same way until they have judged their
candidate: then they are ``SPENT``, trained and tuned on like the others.
``--misses`` lists the misses and false positives, and is refused for the held-back parts (and
for ``existing``, which includes a holdout): their figures are reported, and their phrasings are
never read while writing rules.
``--rules`` screens with the rules alone, without the word model (``bot/screening/learned.py``),
for a before-and-after in one run.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.screening import Screening, screen  # noqa: E402 - after the path set-up so the script runs anywhere
from bot.screening.engine import screen_rules  # noqa: E402

DATA = ROOT / "tests" / "data"
FILES = {
    "tuning": DATA / "screening_warning_signs.yaml",
    "heldback": DATA / "screening_heldback.yaml",
    "fresh": DATA / "screening_fresh.yaml",
    "fresh_heldback": DATA / "screening_fresh_heldback.yaml",
    "probes": DATA / "screening_probes.yaml",  # second-round probes, written after the first round
    "round3": DATA / "screening_round3.yaml",  # written blind to the rules by a helper, 2026-12-01
    "round3_heldback": DATA / "screening_round3_heldback.yaml",
    "round4": DATA / "screening_round4.yaml",  # written blind, in other voices, 2026-12-01
    "round4_heldback": DATA / "screening_round4_heldback.yaml",
    "round5": DATA / "screening_round5.yaml",  # written blind: long posts, indirect voices, 2026-12-01
    "round5_heldback": DATA / "screening_round5_heldback.yaml",
    "round6": DATA / "screening_round6.yaml",  # written blind, more ordinary distress; never trained on
    "round6_heldback": DATA / "screening_round6_heldback.yaml",
    "round7": DATA / "screening_round7.yaml",  # written blind by two helpers; adds grief for others
    "round7_heldback": DATA / "screening_round7_heldback.yaml",
    "round8": DATA / "screening_round8.yaml",  # written blind to the rules and the word model, 2026-12-02
    "round8_heldback": DATA / "screening_round8_heldback.yaml",
    "round9": DATA / "screening_round9.yaml",  # blind, in voices earlier rounds had few of, 2026-12-02
    "round9_heldback": DATA / "screening_round9_heldback.yaml",
    "mundane": DATA / "screening_mundane.yaml",  # everyday lab messages, all negatives, written blind
    "mundane_heldback": DATA / "screening_mundane_heldback.yaml",
    "mundane2": DATA / "screening_mundane2.yaml",  # more everyday messages, en and zh, written blind
    "mundane2_heldback": DATA / "screening_mundane2_heldback.yaml",
    "mundane3": DATA / "screening_mundane3.yaml",  # a third everyday set: many short negations
    "mundane3_heldback": DATA / "screening_mundane3_heldback.yaml",
    # Written after the word model's first switch-on test failed, as its next test: used whole.
    "round10_test": DATA / "screening_round10_test.yaml",
    "mundane4_test": DATA / "screening_mundane4_test.yaml",
    "round11": DATA / "screening_round11.yaml",  # written blind from one brief with round 12, 2026-12-02
    "round11_heldback": DATA / "screening_round11_heldback.yaml",
    "mundane5": DATA / "screening_mundane5.yaml",  # a fifth everyday set, written blind with the sixth
    "mundane5_heldback": DATA / "screening_mundane5_heldback.yaml",
    # The test of the model retrained with round 11 and the fifth everyday set: used whole.
    "round12_test": DATA / "screening_round12_test.yaml",
    "mundane6_test": DATA / "screening_mundane6_test.yaml",
    # The test of the model whose C and threshold are chosen by leaving whole sets out: used whole.
    "round13_test": DATA / "screening_round13_test.yaml",
    "mundane7_test": DATA / "screening_mundane7_test.yaml",
    # The test of the next candidate, commissioned before it was built: used whole.
    "round14_test": DATA / "screening_round14_test.yaml",
    "mundane8_test": DATA / "screening_mundane8_test.yaml",
    # The final test of whichever screening round 14 chose: scored once, reported, decides nothing.
    "round15_test": DATA / "screening_round15_test.yaml",
    "mundane9_test": DATA / "screening_mundane9_test.yaml",
    # The test of candidate 4 (the model trained with the spent test sets) against the stored one.
    "round16_test": DATA / "screening_round16_test.yaml",
    "mundane10_test": DATA / "screening_mundane10_test.yaml",
    # Candidate 4's second test, after round 16 rejected it under a bar both screenings missed.
    "round17_test": DATA / "screening_round17_test.yaml",
    "mundane11_test": DATA / "screening_mundane11_test.yaml",
    # The test of candidate 4b (candidate 4 keeping the unit suites' examples whole).
    "round18_test": DATA / "screening_round18_test.yaml",
    "mundane12_test": DATA / "screening_mundane12_test.yaml",
    # The test of candidate 5 (denials negate; the model trained with every spent set).
    "round19_test": DATA / "screening_round19_test.yaml",
    "mundane13_test": DATA / "screening_mundane13_test.yaml",
    # The test of candidate 6 (candidate 5 chosen with no loss on the pre-issue-13 set's main pool).
    "round20_test": DATA / "screening_round20_test.yaml",
    "mundane14_test": DATA / "screening_mundane14_test.yaml",
}
# Whole test sets that have judged their candidate and are trained and tuned on since.
SPENT = {
    *(f"round{n}_test" for n in (10, 12, 13, 14, 15, 16, 17, 18)),
    *(f"mundane{n}_test" for n in (4, 6, 7, 8, 9, 10, 11, 12)),
}
# "existing" includes screening_set.yaml's holdout
HELD_BACK = {
    "heldback",
    "fresh_heldback",
    "round3_heldback",
    "round4_heldback",
    "round5_heldback",
    "round6_heldback",
    "round7_heldback",
    "round8_heldback",
    "round9_heldback",
    "mundane_heldback",
    "mundane2_heldback",
    "mundane3_heldback",
    "round11_heldback",
    "mundane5_heldback",
    "round19_test",
    "mundane13_test",
    "round20_test",
    "mundane14_test",
    "existing",
}


@dataclass(frozen=True)
class Item:
    """One labelled phrasing."""

    text: str
    crisis: bool
    category: str
    lang: str


def load(path: Path) -> list[Item]:
    """Flatten label -> category -> language -> phrasings."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    sections = [raw, raw.get("added_after_split", {})]
    return [
        Item(text, label == "crisis", category, lang)
        for section in sections
        for label in ("crisis", "not_crisis")
        for category, languages in section.get(label, {}).items()
        for lang, texts in languages.items()
        for text in texts
    ]


def load_existing() -> list[Item]:
    """The pre-issue-13 labelled set (tests/data/screening_set.yaml), main pool and holdout."""
    raw = yaml.safe_load((DATA / "screening_set.yaml").read_text(encoding="utf-8"))
    hold = raw["holdout"]
    return [
        *(Item(t, True, "existing", "-") for t in [*raw["crisis"], *hold["crisis_holdout"]]),
        *(Item(t, False, "existing", "-") for t in [*raw["not_crisis"], *hold["not_crisis_holdout"]]),
    ]


def _rate(hits: int, total: int) -> str:
    return f"{hits / total:.3f} ({hits}/{total})" if total else "-"


def report(name: str, items: list[Item], misses: bool, screener: Callable[[str], Screening] = screen) -> str:
    """Overall, per-category and per-language figures (recall on crisis, FPR on the rest)."""
    flagged = {item: screener(item.text).flagged for item in items}
    lines = [f"== {name}"]

    def summary(subset: list[Item]) -> str:
        crisis = [i for i in subset if i.crisis]
        other = [i for i in subset if not i.crisis]
        recall = _rate(sum(flagged[i] for i in crisis), len(crisis))
        fpr = _rate(sum(flagged[i] for i in other), len(other))
        return f"recall {recall}  FPR {fpr}"

    lines.append(f"overall: {summary(items)}")
    by_cat: dict[tuple[bool, str], list[Item]] = defaultdict(list)
    by_lang: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_cat[(item.crisis, item.category)].append(item)
        by_lang[item.lang].append(item)
    for (crisis, category), subset in sorted(by_cat.items(), key=lambda kv: (not kv[0][0], kv[0][1])):
        n = sum(flagged[i] for i in subset)
        what = "recall" if crisis else "FPR"
        lines.append(f"  {'crisis' if crisis else 'not  '} {category:<14} {what} {_rate(n, len(subset))}")
    for lang, subset in sorted(by_lang.items()):
        lines.append(f"  lang {lang:<8} {summary(subset)}")
    if misses:
        for i in items:
            if flagged[i] != i.crisis:
                lines.append(f"  {'MISSED' if i.crisis else 'FALSE+'} [{i.category}/{i.lang}] {i.text}")
    return "\n".join(lines)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("part", nargs="?", default="all", choices=[*FILES, "existing", POOLED, "all"])
    parser.add_argument("--misses", action="store_true", help="list misses (not for the held-back part)")
    parser.add_argument("--rules", action="store_true", help="the rules alone, without the word model")
    args = parser.parse_args()
    parts = [*FILES, "existing", POOLED] if args.part == "all" else [args.part]
    if args.misses and (HELD_BACK | {POOLED}) & set(parts):
        raise SystemExit("--misses is refused for the held-back parts: their phrasings are not for tuning")
    for part in parts:
        print(report(part, items_of(part), args.misses, screen_rules if args.rules else screen))


POOLED = "heldback_pooled"  # every frozen held-back third together (not the whole test sets)


def items_of(part: str) -> list[Item]:
    """The phrasings of a part, of the pre-issue-13 set, or of every held-back third pooled."""
    if part == "existing":
        return load_existing()
    if part == POOLED:
        return [
            item
            for name in FILES
            if name in HELD_BACK and name.endswith("heldback")
            for item in load(FILES[name])
        ]
    return load(FILES[part])


if __name__ == "__main__":
    main()
