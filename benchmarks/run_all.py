"""Run every kindred benchmark against the fake Discord and write benchmarks/RESULTS.md.

Usage: .venv/bin/python benchmarks/run_all.py [--quick] [--only NAME ...] [--output PATH]

The full run takes about thirteen minutes on two cores (the fan-out alone needs 400 s at 50
requests/s, the burst two minutes); --quick uses small sizes for a smoke run of about two minutes
(its figures are not comparable, and it writes to the temporary directory unless --output says
otherwise). Every figure with a bare-bot counterpart is reported as a ratio to the bare bot
measured in the same run, with PASS/MISS against issue 19's goals.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks import bench_burst, bench_fanout, bench_latency, bench_startup, bench_storage  # noqa: E402
from benchmarks.common import Figure, fmt, machine  # noqa: E402

RESULTS = REPO_ROOT / "benchmarks" / "RESULTS.md"

Runner = Callable[[Path, bool], Awaitable[list[Figure]]]


async def _latency(work: Path, quick: bool) -> list[Figure]:
    return await bench_latency.run(work, serial=30 if quick else 1000, concurrent_rounds=2 if quick else 20)


async def _fanout(work: Path, quick: bool) -> list[Figure]:
    return await bench_fanout.run(work, 200 if quick else 10_000)


async def _storage(work: Path, quick: bool) -> list[Figure]:
    return await bench_storage.run(
        work,
        total=50_000 if quick else 1_000_000,
        guilds=50 if quick else 500,
        sample=200 if quick else 2_000,
    )


async def _startup(work: Path, quick: bool) -> list[Figure]:
    return await bench_startup.run(
        work, guilds=10 if quick else 100, members=10 if quick else 100, repeats=1 if quick else 3
    )


async def _burst(work: Path, quick: bool) -> list[Figure]:
    # --quick: a fifth of the lab and the two minutes compressed 6x (20 s); the full run is real time.
    return await bench_burst.run(work, members=60 if quick else 300, compress=6.0 if quick else 1.0)


BENCHMARKS: dict[str, Runner] = {
    "latency": _latency,
    "fanout": _fanout,
    "storage": _storage,
    "startup": _startup,
    "burst": _burst,
}

#: Issue 19's table: (label, section prefix, kindred figure, bare figure or None, goal text, test).
#: The test gets (value, ratio to bare or None) and says whether the goal is met.
Goal = tuple[str, str, str, str | None, str, Callable[[float, float | None], bool]]
RECORD_CHECKIN = "Check-in throughput (record_checkin), 50 members at once"  # names from bench_storage
RECORD_CHECKIN_ALONE = "Check-in throughput (record_checkin), one member at a time"
RECORD_CHECKIN_GOAL = 2000.0


def _within(limit: float) -> Callable[[float, float | None], bool]:
    return lambda _value, ratio: ratio is not None and ratio <= limit


GOALS: list[Goal] = [
    *(
        (
            f"p99 {command}, {level} concurrent",
            f"1. Interaction latency, {level} concurrent",
            f"kindred {command} p99",
            "bare discord.py /ping p99",
            "<= 1.1x bare",
            _within(1.1),
        )
        for command in ("/crisis", "/resources show", "/resources search", "check-in submit")
        for level in (1, 50)
    ),
    (
        "process start to READY",
        "4. Memory and start-up",
        "kindred start to READY (existing database)",
        "bare discord.py bot start to READY",
        "<= 1.0 s",
        lambda value, _ratio: value <= 1.0,
    ),
    (
        "RSS after READY",
        "4. Memory and start-up",
        "kindred RSS after READY",
        "bare discord.py bot RSS after READY",
        "<= 1.3x bare",
        _within(1.3),
    ),
    (
        "fan-out: fraction of the global limit",
        "2. Weekly fan-out",
        "Fraction of the global limit",
        None,
        ">= 0.98",
        lambda value, _ratio: value >= 0.98,
    ),
    (
        "fan-out: requests answered 429",
        "2. Weekly fan-out",
        "Share of requests answered 429",
        None,
        "<= 0.5 %",
        lambda value, _ratio: value <= 0.5,
    ),
    (
        "record_checkin, 50 members at once",
        "3. Storage",
        RECORD_CHECKIN,
        None,
        ">= 2,000 /s",
        lambda value, _ratio: value >= RECORD_CHECKIN_GOAL,
    ),
    (
        "record_checkin, one member at a time",
        "3. Storage",
        RECORD_CHECKIN_ALONE,
        None,
        ">= 2,000 /s",
        lambda value, _ratio: value >= RECORD_CHECKIN_GOAL,
    ),
    (
        "burst: p99 check-in submit",
        "6. Burst",
        "kindred check-in submit p99",
        "bare discord.py /ping p99 at the same moments",
        "<= 1.1x bare",
        _within(1.1),
    ),
]


def _find(figures: list[Figure], section: str, name: str) -> Figure | None:
    return next((f for f in figures if f.section.startswith(section) and f.name == name), None)


def with_issue_goals(figures: list[Figure]) -> list[Figure]:
    """Give record_checkin the issue's absolute goal (its benchmark reports the figure without one)."""
    out = []
    for f in figures:
        if f.name == RECORD_CHECKIN and f.passed is None:
            f = dataclasses.replace(f, target=">= 2,000 /s", passed=f.value >= RECORD_CHECKIN_GOAL)
        out.append(f)
    return out


