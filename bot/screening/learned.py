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
generated, nothing learned at run time. Scoring counts the share's features as numbers, not as
strings: in one compiled pass (``_wordscore.c``, built by ``setup.py`` where a C compiler is),
else in numpy (:class:`Model`); tests compare the two. :func:`features` is the featurisation the training
script uses; the scorer's faster tokens (:func:`_scored_tokens`) and its counts are tested
against it on generated text, and a unit test retrains the model and compares the scorer with
scikit-learn's own probabilities.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

try:  # the optional compiled scorer (setup.py); without it the same sums are counted in numpy
    from bot.screening._wordscore import Scorer
except ImportError:  # pragma: no cover - a host that built kindred without a C compiler
    Scorer = None  # type: ignore[assignment,misc]

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
    """The weights, laid out for counting features as integers (numpy), not as strings.

    Every feature has a number (its position in ``idf`` and ``coef``). Each word the model knows
    has an id; ``pieces`` lists, for each word id, the numbers of that word and of its four-letter
    pieces the model knows (the word's slice is ``pieces[starts[id]:starts[id + 1]]``). A known
    pair of words is ``first id * len(word_ids) + second id`` in ``pair_keys`` (sorted), its
    feature number at the same place in ``pair_features``; a Chinese feature is its key
    (:func:`_scored_tokens`) in ``han_keys`` (sorted), its number in ``han_features``. Every word of
    a known pair is itself a known word (the vectoriser's ``min_df`` keeps it; :func:`_load` checks).
    ``gram_of`` numbers the four-letter pieces, for the words the model does not know.
    ``scorer`` holds the same tables in C (:func:`_compiled`), or is None where it was not built.
    """

    gram_of: dict[str, int]
    word_ids: dict[str, int]
    starts: npt.NDArray[np.int64]
    pieces: npt.NDArray[np.int64]
    pair_keys: npt.NDArray[np.int64]
    pair_features: npt.NDArray[np.int64]
    han_keys: npt.NDArray[np.int64]
    han_features: npt.NDArray[np.int64]
    idf: npt.NDArray[np.float64]
    coef: npt.NDArray[np.float64]
    intercept: float
    threshold: float
    scorer: Scorer | None  # the same sums in one compiled pass (_wordscore.c), when it was built


_LOADING = threading.Lock()


def model() -> Model:
    """The weights, loaded once: ``warm_up``'s thread and a first share may both ask at once."""
    with _LOADING:
        return _load()


