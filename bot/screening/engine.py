"""The engine: normalise once, blank quoted research talk, apply the rule tables, combine cues.

Tier 1 rules (``RULES_EN``, ``RULES_ZH``) are crisis language on their own, unless negated in
their clause ("I don't want to die") or vetoed by their sentence. Tier 2 topic words
("suicide", "自杀") count only in sentences about the writer that are not research,
moderation or media talk. Combos need two kinds of cue in one share. Pinyin sentences meet
the Chinese cue phrases in their generated romanised form.

Every regex is linear: no nested unbounded quantifiers, only bounded windows such as "any
0-40 characters within the sentence". ``Screening.categories`` holds fixed labels only,
never text from the share, so it is safe to log.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.screening import learned
from bot.screening.en_rules import (
    COMBOS_EN,
    MENTION_EN,
    ORDINARY_LEAVING_EN,
    RULES_EN,
    THIRD_PARTY,
    WARNING_RULES_EN,
)
from bot.screening.en_signs import SIGN_COMBOS_EN, SIGN_RULES_EN
from bot.screening.model import (
    CATEGORIES,
    FW,
    MP,
    PI,
    SH,
    SI,
    WARNING_SIGNS,
    Combo,
    CueRow,
    Rule,
    Screening,
)
from bot.screening.normalise import (
    CJK,
    both_readings,
    conversion_changes,
    normalise,
    pinyin_words,
    step_hints,
)
from bot.screening.prefilter import Gate, Prefilter, Scan, Source, cache_dir
from bot.screening.zh_rules import (
    GAP,
    MACHINE_SUBJECT_ZH,
    MENTION_ZH,
    PINYIN_DISTINCT,
    RULES_ZH,
    WARNING_ROWS_ZH,
)

RULES: tuple[Rule, ...] = RULES_EN + WARNING_RULES_EN + SIGN_RULES_EN + RULES_ZH
# English rules need a Latin letter to match. The cue families (en_signs) veto by sentence.
_RULES_LATIN: tuple[Rule, ...] = RULES_EN + WARNING_RULES_EN + SIGN_RULES_EN
_COMBOS: tuple[Combo, ...] = COMBOS_EN + SIGN_COMBOS_EN
_HAS_LATIN = re.compile(r"[a-z]")
_ORDINARY_LEAVING = re.compile(ORDINARY_LEAVING_EN)
_MACHINE = re.compile(MACHINE_SUBJECT_ZH)  # "这个进程一直自杀重启" is about a process
# Warning signs may be about "they" ("they'd be relieved"); only the first-person rules check it.
_SUBJECT_CHECKED = frozenset(r.rule_id for r in RULES_EN)
# A warning sign is vetoed by an ordinary reason anywhere in the share ("I've decided. Postdoc in Paris!").
_SHARE_VETO = frozenset(r.rule_id for r in WARNING_RULES_EN) | {"en.goodbye_forever", "en.by_the_time"}

# Tier 2: topic words. Only count for sentences that are about the writer and
# are not research / media / moderation talk or about someone else.
_TOPIC: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("en.topic_suicide", SI, re.compile(r"\bsui ?cid\w*|\bsewer ?slide\w*|\bun ?aliv\w*")),
    ("en.topic_self_harm", SH, re.compile(r"\bself ?(?:harm\w*|injur\w*|mutilat\w*)")),
    ("zh.topic_suicide", SI, re.compile(r"自杀|自殺|轻生|寻死")),
    ("zh.topic_self_harm", SH, re.compile(r"自残|自伤|割腕")),
    ("zh.topic_means", MP, re.compile(r"跳楼(?!价)|烧炭|上吊")),
    ("zh.topic_note", FW, re.compile(r"遗书")),
)
# The sentence is about the writer: first person, or a cue word typical of
# disclosures ("again", "tonight", "thoughts of", "只有", "想"). A share of a
# few words ("suicide.", "自杀") has no context either way and also counts.
_ABOUT_ME = re.compile(
    r"\b(?:i|me|my|myself|mine)\b"
    r"|\b(?:again|tonight|lately|anymore|keeps?|on my mind|crossing my mind|only option"
    r"|thinking (?:about|of)|think about|thought about"
    r"|only way|relapse\w*|urges?|thoughts?|considering|contemplating)\b"
    r"|我|自己|想|要|打算|准备|念头|想法|冲动|又|一直|总|试过|未遂|唯一|出路|写|留"
)

# Farewell combinations: a goodbye phrase plus a finality cue or an apology.
_GOODBYE = re.compile(
    r"\b(?:goodbye|good bye|farewell|bye (?:everyone|all|guys|friends)|say(?:ing)? goodbye"
    r"|thank you (?:all )?for everything|thanks for everything"
    r"|you were (?:good|great|the best|wonderful) friends)\b"
    r"|再见|永别|谢谢(?:你们|大家)|对不起(?:大家|你们)"
)
_FINALITY = re.compile(
    r"\bi (?:will not|am not going to|am never going to) (?:be (?:here|around)|see (?:you|anyone))\b"
    r"|\b(?:i will be|i am) gone\b(?! for)|\bnever see (?:you|any of you)\b"
    r"|\bthis is (?:my )?(?:last|final) (?:message|post|time)\b(?! (?:before|until|for|of|in|on|here))"
    r"|\bbefore i go$|\bbefore i go[,.!;]"
    r"|\b(?:my time is up|it is time for me to go|i have made up my mind)\b"
    r"|\b(?:going to|will) do it (?:tonight|today|now|soon|this weekend)\b"
    r"|最后一(?:条|句)(?:消息|留言|话)|最后一次(?:说|跟|和|见)|再也见不到|下辈子|来世"
)
# Apologies and last words that close a goodbye.
_CLOSURE = re.compile(
    r"\b(?:sorry|forgive me) for (?:everything|being (?:a|such a) burden|all (?:the|of the)"
    r" (?:trouble|pain))\b|\bforgive me\b|\bi am (?:so )?sorry(?= ?[.!]|$)|\bi love you all\b"
    r"|\btake care of (?:each other|yourselves|my)\b"
    r"|\b(?:do not|never) blame (?:yourselves|yourself|anyone|each other)\b"
    r"|\b(?:it is|it was) not (?:your|anyone's) fault\b"
)
_LEAVING_JOB = re.compile(
    r"\b(?:last day|new job|new role|new position|graduat\w*|moving|retir\w*|sabbatical"
    r"|vacation|holiday|conference|see you|keep in touch|stay in touch|signing off|log(?:ging)? off"
    r"|(?:on|parental|medical|sick|annual|maternity|paternity|study) leave"
    r"|leaving (?:the|this|our) (?:lab|company|team|group|job|org|university))\b"
    r"|离职|毕业|新公司|新工作|下个月|下周|回国|休假|出差|解散|归档"
)

_FAREWELL = (_GOODBYE, _CLOSURE, _FINALITY, _LEAVING_JOB, _ORDINARY_LEAVING)  # yes-or-no searches

# Negation immediately before a match, within the same clause.
_NEG_TAIL = re.compile(
    r"(?:\bnot|\bnever|\bno longer|\bnothing like"
    r"|\bno (?:(?:real|active|current|serious) )?"
    r"(?:thoughts?|intentions?|plans?|urges?|desire|wish) (?:of|to|about))"
    r"(?: (?:really|ever|even|actually|going|want|wanting|planning|plan|intending|intend|to|be"
    r"|about|ready|able|i|am|will|would|do|so|at|all|have|feel|feeling|currently|thinking|think|of"
    r"|considering|any|thoughts?)){0,4} ?$"
)
# "it/he/the model wants to die": the subject is not the writer.
_OTHER_SUBJECT_TAIL = re.compile(
    r"\b(?:it|he|she|they|model|agent|character|bot|chatbot|policy|ai|llm|npc|villain|hero)"
    r"(?: (?:really|still|just|also|apparently|supposedly|says|said|claims))? $"
)
# "trying not to self-harm" signals an urge, not a negation.
_URGE_TAIL = re.compile(r"\b(?:try|trying|tried|hard|struggling|struggle|fighting|fight) not to ?$")
# A-not-A questions (要不要, 想不想) ask "whether", they do not negate.
_A_NOT_A_TAIL = re.compile(r"(.)不\1$")
# Cantonese 唔/冇 as well; "没有任何…的想法" and "冇谂过…" deny a thought; "不是想死那种" denies the kind.
_NEG_TAIL_ZH = re.compile(
    r"(?:不|没|没有|别|不会|不要|不想|从没|从来没|绝不|并不|不再|唔|冇|不是|唔系|唔是)"
    r"(?:任何)?(?:会|想|要|再|想过|谂过|諗过)? ?$"
)
_CLAUSE_BREAK = re.compile(r"[,.;:!?\n，。；：！？]")
_SENTENCE = re.compile(r"[^.!?\n。！？]+")
# Each alternative starts with its quote mark, so re skips in C to the quote marks; the check
# that no letter or digit comes before a single quote follows it: (?<![a-z0-9].).
_QUOTED = re.compile(r"\"[^\"\n]{0,300}\"|'(?<![a-z0-9].)[^'\n]{1,300}'(?![a-z0-9])")
_TITLE = re.compile(r"《[^》\n]{0,100}》")

# Words rebuilt from deliberately spaced-out letters are searched for these
# compact keys without word boundaries ("i w a n t t o d i e" -> "iwanttodie").
_COMPACT_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("killmyself", SI),
    ("killingmyself", SI),
    ("wanttodie", SI),
    ("wannadie", SI),
    ("suicid", SI),
    ("endmylife", SI),
    ("unalive", SI),
    ("kms", SI),
    ("selfharm", SH),
    ("cutmyself", SH),
    ("hangmyself", (*SI, *MP)),
    ("nobodywouldmissme", PI),
)
_COMPACT_NEGATORS = ("dont", "donot", "not", "never")
# Dotted words must match one of these as a whole word ("sui.cide", "k.ms"),
# so "self.harm_classifier" in a code snippet is not a hit.
_DOTTED_KEYS = re.compile(r"sui ?cid(?:e|es|al)|unaliv(?:e|ed|ing)|kil+my ?self|kms")


def _clause_prefix(text: str, start: int) -> str:
    """Return the text of the current clause before ``start`` (at most 60 chars)."""
    window = text[max(0, start - 60) : start]
    parts = _CLAUSE_BREAK.split(window)
    return parts[-1] if parts else ""


def _other_subject(text: str, start: int) -> bool:
    """Tell whether an English match is predicated of someone or something else."""
    return bool(_OTHER_SUBJECT_TAIL.search(_clause_prefix(text, start)))


def _negated(text: str, start: int) -> bool:
    """Tell whether the match at ``start`` is directly negated in its clause."""
    prefix = _clause_prefix(text, start)
    if _URGE_TAIL.search(prefix) or _A_NOT_A_TAIL.search(prefix):
        return False
    return bool(_NEG_TAIL.search(prefix) or _NEG_TAIL_ZH.search(prefix))


_SENTENCE_BREAKS = frozenset(".!?\n。！？")


def _sentence_bounds(text: str, start: int) -> tuple[int, int]:
    """Return where the sentence that contains position ``start`` begins and ends."""
    left = start
    while left > 0 and text[left - 1] not in _SENTENCE_BREAKS:
        left -= 1
    right = start
    while right < len(text) and text[right] not in _SENTENCE_BREAKS:
        right += 1
    return left, right


def _sentence_at(text: str, start: int) -> str:
    """Return the sentence that contains position ``start``."""
    left, right = _sentence_bounds(text, start)
    return text[left:right]


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with those spans blanked out."""
    for left, right in sorted(set(spans), reverse=True):
        text = f"{text[:left]} {text[right:]}"
    return text


