"""Train the screening's word model (bot/screening/learned_words.json) on the tuning parts only.

    .venv/bin/python scripts/train_screening_model.py            # choose C and threshold, write
    .venv/bin/python scripts/train_screening_model.py --check    # retrain with the stored choice, compare

Each phrasing is featurised as the bot reads it for the model (``engine.model_text``: normalised,
prepared as the rules see it, without the sentences the rules cleared as negated or idiomatic).

Data: the tuning parts of the labelled sets (``TRAIN`` below) and the main pool of the
pre-issue-13 set (``tests/data/screening_set.yaml``, whose near misses are ordinary distress and
negations: "I'm not suicidal, just really tired"). No held-back part is read, nor that set's
holdout.

Choice: for every C in ``CS`` and threshold in ``THRESHOLDS``, each set in ``LEAVE_OUT`` (a
blind round's tuning part, or an everyday set) is left out in turn: the model is fitted on all the
rest and scores it (shares too short for the model to speak are left to the rules:
``engine.too_short_for_model``), ORed with the rules' own flags. The pair with the highest recall
over the left-out crisis phrasings whose false-positive rate over all left-out negatives stays at
or under ``MAX_FPR`` and over the left-out everyday messages (``EVERYDAY``) under
``MAX_EVERYDAY_FPR`` wins (ties: the lower C, then the higher threshold), among the pairs at
which the model fitted on all the data keeps the unit suites' named examples and the pre-issue-13
main pool as they are (``kept_whole``). The model is then fitted on all the training data.

Why whole sets: each blind round is new writers with new wording, which is what the bot meets.
Until 2026-12-02 the choice was by 5-fold cross-validation over shuffled phrasings, which mixes
each writer's phrasings across folds: it estimated recall 0.94 at threshold 0.8, where leaving
whole rounds out gave 0.865 and the rounds written after training gave 0.84-0.85. (The rules were
tuned on some of these tuning parts, so the rules' share of a left-out recall is still a little
optimistic.) The bounds were the issue's false-positive bar, 0.05, for all negatives and for
everyday messages alike, fixed in writing before round 13 existed. Since candidate 5 (before
round 19 was scored) they are 0.04: on rounds 16-18 the stored choice held 0.056-0.061 where its
left-out figure had been 0.046, so a bound at the bar itself lands over it on new wording.
Needs scikit-learn (a dev dependency; the bot never imports it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_screening import FILES, HELD_BACK, SPENT, Item, load  # noqa: E402

from bot.screening import engine  # noqa: E402
from bot.screening.engine import model_text, screen_rules  # noqa: E402
from bot.screening.learned import WEIGHTS, features  # noqa: E402


def _numbered(prefix: str) -> tuple[str, ...]:
    """The spent test sets of one kind, in the order they were written."""
    return tuple(sorted((p for p in SPENT if p.startswith(prefix)), key=lambda p: int(p[len(prefix) :][:-5])))


# The test sets already spent: each judged its candidate once and is trained on since. None of the
# held-back thirds is among them.
SPENT_ROUNDS = _numbered("round")
SPENT_EVERYDAY = _numbered("mundane")
TRAIN = (
    "tuning", "fresh", "probes", "round3", "round4", "round5", "round6", "round7", "round8", "round9",
    "round11", "mundane", "mundane2", "mundane3", "mundane5", *SPENT_ROUNDS, *SPENT_EVERYDAY,
)  # fmt: skip
EVERYDAY = ("mundane", "mundane2", "mundane3", "mundane5", *SPENT_EVERYDAY)  # held at most MAX_EVERYDAY_FPR
# Left out one at a time to choose C and the threshold: every blind round written after the rules'
# first rounds and every everyday set (the older sets are always trained on).
LEAVE_OUT = ("round6", "round7", "round8", "round9", "round11", *SPENT_ROUNDS, *EVERYDAY)
CS = (8.0, 16.0, 32.0)
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
# The bar is 0.05; the bound is a point under it, because left-out figures run under what the
# next new round shows (the stored choice: left-out FPR 0.046, rounds 16-18 0.056-0.061).
MAX_FPR = 0.04
MAX_EVERYDAY_FPR = 0.04
MIN_DF = 2


EXISTING = ROOT / "tests" / "data" / "screening_set.yaml"


def training_files() -> dict[str, str]:
    """Each training file (relative to the repo) and its SHA-256."""
    return {
        str(path.relative_to(ROOT)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (*(FILES[part] for part in TRAIN), EXISTING)
    }


def held_back() -> set[str]:
    """Every phrasing of a held-back part, and of the pre-issue-13 set's holdout."""
    holdout = yaml.safe_load(EXISTING.read_text(encoding="utf-8"))["holdout"]
    return {
        *(item.text for part in HELD_BACK - {"existing"} for item in load(FILES[part])),
        *holdout["crisis_holdout"],
        *holdout["not_crisis_holdout"],
    }


