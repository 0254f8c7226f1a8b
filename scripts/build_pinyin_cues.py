"""Generate bot/screening/pinyin_cues.json: the toneless pinyin readings of every Chinese cue phrase.

Run after editing the cue rows in bot/screening/zh_rules.py; a unit test fails while the file is
stale. Every reading of a heteronym is kept (了 le/liao, 还 hai/huan) so the romanised rules match
whichever one a writer types. Build time, not import time: pypinyin's dictionaries take ~0.4 s
to load, and the bot should not pay that on every start.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pypinyin import Style, pinyin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.screening.zh_rules import GAP, WARNING_ROWS_ZH  # noqa: E402 - after the path set-up

OUT = ROOT / "bot" / "screening" / "pinyin_cues.json"


def readings(phrase: str) -> list[list[list[str]]]:
    """Per piece of the phrase (split at the gap), per character, its toneless readings."""
    pieces: list[list[list[str]]] = []
    if not all("\u4e00" <= c <= "\u9fff" or c == GAP for c in phrase):
        return pieces  # a Latin word in a mixed-language row has no pinyin form
    for piece in phrase.split(GAP):
        in_context = pinyin(piece, style=Style.NORMAL, errors="ignore")
        chars: list[list[str]] = []
        for char, contextual in zip(piece, in_context, strict=True):
            alone = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")[0]
            chars.append(sorted({r.replace("ü", "v") for r in (*contextual, *alone)}))
        pieces.append(chars)
    return pieces


def build() -> dict[str, list[list[list[str]]]]:
    """Readings for every phrase of every row (groups and vetoes), in a stable order."""
    phrases = sorted({p for row in WARNING_ROWS_ZH for group in (*row.groups, row.veto) for p in group})
    return {p: readings(p) for p in phrases}


def render() -> str:
    """The file's exact text."""
    lines = [
        f"  {json.dumps(p, ensure_ascii=False)}: {json.dumps(r, separators=(',', ':'))}"
        for p, r in build().items()
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
