"""The normaliser skips OpenCC only where OpenCC would change nothing (bot/screening/normalise.py).

``opencc_changes.json`` lists what the ``tw2sp`` dictionaries can change; a share holding none
of it is returned as it is. These tests prove the skip never alters a result: the file is what
the installed dictionaries give, and the answer equals OpenCC's own on generated text and on
every labelled phrasing.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import opencc
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.screening import normalise as norm

ROOT = Path(__file__).resolve().parents[2]
MADE = json.loads((ROOT / "bot" / "screening" / "opencc_changes.json").read_text(encoding="utf-8"))


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_opencc_changes", ROOT / "scripts" / "build_opencc_changes.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_file_is_what_the_installed_dictionaries_give() -> None:
    assert _script().build() == MADE, "run scripts/build_opencc_changes.py"
    assert len(MADE["characters"]) > 4000 and len(MADE["longer"]) > 300


# Pieces a share is made of: characters OpenCC changes, keys it changes that hold none of those,
# parts of such keys, ordinary Simplified characters, Latin text and punctuation.
_PIECES = st.sampled_from(
    [
        *MADE["characters"][::40],
        *MADE["longer"][::3],
        *(key[:2] for key in MADE["longer"][::5]),
        *"我的你是不了在有人这中大为上个国沈覆藉瞭坏梁哩",
        *("job ", "kill -9 ", "，", "。", " ", "\n", "a", "ok"),
    ]
)


@settings(max_examples=400)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_the_answer_is_opencc_s_own_on_generated_text(text: str) -> None:
    expected = norm._t2s().convert(text) if norm._HAS_CJK.search(text) else text
    assert norm.to_simplified(text) == expected


def _phrasings() -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((ROOT / "tests" / "data").glob("screening_*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return [p for p in found if norm._HAS_CJK.search(p)]


def test_the_answer_is_opencc_s_own_on_every_labelled_phrasing() -> None:
    phrasings = _phrasings()
    assert len(phrasings) > 3000
    converter = norm._t2s()
    skipped = 0
    for text in phrasings:
        lowered = text.casefold()
        assert norm.to_simplified(lowered) == converter.convert(lowered), text
        skipped += norm.conversion_changes().search(lowered) is None  # type: ignore[union-attr]
    assert skipped > len(phrasings) // 3  # most Simplified phrasings skip the call


def test_a_simplified_share_skips_opencc_and_taiwan_words_in_shared_characters_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Refuse:
        def convert(self, text: str) -> str:
            raise AssertionError(f"OpenCC asked for {text!r}")

    simplified = "这周赶论文累死了，训练又崩了，谢谢大家昨天帮我改图"
    monkeypatch.setattr(norm, "_t2s", Refuse)
    assert norm.to_simplified(simplified) == simplified
    monkeypatch.undo()
    # "滑鼠" and "人工智慧" are written alike in both scripts; OpenCC still maps them.
    assert norm.to_simplified("我的滑鼠坏了，人工智慧") == "我的鼠标坏了，人工智能"
    assert norm.to_simplified("反覆想") == "反复想"


def test_another_opencc_version_always_converts(monkeypatch: pytest.MonkeyPatch) -> None:
    norm.conversion_changes.cache_clear()
    monkeypatch.setattr(opencc, "__version__", "0.0.0")
    try:
        assert norm.conversion_changes() is None
        assert norm.to_simplified("這週趕論文") == "这周赶论文"
        assert norm.to_simplified("这周赶论文") == "这周赶论文"
    finally:
        norm.conversion_changes.cache_clear()
