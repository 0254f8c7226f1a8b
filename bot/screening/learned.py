"""A second net under the rules: a linear model over the words of a share (no language model).

The rules catch what they name. Five blind rounds of phrasings written without looking at them
showed the same ceiling each time (recall 0.6-0.7): people say the same warning sign in words no
rule lists. This scores a share with a logistic regression over TF-IDF features of its words,
pairs of adjacent words, four-letter pieces of words and, in Chinese, single characters and
character pairs. It was trained on the tuning parts of the labelled sets (never a held-back
part) by ``scripts/train_screening_model.py``, which also chose C and the threshold by
leaving whole blind rounds out in turn (new writers, new wording: what the bot meets).

The engine asks it only when no rule fired, gives it the share as the rules read it without the
sentences the rules cleared (negated, idiomatic, said of someone else: ``engine.model_text``),
and lets it abstain on shares of six words or fewer (``engine.too_short_for_model``).

It is a fixed table of weights in ``learned_words.json``: deterministic, no network, nothing
generated, nothing learned at run time. Scoring is pure Python over the share's distinct
features. :func:`features` is the featurisation the training script uses, and the scorer's
faster tokens (:func:`_scored_tokens`) are tested against it on generated text; a unit test
retrains the model and compares the scorer with scikit-learn's own probabilities.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

WEIGHTS = Path(__file__).with_name("learned_words.json")
_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN = re.compile(f"[{_HAN_CHARS}]")
_HAN_PAIR = re.compile(f"(?=([{_HAN_CHARS}]{{2}}))")
_WORD = re.compile(r"[a-z0-9']+")
_HAN_RUN = re.compile(f"[{_HAN_CHARS}]+")


@functools.lru_cache(maxsize=16384)
def _grams(word: str) -> tuple[str, ...]:
    """The four-letter pieces of a word with a space at each end, marked with '#' ("#kill").

    They let the model see a word it was not trained on through its parts ("unaliving",
    "overdosing", a typo), and never collide with a word or a pair (those carry no '#').
    """
    padded = f" {word} "
    return tuple("#" + padded[i : i + 4] for i in range(len(padded) - 3))


def _words_and_pairs(normalised: str, chinese: bool) -> tuple[list[str], list[str]]:
    """The Latin-script words, and each pair of adjacent ones (a run of Chinese characters breaks a pair)."""
    if not chinese:
        found = _WORD.findall(normalised)
        return found, list(map(" ".join, itertools.pairwise(found)))
    words: list[str] = []
    pairs: list[str] = []
    for piece in _HAN_RUN.split(normalised):  # the text between runs of Chinese characters
        found = _WORD.findall(piece)
        words += found
        pairs += map(" ".join, itertools.pairwise(found))
    return words, pairs


def _latin(normalised: str, chinese: bool) -> list[str]:
    """The Latin-script features: words, their four-letter pieces (:func:`_grams`) and word pairs."""
    words, pairs = _words_and_pairs(normalised, chinese)
    return words + list(itertools.chain.from_iterable(map(_grams, words))) + pairs


def features(normalised: str) -> list[str]:
    """The features of normalised text, with repeats.

    Latin-script words, each pair of adjacent words and each word's four-letter pieces
    (:func:`_grams`); Chinese characters and each pair of adjacent ones. A run of Chinese
    characters breaks a pair of words, and anything not Chinese breaks a pair of characters.
    This is what the training script gives scikit-learn; :func:`probability` counts the same
    Chinese features as integers instead (:func:`_scored_tokens`), which is how it stays fast.
    """
    chinese = _HAN.search(normalised) is not None
    out = _latin(normalised, chinese)
    if chinese:
        out += _HAN.findall(normalised)
        out += _HAN_PAIR.findall(normalised)
    return out


def _is_han(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    return ((codes >= 0x3400) & (codes <= 0x4DBF)) | ((codes >= 0x4E00) & (codes <= 0x9FFF))


# What the scorer's tokeniser makes of each byte (a Latin-only share's UTF-8) or code point below
# U+A000 (a share with Chinese): a word character stays itself, a Chinese character becomes \x01
# (a token that breaks a pair of words), anything else a space. Every word character is ASCII, so
# each byte of a character outside ASCII is a space, as that character is to _WORD.
_WORD_CHARACTERS = b"abcdefghijklmnopqrstuvwxyz0123456789'"
_WORD_BYTES = bytes(c if c in _WORD_CHARACTERS else 32 for c in range(256))
_KIND_END = 0xA000  # every code point from here on is a space


def _kind_table() -> npt.NDArray[np.uint8]:
    table = np.full(_KIND_END + 1, 32, dtype=np.uint8)
    table[list(_WORD_CHARACTERS)] = list(_WORD_CHARACTERS)
    table[_is_han(np.arange(_KIND_END + 1, dtype=np.uint32))] = 1
    return table


_KINDS = _kind_table()
_BREAK = "\x01"


def _scored_tokens(normalised: str, chinese: bool) -> tuple[list[str], list[str], npt.NDArray[np.uint32]]:
    """The words, the tokens pairs are made from, and the Chinese features as keys, as the scorer counts them.

    The same words as :func:`_words_and_pairs`, found by a byte translation instead of a regular
    expression (a quarter of the time). With Chinese, each run of Chinese characters is one break
    token among the words: a pair with one in it is no feature, as a run breaks a pair of words.

    The Chinese features of :func:`features` come as integers, with repeats: a character is its
    code point; a pair of adjacent characters is the first code point times 65,536 plus the
    second. Every Chinese character kindred reads is below 65,536, so the two kinds never collide.
    About 3,300 features in 2,000 characters take some 30 µs this way, where building them as
    strings took about 0.4 ms. A unit test compares all three with :func:`features` on generated text.
    """
    if not chinese:
        words = normalised.encode("utf-8", "replace").translate(_WORD_BYTES).decode("ascii").split()
        return words, words, np.empty(0, dtype=np.uint32)
    codes = np.frombuffer(normalised.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kinds = _KINDS[np.minimum(codes, _KIND_END)]
    han = kinds == 1
    inside = han[1:] & han[:-1]
    kinds[1:][inside] = 32  # one break a run: the rest of the run reads as spaces
    tokens = kinds.tobytes().decode("ascii").replace(_BREAK, f" {_BREAK} ").split()
    pairs = (codes[:-1] << 16) | codes[1:]  # wraps for code points above 65,535: never Chinese
    return list(filter(_BREAK.__ne__, tokens)), tokens, np.concatenate((codes[han], pairs[inside]))


def _han_key(feature: str) -> int | None:
    """The key :func:`_scored_tokens` gives a Chinese feature string (a character or a pair), else None."""
    codes = [ord(c) for c in feature]
    if not 1 <= len(codes) <= 2 or not all(_HAN.fullmatch(c) for c in feature):
        return None
    return codes[0] if len(codes) == 1 else (codes[0] << 16) | codes[1]


@dataclass(frozen=True)
class Model:
    """The weights: Latin features by string, Chinese ones by key (sorted), intercept, threshold.

    For a Latin feature: its IDF, coefficient, IDF squared and IDF x coefficient (the last two
    also in a dict of their own, which a sum over the features seen once reads in C). For the
    Chinese features: their keys (:func:`_scored_tokens`), IDFs and coefficients as arrays.
    """

    vocabulary: dict[str, tuple[float, float, float, float]]
    idf_squared: dict[str, float]
    idf_coef: dict[str, float]
    han_keys: npt.NDArray[np.uint32]
    han_idf: npt.NDArray[np.float64]
    han_coef: npt.NDArray[np.float64]
    intercept: float
    threshold: float


_LOADING = threading.Lock()


def model() -> Model:
    """The weights, loaded once: ``warm_up``'s thread and a first share may both ask at once."""
    with _LOADING:
        return _load()


