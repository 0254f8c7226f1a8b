"""Issue 13: warning-sign screening. Thresholds are asserted on the tuning parts only.

Two labelled sets, each split into a tuning part and a frozen held-back third: the first
(screening_warning_signs.yaml / screening_heldback.yaml) and the fresh probes written before
the recall round (screening_fresh.yaml / screening_fresh_heldback.yaml). Held-back parts are
checked for shape here, never for figures: their recall and FPR are reported by
scripts/eval_screening.py.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from bot.screening import CATEGORIES, explain, screen
from bot.screening.normalise import normalise, pinyin_sentences, to_simplified

DATA = Path(__file__).resolve().parents[1] / "data"
TUNING = DATA / "screening_warning_signs.yaml"
HELDBACK = DATA / "screening_heldback.yaml"
FRESH = DATA / "screening_fresh.yaml"
FRESH_HELDBACK = DATA / "screening_fresh_heldback.yaml"
PROBES = DATA / "screening_probes.yaml"  # second-round probes: reported by eval_screening.py
ROUND3 = DATA / "screening_round3.yaml"  # written blind to the rules (2026-12-01)
ROUND3_HELDBACK = DATA / "screening_round3_heldback.yaml"
ROUND4 = DATA / "screening_round4.yaml"  # blind again, other voices; tuned on, not yet asserted (0.855)
ROUND4_HELDBACK = DATA / "screening_round4_heldback.yaml"
ROUND5 = DATA / "screening_round5.yaml"  # blind: long posts, indirect voices; frozen, nothing tuned on it yet
ROUND5_HELDBACK = DATA / "screening_round5_heldback.yaml"
ROUND6 = DATA / "screening_round6.yaml"  # blind: more ordinary distress and lab life; nothing trained on it
ROUND6_HELDBACK = DATA / "screening_round6_heldback.yaml"
ROUND7 = DATA / "screening_round7.yaml"  # blind, two helpers; adds grief for someone else as a negative
ROUND7_HELDBACK = DATA / "screening_round7_heldback.yaml"
ROUND8 = DATA / "screening_round8.yaml"  # blind to the rules and the word model; the model trains on it
ROUND8_HELDBACK = DATA / "screening_round8_heldback.yaml"
ROUND9 = DATA / "screening_round9.yaml"  # blind, in voices earlier rounds had few of
ROUND9_HELDBACK = DATA / "screening_round9_heldback.yaml"
MUNDANE = (
    DATA / "screening_mundane.yaml"
)  # everyday lab messages, negatives only: the word model trains on it
MUNDANE_HELDBACK = DATA / "screening_mundane_heldback.yaml"
MUNDANE2 = DATA / "screening_mundane2.yaml"  # more everyday messages (en and zh), written blind
MUNDANE2_HELDBACK = DATA / "screening_mundane2_heldback.yaml"
MUNDANE3 = DATA / "screening_mundane3.yaml"  # a third everyday set, many short negations
MUNDANE3_HELDBACK = DATA / "screening_mundane3_heldback.yaml"
# The first three everyday sets, both parts (written before the word model's test sets).
EARLY_EVERYDAY = (MUNDANE, MUNDANE_HELDBACK, MUNDANE2, MUNDANE2_HELDBACK, MUNDANE3, MUNDANE3_HELDBACK)
# Written after the word model's first switch-on test failed, as the next test: used whole, never tuned on.
ROUND10_TEST = DATA / "screening_round10_test.yaml"
MUNDANE4_TEST = DATA / "screening_mundane4_test.yaml"
ROUND11 = DATA / "screening_round11.yaml"  # blind, from the same brief as round 12; the model trains on it
ROUND11_HELDBACK = DATA / "screening_round11_heldback.yaml"
MUNDANE5 = DATA / "screening_mundane5.yaml"  # a fifth everyday set, from the same brief as the sixth
MUNDANE5_HELDBACK = DATA / "screening_mundane5_heldback.yaml"
# The test of the model retrained with round 11 and the fifth everyday set: used whole, never tuned on.
ROUND12_TEST = DATA / "screening_round12_test.yaml"
MUNDANE6_TEST = DATA / "screening_mundane6_test.yaml"
# The test of the model whose C and threshold are chosen by leaving whole sets out: used whole.
ROUND13_TEST = DATA / "screening_round13_test.yaml"
MUNDANE7_TEST = DATA / "screening_mundane7_test.yaml"
ROUND14_TEST = DATA / "screening_round14_test.yaml"
MUNDANE8_TEST = DATA / "screening_mundane8_test.yaml"
ROUND15_TEST = DATA / "screening_round15_test.yaml"
MUNDANE9_TEST = DATA / "screening_mundane9_test.yaml"
ROUND16_TEST = DATA / "screening_round16_test.yaml"
MUNDANE10_TEST = DATA / "screening_mundane10_test.yaml"
ROUND17_TEST = DATA / "screening_round17_test.yaml"
MUNDANE11_TEST = DATA / "screening_mundane11_test.yaml"
ROUND18_TEST = DATA / "screening_round18_test.yaml"
MUNDANE12_TEST = DATA / "screening_mundane12_test.yaml"
ROUND19_TEST = DATA / "screening_round19_test.yaml"
MUNDANE13_TEST = DATA / "screening_mundane13_test.yaml"
ROUND20_TEST = DATA / "screening_round20_test.yaml"
MUNDANE14_TEST = DATA / "screening_mundane14_test.yaml"
SETS = (
    (TUNING, HELDBACK),
    (FRESH, FRESH_HELDBACK),
    (ROUND3, ROUND3_HELDBACK),
    (ROUND4, ROUND4_HELDBACK),
    (ROUND5, ROUND5_HELDBACK),
    (ROUND6, ROUND6_HELDBACK),
    (ROUND7, ROUND7_HELDBACK),
    (ROUND8, ROUND8_HELDBACK),
    (ROUND9, ROUND9_HELDBACK),
    (ROUND11, ROUND11_HELDBACK),
)  # (tuning part, held-back third)
LANGS = {"en", "zh-Hans", "zh-Hant", "pinyin", "mixed"}
CRISIS_CATEGORIES = {
    "farewell", "possessions", "burden", "means", "plan", "passive", "self_harm", "slang", "euphemism", "direct"
}  # fmt: skip
HARD_NEGATIVES = {
    "leaving_lab", "handing_on", "gear", "deadline_joke", "research", "felix_hill", "processes",
    "dead_hardware", "distress", "farewell_ok", "lab_life", "idioms",
}  # fmt: skip
MIN_RECALL = 0.95
MAX_FPR = 0.05

Item = tuple[str, bool, str, str]  # text, crisis, category, language


@cache
def items(path: Path, *, split_only: bool = False) -> tuple[Item, ...]:
    """Every phrasing; ``split_only`` leaves out the probes added to the tuning part after the split."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    sections = [raw] if split_only else [raw, raw.get("added_after_split", {})]
    return tuple(
        (text, label == "crisis", category, lang)
        for section in sections
        for label in ("crisis", "not_crisis")
        for category, languages in section.get(label, {}).items()
        for lang, texts in languages.items()
        for text in texts
    )


