"""Tests for bot.screening: labelled-set quality, regression tables, robustness."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.screening import CATEGORIES, Screening, explain, screen
from bot.screening.normalise import normalise

DATA = Path(__file__).resolve().parents[1] / "data" / "screening_set.yaml"
MIN_RECALL = 0.95
MAX_FPR = 0.05
CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def labelled() -> dict[str, list[str]]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    hold = raw["holdout"]
    return {
        "crisis": list(raw["crisis"]),
        "not_crisis": list(raw["not_crisis"]),
        "crisis_holdout": list(hold["crisis_holdout"]),
        "not_crisis_holdout": list(hold["not_crisis_holdout"]),
    }


def _figures(crisis: list[str], not_crisis: list[str]) -> tuple[float, float, list[str], list[str]]:
    missed = [s for s in crisis if not screen(s).flagged]
    false_pos = [s for s in not_crisis if screen(s).flagged]
    return 1 - len(missed) / len(crisis), len(false_pos) / len(not_crisis), missed, false_pos


def _report(name: str, crisis: list[str], not_crisis: list[str]) -> tuple[float, float, str]:
    recall, fpr, missed, false_pos = _figures(crisis, not_crisis)
    lines = [
        f"{name}: recall {recall:.3f} ({len(crisis) - len(missed)}/{len(crisis)}), "
        f"FPR {fpr:.3f} ({len(false_pos)}/{len(not_crisis)})",
        *(f"  missed crisis: {s!r}" for s in missed),
        *(f"  false positive: {s!r}" for s in false_pos),
    ]
    return recall, fpr, "\n".join(lines)


# --------------------------------------------------------------------------- data set


def test_labelled_set_has_provenance_and_sizes() -> None:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert "hand-written" in raw["provenance"].lower()
    data = labelled()
    crisis = data["crisis"] + data["crisis_holdout"]
    not_crisis = data["not_crisis"] + data["not_crisis_holdout"]
    assert len(data["crisis"]) >= 180
    assert len(data["not_crisis"]) >= 330
    assert sum(bool(CJK.search(s)) for s in data["crisis"]) >= 50
    assert sum(bool(CJK.search(s)) for s in data["not_crisis"]) >= 50
    for main, hold in (("crisis", "crisis_holdout"), ("not_crisis", "not_crisis_holdout")):
        share = len(data[hold]) / (len(data[main]) + len(data[hold]))
        assert 0.18 <= share <= 0.22, (hold, share)
    everything = crisis + not_crisis
    assert len(set(everything)) == len(everything), "duplicate items in the labelled set"
    assert all(isinstance(s, str) and s.strip() for s in everything)


# Signs of deliberate obfuscation: non-ASCII lookalikes / invisible characters,
# leetspeak inside words, Discord markdown, spaced or repeated letters, gaps
# between Chinese characters, split slang.
OBFUSCATION = re.compile(
    r"[^\x00-\x7f\u4e00-\u9fff\u3000-\u303f\uff01\uff0c\uff1f\u2014\u2019]"
    r"|[a-z][0-9@$!|][a-z0-9]|(?<![a-z0-9])[$0-9][a-z]{2}|[a-z][0-9]\b"
    r"|\|\||\*\*|__|~~|`|^>"
    r"|\b[a-z][ .\-][a-z][ .\-][a-z]\b"
    r"|([a-z])\1\1"
    r"|[\u4e00-\u9fff][ .\-\u3000][\u4e00-\u9fff]"
    r"|\bun[- ]alive|\bsui[- ]cide",
    re.IGNORECASE | re.MULTILINE,
)


def test_labelled_set_has_obfuscated_variants() -> None:
    assert sum(bool(OBFUSCATION.search(s)) for s in labelled()["crisis"]) >= 40


# --------------------------------------------------------------------------- metrics


def test_recall_and_false_positive_rate_on_full_set() -> None:
    data = labelled()
    crisis = data["crisis"] + data["crisis_holdout"]
    not_crisis = data["not_crisis"] + data["not_crisis_holdout"]
    recall, fpr, full = _report("full set", crisis, not_crisis)
    _, _, hold = _report("holdout only", data["crisis_holdout"], data["not_crisis_holdout"])
    print(full, hold, sep="\n")  # shown with -rP; the holdout figure is reported, not tuned
    assert recall >= MIN_RECALL and fpr <= MAX_FPR, f"{full}\n{hold}"


# --------------------------------------------------------------------------- regression tables

MUST_FLAG = [
    # first-person intent / desire
    "I want to die",
    "I've been thinking about killing myself",
    "I don't want to be alive anymore",
    "I don't want to live",
    "I'm going to end my life",
    "nobody would miss me",
    "I have the pills ready",
    "this is goodbye, thank you all",
    "I've written my note",
    "I want to end it all",
    "I don't want to be here anymore",
    "everyone would be better off without me",
    "I don't want to wake up",
    "sewerslide is on my mind again",
    "i want to unalive myself",
    "honestly kms",
    "I'm suicidal",
    "I cut myself again last night",
    # obfuscation
    "I want to k i l l  m y s e l f",
    "s.u.i.c.i.d.e is all I think about",
    "I want to un-alive myself",
    "I want to diiiie",
    "I'm going to killlll myself",
    "I want to k1ll myself",
    "su1c1de thoughts every night",
    "thinking about $uicide",
    "5uicide is on my mind",
    "I want to d!e",
    "I want to ｋｉｌｌ ｍｙｓｅｌｆ",
    "I wаnt to diе",  # Cyrillic а and е
    "I want to k\u200bill my\u200dself",
    "\u202eI want to die\u202c",
    "||I want to die||",
    "**I want to kill myself**",
    "> I don't want to live anymore",
    "`i want to die`",
    "~~i want to die~~",
    "__nobody would miss me__",
    # Chinese, Simplified and Traditional, with inserted gaps
    "我想自杀",
    "我想自殺",
    "我想死",
    "我不想活了",
    "活不下去了",
    "最近总有轻生的念头",
    "我有輕生的念頭",
    "我想结束生命",
    "我想結束生命",
    "我想跳楼",
    "我想跳樓",
    "我昨晚又割腕了",
    "我又开始自残了",
    "我又自殘了",
    "遗书已经写好了",
    "遺書已經寫好了",
    "死了就解脱了",
    "我想离开这个世界",
    "好想 死",
    "我想自.杀",
    "不 想 活 了",
]

MUST_NOT_FLAG = [
    "kill the process",
    "kill -9 the job",
    "the run died",
    "my loss exploded",
    "attack surface",
    "adversarial attack",
    "this bug is killing me",
    "I'm dead tired",
    "dying to see the results",
    "the GPU died",
    "reviewer 2 murdered our paper",
    "I could kill for a working baseline",
    "deadline is killing me",
    "suicide squad",
    "papers on suicide prevention classifiers",
    "our model detects self-harm content",
    "我要杀掉这个进程",
    "训练跑死了",
    "进程挂了",
    "累死了",
    "笑死我了",
    "气死我了",
    "忙死了",
    "死锁",
    "杀手级应用",
    "I feel burnt out",
    "I'm so anxious about the job market",
    "I cried after the rejection",
    # negation
    "I don't want to die",
    "I'm not suicidal, just tired",
    "I would never kill myself, don't worry",
    "我不想死",
    # idioms and near misses found while developing
    "I shot myself in the foot with that config",
    "I cut myself some slack this week",
    "I've been killing myself trying to finish the camera-ready",
    "I want to kill my self-attention heads",
    "I'm at the end of my rope with this reviewer",
    "I'm tired of living paycheck to paycheck",
    "I don't want to wake up early tomorrow",
    "I can't go on vacation this year",
    "I've written my notes on the paper",
    "goodbye everyone, my last day is Friday!",
    "no one would notice if I skipped group meeting",
    "the project would be better off without that dependency",
    "the daemon keeps killing itself",
    "the model keeps saying it wants to die when we jailbreak it",
    "I'd rather jump off a bridge than write another rebuttal lol",
    "I want to die a little every time I see a merge conflict",
    "I want to take my life back from work",
    "想死你们了！",
    "我想死锁的原因是锁顺序",
    "这个进程怎么死了",
    "这个bug我想死的心都有了",
    "真不想活在这个加班文化里",
    "我不想活得这么累了，想换个工作",
    "解脱了，终于把论文投出去了",
    "如何帮助有自杀念头的朋友？",
    "电影《自杀小队》好看吗",
]


@pytest.mark.parametrize("text", MUST_FLAG)
def test_must_flag(text: str) -> None:
    result = screen(text)
    assert result.flagged, (text, normalise(text))
    assert result.categories


@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_must_not_flag(text: str) -> None:
    result = screen(text)
    assert not result.flagged, (text, explain(text))
    assert result.categories == ()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to die", "suicidal_ideation"),
        ("我想自杀", "suicidal_ideation"),
        ("everyone would be better off without me", "passive_ideation"),
        ("不会有人想念我的", "passive_ideation"),
        ("I cut myself again", "self_harm"),
        ("我又割腕了", "self_harm"),
        ("I have the pills ready", "means_or_plan"),
        ("我已经买好了安眠药", "means_or_plan"),
        ("I've written my note", "farewell"),
        ("大家永别了", "farewell"),
    ],
)
def test_categories(text: str, category: str) -> None:
    assert category in screen(text).categories


@pytest.mark.parametrize("text", ["suicide", "sewerslide", "self-harm", "自杀", "自殘", "割腕", "遗书"])
def test_bare_topic_word_share_is_flagged(text: str) -> None:
    # A share of just a topic word carries no context either way; hold it.
    assert screen(text).flagged


@pytest.mark.parametrize("text", ["kys", "lol kys", "go kill yourself", "你去死吧"])
def test_abuse_at_others_is_not_a_crisis(text: str) -> None:
    # Documented decision: abuse aimed at someone else is not the author's
    # crisis; it belongs to an abuse filter, not to crisis lines for the author.
    assert not screen(text).flagged


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ｋｉｌｌ ｍｙｓｅｌｆ", "kill myself"),
        ("kіll mysеlf", "kill myself"),  # Cyrillic і, е
        ("k\u200bill\u2066 myself", "kill myself"),
        ("||kill myself||", "kill myself"),
        ("**kill** __myself__", "kill myself"),
        ("k1ll mys3lf", "kill myself"),
        ("$uicide", "suicide"),
        ("d!e", "die"),
        ("k i l l  m y s e l f", "kill myself"),
        ("s.u.i.c.i.d.e", "suicide"),
        ("un-alive", "unalive"),
        ("diiiie", "die"),
        ("I'm gonna", "i am going to"),
        ("I don't wanna", "i do not want to"),
        ("想 死", "想死"),
        ("自.殺", "自杀"),
        ("kill -9 4/255 5 kms", "kill -9 4/255 5 kms"),
        ("goodbye!", "goodbye!"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


# --------------------------------------------------------------------------- robustness


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=5000))
def test_screen_never_raises(text: str) -> None:
    result = screen(text)
    assert isinstance(result, Screening)
    assert result.flagged == bool(result.categories)
    assert set(result.categories) <= set(CATEGORIES)
    assert list(result.categories) == sorted(result.categories, key=CATEGORIES.index)


@settings(max_examples=100, deadline=None)
@given(
    marker=st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=6, max_size=12),
    phrase=st.sampled_from(MUST_FLAG),
)
def test_categories_never_contain_share_text(marker: str, phrase: str) -> None:
    text = f"{marker}\n{phrase}\n{marker}"
    result = screen(text)
    assert result.flagged
    for category in result.categories:
        assert category in CATEGORIES
        assert marker not in category and phrase.casefold() not in category
    assert marker not in repr(result)
    assert all(marker not in rule_id for rule_id in explain(text))


ADVERSARIAL = [
    "a " * 2500,
    "k i l l " * 625,
    "1" * 5000,
    "我" * 5000,
    "want to " * 625,
    "." * 5000,
    "'" * 5000,
    '"' * 5000,
    "x" * 4990 + " want to",
    "suicide" * 714,
    "not " * 1250,
    "d!" * 2500,
    "|" * 5000,
    "a-" * 2500,
    "想." * 2500,
    "\n" * 5000,
    "\u200b" * 5000,
    "no one would " * 384,
    "jump off the " * 384,
    "how many pills " * 333,
    ("the model said '" + "a" * 290 + "' ") * 16,
    ("I hurt myself at the gym. " * 200)[:5000],
    ("我想死锁" * 1250),
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_long_adversarial_inputs_return(text: str) -> None:
    assert len(text) <= 5000
    assert isinstance(screen(text[:5000]), Screening)