def goal_table(figures: list[Figure]) -> list[str]:
    """Every figure of issue 19's table: kindred, the bare bot in the same run, the ratio, PASS/MISS."""
    lines = [
        "## Issue 19's goals, every figure against the bare bot measured in this run",
        "",
        "| Figure | kindred | bare bot | ratio | Goal | Result |",
        "|---|---:|---:|---:|---|---|",
    ]
    met = total = 0
    for label, section, name, bare_name, goal, test in GOALS:
        mine = _find(figures, section, name)
        if mine is None:
            lines.append(f"| {label} | not measured |  |  | {goal} |  |")
            continue
        bare = _find(figures, section, bare_name) if bare_name else None
        ratio = (
            mine.ratio
            if mine.ratio is not None
            else (mine.value / bare.value if bare and bare.value else None)
        )
        ok = test(mine.value, ratio)
        total += 1
        met += ok
        lines.append(
            f"| {label} | {_shown(mine)} | {_shown(bare) if bare else 'n/a'} | "
            f"{f'{ratio:.2f}x' if ratio is not None else 'n/a'} | {goal} | {'PASS' if ok else 'MISS'} |"
        )
    lines += ["", f"**{met} of {total} of the issue's goals met in this run.**"]
    return lines


def _shown(figure: Figure) -> str:
    fractional = figure.value != int(figure.value) if figure.value == figure.value else False
    digits = 1
    if fractional and 0 < abs(figure.value) < 10:
        digits = 3 if figure.unit == "" else 2
    whole = figure.value == figure.value and not fractional
    shown = f"{figure.value:,.0f}" if whole else fmt(figure.value, digits)
    return f"{shown} {figure.unit}".strip()


METHOD = """## How each figure is measured

1. **Latency**: two fakes in one process, one serving kindred (`python -m bot`), one a bare discord.py
   bot (`benchmarks/bare_bot.py`: a `Client` with kindred's intents and one `/ping`). Latency is the
   fake's own clock from queueing INTERACTION_CREATE on the gateway to the callback request reaching
   its HTTP handler. "1 concurrent": one interaction at a time; "50 concurrent": 50 dispatched back to
   back, all answered, repeated. Batches of the bare bot and of kindred alternate, so both meet the
   same moments of a shared machine; the bare p99 pools all its batches at that concurrency, and the
   benchmark process's own garbage collector is off while measuring (the fakes are not under test).
   Each kindred command is a fresh invocation; every check-in is a new member's first this week (a
   real insert), and at 50 concurrent 50 members of one lab submit their forms at once.
   The target compares each kindred p99 with the bare bot's p99 at the same concurrency, same run.
2. **Fan-out**: subscriptions written with the real `save_subscription`, all due one minute ago; the
   bot sends them with Discord's limits on in the fake: 50 requests/s global (fixed one-second
   windows), per-route buckets (`POST /channels/{id}/messages` 5 per 5 s per channel, opening a DM
   50 per second) with real `X-RateLimit-*` headers and 429s, which discord.py handles unmodified.
   Each DM is two requests (open the DM channel, post). The rate is accepted requests divided by
   what the global windows used during the fan-out allowed. Duplicates and losses are counted per
   member from the fake's DM channels after the dispatcher has had further runs.
3. **Storage**: one SQLite file through the real schema. `record_checkin` is timed on a sample (it
   commits the receipt and answer, then checkpoints the WAL); the rest is batch-inserted (setup only).
   The /pulse figure is `answers_by_week` for 12 closed weeks of one guild plus `pulse_series`, through
   the bot's own `Database` (aiosqlite), on 200 random guilds, twice each.
4. **Memory and start-up**: 100 guilds of 100 members in the fake; RSS from /proc/<pid>/status after
   `on_ready` and a 3 s settle. Without the privileged members intent Discord sends no member lists,
   so the member count barely matters; guild and channel objects do. kindred and the bare bot
   start alternately (3 times each; medians), after `compileall` of kindred's packages, as the
   Docker image does at build (discord.py's bytecode comes with its wheel).
6. **Burst**: 300 members of one lab subscribed to the weekly check-in nudge, due at once; the real
   dispatcher sends the DMs through the fake with Discord's limits on; 80% of the members (random,
   seeded) press the button in their DM at times spread uniformly over two minutes (never before
   their DM arrived), fill in the form for 3-10 s and submit it. The bare bot, on its own fake in
   the same process and the same two minutes, gets a /ping at each press and each submit. The
   figure is the submit's p99 against the p99 of the pings at the submit moments. The full run is
   real time; `--quick` uses 60 members and compresses every time by 6x (say so when quoting it).

Ratios ("x bare") divide kindred's figure by the bare bot's same figure measured in the same run.
The goals are issue 19's: every p99 <= 1.1x bare; start to READY <= 1.0 s; RSS <= 1.3x bare;
fan-out >= 0.98 of the global limit with <= 0.5% of requests answered 429; record_checkin
>= 2,000/s.
"""