# --------------------------------------------------------------------------- the set


def test_set_has_provenance_and_sizes() -> None:
    for path in (TUNING, HELDBACK):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "988" in raw["provenance"] and "no real user data" in raw["provenance"].lower()
    both = items(TUNING) + items(HELDBACK)
    assert sum(crisis for _, crisis, _, _ in both) >= 600
    assert sum(not crisis for _, crisis, _, _ in both) >= 900
    assert {c for _, crisis, c, _ in both if crisis} == CRISIS_CATEGORIES
    assert {c for _, crisis, c, _ in both if not crisis} == HARD_NEGATIVES
    assert {lang for *_, lang in both} == LANGS
    texts = [t for t, *_ in both]
    assert len(set(texts)) == len(texts), "a phrasing is in the set twice (or in both parts)"


def test_fresh_set_has_provenance_and_sizes() -> None:
    for path in (FRESH, FRESH_HELDBACK):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "988" in raw["provenance"] and "no real user data" in raw["provenance"].lower()
    both = items(FRESH) + items(FRESH_HELDBACK)
    assert sum(crisis for _, crisis, _, _ in both) >= 300
    assert sum(not crisis for _, crisis, _, _ in both) >= 300
    assert {c for _, crisis, c, _ in both if crisis} == CRISIS_CATEGORIES
    assert {c for _, crisis, c, _ in both if not crisis} == HARD_NEGATIVES
    assert {lang for *_, lang in both} == LANGS
    assert sum(lang == "en" for *_, lang in both) / len(both) >= 0.5
    assert sum(len(t) >= 300 for t, *_ in both) >= 20, "long shares with the sign buried in lab talk"
    texts = [t for t, *_ in both]
    assert len(set(texts)) == len(texts), "a phrasing is in the fresh set twice (or in both parts)"
    # Compared with the first set's tuning part only: a failure must not print held-back text.
    older = {t for t, *_ in items(TUNING)}
    assert not older & set(texts), "a fresh phrasing repeats one of the first set's tuning part"


