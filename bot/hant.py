"""Traditional Chinese (zh-TW, zh-HK) made from the Simplified packs with OpenCC, plus reviewed overrides.

OpenCC's `s2twp` profile converts characters and Taiwan phrasing (软件 -> 軟體). A few of its phrase
choices do not fit peer support (支持 -> 支援 reads as "backup", not "support"), so a small reviewed
table in resources/zh-TW/overrides.yaml maps Simplified phrases to the Traditional we want; those
spans are kept out of OpenCC's hands. Conversion runs once, when the content loads.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.yamlfile import Problem, YamlError, load_located

TRADITIONAL = "zh-TW"
SOURCE = "zh"
PROFILE = "s2twp"
OVERRIDES_FILE = "zh-TW/overrides.yaml"

log = logging.getLogger(__name__)

Converter = Callable[[str], str]


@lru_cache(maxsize=1)
def _opencc() -> Converter:
    """OpenCC with the Taiwan phrasing profile, built once (its dictionaries take a moment)."""
    import opencc  # imported here: only Chinese content needs it

    converter = opencc.OpenCC(PROFILE)
    return converter.convert


class Memo:
    """OpenCC's answers for the shipped text, kept in a file between starts.

    The s2twp dictionaries cost about 43 MiB of memory and a tenth of a second; the shipped packs
    only ever ask OpenCC for the same few thousand spans, so a start whose every span is in the
    memo never loads OpenCC at all. The memo holds OpenCC's output only (the reviewed overrides
    are applied around it, as without it), and it is dropped whole when the OpenCC version or the
    profile differ from the ones that wrote it. It holds shipped content, never a member's words.
    """

    FORMAT = 1

    def __init__(self, path: Path | None) -> None:
        """Read the memo at `path` (None: keep it in memory only); a missing or stale file is empty."""
        self.path = path
        self.entries: dict[str, str] = {}
        self.added = 0
        if path is None:
            return
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(raw, dict) and raw.get("stamp") == self.stamp() and isinstance(raw.get("spans"), dict):
            self.entries = {
                k: v for k, v in raw["spans"].items() if isinstance(k, str) and isinstance(v, str)
            }

    @staticmethod
    def stamp() -> str:
        """What the memo's answers depend on: the format, OpenCC's version and the profile."""
        try:
            version = importlib.metadata.version("opencc")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        return f"{Memo.FORMAT}/{version}/{PROFILE}"

    def convert(self, span: str) -> str:
        """OpenCC's conversion of `span`, from the memo when it is there."""
        found = self.entries.get(span)
        if found is None:
            found = self.entries[span] = _opencc()(span)
            self.added += 1
        return found

    def save(self) -> None:
        """Write the memo if this start added to it (atomically; a read-only folder is fine)."""
        if self.path is None or not self.added:
            return
        body = json.dumps({"stamp": self.stamp(), "spans": self.entries}, ensure_ascii=False, sort_keys=True)
        # Per process: sharded kindreds beside one database may start (and save) at the same time.
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
        try:
            partial.write_text(body, encoding="utf-8")
            os.replace(partial, self.path)
        except OSError as exc:
            log.info("could not save the zh-TW conversion memo (%s); the next start converts again", exc)
            return
        self.added = 0


_memo = Memo(None)


def use_memo(path: Path | None) -> Memo:
    """Make the memo at `path` the one every Traditionaliser uses from now on (None: memory only)."""
    global _memo
    _memo = Memo(path)
    return _memo


def load_overrides(resources_dir: Path) -> tuple[dict[str, str], list[Problem]]:
    """Read the reviewed Simplified -> Traditional phrase table; every entry must be non-empty text."""
    name = f"resources/{OVERRIDES_FILE}"
    try:
        doc = load_located(resources_dir / OVERRIDES_FILE, name)
    except YamlError as exc:
        return {}, [exc.problem]
    data = doc.data if isinstance(doc.data, dict) else {}
    raw = data.get("phrases")
    if not isinstance(raw, dict):
        return {}, [doc.problem(("phrases",), "`phrases:` must map Simplified text to Traditional text")]
    problems: list[Problem] = []
    table: dict[str, str] = {}
    for simplified, traditional in raw.items():
        if not (isinstance(simplified, str) and isinstance(traditional, str) and simplified and traditional):
            problems.append(doc.problem(("phrases", str(simplified)), "each override maps text to text"))
            continue
        table[simplified] = traditional
    return table, problems


class Traditionaliser:
    """Convert Simplified text to Traditional: overrides first (longest phrase wins), OpenCC for the rest."""

    def __init__(self, overrides: Mapping[str, str], convert: Converter | None = None) -> None:
        """Keep the table; `convert` defaults to OpenCC s2twp (tests may pass another)."""
        self.overrides = dict(overrides)
        self._convert = convert
        phrases = sorted(self.overrides, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(p) for p in phrases)) if phrases else None
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        """The Traditional Chinese for `text` (ASCII-only text comes back unchanged)."""
        if text.isascii():
            return text
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        convert = self._convert or _memo.convert
        if self._pattern is None:
            result = convert(text)
        else:
            pieces: list[str] = []
            start = 0
            for match in self._pattern.finditer(text):
                pieces.append(convert(text[start : match.start()]))
                pieces.append(self.overrides[match.group(0)])
                start = match.end()
            pieces.append(convert(text[start:]))
            result = "".join(pieces)
        self._cache[text] = result
        return result

    def table(self, table: Mapping[str, str]) -> dict[str, str]:
        """Convert every value of a string table; keys stay as they are."""
        return {key: self(value) for key, value in table.items()}

    def data(self, value: Any) -> Any:
        """Convert every string inside plain YAML data (mappings, lists, text)."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.data(item) for item in value]
        return value


def load_traditionaliser(resources_dir: Path) -> tuple[Traditionaliser, list[Problem]]:
    """The converter for this resources/ folder, and any problem in its override table."""
    overrides, problems = load_overrides(resources_dir)
    return Traditionaliser(overrides), problems
