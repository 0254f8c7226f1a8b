"""The RE2 prefilter and the normalisation guards only skip work: they never change a result.

Three kinds of proof: the translation matches a superset of each pattern (text generated from
the pattern itself must pass the prefilter), every labelled phrasing (alone and buried in a long
share) screens the same with and without the prefilter, and every guard in ``normalise`` holds:
where it finds nothing, the substitution it guards changes nothing.
"""

from __future__ import annotations

import importlib
import logging
import re
import unicodedata
from pathlib import Path
from typing import Literal

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.screening import engine
from bot.screening.prefilter import Gate, Prefilter, Untranslatable, to_re2

norm = importlib.import_module("bot.screening.normalise")
DATA = Path(__file__).resolve().parents[1] / "data"
# Each pattern the prefilter scans, with a compiled copy to generate text from (the pinyin gates
# are only ever parsed, never compiled, by the engine).
PATTERNS = [
    (p, p if isinstance(p, re.Pattern) else re.compile(p.pattern, p.flags))
    for p in engine._filters().rules._keep
]
LAB_TALK = (
    "The rebuttal is due Friday and reviewer 2 wants three more ablations. I killed the stuck jobs on"
    " node 7 and the loss went to NaN at step 40k. 这周赶论文累死了，训练又崩了。"
)


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for key, value in node.items() if key != "provenance" for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def _phrasings() -> list[str]:
    """Every phrasing of the tuning and existing sets (labels are not read)."""
    out: list[str] = []
    for name in ("screening_warning_signs.yaml", "screening_set.yaml"):
        out += _strings(yaml.safe_load((DATA / name).read_text(encoding="utf-8")))
    return out


def _every_labelled_text() -> list[str]:
    """Every text of every labelled screening set, held-back and test rounds too, once each."""
    out: list[str] = []
    for path in sorted(DATA.glob("screening*.yaml")):
        out += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    return list(dict.fromkeys(out))


def test_every_pattern_of_the_engine_is_translated() -> None:
    assert engine._filters().rules.untranslated == []
    assert len(PATTERNS) >= 200


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_text_that_a_pattern_matches_always_passes_the_prefilter(data: st.DataObject) -> None:
    scanned, pattern = data.draw(st.sampled_from(PATTERNS))
    # Inside up to a share's worth of lab talk as well as alone: Hyperscan runs other code on a
    # long buffer than on a short one, and its misses were seen only on long ones (see below).
    head = data.draw(st.integers(0, len(LAB_TALK) * 2))
    text = (
        (LAB_TALK * 2)[:head] + data.draw(st.from_regex(pattern)) + data.draw(st.sampled_from(["", LAB_TALK]))
    )
    assume(pattern.search(text))
    assert engine._filters().rules.scan(text).may(scanned), pattern.pattern[:120]


def test_every_labelled_text_screens_the_same_with_and_without_the_prefilter() -> None:
    # The prefilter may only ever say "cannot match" truly, and Hyperscan can be wrong: the
    # locked wheel's Vectorscan 5.4.12 missed a rewritten rule of ours ("no reason to exist" in
    # "reviewer 2 said our method 'has no reason to exist'") that 5.4.11 and re found, and no
    # earlier test saw it. So every labelled text of every set is screened both ways (~30 s).
    texts = _every_labelled_text()
    assert len(texts) > 20000
    missed = [t for t in texts if sorted(engine._hits(t)) != sorted(engine._hits(t, prefilter=False))]
    assert missed == []


@pytest.mark.parametrize(
    ("pattern", "inside"),
    [
        (r"(?<![a-z])want to die\b", "i want to die"),
        (r"\bi (?:will|am) gone\b(?! for)", "i am gone for"),  # the lookahead is dropped: a superset
        (r"[^\w']{0,3}kms$", "x kms"),
        (r"(.)不\1", "想不想"),
        (r"\s+\d{2,}", "\u3000１２"),
    ],
)
def test_translation_widens_and_never_narrows(pattern: str, inside: str) -> None:
    compiled = re.compile(pattern)
    assert Prefilter([compiled]).scan(inside).may(compiled)


