"""Normalisation: one pass that folds obfuscation out of mixed-script (Latin + Chinese) text.

Unicode tricks (NFKC, zero-width and bidi characters, combining marks, lookalike letters),
Discord markdown, leetspeak, letter spacing, repeated letters and contractions are folded so
the rules see plain lowercase text; Traditional Chinese becomes Simplified through OpenCC's
phrase-aware ``t2s`` conversion (the C++ ``opencc`` wheel: about 60 microseconds for a 1,200
character share, where the pure-Python reimplementation takes about 5 ms), so rules are
written once, in Simplified characters. Pinyin is left as it is; ``pinyin_sentences`` picks
out the sentences that read as toneless pinyin for the romanised rules.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import opencc
import re2

from bot.screening.prefilter import Prefilter, Scan, cache_dir


@functools.cache
def _t2s() -> opencc.OpenCC:
    """OpenCC's Traditional -> Simplified converter, built on the first Chinese share (3 MiB)."""
    return opencc.OpenCC("tw2sp")


_CHANGES = Path(__file__).with_name("opencc_changes.json")


@functools.cache
def conversion_changes() -> re2._Regexp | None:
    """What OpenCC's conversion can change: a character or a longer key (scripts/build_opencc_changes.py).

    None when the file was made from another OpenCC version than the one installed: then every
    share with Chinese is converted, as it would be without the file.
    """
    made = json.loads(_CHANGES.read_text(encoding="utf-8"))
    if made["opencc"] != opencc.__version__:
        return None
    characters = "".join(f"\\x{{{ord(c):x}}}" for c in made["characters"])
    longer = "|".join(map(re2.escape, made["longer"]))
    options = re2.Options()
    options.max_mem = 64 << 20
    return re2.compile(f"[{characters}]|{longer}", options)


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified (only when the text has Chinese characters).

    A share that holds nothing the conversion can change (most Simplified shares) skips it:
    OpenCC would return it unchanged, in about 60 µs for 2,000 characters, where the check takes 10.
    """
    if not _HAS_CJK.search(text):
        return text
    changes = conversion_changes()
    if changes is not None and not changes.search(text.encode()):  # bytes: RE2 maps no offsets
        return text
    converted: str = _t2s().convert(text)
    return converted


# Cyrillic / Greek / other lookalikes that are used to dodge keyword filters.
# Applied after casefolding, so only lowercase forms are needed.
_HOMOGLYPHS: dict[int, str] = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h",
        "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i",
        "ї": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w",
        "ӏ": "l", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k",
        "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
        "γ": "y", "ı": "i", "ł": "l", "ɡ": "g", "ɑ": "a", "ʟ": "l", "ɪ": "i",
        "\u2018": "'", "\u2019": "'", "\u02bc": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "「": '"', "」": '"', "『": '"', "』": '"',
    }
)  # fmt: skip


# Leetspeak substitutions, applied only inside tokens that contain a letter,
# so "kill -9", "4/255" and "5 kms" are untouched.
_LEET_DIGITS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}
# Symbols only count as letters when they sit between letters ("d!e", "my$elf")
# or lead a word ("$uicide"); a trailing "!" is punctuation.
_LEET_SYMBOLS = {"@": "a", "$": "s", "!": "i", "|": "l"}

# Contractions and slang expanded so rules can be written once.
_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bcan'?t\b", "cannot"),
        (r"\bwon'?t\b", "will not"),
        (r"\bain'?t\b", "is not"),
        (r"\b([a-z]+)n't\b", r"\1 not"),
        (r"\b(do|does|did|is|are|was|were|would|should|could|has|have|had)nt\b", r"\1 not"),
        (r"\bi'?m\b", "i am"),
        (r"\bi'?ve\b", "i have"),
        (r"\bi'll\b", "i will"),
        (r"\bi'd\b", "i would"),
        (r"\b(it|that|you|we|they|he|she|there|who)'d\b", r"\1 would"),
        (r"\b(it|that|you|we|they|he|she|there|who)'ll\b", r"\1 will"),
        (r"\b(you|they)ll\b", r"\1 will"),  # "youll", "theyll" (not "well", "shell", "hell")
        (r"\bill (?=(?:be|never|just|not|miss|do|go|try|stop)\b)", "i will "),  # "ill be around"
        (r"\bwanna\b", "want to"),
        (r"\bgonna\b", "going to"),
        (r"\bgotta\b", "got to"),
        (r"\bu\b", "you"),
        (r"2(?= [a-z])(?<=[a-z] 2)", "to"),  # "want 2 die" (the 2 first: re then finds it fast)
    )
)

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{CJK}]")
_SPOILER_OR_EMPHASIS = re.compile(r"\|\||[*_~`]")
_QUOTE_PREFIX = re.compile(r"(?m)^[ \t]*(?:>{1,3}|#{1,3}|-#)[ \t]?")
# Only tokens with a digit or a symbol can hold leetspeak; plain words are left alone (and fast).
# A whole run of these characters holding a digit or symbol. The run's first non-letter is then one
# of them, which a lookahead sees at once: "[a-z0-9@$!|]*[0-9@$!|]..." backtracked through every
# word from every position (77 us on 2,000 characters, now 48; the same matches, a test checks).
_TOKEN = re.compile(r"(?<![a-z0-9@$!|])(?=[a-z]*[0-9@$!|])[a-z0-9@$!|]+")
# "10th", "4k", "7b", "16gb": numbers with a short unit are not leetspeak.
_NUMBER_WITH_UNIT = re.compile(r"[0-9]+[a-z]{1,3}")
_REPEATS = re.compile(r"([a-z])\1{2,}")
# A run of >= 3 single letters separated by exactly one separator:
# "k i l l", "s.u.i.c.i.d.e", "k-m-s". Two spaces end a run ("k i l l  m e").
_SPACED_LETTERS = re.compile(r"(?<![a-z0-9])[a-z](?:[ .\-·•][a-z]){2,}(?![a-z0-9])")
_SPACED_SEP = re.compile(r"[ .\-·•]")
_INNER_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")  # "un-alive", "sui-cide"
# Dotted words ("sui.cide"). Not joined in the text, because code such as
# "self.harm_score" or "os.kill" is common in a lab; see _DOTTED_KEYS instead.
_DOTTED_WORD = re.compile(r"(?<![a-z0-9.])[a-z]+(?:\.[a-z]+)+(?![a-z0-9])")
_CJK_GAP = re.compile(rf"(?<=[{CJK}])[ \t.·•\-/\\]+(?=[{CJK}])")  # "想 死", "自.杀"
_HSPACE = re.compile(r"[^\S\n]{2,}|[^\S\n ]")  # what " " replaces: not a lone space, which it equals
_NEWLINES = re.compile(r" ?\n[\s]*")
_NEWLINE_RUN = re.compile(r"\n\s+")  # _NEWLINES once no space is left before a newline


_MARK_CATEGORIES = ("Mn", "Me", "Cf")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _mark_table() -> dict[int, None]:
    """Every combining mark and format character of the BMP (zero-width, bidi), for one translate()."""
    return {cp: None for cp in range(0x10000) if unicodedata.category(chr(cp)) in _MARK_CATEGORIES}


_MARKS = _mark_table()


# A vowel hidden behind * ("k*ll", "d*e", "s*icide"): restored when that spells a crisis word.
_MASKED = re.compile(r"[a-z]+\*+[a-z*]*")
_MASKED_WORDS = frozenset(
    ["kill", "killing", "die", "dead", "death", "suicide", "suicidal", "unalive", "myself"]
)


def _unmask(m: re.Match[str]) -> str:
    """Fill the hidden vowel of a masked word if one vowel makes it a crisis word."""
    word = re.sub(r"\*+", "*", m.group())
    for vowel in "aeiou":
        if (filled := word.replace("*", vowel)) in _MASKED_WORDS:
            return filled
    return m.group()


def _strip_marks(text: str) -> str:
    """Drop combining marks, format and bidi characters (zero-width, soft hyphen, zalgo)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text).translate(_MARKS)
    if _ASTRAL.search(decomposed):  # tag characters and other marks beyond the BMP: check one by one
        decomposed = "".join(c for c in decomposed if unicodedata.category(c) not in _MARK_CATEGORIES)
    return unicodedata.normalize("NFC", decomposed)