def training_items() -> list[Item]:
    """Every phrasing of the training parts, then the pre-issue-13 set's main pool (not its holdout).

    A phrasing that also appears in a held-back part (a few sets repeat one) is left out.
    """
    raw = yaml.safe_load(EXISTING.read_text(encoding="utf-8"))
    held = held_back()
    items = [
        *(item for part in TRAIN for item in load(FILES[part])),
        *(Item(text, True, "existing", "-") for text in raw["crisis"]),
        *(Item(text, False, "existing", "-") for text in raw["not_crisis"]),
    ]
    return [item for item in items if item.text not in held]


def fit(texts: list[str], labels: list[bool], c: float) -> tuple[Any, Any]:
    """The vectoriser and the fitted logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(analyzer=features, min_df=MIN_DF, sublinear_tf=True)
    matrix = vectoriser.fit_transform(texts)
    classifier = LogisticRegression(C=c, max_iter=10000, class_weight="balanced")
    classifier.fit(matrix, labels)
    return vectoriser, classifier


def kept_whole() -> list[tuple[str, bool]]:
    """What every choice must keep as it is: the unit suites' named examples, and the pre-issue-13 main pool.

    Each with whether it is to be held. The main pool may keep at most ``EXISTING_FALSE_POSITIVES``
    of its negatives held; the named examples none.
    """
    # The unit suites' tables, read only by the training script.
    from tests.unit import test_screening
    from tests.unit import test_screening_warning_signs as signs

    raw = yaml.safe_load(EXISTING.read_text(encoding="utf-8"))
    return [
        *((text, True) for text in test_screening.MUST_FLAG),
        *((text, True) for text, _ in signs.FLAGGED),
        *((text, False) for text in test_screening.MUST_NOT_FLAG),
        *((text, False) for text in signs.NOT_FLAGGED),
        *((text, True) for text in raw["crisis"]),
        *((f"{EXISTING_MARK}{text}", False) for text in raw["not_crisis"]),
    ]


EXISTING_MARK = "\0existing\0"  # marks the main pool's negatives, which may keep a few held
# No more of the main pool's 380 negatives held than the screening before candidate 5 held (2): the
# issue asks for no loss on that set, and its holdout, which the choice never reads, holds 3 more
# (candidate 5 was chosen with a bound of 5 here, held 4 and so 7 of the whole set's 475).
EXISTING_FALSE_POSITIVES = 2


def _admissible(keep: list[tuple[str, bool]], held: list[bool]) -> bool:
    """Every example to hold is held, no named negative is, and at most a few of the main pool's."""
    pool = 0
    for (text, crisis), h in zip(keep, held, strict=True):
        if crisis and not h:
            return False
        if not crisis and h:
            if not text.startswith(EXISTING_MARK):
                return False
            pool += 1
    return pool <= EXISTING_FALSE_POSITIVES


def choose(
    texts: list[str],
    labels: list[bool],
    rules: list[bool],
    short: list[bool],
    everyday: list[bool],
    groups: list[str],
    keep: list[tuple[str, bool]] | None = None,
) -> tuple[float, float, list[str]]:
    """C and threshold by leaving each set of ``LEAVE_OUT`` out in turn (module docstring), with the table.

    With ``keep`` (see :func:`kept_whole`), a pair is only chosen if the model fitted on all the
    data, at that threshold, keeps those examples as they are.
    """
    keep = keep or []
    keep_texts = [text.removeprefix(EXISTING_MARK) for text, _ in keep]
    keep_rules = [screen_rules(t).flagged for t in keep_texts]
    keep_model = [model_text(t) for t in keep_texts]
    keep_short = [engine.too_short_for_model(t) for t in keep_model]
    left_out = [g in LEAVE_OUT for g in groups]
    crisis = sum(y for y, out in zip(labels, left_out, strict=True) if out)
    other = sum(not y for y, out in zip(labels, left_out, strict=True) if out)
    daily = sum(e for e, out in zip(everyday, left_out, strict=True) if out)
    best: tuple[float, float, float] | None = None  # recall, C, threshold
    lines = []
    for c in CS:
        keep_scores: list[float] = []
        if keep:
            vectoriser, classifier = fit(texts, labels, c)
            keep_scores = [float(p) for p in classifier.predict_proba(vectoriser.transform(keep_model))[:, 1]]
        predicted = [0.0] * len(texts)
        for part in LEAVE_OUT:
            train = [i for i, g in enumerate(groups) if g != part]
            test = [i for i, g in enumerate(groups) if g == part]
            vectoriser, classifier = fit([texts[i] for i in train], [labels[i] for i in train], c)
            scores = classifier.predict_proba(vectoriser.transform([texts[i] for i in test]))[:, 1]
            for i, score in zip(test, scores, strict=True):
                predicted[i] = float(score)
        for threshold in sorted(THRESHOLDS, reverse=True):
            held = [
                out and (r or (p >= threshold and not s))
                for r, p, s, out in zip(rules, predicted, short, left_out, strict=True)
            ]
            recall = sum(h for h, y in zip(held, labels, strict=True) if y) / crisis
            fpr = sum(h for h, y in zip(held, labels, strict=True) if not y) / other
            day = sum(h for h, e in zip(held, everyday, strict=True) if e) / daily
            kept = zip(keep_rules, keep_scores, keep_short, strict=True)
            whole = _admissible(keep, [r or (p >= threshold and not s) for r, p, s in kept])
            lines.append(
                f"C {c:>4}  threshold {threshold:.2f}  left-out recall {recall:.3f}  FPR {fpr:.3f}"
                f"  everyday FPR {day:.3f}{'' if whole else '  (changes a kept example)'}"
            )
            if whole and fpr <= MAX_FPR and day <= MAX_EVERYDAY_FPR and (best is None or recall > best[0]):
                best = (recall, c, threshold)
    if best is None:
        raise SystemExit(f"no C and threshold keep the left-out FPRs at or under {MAX_FPR}")
    return best[1], best[2], lines


