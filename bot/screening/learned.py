"""A second net under the rules: a linear model over the words of a share (no language model).

The rules catch what they name. Five blind rounds of phrasings written without looking at them
showed the same ceiling each time (recall 0.6-0.7): people say the same warning sign in words no
rule lists. This scores a share with a logistic regression over TF-IDF features of its words,
pairs of adjacent words, four-letter pieces of words and, in Chinese, single characters and
character pairs. It was trained on the tuning parts of the labelled sets (never a held-back
part) by ``scripts/train_screening_model.py``, which also chose C and the threshold by
cross-validation.

The engine asks it only when no rule fired, gives it the share as the rules read it without the
sentences the rules cleared (negated, idiomatic, said of someone else: ``engine.model_text``),
and lets it abstain on shares of six words or fewer (``engine.too_short_for_model``).

It is a fixed table of weights in ``learned_words.json``: deterministic, no network, nothing
generated, nothing learned at run time. Scoring is pure Python over the share's distinct
features. :func:`features` is the one featurisation both the training script and the bot use,
so the two cannot drift; a unit test retrains the model and compares it with scikit-learn's own
probabilities.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

WEIGHTS = Path(__file__).with_name("learned_words.json")
_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN = re.compile(f"[{_HAN_CHARS}]")
_HAN_PAIR = re.compile(f"(?=([{_HAN_CHARS}]{{2}}))")
_WORD = re.compile(r"[a-z0-9']+")
# Two words with only punctuation, spaces or symbols between them (not a Chinese character).
_WORD_PAIR = re.compile(f"(?<![a-z0-9'])(?=([a-z0-9']+)[^a-z0-9'{_HAN_CHARS}]+([a-z0-9']+))")


@functools.lru_cache(maxsize=16384)
def _grams(word: str) -> tuple[str, ...]:
    """The four-letter pieces of a word with a space at each end, marked with '#' ("#kill").

    They let the model see a word it was not trained on through its parts ("unaliving",
    "overdosing", a typo), and never collide with a word or a pair (those carry no '#').
    """
    padded = f" {word} "
    return tuple("#" + padded[i : i + 4] for i in range(len(padded) - 3))


def features(normalised: str) -> list[str]:
    """The features of normalised text, with repeats.

    Latin-script words, each pair of adjacent words and each word's four-letter pieces
    (:func:`_grams`); Chinese characters and each pair of adjacent ones. A run of Chinese
    characters breaks a pair of words, and anything not Chinese breaks a pair of characters.
    Every list is found by ``re`` in C (the pairs as overlapping lookaheads), and each word's
    pieces are cached, as this runs on every share no rule held.
    """
    words = _WORD.findall(normalised)
    out = words + list(itertools.chain.from_iterable(map(_grams, words)))
    if _HAN.search(normalised) is None:  # no Chinese: every two adjacent words are a pair
        out += map(" ".join, itertools.pairwise(words))
        return out
    out += _HAN.findall(normalised)
    out += _HAN_PAIR.findall(normalised)
    out += map(" ".join, _WORD_PAIR.findall(normalised))
    return out


@dataclass(frozen=True)
class Model:
    """For each feature its IDF, coefficient, IDF squared and IDF x coefficient; intercept; threshold."""

    vocabulary: dict[str, tuple[float, float, float, float]]
    intercept: float
    threshold: float


@functools.cache
def model() -> Model:
    """Load the weights once (about 12,000 features, 30 ms)."""
    raw = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    vocabulary = {
        feature: (float(idf), float(coef), float(idf) ** 2, float(idf) * float(coef))
        for feature, (idf, coef) in raw["vocabulary"].items()
    }
    return Model(vocabulary, float(raw["intercept"]), float(raw["threshold"]))


def probability(normalised: str) -> float:
    """The model's probability that the share is a crisis post.

    Exactly scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (L2-normalised over the known
    features) followed by ``LogisticRegression.predict_proba``.
    """
    weights = model()
    vocabulary = weights.vocabulary
    counts = Counter(features(normalised))
    square = dot = 0.0
    for feature in filter(vocabulary.__contains__, counts):
        idf, coef, idf_squared, idf_coef = vocabulary[feature]
        count = counts[feature]
        if count == 1:
            square += idf_squared
            dot += idf_coef
        else:
            value = (1.0 + math.log(count)) * idf
            square += value * value
            dot += value * coef
    z = weights.intercept + (dot / math.sqrt(square) if square else 0.0)
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def flags(normalised: str) -> bool:
    """Whether the model alone would hold the share."""
    return probability(normalised) >= model().threshold