@functools.lru_cache(maxsize=4096)  # lab words repeat: a100, gpt4, 40k, v2 (each read three times)
def _deleet_token(token: str, one: str) -> str:
    """Map leetspeak inside one token; ``one`` is what the digit 1 stands for."""
    if not any("a" <= c <= "z" for c in token) or _NUMBER_WITH_UNIT.fullmatch(token):
        return token
    out: list[str] = []
    last = len(token) - 1
    for i, c in enumerate(token):
        if c == "1":
            out.append(one)
        elif c in _LEET_DIGITS:
            out.append(_LEET_DIGITS[c])
        elif c in _LEET_SYMBOLS:
            nxt_letter = i < last and token[i + 1].isalnum()
            prev_letter = i > 0 and token[i - 1].isalnum()
            leading = i == 0 and c in "$@"
            out.append(_LEET_SYMBOLS[c] if nxt_letter and (prev_letter or leading) else c)
        else:
            out.append(c)
    return "".join(out)


# Cheap tests that tell when a substitution cannot change the text, so it is skipped. Each
# matches wherever the substitution it guards could replace something. They are scanned together
# in one pass (step_hints), with the contractions' own patterns; the scan is made again only
# after a step changed the text.
_LETTER_BESIDE_LEET = re.compile(r"[a-z][0-9@$!|]|[0-9@$!|][a-z]")  # in every token _deleet_token changes
_LEET_PAIR = re2.compile(_LETTER_BESIDE_LEET.pattern)  # finds them where they are (_deleet_text)
_TRIPLE = re.compile("|".join(c * 3 for c in "abcdefghijklmnopqrstuvwxyz"))
_SPACED_HINT = re.compile(r"[a-z][ .\-·•][a-z][ .\-·•][a-z]")
# The same three letters as whole single letters ("the i feel" passes the hint, not this).
_SPACED_START = re2.compile(r"(?:^|[^a-z0-9])[a-z][ .\-·•][a-z][ .\-·•][a-z](?:[^a-z0-9]|$)")
_HYPHEN_HINT = re.compile(r"[a-z]-[a-z]")
_DOTTED_HINT = re.compile(r"[a-z]\.[a-z]")
_CJK_GAP_HINT = re.compile(rf"[{CJK}][ \t.·•\-/\\]+[{CJK}]")
_DOUBLE_SPACE = re.compile("  ")
# Whitespace other than a space or a newline (Python's str.isspace set, listed).
_ODD_SPACE_CHAR = re.compile(
    "[\t\r\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
_GUARDS = (
    _LETTER_BESIDE_LEET,
    _TRIPLE,
    _SPACED_HINT,
    _HYPHEN_HINT,
    _DOTTED_HINT,
    _CJK_GAP_HINT,
    _DOUBLE_SPACE,
    _ODD_SPACE_CHAR,
)


@functools.cache
def step_hints() -> Prefilter:
    """The guards and the contractions as one prefilter (Hyperscan where it exists), built once.

    Compiling takes about 60 ms, loading the cached scanner a millisecond; ``engine.warm_up``
    builds it beside the rules' prefilter, in a thread.
    """
    return Prefilter((*_GUARDS, *(p for p, _ in _CONTRACTIONS)), cache=cache_dir())


def _word_start(m: re.Match[str]) -> bool:
    r"""Whether a match that begins with a letter begins a word (what a leading \b checks)."""
    before = m.string[m.start() - 1] if m.start() else " "
    return not (before.isalnum() or before == "_")


def _fast(pattern: re.Pattern[str], repl: str) -> Callable[[str], str]:
    r"""The same substitution, from a pattern re finds far faster.

    ``\b(words)suffix\b`` ("n't", "'ll", "nt") is found by its suffix, a literal that re finds
    at once, and the word before it is checked (:func:`_by_suffix`). Otherwise a leading \b is
    checked on each match of the pattern without it: every contraction starts with a letter and
    holds a non-letter only where no other match could begin, so no match is lost.
    """
    if m := _SUFFIXED.fullmatch(pattern.pattern):
        group, suffix = m["group"], m["suffix"]
        words = None if group == "[a-z]+" else frozenset(group.split("|"))
        return _by_suffix(words, suffix, repl.removeprefix("\\1"))
    expand = _expander(repl)
    if not pattern.pattern.startswith(r"\b"):
        return lambda text: pattern.sub(expand, text)
    fast = re.compile(pattern.pattern[2:])
    return lambda text: fast.sub(lambda m: expand(m) if _word_start(m) else m.group(), text)


_SUFFIXED = re.compile(r"\\b\((?P<group>\[a-z\]\+|[a-z]+(?:\|[a-z]+)*)\)(?P<suffix>[a-z']+)\\b")


def _by_suffix(words: frozenset[str] | None, suffix: str, rest: str) -> Callable[[str], str]:
    r"""``\b(words)suffix\b`` -> ``\1rest``, found by the suffix (``words`` None: any letters)."""
    find = re.compile(re.escape(suffix) + r"\b")

    def apply(text: str) -> str:
        out: list[str] = []
        last = 0
        for m in find.finditer(text):
            start = end = m.start()
            while start > last and "a" <= text[start - 1] <= "z":
                start -= 1
            word = text[start:end]
            before = text[start - 1] if start else " "
            if not word or (words is not None and word not in words) or before.isalnum() or before == "_":
                continue
            out += (text[last:start], word, rest)
            last = m.end()
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)

    return apply