def test_what_cannot_match_is_skipped_and_untranslatable_patterns_always_run() -> None:
    plain = re.compile(r"\bwant to die\b")
    verbose = re.compile(r"want \s to", re.VERBOSE)
    with pytest.raises(Untranslatable):
        to_re2(verbose)
    prefilter = Prefilter([plain, verbose])
    scan = prefilter.scan("the job died overnight")
    assert not scan.may(plain)
    assert scan.may(verbose)
    assert prefilter.untranslated == [verbose]


@pytest.mark.parametrize("where", ["alone", "buried"])
def test_every_labelled_phrasing_screens_the_same_with_and_without_the_prefilter(where: str) -> None:
    texts = _phrasings()
    for text in texts if where == "alone" else texts[::7]:  # buried: a long share, so a sample
        share = text if where == "alone" else (LAB_TALK * 6)[:900] + " " + text + " " + LAB_TALK
        assert sorted(engine._hits(share)) == sorted(engine._hits(share, prefilter=False)), text


PIECES = [
    *"aeiklmnostu 1!|@$*_~`#>-.·\n\t\u3000\u200b'",
    "想死",
    "自殺",
    "ii",
    "kill",
    "die ",
    "myself",
    "wo xiang",
    "don't",
    "didnt",
    "you'll",
    "it'd",
    "theyll",
    "a1",
    "  ",
    " \n",
    "\xa0",
]
ODD = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("wo xiangs'i", False),
        ("wo xiang'si", True),
        ("wo zhen de xiang'si le", True),
        ("xi'an hen re", False),
    ],
)
def test_an_apostrophe_separates_pinyin_syllables_and_never_splits_one(text: str, flagged: bool) -> None:
    # Found by the property below: "s'i" was read as "si" without the prefilter, whose pinyin
    # gates allow an apostrophe only between syllables, so the two ways disagreed.
    assert sorted(engine._hits(text)) == sorted(engine._hits(text, prefilter=False))
    assert bool(engine._hits(text)) is flagged


@settings(max_examples=300, deadline=None)
@given(ODD)
def test_obfuscated_text_screens_the_same_with_and_without_the_prefilter(text: str) -> None:
    assert sorted(engine._hits(text)) == sorted(engine._hits(text, prefilter=False))


@settings(max_examples=400, deadline=None)
@given(ODD)
def test_each_normalisation_guard_only_skips_substitutions_that_change_nothing(text: str) -> None:
    s = text.lower()
    hints = norm.step_hints().scan(s)
    for guard in norm._GUARDS:  # one scan finds at least what each guard finds
        assert hints.may(guard) or not guard.search(s), guard.pattern
    if not norm._TRIPLE.search(s):
        assert norm._REPEATS.sub(r"\1", s) == s
    if not (norm._SPACED_HINT.search(s) and norm._SPACED_START.search(s)):
        assert not norm._SPACED_LETTERS.search(s)
    if not norm._HYPHEN_HINT.search(s):
        assert norm._INNER_HYPHEN.sub("", s) == s
    if not norm._DOTTED_HINT.search(s):
        assert not norm._DOTTED_WORD.search(s)
    if not norm._CJK_GAP_HINT.search(s):
        assert norm._CJK_GAP.sub("", s) == s
    if not (norm._ODD_SPACE_CHAR.search(s) or norm._DOUBLE_SPACE.search(s)):
        assert norm._HSPACE.sub(" ", s) == s
    if not norm._LETTER_BESIDE_LEET.search(s):
        assert norm._TOKEN.sub(lambda m: norm._deleet_token(m.group(), "l"), s) == s
    nfkc = unicodedata.normalize("NFKC", s)  # the engine strips marks from NFKC text only
    if norm._MARK_FREE.fullmatch(nfkc):
        assert norm._strip_marks(nfkc) == nfkc
    if not norm._LOOKALIKE.search(s):
        assert s.translate(norm._HOMOGLYPHS) == s
    for (pattern, repl), expand in zip(norm._CONTRACTIONS, norm._FAST_CONTRACTIONS, strict=True):
        assert expand(s) == pattern.sub(repl, s), pattern.pattern
        if not hints.may(pattern):
            assert pattern.sub(repl, s) == s
    assert re.sub(r"(?<=[a-z] )2(?= [a-z])", "to", s) == re.sub(r"2(?= [a-z])(?<=[a-z] 2)", "to", s)