def _sorted_keys(keyed: list[tuple[int, int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    keyed.sort()
    return np.array([k for k, _ in keyed], dtype=np.int64), np.array([f for _, f in keyed], dtype=np.int64)


@functools.cache
def _load() -> Model:
    """Read the weights file (87,577 features: a second or two on a slow host) and lay it out."""
    raw = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    feature_of = {feature: number for number, feature in enumerate(raw["vocabulary"])}
    values = np.array(list(raw["vocabulary"].values()), dtype=np.float64).reshape(-1, 2)
    words = [f for f in feature_of if not f.startswith("#") and " " not in f and _han_key(f) is None]
    word_ids = {word: i for i, word in enumerate(words)}
    starts = [0]
    pieces: list[int] = []
    for word in words:
        pieces += _known(feature_of, word)
        starts.append(len(pieces))
    pairs: list[tuple[int, int]] = []
    han: list[tuple[int, int]] = []
    for feature, number in feature_of.items():
        if (key := _han_key(feature)) is not None:
            han.append((key, number))
        elif " " in feature and not feature.startswith("#"):
            first, second = feature.split(" ")
            if first not in word_ids or second not in word_ids:
                raise ValueError(f"a pair of words the model does not know: {feature!r}")
            pairs.append((word_ids[first] * len(word_ids) + word_ids[second], number))
    pair_keys, pair_features = _sorted_keys(pairs)
    han_keys, han_features = _sorted_keys(han)
    gram_of = {f: n for f, n in feature_of.items() if f.startswith("#")}
    idf, coef = np.ascontiguousarray(values[:, 0]), np.ascontiguousarray(values[:, 1])
    tables = (
        gram_of,
        word_ids,
        np.array(starts, dtype=np.int64),
        np.array(pieces, dtype=np.int64),
        pair_keys,
        pair_features,
        han_keys,
        han_features,
        idf,
        coef,
    )
    return Model(*tables, float(raw["intercept"]), float(raw["threshold"]), _compiled(*tables))


def _compiled(
    gram_of: dict[str, int],
    word_ids: dict[str, int],
    *arrays: npt.NDArray[np.int64] | npt.NDArray[np.float64],
) -> Scorer | None:
    """The tables for the compiled scorer: 32-bit feature numbers, each piece as four bytes in one integer.

    A piece the scorer cannot hold as four bytes (one with a character outside ASCII) is left out:
    it can never match, since every word is ASCII (``_WORD``) and its padding a space.
    """
    if Scorer is None:
        return None
    starts, pieces, pair_keys, pair_features, han_keys, han_features, idf, coef = arrays
    grams = sorted(
        (int.from_bytes(f[1:].encode("ascii"), "little"), n)
        for f, n in gram_of.items()
        if len(f) == 5 and f.isascii()
    )
    as32 = functools.partial(np.asarray, dtype="<i4")
    return Scorer(
        list(word_ids),  # in id order: a dict keeps its insertion order
        as32(starts).tobytes(),
        as32(pieces).tobytes(),
        np.asarray(pair_keys, dtype="<i8").tobytes(),
        as32(pair_features).tobytes(),
        np.array([k for k, _ in grams], dtype="<u4").tobytes(),
        np.array([n for _, n in grams], dtype="<i4").tobytes(),
        np.asarray(han_keys, dtype="<i8").tobytes(),
        as32(han_features).tobytes(),
        np.asarray(idf, dtype="<f8").tobytes(),
        np.asarray(coef, dtype="<f8").tobytes(),
    )


def _known(feature_of: dict[str, int], word: str) -> list[int]:
    """The numbers of the word and of its four-letter pieces that the model knows, with repeats."""
    return [number for f in (word, *_grams(word)) if (number := feature_of.get(f)) is not None]


@functools.lru_cache(maxsize=16384)
def _unknown_word_pieces(word: str) -> tuple[int, ...]:
    """For a word the model does not know: its pieces the model knows ("unaliving": "#unal", ...)."""
    return tuple(_known(model().gram_of, word))


_EMPTY = np.empty(0, dtype=np.int64)


def _latin_sums(weights: Model, tokens: list[str]) -> tuple[float, float]:
    """The Latin features' share of the squared norm and dot product (words, pieces, pairs).

    Counted as feature numbers in numpy (:class:`Model`): a known word brings its slice of
    ``pieces``, a pair of known words its key; only words the model does not know are looked at
    one by one (their pieces, cached).
    """
    lookup = map(weights.word_ids.get, tokens, itertools.repeat(-1))
    ids = np.fromiter(lookup, dtype=np.int64, count=len(tokens))
    unknown: list[int] = []
    for i in np.flatnonzero(ids < 0).tolist():
        if tokens[i] != _BREAK:
            unknown += _unknown_word_pieces(tokens[i])
    known = ids[ids >= 0]
    if not len(known) and not unknown:
        return 0.0, 0.0
    starts = weights.starts[known]
    lengths = weights.starts[known + 1] - starts
    # Each known word's slice of ``pieces``, all at once: each slice's start, then steps of one.
    at = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))
    both = (ids[:-1] >= 0) & (ids[1:] >= 0)  # a break token or an unknown word makes no known pair
    pair_keys = ids[:-1][both] * len(weights.word_ids) + ids[1:][both]
    if len(pair_keys):
        found = np.searchsorted(weights.pair_keys, pair_keys).clip(0, len(weights.pair_keys) - 1)
        pairs = weights.pair_features[found[weights.pair_keys[found] == pair_keys]]
    else:
        pairs = _EMPTY
    numbers, counts = np.unique(
        np.concatenate((weights.pieces[at], pairs, np.array(unknown, dtype=np.int64))), return_counts=True
    )
    values = (1.0 + np.log(counts)) * weights.idf[numbers]
    return float(values @ values), float(values @ weights.coef[numbers])


def _han_sums(weights: Model, han: npt.NDArray[np.uint32]) -> tuple[float, float]:
    """The Chinese features' share (``han``: their keys, with repeats) of the squared norm and dot product."""
    keys, counts = np.unique(han, return_counts=True)
    known = weights.han_keys
    if not len(known) or not len(keys):
        return 0.0, 0.0
    at = np.searchsorted(known, keys).clip(0, len(known) - 1)
    found = known[at] == keys
    numbers = weights.han_features[at[found]]
    values = (1.0 + np.log(counts[found])) * weights.idf[numbers]
    return float(values @ values), float(values @ weights.coef[numbers])


def _sums(weights: Model, normalised: str) -> tuple[float, float]:
    """The squared norm and dot product of the share's features, counted in numpy (no compiled scorer)."""
    chinese = _HAN.search(normalised) is not None
    _, tokens, han = _scored_tokens(normalised, chinese)
    square, dot = _latin_sums(weights, tokens) if tokens else (0.0, 0.0)
    if chinese:
        han_square, han_dot = _han_sums(weights, han)
        square, dot = square + han_square, dot + han_dot
    return square, dot


def probability(normalised: str, *, compiled: bool = True) -> float:
    """The model's probability that the share is a crisis post.

    Exactly scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (L2-normalised over the known
    features) followed by ``LogisticRegression.predict_proba``. No feature is in both sums.
    The compiled scorer counts them where it was built; ``compiled=False`` counts them in numpy
    all the same (tests compare the two ways).
    """
    weights = model()
    scorer = weights.scorer if compiled else None
    square, dot = scorer.sums(normalised) if scorer is not None else _sums(weights, normalised)
    z = weights.intercept + (dot / math.sqrt(square) if square else 0.0)
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def flags(normalised: str) -> bool:
    """Whether the model alone would hold the share."""
    return probability(normalised) >= model().threshold