def _expander(repl: str) -> Callable[[re.Match[str]], str]:
    r"""``m.expand(repl)`` for a literal or ``\1 rest``, without parsing the template on every match."""
    if "\\" not in repl:
        return lambda _m: repl
    rest = repl.removeprefix("\\1")
    if "\\" in rest:
        raise ValueError(f"unsupported replacement template {repl!r}")
    return lambda m: m.group(1) + rest


_FAST_CONTRACTIONS = tuple(_fast(p, r) for p, r in _CONTRACTIONS)
# Characters that neither are nor decompose into marks or format characters: NFKC text made only
# of these is left as it is by _strip_marks (NFC of NFKD of NFKC text is that text).
_MARK_FREE = re2.compile(
    r"[\x{0}-\x{7f}\x{3400}-\x{4dbf}\x{4e00}-\x{9fff}\x{3000}-\x{3029}\x{3030}-\x{303f}"
    r"\x{2010}-\x{2027}\x{2030}-\x{205e}\x{ff01}-\x{ff5e}]*"
)
_LOOKALIKE = re2.compile("[" + "".join(f"\\x{{{c:x}}}" for c in _HOMOGLYPHS) + "]")


# Fullwidth ASCII and the ideographic space: most of what NFKC changes in Chinese text.
_FULLWIDTH = re.compile("[\uff01-\uff5e\u3000]")
# The ones Chinese typing gives most, with their NFKC forms.
_COMMON_FULLWIDTH = tuple((ch, unicodedata.normalize("NFKC", ch)) for ch in "，！？：；（）\u3000～％")


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, a tenth of the time for Chinese text.

    Replacing a character by its own NFKC form never changes the NFKC of the text, so the
    fullwidth punctuation of Chinese text is replaced first; when what is left is already
    normalised (the quick check), that is the answer, and otherwise NFKC runs as usual.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    s = text
    for ch, form in _COMMON_FULLWIDTH:  # a look for each is cheaper than finding them all
        if ch in s:
            s = s.replace(ch, form)
    if unicodedata.is_normalized("NFKC", s):
        return s
    for ch in set(_FULLWIDTH.findall(s)):
        s = s.replace(ch, unicodedata.normalize("NFKC", ch))
    return s if unicodedata.is_normalized("NFKC", s) else unicodedata.normalize("NFKC", s)