@pytest.mark.parametrize(
    ("tuning", "heldback"),
    SETS[2:],
    ids=["round3", "round4", "round5", "round6", "round7", "round8", "round9", "round11"],
)
def test_later_rounds_were_written_blind_and_are_new(tuning: Path, heldback: Path) -> None:
    for path in (tuning, heldback):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "988" in raw["provenance"] and "no real user data" in raw["provenance"].lower()
    assert (
        "without reading"
        in " ".join(yaml.safe_load(tuning.read_text(encoding="utf-8"))["provenance"].split())
        or ("did not" in yaml.safe_load(tuning.read_text(encoding="utf-8"))["provenance"])
        or (
            "blind to the"
            in " ".join(yaml.safe_load(tuning.read_text(encoding="utf-8"))["provenance"].split())
        )
    )  # written blind to the rules
    both = items(tuning) + items(heldback)
    least = (
        (215, 300) if tuning in (ROUND6, ROUND7, ROUND8, ROUND9, ROUND11) else (250, 230)
    )  # fewer crisis, more negatives
    assert (
        sum(crisis for _, crisis, _, _ in both) >= least[0] and sum(not c for _, c, _, _ in both) >= least[1]
    )
    assert {c for _, crisis, c, _ in both if crisis} == CRISIS_CATEGORIES
    negatives = HARD_NEGATIVES | ({"grief_other"} if tuning in (ROUND7, ROUND8, ROUND9, ROUND11) else set())
    assert {c for _, crisis, c, _ in both if not crisis} == negatives
    texts = [t for t, *_ in both]
    assert len(set(texts)) == len(texts)
    # Compared with the earlier tuning parts; only counts are shown, never held-back text.
    order = (
        TUNING,
        FRESH,
        PROBES,
        ROUND3,
        ROUND4,
        ROUND5,
        ROUND6,
        ROUND7,
        ROUND8,
        ROUND9,
        ROUND10_TEST,
        MUNDANE4_TEST,
        ROUND11,
    )  # the order the sets were written in
    earlier = {t for path in order[: order.index(tuning)] for t, *_ in items(path)}
    assert not earlier & {t for t, *_ in items(tuning)}
    # One short round-4 held-back phrasing happens to equal an earlier tuning phrasing; it is
    # counted in the reported figure (at most 1 of 93 or 83) rather than edited out after freezing.
    assert len(earlier & {t for t, *_ in items(heldback)}) <= (1 if tuning == ROUND4 else 0)