def _unguarded_reading(text: str, one: str) -> tuple[str, tuple[str, ...], bool]:
    """normalise_reading as its plain steps, every one run every time (the oracle for its guards)."""
    s = unicodedata.normalize("NFKC", norm._without_surrogates(text))
    s = norm.to_simplified(norm._strip_marks(s).casefold().translate(norm._HOMOGLYPHS))
    s = norm._SPOILER_OR_EMPHASIS.sub("", norm._MASKED.sub(norm._unmask, norm._QUOTE_PREFIX.sub("", s)))
    tokens = [m.group() for m in norm._TOKEN.finditer(s)]
    used = any("1" in t and norm._deleet_token(t, "i") != norm._deleet_token(t, "l") for t in tokens)
    s = norm._REPEATS.sub(r"\1", norm._TOKEN.sub(lambda m: norm._deleet_token(m.group(), one), s))
    spaced = [norm._SPACED_SEP.sub("", m.group()) for m in norm._SPACED_LETTERS.finditer(s)]
    s = norm._INNER_HYPHEN.sub("", norm._SPACED_LETTERS.sub(lambda m: norm._SPACED_SEP.sub("", m.group()), s))
    spaced += ["+" + m.group().replace(".", "") for m in norm._DOTTED_WORD.finditer(s)]
    for pattern, repl in norm._CONTRACTIONS:
        s = pattern.sub(repl, s)
    s = norm._NEWLINES.sub("\n", norm._HSPACE.sub(" ", norm._CJK_GAP.sub("", s)))
    return s.strip(), tuple(spaced), used


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ODD, st.sampled_from("il"))
def test_the_guarded_normalisation_reads_as_its_plain_steps(text: str, one: str) -> None:
    # Every guard, the one scan behind them, the token and suffix searches and the space and
    # newline shortcuts must leave exactly what running each step every time leaves.
    assert norm.normalise_reading(text, one) == _unguarded_reading(text, one)


def test_the_guarded_normalisation_reads_every_labelled_phrasing_as_its_plain_steps() -> None:
    for text in _phrasings()[::3]:
        share = f"{text}\n\n  {LAB_TALK} it'd a100  gpt4 \n"
        assert norm.normalise_reading(share, "i") == _unguarded_reading(share, "i"), text


def _pinyin_sentences_by_regex(text: str) -> list[list[str]]:
    """Sentence by sentence, word by word, with regular expressions (the oracle)."""
    found = []
    for sentence in re.findall(r"[^.!?\n。！？,，;；:：]+", text):
        words = re.findall(r"[a-z']+", sentence)
        neutral = sum(1 for w in words if w in norm._ENGLISH_SYLLABLES)
        pinyin = sum(1 for w in words if w not in norm._ENGLISH_SYLLABLES and norm._pinyin_word(w))
        if len(words) < 2 and not (words and len(words[0]) >= 6):
            continue
        if (pinyin >= 2 and pinyin >= 0.7 * (len(words) - neutral)) or (len(words) == 1 and pinyin == 1):
            found.append(words)
    return found


_PINYIN_PIECES = st.lists(
    st.sampled_from(
        [
            *" .!?\n,;:。！？，；：|'",
            *["wo", "xiang", "si", "le", "bu", "xi'an", "woxiangsi", "zhende", "kys", "ok"],
            *["and", "he", "the", "loss", "died", "A", "é", "想死", "自杀", "\ud800"],
        ]
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_PINYIN_PIECES, _PINYIN_PIECES.map(lambda t: t.replace(" ", ""))))
def test_pinyin_sentences_are_the_sentences_a_regex_reading_finds(text: str) -> None:
    assert norm.pinyin_sentences(text) == _pinyin_sentences_by_regex(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ODD)