def normalise_with_words(text: str, one: str = "i") -> tuple[str, tuple[str, ...]]:
    """Return normalised text and words rebuilt from spaced or ("+"-prefixed) dotted letters."""
    s, spaced, _ = normalise_reading(text, one)
    return s, spaced


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(text: str) -> str:
    """Lone surrogates (possible in JSON, never a character) read as U+FFFD, so RE2 can read the text."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _changed(old: str, new: str, hints: Scan) -> tuple[str, Scan]:
    """The text after a step, and a scan of it: made again only when the step changed something."""
    return (old, hints) if new == old else (new, step_hints().scan(new))


_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|")


def _deleet_text(s: str, one: str, hints: Scan) -> tuple[str, Scan, bool]:
    """``_TOKEN.sub`` with :func:`_deleet_token`, visiting only tokens with a letter beside a digit or symbol.

    Only those can change; RE2 finds them, and each is widened to its whole token. Also returns
    the scan of the result and whether ``one`` was used (a 1 read as a letter).
    """
    out: list[str] = []
    last = 0
    used_one = False
    # ASCII text gets RE2 its bytes, whose offsets are the characters': on a str it maps every
    # offset back from UTF-8 (a third of this step's time on a long English share).
    for m in _LEET_PAIR.finditer(s.encode() if s.isascii() else s):
        start, end = m.start(), m.end()
        if start < last:  # inside the token just mapped
            continue
        while start > last and s[start - 1] in _TOKEN_CHARS:
            start -= 1
        while end < len(s) and s[end] in _TOKEN_CHARS:
            end += 1
        token = s[start:end]
        out += (s[last:start], _deleet_token(token, one))
        used_one = used_one or ("1" in token and _deleet_token(token, "i") != _deleet_token(token, "l"))
        last = end
    if not out:
        return s, hints, False
    out.append(s[last:])
    new, hints = _changed(s, "".join(out), hints)
    return new, hints, used_one


def normalise_reading(text: str, one: str = "i") -> tuple[str, tuple[str, ...], bool]:
    """``normalise_with_words``, and whether ``one`` was used (a 1 read as a letter)."""
    return _read_folded(*_folded(text), one)


def both_readings(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """``normalise_with_words`` with 1 read as "i" and, only if a 1 stood for a letter, as "l".

    What does not depend on the reading (NFKC, marks, case, lookalikes, OpenCC: 0.4 ms on 2,000
    characters of Traditional Chinese) is done once for both.
    """
    folded, cjk = _folded(text)
    norm, spaced, used_one = _read_folded(folded, cjk, "i")
    readings = [(norm, spaced)]
    if used_one:
        readings.append(_read_folded(folded, cjk, "l")[:2])
    return readings


def _folded(text: str) -> tuple[str, bool]:
    """Fold compatibility forms, marks, case, lookalikes and Traditional script; say if Chinese is left."""
    if text.isascii():  # NFKC, marks, lookalikes and Chinese cannot change ASCII
        s = text.lower()
        cjk = False
    else:
        s = _nfkc(_without_surrogates(text))
        if not _MARK_FREE.fullmatch(s.encode()):  # RE2 reads bytes as they are, str it encodes itself
            s = _strip_marks(s)
        s = s.casefold()
        if _LOOKALIKE.search(s.encode()):
            s = s.translate(_HOMOGLYPHS)
        s = to_simplified(s)
        cjk = bool(_HAS_CJK.search(s))
    return s, cjk


def _read_folded(s: str, cjk: bool, one: str) -> tuple[str, tuple[str, ...], bool]:
    """The rest of :func:`normalise_reading`, after :func:`_folded`, with 1 read as ``one``."""
    if ">" in s or "#" in s:
        s = _QUOTE_PREFIX.sub("", s)
    if "*" in s:
        s = _MASKED.sub(_unmask, s)
    if "|" in s or "*" in s or "_" in s or "~" in s or "`" in s:
        s = _SPOILER_OR_EMPHASIS.sub("", s)
    hints = step_hints().scan(s)
    used_one = False
    if hints.may(_LETTER_BESIDE_LEET):
        s, hints, used_one = _deleet_text(s, one, hints)
    if hints.may(_TRIPLE):
        s, hints = _changed(s, _REPEATS.sub(r"\1", s), hints)
    spaced: list[str] = []

    def _join(m: re.Match[str]) -> str:
        word = _SPACED_SEP.sub("", m.group())
        spaced.append(word)
        return word

    if hints.may(_SPACED_HINT) and _SPACED_START.search(s.encode()):
        s, hints = _changed(s, _SPACED_LETTERS.sub(_join, s), hints)
    if hints.may(_HYPHEN_HINT):
        s, hints = _changed(s, _INNER_HYPHEN.sub("", s), hints)
    if hints.may(_DOTTED_HINT):
        spaced.extend("+" + m.group().replace(".", "") for m in _DOTTED_WORD.finditer(s))
    # An expansion only lengthens a run of letters: it makes no match for a later contraction,
    # a Chinese gap or odd spacing, so the same scan serves every step after it.
    for (pattern, _), expand in zip(_CONTRACTIONS, _FAST_CONTRACTIONS, strict=True):
        if hints.may(pattern):
            s = expand(s)
    if cjk and hints.may(_CJK_GAP_HINT):
        s = _CJK_GAP.sub("", s)
    if hints.may(_ODD_SPACE_CHAR):
        s = _HSPACE.sub(" ", s)
    elif hints.may(_DOUBLE_SPACE):
        while "  " in s:  # what _HSPACE does when the only odd spacing is runs of spaces
            s = s.replace("  ", " ")
    if "\n" in s:  # only spaces and newlines are left, no two spaces together: what _NEWLINES does
        s = _NEWLINE_RUN.sub("\n", s.replace(" \n", "\n"))
    return s.strip(), tuple(spaced), used_one


def normalise(text: str) -> str:
    """Fold obfuscation so the rules see plain lowercase text."""
    return normalise_with_words(text)[0]


# Toneless pinyin syllables: an initial and a final, or one of the finals that stand alone.
_INITIALS = ("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcsyw")
_FINALS = (
    "iang", "iong", "uang", "ang", "eng", "ing", "ong", "ian", "iao", "uai", "uan", "van", "ai", "ei", "ui",
    "ao", "ou", "iu", "ie", "ve", "ue", "er", "an", "en", "in", "un", "vn", "ia", "ua", "uo",
    "a", "o", "e", "i", "u", "v",
)  # fmt: skip
_ALONE = ("a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "er")
_SYLLABLES = frozenset({i + f for i in _INITIALS for f in _FINALS} | set(_ALONE))


@functools.lru_cache(maxsize=8192)
def _split(word: str, inner: bool = False) -> tuple[str, ...] | None:
    """Split run-together pinyin into syllables, longest first with backtracking ("nanguo": nan guo).

    Inside a word a syllable should not start with a, e or o (written pinyin puts an apostrophe
    there: xi'an), so "keneng" is ke neng, not ken eng; without such a split any split will do.
    """
    if not word:
        return ()
    if not inner:
        return _split(word, True) or _split_any(word)
    for n in range(min(6, len(word)), 0, -1):
        rest = word[n:]
        if (
            word[:n] in _SYLLABLES
            and rest[:1] not in ("a", "e", "o")
            and (tail := _split(rest, True)) is not None
        ):
            return (word[:n], *tail)
    return None


@functools.lru_cache(maxsize=8192)
def _split_any(word: str) -> tuple[str, ...] | None:
    """Any split into syllables, longest first."""
    if not word:
        return ()
    for n in range(min(6, len(word)), 0, -1):
        if word[:n] in _SYLLABLES and (rest := _split_any(word[n:])) is not None:
            return (word[:n], *rest)
    return None


@functools.lru_cache(maxsize=16384)  # read for each word's kind, then its syllables
def _pinyin_word(word: str) -> tuple[str, ...] | None:
    """The syllables of a word that reads as pinyin (at most 12 of them), else None.

    An apostrophe only ever separates syllables (xi'an, zi'sha): "xiangs'i" is not xiang si. The
    prefilter's pinyin gates allow apostrophes between syllables only, so reading one inside a
    syllable made a share flagged without the prefilter and not with it.
    """
    if len(word) > 40:
        return None
    syllables: list[str] = []
    for part in word.split("'"):
        split = _split(part)
        if split is None:
            return None
        syllables += split
    return tuple(syllables) if syllables and len(syllables) <= 12 else None


# Common short English words that also spell a pinyin syllable; they do not count as pinyin.
_ENGLISH_SYLLABLES = frozenset(
    (
        "a", "i", "an", "and", "he", "me", "we", "in", "on", "to", "be", "so", "no", "go", "do",
        "of", "it", "is", "am", "as", "at", "or", "us", "up", "my", "by", "the", "she", "his",
        "her", "man", "men", "ten", "hang", "long", "bang", "fan", "pan", "can", "dean", "lean",
        "bean", "ban", "den", "hen", "pen", "zen", "tan", "wang", "yang", "gang", "ok", "lie",
    )
)  # fmt: skip


@functools.lru_cache(maxsize=16384)
def _syllable_words(word: str) -> tuple[str, ...]:
    """Run-together pinyin as separate syllables ("woxiangsi" -> wo, xiang, si); else the word."""
    return _pinyin_word(word) or (word,)


_NEUTRAL, _PINYIN, _OTHER = 0, 1, 2


@functools.lru_cache(maxsize=16384)
def _word_kind(word: str) -> int:
    """How a word counts in a pinyin sentence: a common English word that spells a syllable, pinyin, other."""
    if word in _ENGLISH_SYLLABLES:
        return _NEUTRAL
    return _PINYIN if _pinyin_word(word) else _OTHER


def pinyin_words(text: str) -> list[str]:
    """The pinyin sentences of a share, a syllable a word, "." between sentences: what pinyin rules read."""
    words: list[str] = []
    for sentence in pinyin_sentences(text):
        if words:
            words.append(".")
        words += itertools.chain.from_iterable(map(_syllable_words, sentence))
    return words


_SENTENCE_ENDS = ".!?\n,;:"  # and their fullwidth forms, read as "." first
_FULLWIDTH_ENDS = "。！？，；："
# Each byte of the share's UTF-8: a letter or an apostrophe stays, a sentence end becomes "|",
# anything else a space (every byte of a character outside ASCII too).
_SENTENCE_BYTES = bytes(
    c if chr(c) in "abcdefghijklmnopqrstuvwxyz'" else ord("|") if chr(c) in _SENTENCE_ENDS else 32
    for c in range(256)
)


def pinyin_sentences(text: str) -> list[list[str]]:
    """The words of each sentence of normalised text that reads as pinyin (most words spell syllables).

    A sentence is a run of text between the marks in ``_SENTENCE_ENDS`` (or their fullwidth
    forms); its words are its runs of Latin letters and apostrophes. They are found by one byte
    translation: a share of Chinese has a hundred sentences and hardly a word, and searching
    each sentence alone cost 0.2 ms in 2,000 characters.
    """
    if not text.isascii():
        for mark in _FULLWIDTH_ENDS:
            if mark in text:
                text = text.replace(mark, ".")
    found: list[list[str]] = []
    for sentence in (
        text.encode("utf-8", "surrogatepass").translate(_SENTENCE_BYTES).decode("ascii").split("|")
    ):
        words = sentence.split()
        if len(words) >= 2 or (words and len(words[0]) >= 6):
            kinds = list(map(_word_kind, words))
            neutral, pinyin = kinds.count(_NEUTRAL), kinds.count(_PINYIN)
            if (pinyin >= 2 and pinyin >= 0.7 * (len(words) - neutral)) or (len(words) == 1 and pinyin == 1):
                found.append(words)
    return found