@pytest.mark.parametrize(
    ("tuning", "heldback", "earlier", "size"),
    [
        (MUNDANE, MUNDANE_HELDBACK, (TUNING, FRESH, PROBES, ROUND3, ROUND4, ROUND5, ROUND6), 400),
        (
            MUNDANE2,
            MUNDANE2_HELDBACK,
            (*(p for pair in SETS[:-1] for p in pair), MUNDANE, MUNDANE_HELDBACK),
            750,
        ),
        (
            MUNDANE3,
            MUNDANE3_HELDBACK,
            (*(p for pair in SETS for p in pair), MUNDANE, MUNDANE_HELDBACK, MUNDANE2, MUNDANE2_HELDBACK),
            850,
        ),
        (
            MUNDANE5,
            MUNDANE5_HELDBACK,
            (
                *(p for pair in SETS for p in pair),
                *EARLY_EVERYDAY,
                ROUND10_TEST,
                MUNDANE4_TEST,
                ROUND12_TEST,
                MUNDANE6_TEST,
            ),
            700,
        ),
    ],
    ids=["first", "second", "third", "fifth"],
)
def test_everyday_messages_were_written_blind_are_new_and_a_third_is_frozen(
    tuning: Path, heldback: Path, earlier: tuple[Path, ...], size: int
) -> None:
    raw = yaml.safe_load(tuning.read_text(encoding="utf-8"))
    assert "blind" in raw["provenance"] and "no real user data" in raw["provenance"].lower()
    both = items(tuning) + items(heldback)
    assert len(both) >= size and not any(crisis for _, crisis, _, _ in both)
    texts = [t for t, *_ in both]
    assert len(set(texts)) == len(texts)
    assert not {t for path in earlier for t, *_ in items(path)} & set(texts)
    tune = Counter((c, lang) for _, _, c, lang in items(tuning, split_only=True))
    held = Counter((c, lang) for _, _, c, lang in items(heldback))
    assert all(held[s] == round((tune[s] + held[s]) / 3) for s in tune.keys() | held.keys())


@pytest.mark.parametrize(
    ("round_test", "everyday_test", "before"),
    [
        (ROUND10_TEST, MUNDANE4_TEST, SETS[:-1]),
        (ROUND12_TEST, MUNDANE6_TEST, SETS),
        (ROUND13_TEST, MUNDANE7_TEST, SETS),
        (ROUND14_TEST, MUNDANE8_TEST, SETS),
        (ROUND15_TEST, MUNDANE9_TEST, SETS),
        (ROUND16_TEST, MUNDANE10_TEST, SETS),
        (ROUND17_TEST, MUNDANE11_TEST, SETS),
        (ROUND18_TEST, MUNDANE12_TEST, SETS),
        (ROUND19_TEST, MUNDANE13_TEST, SETS),
        (ROUND20_TEST, MUNDANE14_TEST, SETS),
    ],
    ids=[f"round{n}" for n in (10, 12, 13, 14, 15, 16, 17, 18, 19, 20)],
)
def test_the_word_models_test_sets_were_written_blind_and_are_new(
    round_test: Path, everyday_test: Path, before: tuple[tuple[Path, Path], ...]
) -> None:
    everyday: tuple[Path, ...] = EARLY_EVERYDAY
    # Each test round after round 10 and the everyday set written with it, in the order written.
    pairs: tuple[tuple[Path, Path], ...] = ((ROUND12_TEST, MUNDANE6_TEST), (ROUND13_TEST, MUNDANE7_TEST))
    pairs += ((ROUND14_TEST, MUNDANE8_TEST),)
    pairs += ((ROUND15_TEST, MUNDANE9_TEST), (ROUND16_TEST, MUNDANE10_TEST), (ROUND17_TEST, MUNDANE11_TEST))
    pairs += ((ROUND18_TEST, MUNDANE12_TEST), (ROUND19_TEST, MUNDANE13_TEST), (ROUND20_TEST, MUNDANE14_TEST))
    tests = [r for r, _ in pairs]
    if round_test in tests:  # written after round 10 (round 11 is in SETS) and every test pair before it
        everyday += (ROUND10_TEST, MUNDANE4_TEST, MUNDANE5, MUNDANE5_HELDBACK)
        everyday += tuple(p for pair in pairs[: tests.index(round_test)] for p in pair)
    earlier = {t for path in (*(p for pair in before for p in pair), *everyday) for t, *_ in items(path)}
    for path, least in ((round_test, (250, 300)), (everyday_test, (0, 650))):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        provenance = " ".join(raw["provenance"].split())
        assert (
            "blind" in provenance and "no real user data" in provenance.lower() and "used whole" in provenance
        )
        data = items(path)
        texts = [t for t, *_ in data]
        assert len(set(texts)) == len(texts) and not earlier & set(texts)
        assert sum(c for _, c, _, _ in data) >= least[0] and sum(not c for _, c, _, _ in data) >= least[1]
        assert {lang for *_, lang in data} == LANGS
    assert {c for _, crisis, c, _ in items(round_test) if crisis} == CRISIS_CATEGORIES
    assert {c for _, crisis, c, _ in items(round_test) if not crisis} == HARD_NEGATIVES | {"grief_other"}
    assert not any(crisis for _, crisis, _, _ in items(everyday_test))


