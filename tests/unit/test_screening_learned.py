"""The word model (bot/screening/learned.py): exact, reproducible, trained honestly, asked last.

screen() runs the rules, then the model where no rule fired (engine.screen's docstring says on
what test it was switched on).
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import itertools
import json
import math
import os
import shutil
import sys
import sysconfig
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import bot.screening as screening_package
from bot.screening import Screening, explain, learned, screen, screen_aside
from bot.screening.engine import (
    LEARNED,
    RULES,
    _relaxed,
    _without_lookarounds,
    model_holds,
    model_text,
    screen_rules,
    too_short_for_model,
)
from bot.screening.learned import (
    _BREAK,
    WEIGHTS,
    _han_key,
    _scored_tokens,
    _words_and_pairs,
    features,
    model,
    probability,
)
from bot.screening.learned import flags as learned_flags
from bot.screening.model import WARNING_SIGNS
from bot.screening.normalise import normalise

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


training = _script("train_screening_model")  # needs scikit-learn only when it trains
eval_screening = sys.modules["eval_screening"]  # the script's own import of it

# A tuning-set phrasing that no rule names and the model holds (the plumbing, not a figure).
ONLY_THE_MODEL = "Soon I'll be with Grandad again. That's a comfort, honestly."


@pytest.fixture(scope="module")
def retrained() -> tuple[list[str], Any, Any]:
    """The training texts and a model fitted anew with the stored C (one fit, about 5 s)."""
    items = training.training_items()
    texts = [model_text(i.text) for i in items]
    vectoriser, classifier = training.fit(
        texts, [i.crisis for i in items], json.loads(WEIGHTS.read_text())["C"]
    )
    return texts, vectoriser, classifier


def test_the_stored_weights_are_what_the_training_data_gives(retrained: tuple[list[str], Any, Any]) -> None:
    _, vectoriser, classifier = retrained
    stored = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert stored["trained_on"] == training.training_files(), "training data changed: run the script"
    fresh = training.weights(vectoriser, classifier, stored["C"], stored["threshold"])
    assert fresh["vocabulary"].keys() == stored["vocabulary"].keys()
    for feature, (idf, coef) in stored["vocabulary"].items():
        assert fresh["vocabulary"][feature] == pytest.approx([idf, coef], rel=1e-6, abs=1e-6), feature
    assert fresh["intercept"] == pytest.approx(stored["intercept"], abs=1e-6)


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "numpy"])
def test_the_pure_python_scorer_is_scikit_learns_own(
    retrained: tuple[list[str], Any, Any], compiled: bool
) -> None:
    texts, vectoriser, classifier = retrained
    expected = classifier.predict_proba(vectoriser.transform(texts))[:, 1]
    found = [probability(t, compiled=compiled) for t in texts]
    assert max(abs(f - p) for f, p in zip(found, expected, strict=True)) < 1e-6


def test_the_compiled_scorer_is_built_wherever_a_c_compiler_is() -> None:
    """setup.py builds it optionally; here (and in CI) a compiler is present, so it must be in use."""
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}): the numpy scorer alone is in use")
    assert model().scorer is not None, "bot/screening/_wordscore.c is not built: pip install -e . again"


def test_the_compiled_scorer_refuses_tables_that_do_not_agree() -> None:
    if model().scorer is None:
        pytest.skip("the compiled scorer is not built")
    from bot.screening._wordscore import Scorer

    def tables(**changes: object) -> dict[str, Any]:
        base: dict[str, Any] = {
            "words": ["a", "b"],
            "starts": np.array([0, 1, 2], "<i4").tobytes(),
            "pieces": np.array([0, 1], "<i4").tobytes(),
            "pair_keys": np.array([1], "<i8").tobytes(),
            "pair_features": np.array([2], "<i4").tobytes(),
            "gram_keys": np.array([], "<u4").tobytes(),
            "gram_features": np.array([], "<i4").tobytes(),
            "han_keys": np.array([0x4E00], "<i8").tobytes(),
            "han_features": np.array([2], "<i4").tobytes(),
            "idf": np.ones(3, "<f8").tobytes(),
            "coef": np.ones(3, "<f8").tobytes(),
        }
        return base | changes

    good = Scorer(**tables())
    assert good.sums("a b") == pytest.approx((3.0, 3.0))  # a, b and the pair "a b", once each
    # 一 twice (its pair is unknown), and "zz", a word with no known pieces
    assert good.sums("一一 zz") == pytest.approx(((1 + math.log(2)) ** 2, 1 + math.log(2)))
    assert good.sums("a 一 b") == pytest.approx((3.0, 3.0))  # no pair across a Chinese run
    assert good.sums("") == (0.0, 0.0)
    for broken in (
        {"words": ["a", "a"]},  # a word twice
        {"starts": np.array([0, 2, 1], "<i4").tobytes()},  # not increasing
        {"starts": np.array([0, 1], "<i4").tobytes()},  # one word too few
        {"pieces": np.array([0, 3], "<i4").tobytes()},  # no such feature
        {"pair_keys": np.array([1, 1], "<i8").tobytes(), "pair_features": np.array([2, 2], "<i4").tobytes()},
        {"pair_features": np.array([2, 2], "<i4").tobytes()},  # more features than keys
        {"han_keys": np.array([-5], "<i8").tobytes()},
        {"coef": np.ones(2, "<f8").tobytes()},
        {"idf": b"\0\0\0"},  # not a whole number of doubles
    ):
        with pytest.raises(ValueError):
            Scorer(**tables(**broken))
    with pytest.raises(TypeError):
        good.sums(b"a b")  # type: ignore[arg-type]


def held_back_texts() -> set[str]:
    found = {
        i.text
        for part in eval_screening.HELD_BACK - {"existing"}
        for i in eval_screening.load(eval_screening.FILES[part])
    }
    holdout = yaml.safe_load(training.EXISTING.read_text(encoding="utf-8"))["holdout"]
    return found | set(holdout["crisis_holdout"]) | set(holdout["not_crisis_holdout"])


def test_no_held_back_phrasing_is_trained_on() -> None:
    trained = {i.text for i in training.training_items()}
    assert len(trained) > 3000
    assert trained.isdisjoint(held_back_texts())
    held_files = {
        str(eval_screening.FILES[p].relative_to(ROOT)) for p in eval_screening.HELD_BACK - {"existing"}
    }
    assert held_files.isdisjoint(json.loads(WEIGHTS.read_text(encoding="utf-8"))["trained_on"])


def test_the_model_holds_what_no_rule_names_and_speaks_only_when_no_rule_fired() -> None:
    assert not screen_rules(ONLY_THE_MODEL).flagged  # no rule names it
    assert learned_flags(model_text(ONLY_THE_MODEL))
    assert screen(ONLY_THE_MODEL) == Screening(flagged=True, categories=(WARNING_SIGNS,))
    assert explain(ONLY_THE_MODEL) == (LEARNED,)
    ruled = "I want to kill myself"
    assert screen(ruled) == screen_rules(ruled) and screen(ruled).flagged
    assert LEARNED not in explain(ruled)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ok",
        "🙂",
        "Our paper got in! Drinks on Friday?",
        "组会改到周四下午三点，记得带上实验结果。",
        "The reviewers want another ablation on the long-context benchmark. " * 30,
        "今天组会讨论了新的数据集，导师让我们下周前把实验跑完。" * 40,
    ],
)
def test_ordinary_shares_and_empty_ones_are_not_held(text: str) -> None:
    assert probability(normalise(text)) < model().threshold
    assert not screen(text).flagged


def test_features_are_words_pairs_pieces_and_chinese_characters_and_pairs() -> None:
    assert Counter(features("i can't go, 不想活 ok ok")) == Counter(
        [
            "i",
            "can't",
            "go",
            "i can't",
            "can't go",  # punctuation does not break a pair of words; a Chinese run does
            *("# can", "#can'", "#an't", "#n't "),  # " can't " in four-letter pieces ("i" has none)
            "# go ",
            "不",
            "想",
            "活",
            "不想",
            "想活",
            "ok",
            "ok",
            "ok ok",
            "# ok ",
            "# ok ",
        ]
    )
    assert features("") == [] and features("。,!") == []
    assert Counter(features("中文。中文")) == Counter(["中", "文", "中文"] * 2)  # no pair across 。
    latin = Counter(features("ok, ok go"))  # no Chinese at all: the same pairs by the short path
    assert latin == Counter(["ok", "ok", "go", "ok ok", "ok go", "# ok ", "# ok ", "# go "])


# Word characters, separators, Chinese characters at both ends of both ranges and just outside
# them, Chinese punctuation, fullwidth forms, accented letters and emoji.
_MIXED = st.text(
    st.sampled_from(
        [
            *"abz09' .,!-\n\t?",
            *"\u33ff\u3400\u4dbf\u4dc0\u4dff\u4e00\u9fff\ua000",
            *"不想活中文。，！",
            "é",
            "ß",
            "\uff41",
            "🙂",
        ]
    ),
    max_size=60,
)


@given(_MIXED)
def test_the_scorers_tokens_are_the_features_words_pairs_and_chinese_keys(text: str) -> None:
    chinese = any(_han_key(c) is not None for c in text)
    words, pairs = _words_and_pairs(text, chinese)
    scored_words, tokens, han = _scored_tokens(text, chinese)
    assert scored_words == words
    assert [" ".join(p) for p in itertools.pairwise(tokens) if _BREAK not in p] == pairs
    expected = sorted(k for f in features(text) if (k := _han_key(f)) is not None)
    assert sorted(int(k) for k in han) == expected


# Words the model knows, pairs of them it knows, words it does not ("zqxv", a typo with known
# pieces), Chinese characters and separators: the scorer's numbered counts against the strings.
_SHARE_WORDS = st.lists(
    st.sampled_from(
        [
            *["i", "want", "to", "sleep", "and", "not", "wake", "up"],
            *["thanks", "everyone", "for", "the", "help"],
            "zqxv",
            "unaliving",
            "tomorow",
            "可能",
            "不想活",
            "谢谢大家",
            ",",
            "。",
            "\n",
            "🙂",
        ]
    ),
    max_size=80,
)


@functools.cache
def _stored() -> dict[str, Any]:
    stored: dict[str, Any] = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return stored


@settings(deadline=None)  # the first example loads the weights
@given(_SHARE_WORDS)
def test_the_scorer_counts_what_features_lists(words: list[str]) -> None:
    text = " ".join(words)
    stored = _stored()
    counts = Counter(f for f in features(text) if f in stored["vocabulary"])
    square = dot = 0.0
    for feature, count in counts.items():
        idf, coef = stored["vocabulary"][feature]
        value = (1 + math.log(count)) * idf
        square += value * value
        dot += value * coef
    z = stored["intercept"] + (dot / math.sqrt(square) if square else 0.0)
    assert probability(text) == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-12)
    assert probability(text, compiled=False) == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-12)


# Any text at all: every kind of character the normaliser can leave (and some it never does: upper
# case, lone surrogates, characters beyond the Basic Multilingual Plane, Chinese of every block).
_ANY_TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            [*"abcdefghijklmnopqrstuvwxyz0123456789' .,\n", "kill", "sleep", "不", "想", "活", "谢"]
        ),
        st.characters(min_codepoint=0x3300, max_codepoint=0xA100),
        st.characters(),  # anything printable or not, astral planes included
        st.characters(categories=["Cs"]),  # lone surrogates
    ),
    max_size=120,
).map("".join)


@settings(deadline=None)
@given(_ANY_TEXT)
def test_the_compiled_scorer_counts_what_numpy_counts(text: str) -> None:
    weights = model()
    if weights.scorer is None:
        pytest.skip("the compiled scorer is not built")
    square, dot = learned._sums(weights, text)
    assert weights.scorer.sums(text) == pytest.approx((square, dot), rel=1e-12, abs=1e-12)


def test_every_known_pair_is_made_of_known_words() -> None:
    weights = model()
    pairs = [f for f in _stored()["vocabulary"] if " " in f and not f.startswith("#")]
    assert pairs and all(w in weights.word_ids for pair in pairs for w in pair.split(" "))
    assert len(weights.pair_keys) == len(pairs)


@given(st.text(st.sampled_from([*"ab \n\t.", *"不想活", "\u3000"]), max_size=40))
def test_too_short_for_model_counts_words_and_half_chinese_characters(text: str) -> None:
    han = sum(1 for c in text if _han_key(c) is not None)
    words = "".join(" " if _han_key(c) is not None else c for c in text).split()
    assert too_short_for_model(text) == (len(words) + han / 2 < 7)


def test_the_model_abstains_on_six_words_or_about_twelve_chinese_characters() -> None:
    for short in (
        "kys",
        "ending it",
        "不想活了",
        "想死 lol",
        "sorry, I was just testing",
        "没事没事，发错群了",
    ):
        assert too_short_for_model(normalise(short)), short
    for enough in (
        "ok so this is it for me",
        "最近一直在查多少片安眠药才够。",
        "手腕上的疤又多了几道，夏天都不敢穿短袖",
        "想结束 all of it, 真的不想再撑了",
    ):
        assert not too_short_for_model(normalise(enough)), enough


def test_the_threshold_and_c_were_chosen_by_the_scripts_rule() -> None:
    stored = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert stored["C"] in training.CS and stored["threshold"] in training.THRESHOLDS
    assert model().threshold == stored["threshold"]


def test_the_model_never_rereads_what_the_rules_cleared() -> None:
    # A negation the rules recognised, then a warning sign in words no rule lists: the model
    # reads only the second sentence.
    text = "I don't want to die. " + ONLY_THE_MODEL
    read = model_text(text)
    assert "want to die" not in read and "with grandad again" in read
    assert not screen_rules(text).flagged
    assert screen(text).flagged  # what remains still speaks
    for cleared in (
        "I don't want to die",  # negated (tier-1 rule)
        "I'm not suicidal, just tired",  # negated (topic word)
        "I want to take my life back from work",  # an idiom the rule excludes by a lookahead
        "I'm tired of living paycheck to paycheck",  # the rule wants the clause to end
        "我不想活得这么累了，想换个工作",  # 活得: "live so", not "live"
    ):
        assert model_text(cleared).strip() == "", cleared
        assert not screen(cleared).flagged, cleared


def test_the_model_never_speaks_on_a_share_too_short_for_context() -> None:
    assert not screen("kys").flagged  # abuse aimed at someone else, not a crisis
    assert not model_holds("ending it")  # a project? a relationship?
    assert model_holds(normalise(ONLY_THE_MODEL))


def test_lookarounds_come_out_whole_even_nested_and_beside_classes() -> None:
    assert _without_lookarounds(r"a(?!b(?!c)|[)(])x(?<!y)z[(?!]\(?=") == r"axz[(?!]\(?="
    assert _without_lookarounds(r"die(?= ?(?:now|$))|live(?<=i live)") == r"die|live"
    for rule in RULES:  # every rule's relaxed form compiles and matches wherever the rule does
        relaxed = _relaxed(rule)
        if relaxed is not None:
            for text in ("i want to die", "我不想活了", "kms", "i am done with it all"):
                assert not rule.pattern.search(text) or relaxed.search(text), rule.rule_id


def test_discord_mentions_are_not_words_anyone_wrote() -> None:
    # A reply that mentions people is as long as its words: "same here, it gets better" is five,
    # too few for the model, however many mentions stand before it.
    text = "<@123456789012345678> <@!45> <@&67> <#89> @everyone @here same here, it gets better"
    assert model_text(text).split() == ["same", "here,", "it", "gets", "better"]
    assert too_short_for_model(model_text(text)) and not screen(text).flagged
    assert screen("<@123456789012345678> I want to kill myself").flagged
    assert screen("@here I want to kill myself") == screen("I want to kill myself")


def test_the_pooled_part_is_every_held_back_third_and_its_misses_are_not_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    thirds = [p for p in eval_screening.FILES if p in eval_screening.HELD_BACK and p.endswith("heldback")]
    assert len(thirds) >= 14 and not any(p.endswith("_test") for p in thirds)
    pooled = eval_screening.items_of(eval_screening.POOLED)
    assert len(pooled) == sum(len(eval_screening.load(eval_screening.FILES[p])) for p in thirds)
    monkeypatch.setattr(sys, "argv", ["eval_screening.py", eval_screening.POOLED, "--misses"])
    with pytest.raises(SystemExit, match="refused"):
        eval_screening.main()


def test_the_weights_are_read_once_when_two_threads_ask_at_the_same_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """warm_up's thread and the first share's screen may both ask for the model before it is loaded."""
    reads: list[str] = []

    class SlowWeights:
        def read_text(self, encoding: str) -> str:
            reads.append(threading.current_thread().name)
            time.sleep(0.3)  # both threads are waiting on the file now
            return WEIGHTS.read_text(encoding=encoding)

    monkeypatch.setattr(learned, "WEIGHTS", SlowWeights())
    learned._load.cache_clear()
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda _: learned.model(), range(2))
    assert first is second and len(reads) == 1


async def test_screen_aside_answers_as_screen_does_on_the_one_screening_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[str] = []

    def watched(text: str) -> Screening:
        threads.append(threading.current_thread().name)
        return screen(text)

    monkeypatch.setattr(screening_package, "screen", watched)
    texts = ["I've written the letters and I'm giving my cat to my sister.", "The cluster is down again."]
    answers = await asyncio.gather(*(screen_aside(t) for t in texts * 3))
    assert list(answers) == [screen(t) for t in texts * 3]
    assert answers[0].flagged and not answers[1].flagged
    assert len(set(threads)) == 1 and threads[0].startswith("kindred-screening")