def weights(vectoriser: Any, classifier: Any, c: float, threshold: float) -> dict[str, Any]:
    """The JSON the bot loads: per feature its IDF and coefficient, rounded to 9 significant digits."""
    import sklearn

    coefficients = classifier.coef_[0]
    vocabulary = {
        feature: [float(f"{vectoriser.idf_[i]:.9g}"), float(f"{coefficients[i]:.9g}")]
        for feature, i in sorted(vectoriser.vocabulary_.items())
    }
    return {
        "about": "bot/screening/learned.py; made by scripts/train_screening_model.py (do not edit)",
        "scikit_learn": sklearn.__version__,
        "trained_on": training_files(),
        "C": c,
        "threshold": threshold,
        "intercept": float(f"{classifier.intercept_[0]:.9g}"),
        "vocabulary": vocabulary,
    }


def check(stored: dict[str, Any]) -> list[str]:
    """Retrain with the stored C; what differs from the stored weights (empty: nothing)."""
    problems = []
    if stored["trained_on"] != training_files():
        problems.append("the training files changed since the weights were made: retrain")
    items = training_items()
    vectoriser, classifier = fit([model_text(i.text) for i in items], [i.crisis for i in items], stored["C"])
    fresh = weights(vectoriser, classifier, stored["C"], stored["threshold"])
    if fresh["vocabulary"].keys() != stored["vocabulary"].keys():
        problems.append("the features differ")
    else:
        for feature, (idf, coef) in stored["vocabulary"].items():
            new_idf, new_coef = fresh["vocabulary"][feature]
            if abs(idf - new_idf) > 1e-6 or abs(coef - new_coef) > 1e-4:
                problems.append(f"the weight of a feature differs ({coef} vs {new_coef})")
                break
    if abs(fresh["intercept"] - stored["intercept"]) > 1e-4:
        problems.append("the intercept differs")
    return problems


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="retrain with the stored C and compare")
    args = parser.parse_args()
    if args.check:
        problems = check(json.loads(WEIGHTS.read_text(encoding="utf-8")))
        print("\n".join(problems) or "the stored weights are what the training data gives")
        raise SystemExit(1 if problems else 0)
    items = training_items()
    texts = [model_text(i.text) for i in items]
    labels = [i.crisis for i in items]
    rules = [screen_rules(i.text).flagged for i in items]
    daily = {item.text for part in EVERYDAY for item in load(FILES[part])}
    part_of = {item.text: part for part in reversed(TRAIN) for item in load(FILES[part])}  # first set wins
    c, threshold, lines = choose(
        texts,
        labels,
        rules,
        [engine.too_short_for_model(t) for t in texts],
        [item.text in daily for item in items],
        [part_of.get(item.text, "existing") for item in items],
        kept_whole(),
    )
    print("\n".join(lines))
    print(f"chosen: C {c}, threshold {threshold} ({len(items)} phrasings, {sum(labels)} crisis)")
    vectoriser, classifier = fit(texts, labels, c)
    WEIGHTS.write_text(
        json.dumps(weights(vectoriser, classifier, c, threshold), ensure_ascii=False, indent=0) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {WEIGHTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