def test_probes_have_provenance_and_are_new() -> None:
    raw = yaml.safe_load(PROBES.read_text(encoding="utf-8"))
    assert "988" in raw["provenance"] and "no real user data" in raw["provenance"].lower()
    texts = [t for t, *_ in items(PROBES)]
    assert len(set(texts)) == len(texts)
    assert not {t for path in (TUNING, FRESH) for t, *_ in items(path)} & set(texts)


@pytest.mark.parametrize(
    ("tuning", "heldback"),
    SETS,
    ids=["first", "fresh", "round3", "round4", "round5", "round6", "round7", "round8", "round9", "round11"],
)
def test_heldback_is_a_stratified_third(tuning: Path, heldback: Path) -> None:
    tune = Counter((crisis, c, lang) for _, crisis, c, lang in items(tuning, split_only=True))
    held = Counter((crisis, c, lang) for _, crisis, c, lang in items(heldback))
    for stratum in tune.keys() | held.keys():
        total = tune[stratum] + held[stratum]
        assert held[stratum] == round(total / 3), stratum


# --------------------------------------------------------------------------- figures (tuning part)


def _figures(data: tuple[Item, ...]) -> tuple[float, float, str]:
    crisis = [t for t, c, *_ in data if c]
    other = [t for t, c, *_ in data if not c]
    missed = [t for t in crisis if not screen(t).flagged]
    false_pos = [t for t in other if screen(t).flagged]
    recall, fpr = 1 - len(missed) / len(crisis), len(false_pos) / len(other)
    report = "\n".join(
        [
            f"recall {recall:.3f} ({len(crisis) - len(missed)}/{len(crisis)}), "
            f"FPR {fpr:.3f} ({len(false_pos)}/{len(other)})",
            *(f"  missed: {t!r}" for t in missed),
            *(f"  false positive: {t!r} {explain(t)}" for t in false_pos),
        ]
    )
    return recall, fpr, report


@pytest.mark.parametrize("tuning", [TUNING, FRESH, ROUND3], ids=["first", "fresh", "round3"])
def test_recall_and_fpr_on_the_tuning_part(tuning: Path) -> None:
    recall, fpr, report = _figures(items(tuning))
    print(report)
    assert recall >= MIN_RECALL and fpr <= MAX_FPR, report


# Rounds 4-7: the rules are not yet at the bar there; these floors are the tuning parts' counts
# when they were last tuned, so a rule change that loses a caught phrasing fails here.
LATER_FLOORS = {ROUND4: 141, ROUND5: 145, ROUND6: 126, ROUND7: 151, ROUND8: 114}