def test_both_readings_fold_once_and_read_as_each_reading_alone(text: str) -> None:
    first, spaced, used_one = _unguarded_reading(text, "i")
    expected = [(first, spaced)] + ([_unguarded_reading(text, "l")[:2]] if used_one else [])
    assert norm.both_readings(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode_normalises_as_the_unguarded_steps_would(text: str) -> None:
    s = unicodedata.normalize("NFKC", text)
    assert norm._nfkc(text) == s
    assert norm._nfkc(text + "，想死！\u3000ｋｉｌｌ") == unicodedata.normalize(
        "NFKC", text + "，想死！\u3000ｋｉｌｌ"
    )
    if norm._MARK_FREE.fullmatch(s):
        assert norm._strip_marks(s) == s
    if not norm._LOOKALIKE.search(s.casefold()):
        assert s.casefold().translate(norm._HOMOGLYPHS) == s.casefold()
    if text.isascii():
        assert unicodedata.normalize("NFKC", text).casefold() == text.lower()
    if not (norm._ODD_SPACE_CHAR.search(text) or norm._DOUBLE_SPACE.search(text)):
        assert norm._HSPACE.sub(" ", text) == text


def test_a_share_screened_while_the_prefilter_is_built_gets_the_same_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _phrasings()[::25]
    expected = [sorted(engine._hits(t)) for t in texts]
    monkeypatch.setattr(engine, "_built", None)
    with engine._BUILD:  # the warm-up thread is building: screening must neither wait nor differ
        assert [sorted(engine._hits(t)) for t in texts] == expected
        assert engine._built is None


RULE_PATTERNS = [scanned for scanned, _ in PATTERNS]
PROBES = [*_phrasings()[::11], LAB_TALK, "", "\u3000\u200b", "xiang si le", "kys", "自殺"]


def _possible(prefilter: Prefilter, text: str) -> set[int]:
    return {prefilter.index_of(p) for p in RULE_PATTERNS if prefilter.scan(text).may(p)}


def test_hyperscan_scans_most_patterns_and_both_engines_find_every_match() -> None:
    both = engine._filters().rules
    re2_only = Prefilter(RULE_PATTERNS, use_hyperscan=False)
    assert both.engines[0] >= 200  # the large pinyin gates stay on RE2 (Hyperscan's length limit)
    assert re2_only.engines == (0, re2_only.size)
    for text in PROBES:
        matching = {both.index_of(scanned) for scanned, p in PATTERNS if p.search(text)}
        assert matching <= _possible(both, text), text
        assert {re2_only.index_of(s) for s, p in PATTERNS if p.search(text)} <= _possible(re2_only, text)


def test_a_hyperscan_that_misses_a_canary_is_not_used_and_re2_scans_instead(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.screening import prefilter as module

    canary = "i want to die"
    compiled = [p for _, p in PATTERNS if isinstance(p, re.Pattern)]
    matching = [p for p in compiled if p.search(canary)]
    patterns = matching + [p for p in compiled if not p.search(canary)][:40]
    assert matching
    trusted = Prefilter(patterns, canaries=[canary])
    assert trusted.engines[0] > 0
    # A build of Hyperscan that finds nothing (the 5.4.12 seen here missed only some matches):
    monkeypatch.setattr(module, "_on_match", lambda *_: None)
    with caplog.at_level(logging.WARNING, logger="bot.screening.prefilter"):
        distrusted = Prefilter(patterns, canaries=[canary])
    assert distrusted.engines == (0, distrusted.size)
    assert "self-check" in caplog.text
    # A pinyin gate is never run by re: its translation is, by RE2.
    gate = Gate(r"\bxiang si\b")
    assert Prefilter([gate], canaries=["a long day. wo xiang si le"]).engines == (0, 1)
    assert all(distrusted.scan(canary).may(p) for p in matching)
    assert any(not distrusted.scan("the job finished overnight").may(p) for p in matching)  # RE2 still prunes
    monkeypatch.undo()
    # The engine's own prefilter passed its canaries here, and each canary is a warning sign.
    rules = engine._filters().rules
    assert rules.engines[0] >= 200
    assert not rules._hyperscan_misses(engine._canaries(), [to_re2(p) for p in rules._keep[: rules.size]])
    assert all(engine.screen(sign).flagged for sign in engine._CANARY_SIGNS)
    monkeypatch.setattr(module, "_on_match", lambda *_: None)
    assert Prefilter([gate], canaries=["no gate here"]).engines == (1, 0)  # nothing to find, nothing missed


def test_text_hyperscan_cannot_read_lets_every_pattern_through() -> None:
    lone_surrogate = "i want to die \ud800"  # not UTF-8: Hyperscan is skipped, never trusted
    prefilter = engine._filters().rules
    assert _possible(prefilter, lone_surrogate) >= {prefilter.index_of(p) for p in RULE_PATTERNS} - {-1}
    assert sorted(engine._hits(lone_surrogate)) == sorted(engine._hits(lone_surrogate, prefilter=False))


def test_a_cached_prefilter_is_loaded_instead_of_compiled_and_scans_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.screening import prefilter as module

    patterns = RULE_PATTERNS[:40]
    built = Prefilter(patterns, cache=tmp_path)
    (cached,) = tmp_path.iterdir()
    assert cached.stat().st_mode & 0o077 == 0

    def no_compile(*_: object) -> None:
        raise AssertionError("compiled again although the cache holds this prefilter")

    monkeypatch.setattr(module, "_make_plan", no_compile)
    loaded = Prefilter(patterns, cache=tmp_path)
    for text in PROBES:
        assert _possible(loaded, text) == _possible(built, text)
    monkeypatch.undo()
    # Other patterns are another file; a torn or tampered file is compiled again, never trusted.
    Prefilter(patterns[:39], cache=tmp_path)
    assert len(list(tmp_path.iterdir())) == 2
    cached.write_bytes(cached.read_bytes()[:-100])
    monkeypatch.setattr(module, "_make_plan", no_compile)
    with pytest.raises(AssertionError, match="compiled again"):
        Prefilter(patterns, cache=tmp_path)


def test_the_pinyin_gates_have_a_database_of_their_own_and_a_cached_copy_keeps_both(tmp_path: Path) -> None:
    from bot.screening import prefilter as module

    if not module._HAVE_HYPERSCAN:
        pytest.skip("no Hyperscan wheel on this platform: RE2 scans every pattern")
    # The shortest gates: the longest exceed Hyperscan's length limit and stay on RE2.
    gates = sorted((s for s, _ in PATTERNS if isinstance(s, module.Gate)), key=lambda g: len(g.pattern))[:5]
    regexes = [s for s, _ in PATTERNS if not isinstance(s, module.Gate)][:30]
    built = Prefilter([*regexes, *gates], cache=tmp_path)
    loaded = Prefilter([*regexes, *gates], cache=tmp_path)
    for prefilter in (built, loaded):
        assert [{prefilter._keep[i] for i in scanned} for _, scanned in prefilter._hyperscan] == [
            set(regexes),
            set(gates),
        ]
    for text in [*PROBES, "wo bu xiang huo le", "bu hui"]:
        matching = {built.index_of(s) for s, p in PATTERNS if s in {*regexes, *gates} and p.search(text)}
        assert matching <= _possible(built, text) and _possible(loaded, text) == _possible(built, text)


def test_a_union_is_not_scanned_and_may_match_exactly_where_one_of_its_parts_may() -> None:
    die, sleep = re.compile(r"\bdie\b"), re.compile(r"sleep forever")
    whole = re.compile(r"\bdie\b|sleep forever")
    odd = re.compile(r"(?x) odd | ends")  # verbose: untranslatable, so never ruled out
    with_odd = re.compile(r"(?x) odd | ends|\bdie\b")
    x = re.compile("x")
    outer = re.compile(r"\bdie\b|sleep forever|x")  # a union among the parts of another
    over_outer = re.compile(r"\bdie\b|sleep forever|x|y")
    prefilter = Prefilter(
        [whole, die, sleep, odd, with_odd, x, outer, over_outer],
        unions={
            whole: (die, sleep),
            with_odd: (odd, die),
            outer: (whole, re.compile("x")),
            over_outer: (outer,),
        },
    )
    assert prefilter.size == 3  # die, sleep and x (odd is untranslated): the unions are not scanned
    for text, may in [("i could die", True), ("to sleep forever", True), ("nothing here", False)]:
        scan = prefilter.scan(text)
        assert scan.may(whole) is may and (scan.may(die) or scan.may(sleep)) is may
        assert scan.may(with_odd) and scan.may(odd)  # a part that is never ruled out
        assert scan.may(outer) and scan.may(over_outer)  # a part that is not scanned: never ruled out


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    prefilter = Prefilter(RULE_PATTERNS[:20], cache=blocked / "kindred")
    text = "i want to die"
    assert {prefilter.index_of(s) for s, p in PATTERNS[:20] if p.search(text)} <= _possible(prefilter, text)


def test_a_rule_run_alternative_by_alternative_matches_exactly_what_finditer_matches() -> None:
    # The engine runs a rule "a|b|c" as its alternatives, only those the prefilter lets through
    # (engine._leftmost); the matches, and so the negation checks on each, must be the same.
    split = [r for r in engine.RULES if engine._alternatives(r)]
    assert len(split) > 50
    texts = [norm.normalise(t) for t in _phrasings()[::3]] + [norm.normalise(LAB_TALK * 3)]
    for rule in split:
        assert all(
            p.pattern and re._parser.parse(p.pattern).getwidth()[0] > 0 for p in engine._alternatives(rule)
        )
        relaxed, relaxed_alternatives = engine._relaxed(rule), engine._relaxed_alternatives(rule)
        for text in texts:
            spans = [m.span() for m in rule.pattern.finditer(text)]
            assert [m.span() for m in engine._leftmost(engine._alternatives(rule), text)] == spans, (
                rule.rule_id
            )
            if relaxed is not None and relaxed_alternatives is not None:
                spans = [m.span() for m in relaxed.finditer(text)]
                assert [m.span() for m in engine._leftmost(relaxed_alternatives, text)] == spans, rule.rule_id


def test_leftmost_takes_the_earliest_match_and_the_first_alternative_on_a_tie() -> None:
    patterns = tuple(re.compile(p) for p in (r"ab", r"a", r"b+c", r"(?<=x)b"))
    for text in ("ab abc xbc bbc", "a", "", "xb", "cab"):
        union = re.compile("|".join(p.pattern for p in patterns))
        assert [m.span() for m in engine._leftmost(patterns, text)] == [
            m.span() for m in union.finditer(text)
        ]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab1@$!|7 \n\t.\u3000é想", max_size=16))
def test_the_fast_token_and_space_patterns_match_the_plain_ones(text: str) -> None:
    # normalise._TOKEN and _HSPACE are written so that re need not backtrack or rewrite a lone
    # space; they must find what the plain forms find.
    plain_token = re.compile(r"[a-z0-9@$!|]*[0-9@$!|][a-z0-9@$!|]*")
    assert [m.span() for m in norm._TOKEN.finditer(text)] == [m.span() for m in plain_token.finditer(text)]
    assert norm._HSPACE.sub(" ", text) == re.sub(r"[^\S\n]+", " ", text)


_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # never a character, and never in normalised text


def _joined(pieces: list[str], most: int) -> st.SearchStrategy[str]:
    """Texts made of up to ``most`` of the pieces, in any order, with repeats."""
    return st.lists(st.sampled_from(pieces), max_size=most).map("".join)


MENTION_TEXT = _joined(
    ["data", "dataset", "red team", "redteam", "recall", "_", "x", "é", " ", "模型", "数据", ".", "'"], 12
)


@settings(max_examples=400, deadline=None)
@given(MENTION_TEXT)
def test_the_vocabulary_grouped_by_first_letter_finds_what_the_plain_alternation_finds(text: str) -> None:
    from bot.screening.en_rules import MENTION_EN
    from bot.screening.zh_rules import MENTION_ZH

    plain = re.compile(f"{MENTION_EN}|{MENTION_ZH}")
    assert bool(engine._MENTION.search(text)) is bool(plain.search(text))
    for sentence in (text, f"our {text} paper", f"{text}x", f"9{text}"):
        assert bool(engine._MENTION.search(sentence)) is bool(plain.search(sentence))


def test_the_grouped_vocabulary_and_quote_pattern_agree_on_every_labelled_phrasing() -> None:
    from bot.screening.en_rules import MENTION_EN
    from bot.screening.zh_rules import MENTION_ZH

    plain = re.compile(f"{MENTION_EN}|{MENTION_ZH}")
    quoted = re.compile(r"\"[^\"\n]{0,300}\"|(?<![a-z0-9])'[^'\n]{1,300}'(?![a-z0-9])")
    for text in [norm.normalise(t) for t in _phrasings()]:
        assert bool(engine._MENTION.search(text)) is bool(plain.search(text)), text
        assert [m.span() for m in engine._QUOTED.finditer(text)] == [m.span() for m in quoted.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="a1 '\"\n.é想", max_size=24))
def test_the_quote_pattern_checks_the_character_before_a_quote_as_the_plain_one_did(text: str) -> None:
    quoted = re.compile(r"\"[^\"\n]{0,300}\"|(?<![a-z0-9])'[^'\n]{1,300}'(?![a-z0-9])")
    assert [m.span() for m in engine._QUOTED.finditer(text)] == [m.span() for m in quoted.finditer(text)]


def _yes_or_no_patterns() -> list[re.Pattern[str]]:
    combos = [p for c in engine._COMBOS for p in (*c.cues, *([c.veto] if c.veto else []))]
    vetoes = [r.veto for r in engine.RULES if r.veto is not None]
    return [*engine._FAREWELL, *combos, *vetoes]


def test_a_yes_or_no_search_by_alternatives_answers_as_the_whole_pattern() -> None:
    # engine._anywhere runs "a|b|c" as its alternatives, each led by its first letters
    # (engine._boundary_after_first); every answer must be the whole pattern's.
    patterns = _yes_or_no_patterns()
    assert sum(bool(engine._parts(p)) for p in patterns) > 20
    assert sum(engine._whole(p) is not p for p in patterns) > 20
    everything = engine._filters().rules.everything()
    texts = [norm.normalise(t) for t in _phrasings()[::3]] + [norm.normalise(LAB_TALK * 3)]
    for pattern in patterns:
        for text in texts:
            assert engine._anywhere(everything, pattern, text) is bool(pattern.search(text)), pattern.pattern


BOUNDARY_TEXT = _joined(
    ["new job", "newt", "start", "starting at", "at", "x", "_", "1", " ", ".", "中", "\n", "é"], 10
)


@settings(max_examples=400, deadline=None)
@given(BOUNDARY_TEXT)
def test_a_boundary_moved_after_the_first_letter_finds_the_same_matches(text: str) -> None:
    source = r"\b(?:new (?:job|role)|newt|start(?:ing)? at|at\b|starting)\b"
    plain = re.compile(source)
    moved = re.compile(engine._boundary_after_first(source, plain.flags))
    assert moved.pattern != source
    assert [m.span() for m in moved.finditer(text)] == [m.span() for m in plain.finditer(text)]
    for kept in (r"\b(?:new|at)+\b", r"\b(?:\w+ing)\b", r"(?:new|at)\b", r"\b(?:n?ew|at)"):
        assert engine._boundary_after_first(kept, 0) == kept
    assert engine._boundary_after_first(r"\b(?:new|at)", re.IGNORECASE) == r"\b(?:new|at)"


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=_SURROGATES), max_size=20))
def test_the_mark_and_lookalike_checks_answer_the_same_on_bytes(text: str) -> None:
    # normalise_reading hands RE2 the UTF-8 bytes, which it would otherwise make itself.
    for s in (text, text.casefold(), f"想{text}a"):
        assert bool(norm._MARK_FREE.fullmatch(s.encode())) is bool(norm._MARK_FREE.fullmatch(s))
        assert bool(norm._LOOKALIKE.search(s.encode())) is bool(norm._LOOKALIKE.search(s))


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        st.one_of(
            st.sampled_from(list("，！？：；（）\u3000～％ａＡ１﹐ｶﾞ가\u0301\u0308é中文 a1")),
            st.characters(exclude_categories=_SURROGATES),
        ),
        max_size=16,
    )
)
def test_the_quick_nfkc_is_unicodedatas_own(text: str) -> None:
    assert norm._nfkc(text) == unicodedata.normalize("NFKC", text)
