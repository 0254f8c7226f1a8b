"""A one-pass prefilter: which of the engine's regexes could match a share at all.

Python's ``re`` tries every alternative at every position, so each of the engine's few hundred
patterns costs tens of microseconds on a 2,000-character share even when nothing matches. RE2
(the ``google-re2`` wheel) runs many patterns at once as one automaton in linear time. Every
pattern is translated into an RE2 pattern that matches a *superset* of what the original
matches (lookarounds, word boundaries and anchors are dropped, character categories widened),
so "RE2 finds no match" proves "``re`` finds no match" in the share or in any part of it. Only
patterns that may match are then run with ``re``, whose exact semantics stay the contract.

The translation reads the stdlib's own parse tree. A pattern that cannot be translated, or a
scan that RE2 could not complete (each set carries a pattern that always matches, so a failed
scan is seen), falls back to "may match": the prefilter can cost speed, never a flag.

Where the ``hyperscan`` wheel exists (Linux x86_64, macOS arm64, Windows), the translated
patterns are scanned by Hyperscan, which runs a few hundred of them over 2,000 characters in
tens of microseconds; RE2 sets build automaton states lazily for every new text and cost
milliseconds there. RE2 keeps the patterns Hyperscan refuses (its length limit: the large
pinyin gates) and everything on machines without the wheel. Both engines read the same
translation, so both give a superset. Hyperscan's SIMD paths have shipped bugs that miss real
matches (the locked wheel's Vectorscan 5.4.12 misses some that 5.4.11 finds; VectorCamp/vectorscan
#358 is such a regression, fixed in 5.4.13), so each start first checks it on fixed canary shares
and leaves it out where it misses one.

Unicode categories are widened to "any non-ASCII character" (inside a negated class: narrowed
to ASCII), which is still a superset and keeps each automaton small: the class of Unicode
letters alone is hundreds of ranges, which made Hyperscan compile for seconds per pattern.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import re._constants as C  # type: ignore[import-not-found]  # the stdlib's own parser
import re._parser as P  # type: ignore[import-not-found]
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import re2

try:  # a wheel with its own copy of Hyperscan; not built for every platform (see pyproject.toml)
    import hyperscan
except ImportError:  # pragma: no cover - the RE2 sets then scan every pattern
    hyperscan = None  # type: ignore[assignment]

_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")
# Supersets (outside a class, or inside a plain class) and subsets (inside a negated class)
# of Python's Unicode categories; RE2's \w, \s and \d are ASCII-only.
_WIDE = {
    C.CATEGORY_DIGIT: r"0-9\x{80}-\x{10FFFF}",
    C.CATEGORY_NOT_DIGIT: r"\x{0}-\x{10FFFF}",
    C.CATEGORY_WORD: r"0-9A-Za-z_\x{80}-\x{10FFFF}",
    C.CATEGORY_NOT_WORD: r"\x{0}-\x{10FFFF}",
    C.CATEGORY_SPACE: r"\t\n\v\f\r \x{1c}-\x{1f}\x{80}-\x{10FFFF}",
    C.CATEGORY_NOT_SPACE: r"\x{0}-\x{10FFFF}",
}
_NARROW = {
    C.CATEGORY_DIGIT: "0-9",
    C.CATEGORY_NOT_DIGIT: r"\x{0}-\x{2f}\x{3a}-\x{7f}",
    C.CATEGORY_WORD: r"0-9A-Za-z_",
    C.CATEGORY_NOT_WORD: r"\x{0}-\x{2f}\x{3a}-\x{40}\x{5b}-\x{5e}\x{60}\x{7b}-\x{7f}",
    C.CATEGORY_SPACE: r"\t\n\v\f\r ",
    C.CATEGORY_NOT_SPACE: r"\x{21}-\x{7f}",
}


class Source(Protocol):
    """What the prefilter reads of a pattern: a compiled ``re.Pattern`` or a ``Gate``."""

    @property
    def pattern(self) -> str:
        """The regex source."""
        ...

    @property
    def flags(self) -> int:
        """The ``re`` flags."""
        ...


class Gate(NamedTuple):
    """A regex only ever scanned by the prefilter, never run by ``re``: parsed, not compiled.

    Compiling the engine's large pinyin gates with ``re`` took a second it never used.
    """

    pattern: str
    flags: int = int(re.UNICODE)


class Untranslatable(ValueError):
    """The pattern uses something the translation does not cover."""


def _char(code: int) -> str:
    ch = chr(code)
    return ch if ch in _SAFE else f"\\x{{{code:x}}}"


def _class(items: list[tuple[Any, Any]]) -> str:
    negated = bool(items) and items[0][0] is C.NEGATE
    table = _NARROW if negated else _WIDE
    parts: list[str] = []
    for op, av in items[1:] if negated else items:
        if op is C.LITERAL:
            parts.append(_char(av))
        elif op is C.RANGE:
            parts.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is C.CATEGORY:
            parts.append(table[av])
        else:
            raise Untranslatable(str(op))
    if not parts:
        raise Untranslatable("empty class")
    return ("[^" if negated else "[") + "".join(parts) + "]"


def _spans_words(item: tuple[Any, Any]) -> bool:
    """Whether a repeated item can run over a space and letters, i.e. over words (True if unsure)."""
    op, av = item
    if op in (C.LITERAL, C.NOT_LITERAL):
        return op is C.NOT_LITERAL and chr(av) not in " e"
    if op is C.IN:
        return all(re.fullmatch(_class_source(list(av)), ch) for ch in " e")
    return op is not C.CATEGORY  # \w, \s, \d: one kind of character, never a run of words


def _class_source(items: list[tuple[Any, Any]]) -> str:
    """A Python regex for one parsed class (to test which letters it accepts)."""
    negated = bool(items) and items[0][0] is C.NEGATE
    names = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_WORD: r"\w"}
    names |= {C.CATEGORY_NOT_WORD: r"\W", C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S"}
    parts = []
    for op, av in items[1:] if negated else items:
        if op is C.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is C.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is C.CATEGORY:
            parts.append(names[av])
    return ("[^" if negated else "[") + "".join(parts) + "]"


def _is_window(op: Any, av: Any) -> bool:
    r"""A repeat that can run over words, such as [^.]{0,40} or (?: \w+){0,4}; not l+ or \w+."""
    if op not in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        return False
    low, high, sub = av
    body = list(sub)
    return high - low > 2 and (len(body) != 1 or _spans_words(body[0]))


class _Tr(NamedTuple):
    """A translation: the RE2 text, whether it stands only for a stretch (``cut``), its demand."""

    regex: str
    cut: bool  # True: valid on its own, but nothing may be put before or after it
    demand: int  # the fewest characters it matches: how selective it is


def _seq(items: Iterable[tuple[Any, Any]]) -> str:
    return _tr_seq(list(items)).regex


def _tr_seq(seq: list[tuple[Any, Any]]) -> _Tr:
    """A sequence; at windows (and around cut parts) only its most demanding stretch is kept.

    Any contiguous stretch of a sequence matches wherever the whole does, so this is still a
    superset, and the automaton never carries a half-seen cue across a window of words: an RE2
    set of hundreds of windowed patterns otherwise builds new states for every new share.
    """
    parts = [None if _is_window(op, av) else _tr_item(op, av) for op, av in seq]
    if all(part is not None and not part.cut for part in parts):
        return _Tr(_plain_seq(seq, parts), False, _width(seq))
    candidates: list[_Tr] = []
    stretch: list[int] = []
    for i, part in enumerate([*parts, None]):
        if part is not None and not part.cut:
            stretch.append(i)
            continue
        if stretch:
            items = [seq[j] for j in stretch]
            candidates.append(_Tr(_plain_seq(items, [parts[j] for j in stretch]), True, _width(items)))
            stretch = []
        if part is not None:
            candidates.append(part)
    if not candidates:
        return _Tr("", True, 0)
    best = max(candidates, key=lambda c: c.demand)
    return _Tr(best.regex, True, best.demand)


def _width(items: list[tuple[Any, Any]]) -> int:
    """The fewest characters the items match (0 where a back-reference hides it)."""
    try:
        low: int = P.SubPattern(P.State(), items).getwidth()[0] if items else 0
    except IndexError:  # a back-reference: the group's width is not known out of context
        return 0
    return low


def _plain_seq(seq: list[tuple[Any, Any]], parts: list[_Tr | None]) -> str:
    out: list[str] = []
    for i, (op, av) in enumerate(seq):
        if op is C.AT and av is C.AT_BOUNDARY:
            # RE2's \b is ASCII-only. Beside a character that is an ASCII word character in both
            # engines, a Unicode boundary is also an ASCII one (Python's non-word characters are
            # RE2 non-word characters too); elsewhere the boundary is dropped.
            after = i + 1 < len(seq) and _ascii_word(seq[i + 1], first=True)
            before = i > 0 and _ascii_word(seq[i - 1], first=False)
            out.append(r"\b" if after or before else "")
        else:
            part = parts[i]
            assert part is not None  # noqa: S101 - windows never reach a plain sequence
            out.append(part.regex)
    return "".join(out)


def _ascii_word(item: tuple[Any, Any], *, first: bool) -> bool:
    """Whether the first (or last) character this item matches is always in [0-9A-Za-z_]."""
    op, av = item
    if op is C.LITERAL:
        return chr(av).isascii() and (chr(av).isalnum() or chr(av) == "_")
    if op is C.IN:
        return bool(av) and all(
            (o is C.LITERAL and _ascii_word((o, a), first=first))
            or (o is C.RANGE and all(_ascii_word((C.LITERAL, c), first=first) for c in range(a[0], a[1] + 1)))
            for o, a in av
        )
    if op is C.SUBPATTERN:
        sub = list(av[-1])
        return bool(sub) and _ascii_word(sub[0] if first else sub[-1], first=first)
    if op is C.BRANCH:
        return all(alt and _ascii_word(alt[0] if first else alt[-1], first=first) for alt in av[1])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _high, sub = av
        body = list(sub)
        return low >= 1 and bool(body) and _ascii_word(body[0] if first else body[-1], first=first)
    return False


def _repeat(low: int, high: int) -> str:
    if high - low > 2:  # a window such as [^.]{0,40}: counting it would multiply the automaton's
        low, high = min(low, 1), C.MAXREPEAT  # states, and any count is a superset of one window
    if high is C.MAXREPEAT or high == C.MAXREPEAT:
        return {0: "*", 1: "+"}.get(low, f"{{{low},}}")
    if (low, high) == (0, 1):
        return "?"
    return f"{{{low}}}" if low == high else f"{{{low},{high}}}"


def _tr_item(op: Any, av: Any) -> _Tr:
    if op is C.LITERAL:
        return _Tr(_char(av), False, 1)
    if op is C.NOT_LITERAL:
        return _Tr(f"[^{_char(av)}]", False, 1)
    if op is C.ANY:
        return _Tr(r"[^\n]", False, 1)
    if op is C.IN:
        return _Tr(_class(list(av)), False, 1)
    if op is C.CATEGORY:
        return _Tr(f"[{_WIDE[av]}]", False, 1)
    if op is C.BRANCH:
        alts = [_tr_seq(list(alt)) for alt in av[1]]
        regex = "(?:" + "|".join(a.regex for a in alts) + ")"
        return _Tr(regex, any(a.cut for a in alts), min(a.demand for a in alts))
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        body = _tr_seq(list(sub))
        regex = f"(?i:{body.regex})" if add_flags & re.IGNORECASE else f"(?:{body.regex})"
        return _Tr(regex, body.cut, body.demand)
    if op is C.ATOMIC_GROUP:
        body = _tr_seq(list(av))
        return _Tr(f"(?:{body.regex})", body.cut, body.demand)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, high, sub = av
        body = _tr_seq(list(sub))
        if body.cut:  # the body's stretch occurs if the body must; else nothing is required
            return _Tr(body.regex, True, body.demand) if low >= 1 else _Tr("", True, 0)
        return _Tr(f"(?:{body.regex}){_repeat(low, high)}", False, body.demand * low)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return _Tr("", False, 0)  # dropping a condition only widens what matches
    if op is C.GROUPREF:
        return _Tr(r"[\x{0}-\x{10FFFF}]*", False, 0)
    raise Untranslatable(str(op))


def to_re2(pattern: Source) -> str:
    """An RE2 pattern matching a superset of what ``pattern`` matches (raises Untranslatable)."""
    if pattern.flags & (re.VERBOSE | re.DOTALL | re.ASCII):
        raise Untranslatable("flags")
    body = _tr_seq(list(P.parse(pattern.pattern, pattern.flags & ~re.UNICODE))).regex
    return f"(?i:{body})" if pattern.flags & re.IGNORECASE else body


def _options() -> Any:
    options = re2.Options()
    options.max_mem = 64 << 20
    return options


_HS_FLAGS = (
    0
    if hyperscan is None
    else hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
)
_HAVE_HYPERSCAN: bool = hyperscan is not None
_HS_MAX_LENGTH = 16_000  # Hyperscan refuses longer patterns ("Pattern length exceeds limit")

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/kindred, else ~/.cache/kindred: where compiled scanners are kept."""
    raw = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(raw) if raw else Path.home() / ".cache") / "kindred"


