"""p50/p99 of bot.screening.screen on 2,000-character shares (goal: p99 < 1 ms).

Usage: ``.venv/bin/python benchmarks/bench_screening.py [--runs N] [--rules-only]``. Six kinds of share, each
exactly 2,000 characters: ordinary English lab talk, Simplified Chinese, Traditional Chinese,
code-switched zh/en with pinyin, and a long share that ends in a warning sign. Every call is
timed on its own after a warm-up; the figure reported is over all calls of all kinds.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import machine, yardstick_us
from bot.screening import Screening, warm_up
from bot.screening import screen as current_screen

ROOT = Path(__file__).resolve().parents[1]
LENGTH = 2000
SHARES = {
    "en lab talk": (
        "The rebuttal is due Friday and reviewer 2 wants three more ablations. I killed the stuck jobs on"
        " node 7, the GPU on node 3 died again, and the loss went to NaN at step 40k. Honestly I'm tired"
        " but it's fine, we'll get there. Thanks everyone for the help with the figures yesterday. "
    ),
    "zh Simplified": "这周赶论文累死了，训练又崩了，进程被杀掉了两次。谢谢大家昨天帮我改图，周五组会见。",
    "zh Traditional": "這週趕論文累死了，訓練又當機了，行程被砍掉兩次。謝謝大家昨天幫我改圖，週五見。",
    "mixed + pinyin": "deadline 快到了 but 实验还没跑完，wo jin tian ye yao ao ye, xie xie da jia. ",
    "ends in a warning sign": "Long week in the lab, the cluster was down and my advisor was away. ",
}
TAIL = " I've given away my books and plants, I won't need them where I'm going."


def shares() -> dict[str, str]:
    """Each kind repeated to exactly LENGTH characters."""
    out = {}
    for name, unit in SHARES.items():
        text = (unit * (LENGTH // len(unit) + 1))[:LENGTH]
        if name == "ends in a warning sign":
            text = text[: LENGTH - len(TAIL)] + TAIL
        assert len(text) == LENGTH
        out[name] = text
    return out


def buried_phrasings() -> list[str]:
    """Every phrasing of the tuning set, crisis or not, inside 2,000 characters of the other kinds.

    A crisis phrasing lets many patterns past the prefilter, so this is the slow case; each
    timed call screens a different share.
    """
    import yaml

    data = yaml.safe_load(
        (ROOT / "tests" / "data" / "screening_warning_signs.yaml").read_text(encoding="utf-8")
    )
    phrasings: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            phrasings.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key != "provenance":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    fillers = list(shares().values())
    out = []
    for i, phrasing in enumerate(phrasings):
        filler = fillers[i % 4]  # not the one that ends in a warning sign
        head = max(0, LENGTH - len(phrasing) - 1)
        out.append((filler[: head // 2] + " " + phrasing + " " + filler[head // 2 : head])[:LENGTH])
    return out


def load_baseline(path: Path) -> Callable[[str], Screening]:
    """screen() from a single-file module, e.g. ``git show d8af667:bot/screening.py > /tmp/old.py``."""
    spec = importlib.util.spec_from_file_location("baseline_screening", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    screen: Callable[[str], Screening] = module.screen
    return screen


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def _without_prefilter(text: str) -> Screening:
    """screen() with every pattern run under re (what the prefilter saves is the difference)."""
    from bot.screening import CATEGORIES, engine

    found = {c for _, cats in engine._hits(text, prefilter=False) for c in cats}
    categories = tuple(c for c in CATEGORIES if c in found)
    return Screening(flagged=bool(categories), categories=categories)


def main() -> None:
    """Time screen() and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2000, help="timed calls per kind of share")
    parser.add_argument(
        "--baseline", type=Path, help="time screen() of this single-file module instead (an older version)"
    )
    parser.add_argument(
        "--no-prefilter",
        action="store_true",
        help="time the same rules with the RE2 prefilter off (the same-run baseline for the prefilter)",
    )
    parser.add_argument(
        "--rules-only",
        action="store_true",
        help="time the rules without the word model (the same-run baseline for the model's cost)",
    )
    args = parser.parse_args()
    screen = load_baseline(args.baseline) if args.baseline else current_screen
    if args.no_prefilter:
        screen = _without_prefilter
    if args.rules_only:
        from bot.screening.engine import screen_rules

        screen = screen_rules
    texts = shares()
    if not args.baseline and not args.no_prefilter:
        warm_up()  # a running bot builds it in a thread on its first share
    if not args.baseline:
        assert screen(texts["ends in a warning sign"]).flagged
    assert not any(screen(t).flagged for n, t in texts.items() if n != "ends in a warning sign")
    everything: list[float] = []
    print("| Share (2,000 chars) | p50 | p99 | max |\n|---|---:|---:|---:|")
    for name, text in texts.items():
        for _ in range(50):
            screen(text)
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter_ns()
            screen(text)
            timings.append((time.perf_counter_ns() - start) / 1e6)
        everything += timings
        p50, p99 = statistics.median(timings), percentile(timings, 99)
        print(f"| {name} | {p50:.3f} ms | {p99:.3f} ms | {max(timings):.3f} ms |")
    buried = buried_phrasings()
    timings = []
    for i in range(args.runs):
        text = buried[i % len(buried)]
        start = time.perf_counter_ns()
        screen(text)
        timings.append((time.perf_counter_ns() - start) / 1e6)
    everything += timings
    p50, p99 = statistics.median(timings), percentile(timings, 99)
    print(
        f"| a labelled phrasing buried in lab talk ({len(buried)} shares) | {p50:.3f} ms | {p99:.3f} ms |"
        f" {max(timings):.3f} ms |"
    )
    p99 = percentile(everything, 99)
    print(
        f"| **all** (n={len(everything)}) | {statistics.median(everything):.3f} ms | **{p99:.3f} ms** |"
        f" {max(everything):.3f} ms |"
    )
    verdict = "PASS" if p99 < 1 else "MISS"
    print(f"\np99 {p99:.3f} ms: {verdict} (goal < 1 ms); Python {platform.python_version()}")
    print(f"Machine: {machine()['CPU']}; sum(range(10000)) takes {yardstick_us():.0f} us here")


if __name__ == "__main__":
    main()