WHY = {
    "1.": """**Latency.** The bare bot answers `/ping` from memory; its only await is the callback request.
kindred's commands make several SQLite queries each, through aiosqlite (every query is a hand-off to the
connection's thread, about 0.2 ms) on one shared connection behind one lock: `/crisis` reads the lab's
own support lines (with a 1 s cap), `/resources show` reads the guild's overlay, `/resources search` runs
an FTS5 query plus those reads, and a check-in reads the lab's settings and topics, commits two rows and
then checkpoints the WAL with an fsync (section 3: the checkpoint is most of a check-in's cost). With 50
interactions at once the 50 handlers take turns on that lock query by query, so the whole batch finishes
together: even the first of the 50 is answered only after most of the others' queries (p50 and p99 are
close, and both scale with queries per command). The p99 at 50 concurrent also varies between runs
(now and then a whole batch stalls; the cause was not pinned down), so read it beside the p50.
What would meet the target: keep each guild's effective topics and overlay in memory,
invalidated by the edit functions (which already go through one module), so `/crisis`, `/resources show`
and the check-in reply make no query on the hot path; give reads their own connection (WAL lets readers
run beside the writer) so they do not queue behind writes; and checkpoint the WAL after answering,
debounced (for example at most every 250 ms) instead of inside `record_checkin`, which keeps the
anonymity property (no journal holding a receipt beside its answer for long) at a fraction of the cost.
On real Discord both bots also pay 20 to 100 ms of network round trip, which shrinks the ratio at one
interaction at a time, but not the queueing at 50.""",
    "2.": """**Fan-out.** kindred paces every REST request to the global window (bot/rest_pacing.py) and
each bucket's X-RateLimit headers; a miss in the rate means the windows' margin grew after 429s
(the clocks of client and server drifted further apart than the 15 ms assumed), a miss in 429s that
requests left in bursts that land in one server window.""",
    "6.": """**Burst.** The submit is a check-in: settings and topics read, two rows committed (see
section 3 for its cost), while the dispatcher's fan-out shares the bot's event loop and database.""",
    "3.": """**Storage.** The /pulse query reads every answer of 12 weeks of one guild through the
`(guild_id, week)` index and then each row from the table (random keys). A covering index
`(guild_id, week, mood, energy, topics)` would answer it from the index alone.""",
    "4.": """**Memory and start-up.** What is left above the bare bot is kindred's own modules (about
0.4 s of imports: bot.app, the cogs, PyYAML, APScheduler, cryptography), reading resources/ (0.2 s with
libyaml and the zh-TW memo) and opening the database; RSS above bare is mostly those modules and the
content. Profile a start with `py-spy record -r 250 -f raw -- python fakediscord/launcher.py`.""",
}