def _prepare(text: str, filters: _Filters) -> str:
    """Blank out titles, and quoted phrases when the share reads as research talk."""
    if "《" in text:
        text = _TITLE.sub(" ", text)
    if (
        ('"' in text or "'" in text)
        and _QUOTED.search(text)  # cheaper than the vocabulary, and without a quote nothing changes
        and filters.quotes.scan(text).may(_MENTION)
        and _MENTION.search(text)
    ):
        text = _QUOTED.sub(" ", text)
    return text


def _class_end(source: str, start: int) -> int:
    """The index after the character class that opens at ``start`` (a "]" first in it is literal)."""
    i = start + 1
    if source[i : i + 1] == "^":
        i += 1
    if source[i : i + 1] == "]":
        i += 1
    while i < len(source) and source[i] != "]":
        i += 2 if source[i] == "\\" else 1
    return i + 1


def _structure(source: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """Each "(", ")" and "|" of a pattern's source outside escapes and classes, with the depth after it."""
    depth = 0
    i = start
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(source, i)
            continue
        if char in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[char]
            yield i, char, depth
        i += 1


def _group_end(source: str, start: int) -> int:
    """The index after the group that opens at ``start``."""
    for i, char, depth in _structure(source, start):
        if char == ")" and depth == 0:
            return i + 1
    return len(source)


def _without_lookarounds(source: str) -> str:
    """The pattern's source with every lookahead and lookbehind taken out (nested ones too)."""
    out: list[str] = []
    i = 0
    while i < len(source):
        if source[i] == "\\":
            out.append(source[i : i + 2])
            i += 2
        elif source[i] == "[":
            end = _class_end(source, i)
            out.append(source[i:end])
            i = end
        elif source.startswith(_LOOKAROUNDS, i):
            i = _group_end(source, i)
        else:
            out.append(source[i])
            i += 1
    return "".join(out)


_LOOKAROUNDS = ("(?!", "(?<!", "(?=", "(?<=")


@functools.cache
def _relaxed(rule: Rule) -> re.Pattern[str] | None:
    """The rule's pattern without its conditions on context (lookarounds), or None if it has none.

    Where this matches and the rule itself does not, the rule recognised its words and excluded
    them on purpose: an idiom ("die a little", "tired of living paycheck to paycheck"), another
    sense ("5 kms"), 活得 ("live so") in 我不想活得这么累.
    """
    source = rule.pattern.pattern
    if not any(mark in source for mark in _LOOKAROUNDS):
        return None
    try:
        return re.compile(_without_lookarounds(source), rule.pattern.flags)
    except re.error:  # pragma: no cover - every rule's relaxed form compiles (a unit test checks)
        return None


def _top_level_split(source: str) -> list[str]:
    """The source cut at each "|" outside any group or character class."""
    cuts = [i for i, char, depth in _structure(source) if char == "|" and depth == 0]
    return [source[a + 1 : b] for a, b in itertools.pairwise([-1, *cuts, len(source)])]


def _by_first_character(source: str, after_first: str = "", after: str = "") -> str:
    """``a|b|c`` with the alternatives that start with the same letter grouped under it.

    The same language (with ``after_first`` checked after that letter and ``after`` after each
    alternative; a part that starts otherwise is kept whole, ``after`` too). A pattern whose every
    alternative starts with a letter lets ``re`` skip in C to the positions holding one.
    """
    groups: dict[str, list[str]] = {}
    rest: list[str] = []
    for part in _top_level_split(source):
        if part[:1].isalnum() and part[1:2] not in ("?", "*", "+", "{"):
            groups.setdefault(part[0], []).append(part[1:])
        else:
            rest.append(part)
    grouped = (f"{c}{after_first}(?:{'|'.join(tails)}){after}" for c, tails in groups.items())
    return "|".join([*grouped, *(f"(?:{part}){after}" for part in rest)])


_QUANTIFIERS = ("?", "*", "+", "{")
_NO_WORD_BEFORE = r"(?<!\w.)"  # after a word's first letter: what \b before it checks


def _boundary_after_first(source: str, flags: int) -> str:
    r"""``\b(?:a…|b…)rest`` as ``(?:a(?<!\w.)(?:…)|b(?<!\w.)(?:…))rest``: the same matches, found faster.

    Behind a leading ``\b`` Python's ``re`` tries every word of the group at every position of
    the share (up to 0.09 ms on 2,000 characters for one alternative of a rule); led by the
    words' first letters it skips in C to the positions holding one. Where the group opens
    with a letter, ``\b`` before it is exactly ``(?<!\w.)`` after it: no word character before
    that letter. Words with the same first letter keep their order, and words with different
    ones never both start at one position, so every match (and every attempt at one) is the
    same. Anything else comes back as it is: no leading ``\b(?:``, a quantified group, a word
    that does not start with a plain ASCII letter or digit, a case-insensitive pattern.
    """
    head = "\\b(?:"
    if not source.startswith(head) or flags & re.IGNORECASE:
        return source
    end = _group_end(source, 2)
    inner, rest = source[len(head) : end - 1], source[end:]
    if rest[:1] in _QUANTIFIERS or source[end - 1] != ")":
        return source
    words = _top_level_split(inner)
    if not all(w[:1].isascii() and w[:1].isalnum() and w[1:2] not in _QUANTIFIERS for w in words):
        return source
    return f"(?:{_by_first_character(inner, _NO_WORD_BEFORE)}){rest}"


def _mention() -> re.Pattern[str]:
    r"""The research / media vocabulary (``MENTION_EN|MENTION_ZH``), found faster.

    A leading ``\b`` makes ``re`` try every alternative at every position (0.19 ms on the slowest
    2,000-character shares, 0.11 ms this way). Here each English word starts with its first
    letter, and the boundary before it is checked just after: ``(?<!\w.)``, no word character
    before that letter.
    """
    head, tail = r"\b(?:", r")\b"
    if not (MENTION_EN.startswith(head) and MENTION_EN.endswith(tail)):
        raise ValueError("MENTION_EN is no longer one group of words between word boundaries")
    words = _by_first_character(MENTION_EN[len(head) : -len(tail)], r"(?<!\w.)", r"\b")
    return re.compile(f"{words}|{_by_first_character(MENTION_ZH)}")


_MENTION = _mention()


@functools.cache
def _alternatives(rule: Rule) -> tuple[re.Pattern[str], ...]:
    """The rule's top-level alternatives ("a|b|c") compiled alone, or () if it is not "a|b|c".

    Python's ``re`` tries every alternative at every position of the share, so a rule of twenty
    alternatives costs about 0.5 ms on 2,000 characters even when one of them could match. The
    prefilter scans each alternative on its own and only those that may match run
    (:func:`_leftmost` gives exactly ``finditer``'s matches of the whole pattern from theirs).
    """
    parts = _top_level_split(rule.pattern.pattern)
    if len(parts) < 2:
        return ()
    flags = rule.pattern.flags
    return tuple(re.compile(_boundary_after_first(part, flags), flags) for part in parts)


@functools.cache
def _parts(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], ...]:
    """A pattern's top-level alternatives compiled alone, for a yes-or-no search (() if not "a|b|c")."""
    parts = _top_level_split(pattern.pattern)
    if len(parts) < 2 or _GLOBAL_FLAGS.match(pattern.pattern):
        return ()
    return tuple(re.compile(_boundary_after_first(part, pattern.flags), pattern.flags) for part in parts)


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")  # would apply to the first alternative alone