@pytest.mark.parametrize("tuning", list(LATER_FLOORS), ids=["round4", "round5", "round6", "round7", "round8"])
def test_later_tuning_parts_lose_nothing_and_stay_under_the_fpr_bar(tuning: Path) -> None:
    data = items(tuning)
    recall, fpr, report = _figures(data)
    caught = round(recall * sum(crisis for _, crisis, _, _ in data))
    assert caught >= LATER_FLOORS[tuning] and fpr <= MAX_FPR, report


@pytest.mark.parametrize("tuning", [TUNING, FRESH], ids=["first", "fresh"])
@pytest.mark.parametrize("lang", sorted(LANGS))
def test_every_language_is_covered_on_the_tuning_part(tuning: Path, lang: str) -> None:
    recall, fpr, report = _figures(tuple(i for i in items(tuning) if i[3] == lang))
    assert recall >= 0.9 and fpr <= MAX_FPR, report


def test_every_rule_has_a_literal_for_the_prefilter() -> None:
    # The engine skips a rule whose required literals are absent; a rule without any set of
    # strings of length >= 2 would be searched on every share.
    from bot.screening.engine import RULES

    for r in RULES:
        assert any(min(map(len, need)) >= 2 for need in r.needs), r.rule_id


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("我有輕生的念頭", "我有轻生的念头"),
        ("計畫都準備好了", "计划都准备好了"),  # Taiwan vocabulary, not only characters
        ("活著好累", "活着好累"),
        ("在網路上搜", "在网络上搜"),
        ("遺書已經寫好了", "遗书已经写好了"),
    ],
)
def test_traditional_becomes_simplified_with_opencc(raw: str, expected: str) -> None:
    assert to_simplified(raw) == expected
    assert normalise(raw) == expected


def test_latin_text_is_not_sent_through_opencc() -> None:
    assert to_simplified("kill -9 the job") == "kill -9 the job"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("I won\u200bt be ar\u200dound", "i will not be around"),
        ("\u2066遗\u200b书\u2069写好了", "遗书写好了"),
        ("谢谢大家 for everything，我走了", "谢谢大家 for everything,我走了"),  # NFKC: full-width comma
        ("想 kms 了", "想 kms 了"),
        ("ＧＯＯＤＢＹＥ，永別了", "goodbye,永别了"),
    ],
)
def test_zero_width_and_mixed_script_are_normalised_once(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("text", "is_pinyin"),
    [
        ("wo bu xiang huo le", True),
        ("woxiangsi", True),
        ("zhe shi wo zui hou yi ci fa yan le", True),
        ("he is so fun to go with", False),
        ("I am fine, just tired", False),
        ("kill the process on node 7", False),
    ],
)
def test_pinyin_sentences_are_recognised(text: str, is_pinyin: bool) -> None:
    assert bool(pinyin_sentences(normalise(text))) is is_pinyin


def test_pinyin_cues_file_is_generated_from_the_zh_rows() -> None:
    pytest.importorskip("pypinyin")
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_pinyin_cues", Path(__file__).resolve().parents[2] / "scripts" / "build_pinyin_cues.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.OUT.read_text(encoding="utf-8") == module.render(), "run scripts/build_pinyin_cues.py"


# --------------------------------------------------------------------------- categories and their hard negatives
# Phrasings written for these tests, not taken from either part of the set.

