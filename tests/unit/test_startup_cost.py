"""Start-up work that issue 19 moved off the path to READY: same content, less work.

- the zh-TW conversion memo (bot.hant.Memo): a start with the memo gives exactly the content a
  start without it gives, and loads OpenCC only for spans the memo lacks;
- screening is imported on first use, not when the cogs load.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import hant
from bot.config import Settings, load_settings
from bot.startup import HANT_MEMO, load_content

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _memory_only_memo() -> Iterator[None]:
    yield
    hant.use_memo(None)


def _settings(tmp_path: Path) -> Settings:
    return dataclasses.replace(load_settings(require_token=False), db_path=tmp_path / "kindred.sqlite3")


def test_memo_gives_the_same_content_as_opencc(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    first, problems = load_content(settings)  # an empty memo: every span through OpenCC
    assert problems == [] and first is not None
    memo_file = tmp_path / HANT_MEMO
    saved = json.loads(memo_file.read_text(encoding="utf-8"))
    assert saved["stamp"] == hant.Memo.stamp() and len(saved["spans"]) > 100
    assert hant._memo.path is None, "after loading, nothing more is written to the memo file"
    second, problems = load_content(settings)
    assert problems == [] and second is not None
    assert second.library.pack("zh-TW") == first.library.pack("zh-TW")
    assert second.strings._tables == first.strings._tables
    assert second.translator.names_tw == first.translator.names_tw
    assert second.directory == first.directory


def test_a_start_with_a_full_memo_never_asks_opencc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(tmp_path)
    load_content(settings)

    def refuse(span: str) -> str:
        raise AssertionError(f"OpenCC asked for {span!r} although the memo has every span")

    monkeypatch.setattr(hant, "_opencc", lambda: refuse)
    content, problems = load_content(settings)
    assert problems == [] and content is not None


def test_a_stale_or_broken_memo_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    path.write_text(json.dumps({"stamp": "0/old/s2t", "spans": {"软件": "WRONG"}}), encoding="utf-8")
    assert hant.Memo(path).entries == {}
    path.write_text("{not json", encoding="utf-8")
    assert hant.Memo(path).entries == {}
    path.write_text(json.dumps({"stamp": hant.Memo.stamp(), "spans": {"软件": "軟體"}}), encoding="utf-8")
    assert hant.Memo(path).entries == {"软件": "軟體"}


def test_memo_only_writes_when_it_learned_something(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    memo = hant.Memo(path)
    memo.save()
    assert not path.exists()
    assert memo.convert("软件") == "軟體"
    memo.save()
    assert json.loads(path.read_text(encoding="utf-8"))["spans"] == {"软件": "軟體"}


def test_memo_in_a_read_only_place_is_not_an_error(tmp_path: Path) -> None:
    memo = hant.Memo(tmp_path / "missing-folder" / "memo.json")
    assert memo.convert("软件") == "軟體"
    memo.save()  # logs, does not raise


def test_loading_the_cogs_does_not_import_the_screening_rules() -> None:
    code = (
        "import importlib, sys\n"
        "from bot.app import cog_names\n"
        "[importlib.import_module(n) for n in cog_names()]\n"
        "print(sorted(m for m in sys.modules if m.startswith('bot.screening.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    loaded = set(eval(out.stdout))  # noqa: S307 - our own subprocess prints a list of module names
    assert not loaded & {"bot.screening.engine", "bot.screening.normalise", "bot.screening.zh_rules"}, loaded


def test_a_process_that_exits_while_the_prefilter_checks_itself_exits_cleanly() -> None:
    # The first share builds the prefilter in a thread, and the build ends with RE2 searches (the
    # self-check); an interpreter that exited under a daemon thread inside one aborted (SIGABRT).
    code = (
        "import threading, re2\n"
        "from bot.screening import prefilter\n"
        "from bot.screening import screen\n"
        "inside = threading.Event()\n"
        "check = prefilter.Prefilter._hyperscan_misses\n"
        "def slow_check(self, canaries, translations):\n"
        "    inside.set()\n"
        "    pattern, text = re2.compile('no reason to live'), 'the loss went to nan at step 40k. ' * 60\n"
        "    for _ in range(100000):\n"
        "        pattern.search(text)\n"
        "    return check(self, canaries, translations)\n"
        "prefilter.Prefilter._hyperscan_misses = slow_check\n"
        "print(screen('i want to kill myself tonight').flagged)\n"
        "assert inside.wait(60)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert (out.returncode, out.stdout.split()) == (0, ["True"]), out.stderr[-500:]


def test_the_first_screen_after_start_loads_the_rules_and_works() -> None:
    code = (
        "from bot.screening import screen\n"
        "print(screen('i want to kill myself tonight').flagged, screen('the gel ran fine').flagged)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