def _anywhere(scan: Scan, pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` matches somewhere in ``text``: ``bool(scan.search(pattern, text))``, faster.

    "a|b|c" matches somewhere exactly when one of a, b and c does, so only the alternatives the
    prefilter left possible run, each alone: ``re`` tries every alternative at every position
    of a whole pattern (up to 0.25 ms on 2,000 characters), one alone skips to where it can start.
    """
    if not scan.may(pattern):
        return False
    parts = _parts(pattern)
    if not parts:
        return _whole(pattern).search(text) is not None
    return any(part.search(text) is not None for part in parts if scan.may(part))


@functools.cache
def _whole(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern with :func:`_boundary_after_first` applied (itself where that changes nothing)."""
    source = _boundary_after_first(pattern.pattern, pattern.flags)
    return pattern if source == pattern.pattern else re.compile(source, pattern.flags)


@functools.cache
def _relaxed_alternatives(rule: Rule) -> tuple[re.Pattern[str], ...] | None:
    """:func:`_relaxed` alternative by alternative (None where the rule has no lookaround)."""
    if _relaxed(rule) is None:
        return None
    flags = rule.pattern.flags
    return tuple(
        re.compile(_boundary_after_first(_without_lookarounds(part), flags), flags)
        for part in _top_level_split(rule.pattern.pattern)
    )


def _leftmost(patterns: tuple[re.Pattern[str], ...], text: str) -> Iterator[re.Match[str]]:
    """``finditer`` of the pattern "a|b|c" over ``text``, from the searches of a, b and c alone.

    At each position the whole pattern takes the first alternative that matches there, then goes
    on after that match; so the next match is the alternatives' leftmost next match, the earliest
    alternative on a tie. ``search(text, pos)`` still sees the text before ``pos`` (lookbehinds,
    word boundaries). Leaving out an alternative that matches nowhere changes nothing. No rule
    matches the empty string (a unit test checks), so a match always moves on.
    """
    if len(patterns) == 1:
        yield from patterns[0].finditer(text)
        return
    pending = [p.search(text) for p in patterns]
    while True:
        best: re.Match[str] | None = None
        for m in pending:
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return
        yield best
        pos = max(best.end(), best.start() + 1)
        pending = [
            m if m is None or m.start() >= pos else p.search(text, pos)
            for p, m in zip(patterns, pending, strict=True)
        ]


def _live(
    patterns: tuple[re.Pattern[str], ...], numbers: tuple[int, ...], possible: frozenset[int]
) -> tuple[re.Pattern[str], ...]:
    """The alternatives the prefilter left possible."""
    return tuple(p for p, n in zip(patterns, numbers, strict=True) if n in possible)


def _match_rules(
    text: str,
    scan: Scan,
    filters: _Filters,
    cleared: list[tuple[int, int]] | None = None,
    unfired: list[_Unfired] | None = None,
) -> list[tuple[str, tuple[str, ...]]]:
    """Apply the tier-1 rule table to normalised text.

    Into ``cleared`` go the sentences whose crisis words a rule recognised and then read as
    negated or said of someone else ("I don't want to die"); into ``unfired`` the rules the
    prefilter let through that did not fire, whose idioms :func:`_cleared_idioms` finds.
    """
    hits: list[tuple[str, tuple[str, ...]]] = []
    possible = scan.possible
    rules = (filters.latin if _HAS_LATIN.search(text) else ()) + (filters.zh if _HAS_CJK.search(text) else ())
    for index, rule, numbers in rules:
        if index not in possible:
            continue  # the prefilter proved that no match exists
        fired = False
        live = _live(_alternatives(rule), numbers, possible) if numbers else ()
        for m in _leftmost(live, text) if numbers else rule.pattern.finditer(text):
            scope = text if rule.rule_id in _SHARE_VETO else _sentence_at(text, m.start())
            if (
                (rule.negatable and _negated(text, m.start()))
                or (rule.rule_id in _SUBJECT_CHECKED and _other_subject(text, m.start()))
                or (rule.veto is not None and _anywhere(scan, rule.veto, scope))
            ):
                if cleared is not None:
                    cleared.append(_sentence_bounds(text, m.start()))
                continue
            hits.append((rule.rule_id, rule.categories))
            fired = True
            break
        if not fired and unfired is not None:
            unfired.append((rule, numbers, possible))
    return hits


_Unfired = tuple[Rule, tuple[int, ...], frozenset[int]]  # a rule, its alternatives' numbers, a scan


def _cleared_idioms(text: str, unfired: list[_Unfired]) -> list[tuple[int, int]]:
    """The sentences where a rule that did not fire found its words in a context it excludes.

    "I want to take my life back from work", "tired of living paycheck to paycheck",
    我不想活得这么累了: the word model does not get to read those again. An alternative the
    prefilter ruled out cannot match relaxed either (its scan drops lookarounds too).
    """
    cleared: list[tuple[int, int]] = []
    for rule, numbers, possible in unfired:
        if (relaxed := _relaxed(rule)) is None:
            continue
        if numbers:
            found = _leftmost(_live(_relaxed_alternatives(rule) or (), numbers, possible), text)
        else:
            found = relaxed.finditer(text)
        cleared += (_sentence_bounds(text, m.start()) for m in found)
    return cleared


def is_short(text: str) -> bool:
    """Tell whether a share is too short to carry any context (a bare "自杀")."""
    return len(text.split()) <= 3 and len(text) <= 24


def _match_topics(
    text: str, scan: Scan, cleared: list[tuple[int, int]] | None = None
) -> list[tuple[str, tuple[str, ...]]]:
    """Apply the tier-2 topic words, sentence by sentence.

    Into ``cleared`` go the sentences whose topic words are negated ("I'm not suicidal, just
    tired") or said of research, someone else or a machine.
    """
    hits: list[tuple[str, tuple[str, ...]]] = []
    topics = [topic for topic in _TOPIC if scan.may(topic[2])]
    if not topics:
        return hits
    short = is_short(text)
    for sent in _SENTENCE.finditer(text):
        sentence = sent.group()
        present = [topic for topic in topics if topic[2].search(sentence)]
        if not present:  # nothing to hold or clear here: the context checks below need not run
            continue
        if (
            scan.search(_MENTION, sentence)
            or scan.search(THIRD_PARTY, sentence)
            or scan.search(_MACHINE, sentence)
        ):
            if cleared is not None:
                cleared.append(sent.span())
            continue
        if not (short or scan.search(_ABOUT_ME, sentence)):
            continue
        for rule_id, cats, pattern in present:
            for m in pattern.finditer(sentence):
                if not _negated(sentence, m.start()):
                    hits.append((rule_id, cats))
                    break
                if cleared is not None:
                    cleared.append(sent.span())
    return hits


def _match_farewell(text: str, scan: Scan) -> list[tuple[str, tuple[str, ...]]]:
    """Combine two of goodbye / finality / closure, unless it is a job farewell."""
    goodbye = _anywhere(scan, _GOODBYE, text)
    apology = _anywhere(scan, _CLOSURE, text)
    final = _anywhere(scan, _FINALITY, text)
    if not ((final and (goodbye or apology)) or (goodbye and apology)):
        return []
    if _anywhere(scan, _LEAVING_JOB, text) or _anywhere(scan, _ORDINARY_LEAVING, text):
        return []
    return [("farewell.combination", FW)]


def _match_compact(words: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """Search words rebuilt from spaced-out or dotted letters for compact keys."""
    hits: list[tuple[str, tuple[str, ...]]] = []
    for word in words:
        if word.startswith("+"):
            if _DOTTED_KEYS.fullmatch(word[1:]):
                hits.append(("compact.dotted", SI))
            continue
        for key, cats in _COMPACT_KEYS:
            pos = word.find(key)
            if pos < 0 or (key == "kms" and word != key):
                continue
            if any(word[:pos].endswith(neg) for neg in _COMPACT_NEGATORS):
                continue
            hits.append((f"compact.{key}", cats))
    return hits


# Discord's markup for a mention of a member, role or channel, and @everyone / @here: not words
# anyone wrote ("<@123> @everyone same here" is three words of reply, not six).
_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b")


def _variants(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Normalise with 1 read as 'i' and, if a 1 stood for a letter, also as 'l' (mentions left out)."""
    if "<" in text or "@" in text:
        text = _DISCORD_MARKUP.sub(" ", text)
    return both_readings(text)


# ---------------------------------------------------------------------------
# Combination rows: English combos and Chinese cue rows (hanzi and generated pinyin)
# ---------------------------------------------------------------------------

_HANZI_GAP = r"[^。！？.!?\n]{0,8}"
_PINYIN_NEGATORS = frozenset({"bu", "mei", "bie"})
_HAS_CJK = re.compile(f"[{CJK}]")
_READINGS: dict[str, list[list[list[str]]]] = json.loads(
    (Path(__file__).with_name("pinyin_cues.json")).read_text(encoding="utf-8")
)


def _hanzi(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of the phrases, a gap standing for up to 8 characters of the sentence."""
    return re.compile("|".join(_HANZI_GAP.join(map(re.escape, p.split(GAP))) for p in phrases))


Piece = tuple[frozenset[str], ...]  # the readings of each syllable of a run without gaps
Phrase = tuple[Piece, ...]  # runs separated by gaps of up to 4 words


@dataclass(frozen=True)
class _PinyinGroup:
    """A group's pinyin phrases, indexed by the readings of their first syllable."""

    by_first: dict[str, tuple[Phrase, ...]]


def _pinyin(phrases: tuple[str, ...], shortest: int) -> _PinyinGroup | None:
    """The phrases' generated pinyin forms, leaving out the too ambiguous short ones."""
    index: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        pieces = _READINGS.get(phrase)  # missing only while pinyin_cues.json is stale (a test fails)
        if pieces is None:
            continue
        syllables = sum(len(piece) for piece in pieces)
        if syllables < 2 or (syllables < shortest and phrase not in PINYIN_DISTINCT):
            continue
        compiled = tuple(
            tuple(frozenset({*char, *(r.replace("v", "u") for r in char)}) for char in piece)
            for piece in pieces
        )
        for first in compiled[0][0]:
            index.setdefault(first, []).append(compiled)
    return _PinyinGroup({k: tuple(v) for k, v in index.items()}) if index else None


def _piece_at(words: list[str], j: int, piece: Piece) -> bool:
    """The run of syllables starts at word ``j``."""
    if j + len(piece) > len(words):
        return False
    for t, readings in enumerate(piece):  # noqa: SIM110 - a plain loop: the hot path for pinyin shares
        if words[j + t] not in readings:
            return False
    return True


def _rest_at(words: list[str], pos: int, pieces: tuple[Piece, ...]) -> bool:
    """The remaining runs follow, each after a gap of 0-4 words that never crosses a sentence."""
    if not pieces:
        return True
    for j in range(pos, min(pos + 5, len(words))):
        if j > pos and words[j - 1] == ".":
            break
        if _piece_at(words, j, pieces[0]) and _rest_at(words, j + len(pieces[0]), pieces[1:]):
            return True
    return False


_PINYIN_MODALS = frozenset({"hui", "xiang", "yao", "zai"})


def _pinyin_negated(words: list[str], i: int) -> bool:
    """不/没/别/没有 just before the phrase, as ``_NEG_TAIL_ZH`` reads hanzi (任何, 会/想/要/再 between)."""
    if i >= 1 and words[i - 1] in _PINYIN_MODALS:
        i -= 1
    if i >= 2 and words[i - 2 : i] == ["ren", "he"]:
        i -= 2
    return (i >= 1 and words[i - 1] in _PINYIN_NEGATORS) or (i >= 2 and words[i - 2 : i] == ["mei", "you"])


@dataclass(frozen=True)
class _Romanised:
    """The pinyin words of a share and where each word occurs."""

    words: list[str]
    positions: dict[str, list[int]]

    @classmethod
    def of(cls, text: str) -> _Romanised:
        """Index the pinyin sentences of normalised text."""
        words = pinyin_words(text)
        positions: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            positions.setdefault(word, []).append(i)
        return cls(words, positions)


def _group_matches(text: _Romanised, group: _PinyinGroup, *, negatable: bool) -> bool:
    """Some phrase of the group occurs (not directly negated, when that matters)."""
    words = text.words
    for first in group.by_first.keys() & text.positions.keys():
        for i in text.positions[first]:
            for phrase in group.by_first[first]:
                if (
                    _piece_at(words, i, phrase[0])
                    and _rest_at(words, i + len(phrase[0]), phrase[1:])
                    and not (negatable and _pinyin_negated(words, i))
                ):
                    return True
    return False


@dataclass(frozen=True)
class _CompiledRow:
    """A cue row compiled for Chinese characters and, where every group has one, for pinyin."""

    row: CueRow
    hanzi: tuple[re.Pattern[str], ...]
    hanzi_veto: re.Pattern[str] | None
    pinyin: tuple[_PinyinGroup, ...] | None
    pinyin_veto: _PinyinGroup | None
    pinyin_gates: tuple[str, ...]  # regex sources, compiled only for the prefilter (see _gate)


# In the share, the syllables of a run may be written together or apart ("xiangsi", "xiang si",
# "xi'an"); the runs of a phrase lie in one pinyin sentence (see normalise.pinyin_sentences).
_SYLLABLE_SEP = "[^a-z.!?\n。！？,，;；:：]*"
_RUN_GAP = "[^.!?\n。！？,，;；:：]*"


def _gate(group: _PinyinGroup) -> str:
    """A regex over the normalised share that matches wherever a phrase of the group could.

    Every syllable ``pinyin_words`` yields is a run of letters of one word of a pinyin sentence,
    so a phrase found there has its syllables, in order, in one such sentence of the share.
    """
    phrases = sorted(
        {phrase for phrases in group.by_first.values() for phrase in phrases},
        key=lambda phrase: [[sorted(readings) for readings in piece] for piece in phrase],
    )  # in a fixed order, whatever the hash seed: the source is part of the prefilter's cache key
    return "|".join(
        _RUN_GAP.join(
            _SYLLABLE_SEP.join("(?:" + "|".join(sorted(readings)) + ")" for readings in piece)
            for piece in phrase
        )
        for phrase in phrases
    )


def _compile(row: CueRow) -> _CompiledRow:
    """Compile one row both ways."""
    # Alone, a two-syllable phrase is too often another word ("you ge": 又割 or 有个).
    shortest = 2 if len(row.groups) > 1 else 3
    pinyin = [_pinyin(group, shortest) for group in row.groups]
    groups = None if any(p is None for p in pinyin) else tuple(p for p in pinyin if p is not None)
    return _CompiledRow(
        row,
        tuple(_hanzi(group) for group in row.groups),
        _hanzi(row.veto) if row.veto else None,
        groups,
        _pinyin(row.veto, 2) if row.veto else None,
        tuple(_gate(group) for group in groups or ()),
    )


_ROWS: tuple[_CompiledRow, ...] = tuple(_compile(row) for row in WARNING_ROWS_ZH)


def _match_rows(text: str, scan: Scan, filters: _Filters) -> list[tuple[str, tuple[str, ...]]]:
    """Apply the Chinese cue rows to Chinese characters and to the sentences written in pinyin."""
    hits: list[tuple[str, tuple[str, ...]]] = []
    cjk = bool(_HAS_CJK.search(text))
    possible = scan.possible
    romanisable = {
        id(c)
        for c, gates in zip(_ROWS, filters.row_gates, strict=True)
        if c.pinyin is not None and possible.issuperset(gates)
    }
    romanised = _Romanised.of(text) if romanisable else None
    for compiled, numbers in zip(_ROWS, filters.row_hanzi, strict=True):
        row = compiled.row
        if cjk and row.hanzi and possible.issuperset(numbers) and _hanzi_match(text, scan, compiled):
            hits.append((row.rule_id, row.categories))
        elif (
            romanised is not None
            and romanised.words
            and id(compiled) in romanisable
            and _pinyin_match(romanised, compiled)
        ):
            hits.append((row.rule_id + ".pinyin", row.categories))
    return hits


def _hanzi_match(text: str, scan: Scan, compiled: _CompiledRow) -> bool:
    """Every group matches and the veto does not.

    The veto counts anywhere in the share, or, for a ``local`` row, only in the sentences where
    the groups matched: a sign buried in a long share of lab news is not vetoed by the news.
    """
    found = []
    for p in compiled.hanzi:
        if (m := scan.search(p, text)) is None:
            return False
        found.append(m)
    veto = compiled.hanzi_veto
    if veto is None or not scan.may(veto):
        return True
    if not compiled.row.local:
        return veto.search(text) is None
    return not any(veto.search(_sentence_at(text, m.start())) for m in found if m is not None)


def _pinyin_match(text: _Romanised, compiled: _CompiledRow) -> bool:
    """Every group matches, not directly negated, and the veto does not."""
    assert compiled.pinyin is not None  # noqa: S101 - checked by the caller
    if not all(_group_matches(text, group, negatable=True) for group in compiled.pinyin):
        return False
    return not (compiled.pinyin_veto and _group_matches(text, compiled.pinyin_veto, negatable=False))


def _match_combos(text: str, scan: Scan) -> list[tuple[str, tuple[str, ...]]]:
    """English combinations: every cue somewhere in the share, no veto."""
    return [
        (c.rule_id, c.categories)
        for c in _COMBOS
        if all(_anywhere(scan, p, text) for p in c.cues) and not (c.veto and _anywhere(scan, c.veto, text))
    ]


@dataclass(frozen=True)
class _Filters:
    """The prefilters: one over every pattern the rules apply, one for _prepare's research check."""

    rules: Prefilter
    quotes: Prefilter
    latin: tuple[tuple[int, Rule, tuple[int, ...]], ...]  # the rules, their and their alternatives' numbers
    zh: tuple[tuple[int, Rule, tuple[int, ...]], ...]
    row_gates: tuple[tuple[int, ...], ...]  # the numbers of each row's pinyin gates
    row_hanzi: tuple[tuple[int, ...], ...]  # and of its groups of Chinese characters


_BUILD = threading.Lock()
_built: _Filters | None = None


def _filters() -> _Filters:
    """The prefilters, built once (a fraction of a second; ``warm_up`` does it in a thread)."""
    global _built  # built once, then only read
    with _BUILD:
        if _built is None:
            _built = _build_filters()
        return _built


def _build_filters() -> _Filters:
    patterns: list[Source] = []
    # A pattern "a|b|c" is run as its alternatives, each of which the prefilter scans: it may
    # match exactly where one of them may, so it is not scanned itself.
    unions: dict[Source, tuple[re.Pattern[str], ...]] = {}
    # The pinyin gates are only ever scanned by the prefilter, never run by re.
    gates = [tuple(Gate(source) for source in row.pinyin_gates) for row in _ROWS]
    for r in RULES:
        patterns += [r.pattern, *_alternatives(r), *([r.veto, *_parts(r.veto)] if r.veto else [])]
        unions[r.pattern] = _alternatives(r)
        if r.veto:
            unions[r.veto] = _parts(r.veto)
    for c in _COMBOS:
        for p in (*c.cues, *([c.veto] if c.veto else [])):
            patterns += [p, *_parts(p)]
            unions[p] = _parts(p)
    for row, row_gates in zip(_ROWS, gates, strict=True):
        patterns += [*row.hanzi, *([row.hanzi_veto] if row.hanzi_veto else []), *row_gates]
    patterns += [topic for _, _, topic in _TOPIC]
    patterns += [_MENTION, THIRD_PARTY, _MACHINE, _ABOUT_ME]
    patterns += [p for farewell in _FAREWELL for p in (farewell, *_parts(farewell))]
    unions.update((farewell, _parts(farewell)) for farewell in _FAREWELL)
    rules = Prefilter(
        patterns,
        unions={whole: parts for whole, parts in unions.items() if parts},
        cache=cache_dir(),
        canaries=_canaries(),
    )
    return _Filters(
        rules,
        Prefilter([_MENTION]),
        tuple(
            (rules.index_of(r.pattern), r, tuple(map(rules.index_of, _alternatives(r)))) for r in _RULES_LATIN
        ),
        tuple((rules.index_of(r.pattern), r, tuple(map(rules.index_of, _alternatives(r)))) for r in RULES_ZH),
        tuple(tuple(rules.index_of(g) for g in row_gates) for row_gates in gates),
        tuple(tuple(rules.index_of(p) for p in row.hanzi) for row in _ROWS),
    )


# What the prefilter's Hyperscan must find on this machine before it is trusted (see Prefilter):
# one warning sign of each kind, in English, Chinese and pinyin, where a share may put it.
_CANARY_SIGNS = (
    "i want to die",
    "there is no reason to live anymore",
    "i have given away my books and plants, i won't need them where i'm going",
    "everyone would be better off without me, i'm just a burden",
    "i've been looking up how many pills it would take and i have saved enough",
    "i've decided, it will be this friday. sorry in advance",
    "this is my last message. goodbye everyone, thank you for everything",
    "i wish i could go to sleep and never wake up",
    "i've been cutting myself again",
    "kys. i want to unalive myself, sewerslide",
    "我不想活了，活着没意思",
    "我把东西都送人了，以后用不上了",
    "wo bu xiang huo le, xiang si",
)
_CANARY_FILLER = (
    "the rebuttal is due friday and reviewer 2 wants three more ablations. i killed the stuck jobs on"
    " node 7 and the loss went to nan at step 40k. 这周赶论文累死了，训练又崩了。 "
)


def _canaries() -> list[str]:
    """Each sign alone; then all of them, spaced by lab talk, in three long shares, each in its own order.

    Every pattern is run by ``re`` on each (the check costs tens of milliseconds, in warm_up's
    thread), so the long shares hold all the signs at once rather than one share each.
    """
    signs = [normalise(sign) for sign in _CANARY_SIGNS]
    gap = _CANARY_FILLER[:90]
    shares = [f" {gap} ".join(signs[k:] + signs[:k]) for k in (0, 5, 9)]
    return [*signs, *shares]


@functools.cache
def _unfiltered() -> _Filters:
    """Filters that let every pattern through: every number is -1, which every scan allows."""
    return _Filters(
        Prefilter([]),
        Prefilter([]),
        tuple((-1, r, tuple(-1 for _ in _alternatives(r))) for r in _RULES_LATIN),
        tuple((-1, r, tuple(-1 for _ in _alternatives(r))) for r in RULES_ZH),
        tuple(tuple(-1 for _ in row.pinyin_gates) for row in _ROWS),
        tuple(tuple(-1 for _ in row.hanzi) for row in _ROWS),
    )


def warm_up() -> None:
    """Build the prefilters and load the word model now (in a thread; meanwhile, every pattern runs)."""
    _filters()
    step_hints()  # the normaliser's own
    conversion_changes()
    learned.model()
    for rule in RULES:
        _relaxed(rule)  # compiled once, here, not on the first share that needs one
        _relaxed_alternatives(rule)


def _hits(
    text: str, *, prefilter: bool = True, variants: list[tuple[str, tuple[str, ...]]] | None = None
) -> list[tuple[str, tuple[str, ...]]]:
    """Every rule that fires, over both readings of the digit 1."""
    return _read(text, prefilter=prefilter, variants=variants, for_model=False)[0]


def _read(
    text: str,
    *,
    prefilter: bool = True,
    variants: list[tuple[str, tuple[str, ...]]] | None = None,
    always_clear: bool = False,
    for_model: bool = True,
) -> tuple[list[tuple[str, tuple[str, ...]]], str]:
    """Every rule that fires, over both readings of the digit 1; and what the word model reads.

    That is the first reading (a 1 read as "i"), prepared as the rules see it, without the
    sentences the rules cleared (see :func:`_match_rules`): the model never overrules a negation
    or an idiom the rules recognised.

    ``prefilter=False`` runs every pattern with ``re`` (tests compare both ways), and so does a
    share screened while the prefilter is still being built: the same answer, only slower,
    rather than an event loop blocked on the build.
    """
    hits: list[tuple[str, tuple[str, ...]]] = []
    filters = _built if prefilter and _built is not None else _unfiltered()
    if prefilter and _built is None and not _BUILD.locked():
        # The first share starts the build aside: a bot that never screens never pays for it.
        # Not a daemon: the build's self-check runs RE2 searches, and a daemon thread inside one
        # when the interpreter exits aborts the process (pybind11: "terminate called without an
        # active exception"). An exit in those seconds waits for the build instead.
        threading.Thread(target=warm_up, name="kindred-screening-prefilter").start()
    first = ""
    cleared: list[tuple[int, int]] = []
    unfired: list[_Unfired] = []
    for number, (norm, spaced) in enumerate(variants or _variants(text)):
        clearing = for_model and number == 0
        prepared = _prepare(norm, filters)
        scan = filters.rules.scan(prepared) if prefilter else filters.rules.everything()
        hits += (
            _match_rules(prepared, scan, filters, *((cleared, unfired) if clearing else ()))
            + _match_topics(prepared, scan, cleared if clearing else None)
            + _match_farewell(prepared, scan)
            + _match_combos(prepared, scan)
            + _match_rows(prepared, scan, filters)
            + _match_compact(spaced)
        )
        if number == 0:
            first = prepared
    if not for_model or (hits and not always_clear):  # the model is not asked
        return hits, first
    cleared += _cleared_idioms(first, unfired)
    return hits, _without(first, cleared) if cleared else first


LEARNED = "learned.words"  # explain()'s id for the word model (bot/screening/learned.py)


_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


MODEL_MIN_WORDS = 7  # below this a bag of words has too little context (see too_short_for_model)


def too_short_for_model(for_model: str) -> bool:
    """Whether a share is too short for the word model: six words or fewer.

    Chinese is written without spaces, so two characters count as a word there: "不想活了" and
    "没事没事，发错群了" are short (the rules decide alone), "最近一直在查多少片安眠药才够" is not.
    Left out of every round's cross-validation in turn, fragments of four to six words lost no
    crisis phrasing the model caught and were about half of its false positives on everyday
    messages ("that isn't set up yet", "sorry, I was just testing").
    """
    enough = 2 * MODEL_MIN_WORDS  # Chinese characters that are enough alone (not all counted: 0.2 ms)
    han = sum(1 for _ in itertools.islice(_HAN_CHAR.finditer(for_model), enough))
    if han >= enough:
        return False
    # At most MODEL_MIN_WORDS pieces: once there are that many words the answer is known.
    words = (_HAN_CHAR.sub(" ", for_model) if han else for_model).split(maxsplit=MODEL_MIN_WORDS - 1)
    return len(words) + han / 2 < MODEL_MIN_WORDS


def model_holds(for_model: str) -> bool:
    """Whether the word model holds a share no rule fired on, reading ``for_model`` (see _read).

    A share too short to carry context (:func:`too_short_for_model`) is left to the rules: a
    bare "kys" is abuse aimed at someone, not a crisis; "not me lol, wrong channel" is nothing.
    """
    return not too_short_for_model(for_model) and learned.flags(for_model)


def explain(text: str) -> tuple[str, ...]:
    """Return the ids of the rules that fired (fixed ids, never share text); or the word model's."""
    hits, for_model = _read(text)
    ids = tuple(dict.fromkeys(rule_id for rule_id, _ in hits))
    return ids if ids or not model_holds(for_model) else (LEARNED,)


def model_text(text: str) -> str:
    """What the word model reads of a share (see :func:`_read`); the training script trains on it."""
    return _read(text, always_clear=True)[1]


def screen_rules(text: str) -> Screening:
    """Screen with the rules alone (the word model is trained beside them, so it needs this)."""
    return _screening({c for _, cats in _hits(text) for c in cats})


def screen(text: str) -> Screening:
    """Screen one share for crisis language and warning signs: the rules, then the word model.

    The model is asked only when no rule fired, and then says only "other warning signs". It was
    switched on by a test fixed beforehand, on sets written after it was trained (round 10:
    recall 139 -> 226 of 268). Its threshold is now chosen by leaving whole rounds out, which is
    how it meets new wording; that choice passed its own test fixed beforehand, round 13 and a
    seventh everyday set: recall 276 -> 299 of 319, false positives over both 42 of 1,015.
    """
    hits, for_model = _read(text)
    found = {c for _, cats in hits for c in cats}
    if not found and model_holds(for_model):
        found = {WARNING_SIGNS}
    return _screening(found)


def _screening(found: set[str]) -> Screening:
    categories = tuple(c for c in CATEGORIES if c in found)
    return Screening(flagged=bool(categories), categories=categories)