FLAGGED = [
    ("Thanks for putting up with me all these years. I won't see any of you again.", "farewell"),
    ("these are my last words here, please don't blame yourselves", "farewell"),
    ("谢谢你们一直照顾我，以后不会再打扰大家了", "farewell"),
    ("xiexie nimen, yihou bu hui zai darao dajia le", "farewell"),
    (
        "my bike and my books go to whoever wants them, I won't be needing them after this month",
        "giving_away",
    ),
    ("我的书都送给师妹了，反正以后也用不上了", "giving_away"),
    ("my family would honestly be relieved if I was gone", "burden"),
    ("我就是家里的累赘，没有我他们会轻松很多", "burden"),
    ("I've been counting how many of my sleeping pills it would take", "means_or_plan"),
    ("I looked up which bridges downtown have no barriers", "means_or_plan"),
    ("我这几天一直在攒安眠药", "means_or_plan"),
    ("I'm going through with it once the grant is submitted", "means_or_plan"),
    ("sorry for what I'm about to do", "means_or_plan"),
    ("I keep praying I won't wake up tomorrow", "passive_ideation"),
    ("I'd be fine with not being here anymore honestly", "passive_ideation"),
    ("I burned my arm again on purpose last night", "self_harm"),
    ("昨晚又划了好几道，没人知道", "self_harm"),
    ("ngl about to kys", "suicidal_ideation"),
    ("been thinking about unaliving for weeks", "suicidal_ideation"),
    ("真的想紫砂了", "suicidal_ideation"),
    ("zhen de xiang zisha le", "suicidal_ideation"),
    ("我想去另一个世界了", "suicidal_ideation"),
    ("wo xiang qu ling yi ge shijie le", "suicidal_ideation"),
    ("我已經決定了，週末就結束這一切", "means_or_plan"),
]

NOT_FLAGGED = [
    # leaving the lab, thanking everyone
    "Last day today! Thanks for everything, I'm starting at a startup in Berlin. Keep in touch",
    "明天就去新公司报到了，谢谢大家的照顾，常联系",
    # handing on furniture and equipment
    "giving away my desk and two monitors before I move out, DM me",
    "毕业前清东西，显示器谁要，先到先得",
    # sports and hobby gear
    "new 70m rope for the climbing trip, finally",
    "jumped off the 10m board at the pool today, terrifying",
    # deadline-night jokes
    "this rebuttal is going to be the death of me lol",
    "ddl前一晚，累死了",
    # research on suicide prevention and moderation
    "our suicide prevention classifier flags 'unalive' now, recall went up",
    "在标注自杀风险数据集，标注一致性太低",
    # Felix Hill's essay
    "Felix Hill's essay on the pressure in AI research should be read by every PI",
    # killing processes, dead GPUs and models
    "kill -9 the stuck workers and requeue the job",
    "the GPU on node 4 died and took the run with it",
    "训练崩了，进程也被杀了",
    # ordinary distress and farewells that are not crisis
    "I'm exhausted and behind on everything, but I'll get through this week",
    "said goodbye to my grandma at the airport, I miss her already",
    "先下线了，明天见",
    # pinyin that is not crisis
    "xiang si nimen le",
    "chaoshi tiaolou jia",
    # abuse at someone else (a documented decision, unchanged)
    "lol kys",
]


@pytest.mark.parametrize(("text", "category"), FLAGGED)
def test_warning_signs_are_flagged_with_their_category(text: str, category: str) -> None:
    result = screen(text)
    assert result.flagged, (text, normalise(text))
    assert category in result.categories, (text, result.categories, explain(text))


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_hard_negatives_are_not_flagged(text: str) -> None:
    assert not screen(text).flagged, (text, explain(text))


def test_categories_are_fixed_labels() -> None:
    assert len(set(CATEGORIES)) == len(CATEGORIES)
    assert all(re.fullmatch(r"[a-z_]+", c) for c in CATEGORIES)


def test_cue_phrases_are_safe_substrings() -> None:
    # Groups are space-separated, and a short Latin cue would match inside other words ("end" in
    # "weekend"), so every Latin-only cue phrase is a whole, longer word.
    from bot.screening.zh_rules import WARNING_ROWS_ZH

    for row in WARNING_ROWS_ZH:
        for phrase in (p for group in (*row.groups, row.veto) for p in group):
            assert phrase.strip() == phrase and phrase
            assert not re.fullmatch(r"[a-z]{1,3}", phrase), (row.rule_id, phrase)