def render(
    figures: list[Figure], *, quick: bool, started: datetime, seconds: float, host: dict[str, str]
) -> str:
    """RESULTS.md: the machine, then one table per benchmark with targets and PASS/MISS."""
    lines = ["# kindred benchmark results", ""]
    if quick:
        lines += [
            "> **Quick smoke run (`--quick`): small sizes; figures are not comparable to targets.**",
            "",
        ]
    lines += [
        f"Run {started:%Y-%m-%d %H:%M} UTC with `.venv/bin/python benchmarks/run_all.py"
        f"{' --quick' if quick else ''}` in {seconds / 60:.1f} min; every comparison below was "
        "measured in this one run, against the fake Discord (fakediscord/) on 127.0.0.1 with "
        "the real `python -m bot` process.",
        "",
        "| Machine | |",
        "|---|---|",
    ]
    lines += [f"| {key} | {value} |" for key, value in host.items()]
    lines += ["", *goal_table(figures)]
    section = None
    for figure in figures:
        if figure.section != section:
            section = figure.section
            lines += [
                "",
                f"## {section}",
                "",
                "| Figure | Value | x bare | Target | Result | Notes |",
                "|---|---:|---:|---|---|---|",
            ]
        ratio = f"{figure.ratio:.2f}x" if figure.ratio is not None else ""
        cells = (figure.name, _shown(figure), ratio, figure.target, figure.verdict, figure.note)
        lines.append("| " + " | ".join(cells) + " |")
    verdicts = [f for f in figures if f.passed is not None]
    missed = [f for f in verdicts if not f.passed]
    lines += ["", f"**{len(verdicts) - len(missed)} of {len(verdicts)} targets met.**"]
    if missed:
        lines += [
            "",
            "Missed: " + "; ".join(f"{f.section.split(' (')[0]}: {f.name}" for f in missed) + ".",
            "",
            "## Why targets were missed, and what would meet them",
            "",
        ]
        for prefix, text in WHY.items():
            if any(f.section.startswith(prefix) for f in missed):
                lines += [text, ""]
    lines += ["", METHOD]
    return "\n".join(lines).rstrip() + "\n"


async def main_async(names: list[str], quick: bool, output: Path) -> int:
    started = datetime.now(UTC)
    clock = time.monotonic()
    load_at_start = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        for name in names:
            print(f"[{time.monotonic() - clock:6.0f}s] running {name} ...", flush=True)
            work = Path(tmp) / name
            work.mkdir()
            figures += await BENCHMARKS[name](work, quick)
    figures = with_issue_goals(figures)
    seconds = time.monotonic() - clock
    host = machine()
    host["Load average (1/5/15 min) at the start"] = load_at_start
    host["Load average (1/5/15 min) at the end"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    raw = {
        "started": started.isoformat(),
        "seconds": seconds,
        "quick": quick,
        "machine": host,
        "figures": [dataclasses.asdict(f) for f in figures],
    }
    output.with_suffix(".json").write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
    write(output, raw)
    print(output.read_text(encoding="utf-8"))
    return 0


#: Sections recorded by hand with their own script (bench_screening.py): kept when re-rendering.
KEPT_FROM = "## 5. Crisis screening"


def write(output: Path, raw: dict[str, Any]) -> None:
    """Render the raw results (as saved beside RESULTS.md) into markdown, keeping the kept sections."""
    figures = [Figure(**f) for f in raw["figures"]]  # older files lack "ratio": it defaults to None
    text = render(
        figures,
        quick=raw["quick"],
        started=datetime.fromisoformat(raw["started"]),
        seconds=raw["seconds"],
        host=raw["machine"],
    )
    previous = output.read_text(encoding="utf-8") if output.exists() else ""
    if KEPT_FROM in previous:
        text += "\n" + previous[previous.index(KEPT_FROM) :]
    output.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these benchmarks")
    parser.add_argument(
        "--output",
        type=Path,
        help="where to write the results (default benchmarks/RESULTS.md; with --quick "
        "a file in the temporary directory, so a smoke run never replaces real results)",
    )
    parser.add_argument(
        "--rerender",
        action="store_true",
        help="measure nothing: rewrite the markdown from the .json saved beside it",
    )
    args = parser.parse_args()
    quick_output = Path(tempfile.gettempdir()) / "kindred-RESULTS.quick.md"
    output = args.output or (quick_output if args.quick else RESULTS)
    if args.rerender:
        write(output, json.loads(output.with_suffix(".json").read_text(encoding="utf-8")))
        return 0
    names = args.only or list(BENCHMARKS)
    return asyncio.run(main_async(names, args.quick, output))


if __name__ == "__main__":
    sys.exit(main())