_SOURCE_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # a new translation: a new key


class _Plan(NamedTuple):
    """What a prefilter is made of: each pattern's translation (None: untranslatable) and databases."""

    translations: list[str | None]
    hyperscan_ids: list[list[int]]  # the members each database scans, numbered among the translated ones
    blobs: list[bytes]  # the serialised Hyperscan databases (none when Hyperscan is not used)


def _key(patterns: list[Source], use_hyperscan: bool) -> str:
    version = getattr(hyperscan, "__version__", "?") if use_hyperscan and hyperscan is not None else "-"
    sources = [(p.pattern, int(p.flags)) for p in patterns]
    return hashlib.sha256(repr((_SOURCE_DIGEST, version, _HS_FLAGS, sources)).encode()).hexdigest()[:32]


def _load_plan(path: Path) -> _Plan | None:
    """The cached plan, if the file is whole (it starts with a digest of the rest)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) < 36 or hashlib.sha256(data[32:]).digest() != data[:32]:
        return None
    size = int.from_bytes(data[32:36], "big")
    try:
        header = json.loads(data[36 : 36 + size])
        blobs, at = [], 36 + size
        for length in header["blob_sizes"]:
            blobs.append(data[at : at + length])
            at += length
        ids = [list(members) for members in header["hyperscan_ids"]]
        if at != len(data) or len(ids) != len(blobs):
            return None
        return _Plan(list(header["translations"]), ids, blobs)
    except (ValueError, KeyError, TypeError):
        return None


def _save_plan(path: Path, plan: _Plan) -> None:
    header = json.dumps(
        {
            "translations": plan.translations,
            "hyperscan_ids": plan.hyperscan_ids,
            "blob_sizes": [len(blob) for blob in plan.blobs],
        }
    ).encode()
    body = len(header).to_bytes(4, "big") + header + b"".join(plan.blobs)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(partial, "wb", opener=lambda name, flags: os.open(name, flags, 0o600)) as out:
            out.write(hashlib.sha256(body).digest() + body)
        os.replace(partial, path)
    except OSError as exc:
        log.info("the compiled screening prefilter could not be cached (%s)", type(exc).__name__)


def _translate(pattern: Source) -> str | None:
    try:
        translated = to_re2(pattern)
        re2.compile(translated, _options())
    except (Untranslatable, re2.error, KeyError):
        return None
    return translated


def _make_plan(patterns: list[Source], use_hyperscan: bool) -> _Plan:
    """Translate every pattern and compile the Hyperscan databases (seconds: hence the cache).

    Gates (the pinyin phrases) get a database of their own. Their short syllables ("bu", "da",
    "an") occur all over English, so they keep many automaton states alive; the two databases
    scan English in about 0.8x the time of one (on mixed pinyin, about 0.8x too).
    """
    translations = [_translate(p) for p in patterns]
    members = [(p, t) for p, t in zip(patterns, translations, strict=True) if t is not None]
    fits = [i for i, (_, t) in enumerate(members) if len(t.encode()) <= _HS_MAX_LENGTH]
    if not (use_hyperscan and hyperscan is not None and fits):
        return _Plan(translations, [], [])
    groups = [
        [i for i in fits if not isinstance(members[i][0], Gate)],
        [i for i in fits if isinstance(members[i][0], Gate)],
    ]
    ids: list[list[int]] = []
    blobs: list[bytes] = []
    for group in filter(None, groups):
        database = hyperscan.Database()
        try:
            expressions = [members[i][1].encode() for i in group]
            database.compile(expressions=expressions, ids=group, flags=[_HS_FLAGS] * len(group))
        except hyperscan.error:  # these patterns stay on RE2: slower, never wrong
            log.warning("Hyperscan could not compile some screening patterns; RE2 scans them")
            continue
        ids.append(group)
        blobs.append(hyperscan.dumpb(database))
    return _Plan(translations, ids, blobs)


def _open_hyperscan(blobs: list[bytes]) -> list[Any] | None:
    """The databases of a plan, each with its scratch space (loadb, unlike compile, makes none)."""
    if blobs and not _HAVE_HYPERSCAN:  # a cached plan made where the wheel was installed
        return None
    databases = []
    for blob in blobs:
        try:
            database = hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK)
            database.scratch = hyperscan.Scratch(database)
        except (hyperscan.error, TypeError, ValueError):  # a database of another build or machine
            return None
        databases.append(database)
    return databases


def _on_match(index: int, _start: int, _end: int, _flags: int, found: set[int]) -> None:
    found.add(index)


class Prefilter:
    """Scans a text once for a fixed collection of ``re`` patterns."""

    _CHUNK = 64  # patterns per RE2 set: small sets build fewer automaton states per new text

    def __init__(
        self,
        patterns: Iterable[Source],
        *,
        unions: Mapping[Source, Sequence[Source]] | None = None,
        use_hyperscan: bool = True,
        cache: Path | None = None,
        canaries: Sequence[str] = (),
    ) -> None:
        """Translate and compile the patterns, or load what an earlier run made of the same ones.

        ``unions`` maps a pattern "a|b|c" to its alternatives, each also among ``patterns``; it
        is not compiled: it may match exactly where one of them may (the engine runs them alone).
        For the engine that leaves 142 of 1,067 patterns out of the automaton, and each scan
        10-40% cheaper.

        Building takes seconds for the engine's few hundred patterns (the translation in Python,
        Hyperscan's compiler), loading milliseconds. A cached plan is named by a digest of the
        patterns, this module's source and Hyperscan's version, and its file starts with a
        digest of the rest, so a stale or torn file is never used; one that cannot be written
        only makes the next start slower.

        Hyperscan has to earn its place on each machine: ``canaries`` are texts it must scan
        without missing any pattern that ``re`` finds there. A build that misses one (Vectorscan
        has shipped such bugs, e.g. VectorCamp/vectorscan#358 and #382) is not used at all, and
        RE2 scans every pattern: slower, never wrong.
        """
        parts_of = {id(whole): tuple(parts) for whole, parts in (unions or {}).items()}
        everyone = list(dict.fromkeys(patterns))
        unique = [pattern for pattern in everyone if id(pattern) not in parts_of]
        path = cache / f"screening-{_key(unique, use_hyperscan)}.prefilter" if cache is not None else None
        plan = _load_plan(path) if path is not None else None
        databases = _open_hyperscan(plan.blobs) if plan is not None else None
        if plan is None or len(plan.translations) != len(unique) or databases is None:
            plan = _make_plan(unique, use_hyperscan)
            databases = _open_hyperscan(plan.blobs) or []
            if path is not None:
                _save_plan(path, plan)
        self._index: dict[int, int] = {}  # id(pattern): a Pattern's own hash reads its whole program
        self.untranslated: list[Source] = []
        self._keep: list[Source] = []  # the indexed patterns stay alive, so ids stay theirs
        members: list[tuple[int, str]] = []
        for pattern, translated in zip(unique, plan.translations, strict=True):
            if translated is None:
                self.untranslated.append(pattern)
                continue
            self._index[id(pattern)] = len(members)
            self._keep.append(pattern)
            members.append((len(members), translated))
        self.size = len(members)
        self._parents: dict[int, list[int]] = {}  # a part's number: the numbers of the unions it is in
        for whole in everyone:
            parts = parts_of.get(id(whole), ())
            # Only scanned parts count (not a union in turn): a scan adds each union once, after them.
            numbers = [n for part in parts if (n := self._index.get(id(part), self.size)) < self.size]
            if not parts or len(numbers) != len(parts):
                continue  # not a union, or a part that is not scanned: the whole stays always possible
            for number in numbers:
                self._parents.setdefault(number, []).append(len(self._keep))
            self._index[id(whole)] = len(self._keep)
            self._keep.append(whole)
        self._parts = frozenset(self._parents)
        # A database that did not load leaves its patterns to RE2 (the plan numbers them all).
        self._hyperscan = list(zip(databases, map(frozenset, plan.hyperscan_ids), strict=False))
        if self._hyperscan and self._hyperscan_misses(canaries, [translated for _, translated in members]):
            log.warning("Hyperscan missed a match in the screening prefilter's self-check: RE2 scans instead")
            self._hyperscan = []
        self._hs_indices = frozenset().union(*(indices for _, indices in self._hyperscan))
        rest = [m for m in members if m[0] not in self._hs_indices]
        self._sets: list[tuple[Any, list[int], int]] = []
        for start in range(0, len(rest), self._CHUNK):
            chunk = rest[start : start + self._CHUNK]
            rset = re2.Set.SearchSet(_options())
            for _, translated in chunk:
                rset.Add(translated)
            canary = rset.Add("")  # matches every text: missing from a result means the scan failed
            rset.Compile()
            self._sets.append((rset, [index for index, _ in chunk], canary))

    def _hyperscan_misses(self, canaries: Sequence[str], translations: list[str]) -> bool:
        """Whether Hyperscan misses, in any canary, a pattern that ``re`` finds.

        A gate is never compiled by ``re`` (a second, for all of them), so RE2 runs its
        translation instead: the same regex in the other engine, a superset of the gate's own.
        """
        gates: dict[int, Any] = {}
        for text in canaries:
            found: set[int] = set()
            for database, _ in self._hyperscan:
                try:
                    database.scan(text.encode(), match_event_handler=_on_match, context=found)
                except hyperscan.error:
                    return True
            for _, scanned in self._hyperscan:
                for i in scanned - found:
                    pattern = self._keep[i]
                    if isinstance(pattern, re.Pattern):
                        matched = pattern.search(text) is not None
                    else:
                        if i not in gates:
                            gates[i] = re2.compile(translations[i], _options())
                        matched = gates[i].search(text) is not None
                    if matched:
                        return True
        return False

    @property
    def engines(self) -> tuple[int, int]:
        """How many patterns Hyperscan and RE2 scan."""
        return len(self._hs_indices), self.size - len(self._hs_indices)

    def scan(self, text: str) -> Scan:
        """Which patterns may match somewhere in ``text``."""
        try:
            data = text.encode()
        except UnicodeEncodeError:  # a lone surrogate: neither engine reads it, so every pattern runs
            return self.everything()
        possible: set[int] = {-1}
        for database, scanned in self._hyperscan:
            try:
                # One scratch space per database: the bot screens on one thread (screen_aside);
                # a scan that fails for any reason lets its patterns through.
                database.scan(data, match_event_handler=_on_match, context=possible)
            except hyperscan.error:
                possible.update(scanned)
        for rset, indices, canary in self._sets:
            found = rset.Match(data)
            if canary not in found:
                possible.update(indices)  # RE2 gave up (memory): every pattern may match
                continue
            possible.update(indices[i] for i in found if i != canary)
        for part in self._parts.intersection(possible):
            possible.update(self._parents[part])
        return Scan(self._index, frozenset(possible))

    def index_of(self, pattern: Source) -> int:
        """The pattern's number in every scan's ``possible`` (-1, always possible, if untranslated)."""
        return self._index.get(id(pattern), -1)

    def everything(self) -> Scan:
        """A scan that lets every pattern through (the prefilter switched off)."""
        return Scan(self._index, frozenset([-1, *self._index.values()]))


class Scan:
    """The result of one scan: ``may(p)`` is False only when ``p`` cannot match."""

    __slots__ = ("_index", "possible")

    def __init__(self, index: dict[int, int], possible: frozenset[int]) -> None:
        self._index = index
        self.possible = possible  # numbers from Prefilter.index_of that may match (-1 always)

    def may(self, pattern: Source) -> bool:
        """Whether ``pattern`` could match in the scanned text or any part of it."""
        i = self._index.get(id(pattern))
        return i is None or i in self.possible

    def search(self, pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
        """``pattern.search(text)``, skipped when the scan rules a match out."""
        return pattern.search(text) if self.may(pattern) else None