@functools.cache
def _load() -> Model:
    """Read the weights file (87,577 features: a second or two on a slow host)."""
    raw = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    vocabulary: dict[str, tuple[float, float, float, float]] = {}
    han: list[tuple[int, float, float]] = []
    for feature, (idf, coef) in raw["vocabulary"].items():
        key = _han_key(feature)
        if key is None:
            vocabulary[feature] = (float(idf), float(coef), float(idf) ** 2, float(idf) * float(coef))
        else:
            han.append((key, float(idf), float(coef)))
    han.sort()
    return Model(
        vocabulary,
        {feature: v[2] for feature, v in vocabulary.items()},
        {feature: v[3] for feature, v in vocabulary.items()},
        np.array([k for k, _, _ in han], dtype=np.uint32),
        np.array([i for _, i, _ in han], dtype=np.float64),
        np.array([c for _, _, c in han], dtype=np.float64),
        float(raw["intercept"]),
        float(raw["threshold"]),
    )


@functools.lru_cache(maxsize=16384)
def _known_pieces(word: str) -> tuple[str, ...]:
    """The word and its four-letter pieces that the model knows, with repeats (most pieces it does not)."""
    vocabulary = model().vocabulary
    return tuple(f for f in (word, *_grams(word)) if f in vocabulary)


def _han_sums(weights: Model, han: npt.NDArray[np.uint32]) -> tuple[float, float]:
    """The Chinese features' share (``han``: their keys, with repeats) of the squared norm and dot product."""
    keys, counts = np.unique(han, return_counts=True)
    known = weights.han_keys
    if not len(known) or not len(keys):
        return 0.0, 0.0
    at = np.searchsorted(known, keys).clip(0, len(known) - 1)
    found = known[at] == keys
    at = at[found]
    values = (1.0 + np.log(counts[found])) * weights.han_idf[at]
    return float(values @ values), float(values @ weights.han_coef[at])


def probability(normalised: str) -> float:
    """The model's probability that the share is a crisis post.

    Exactly scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (L2-normalised over the known
    features) followed by ``LogisticRegression.predict_proba``.
    """
    weights = model()
    vocabulary = weights.vocabulary
    chinese = _HAN.search(normalised) is not None
    words, tokens, han = _scored_tokens(normalised, chinese)
    # A pair with a \x01 in it is never a feature: the vocabulary has none, so it is left out here.
    counts = dict(Counter(filter(vocabulary.__contains__, map(" ".join, itertools.pairwise(tokens)))))
    seen = counts.get  # a plain dict: Counter's own += calls __missing__ in Python for each new piece
    for word, times in Counter(words).items():  # a word's known pieces, looked up once a word
        for feature in _known_pieces(word):
            counts[feature] = seen(feature, 0) + times
    square, dot = _han_sums(weights, han) if chinese else (0.0, 0.0)
    by_count: dict[int, list[str]] = {}  # features seen as often share their term frequency
    for feature, count in counts.items():
        by_count.setdefault(count, []).append(feature)
    for count, group in by_count.items():  # summed in C within a group
        tf = 1.0 + math.log(count)
        square += tf * tf * sum(map(weights.idf_squared.__getitem__, group))
        dot += tf * sum(map(weights.idf_coef.__getitem__, group))
    z = weights.intercept + (dot / math.sqrt(square) if square else 0.0)
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def flags(normalised: str) -> bool:
    """Whether the model alone would hold the share."""
    return probability(normalised) >= model().threshold
