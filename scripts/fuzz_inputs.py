"""Fuzz what strangers can hand kindred: resource imports, share text and links (issue 20).

    .venv/bin/python scripts/fuzz_inputs.py [--examples 3000]

Hypothesis generates arbitrary Unicode text, YAML-shaped text (with anchors, aliases, tags and
deep nesting) and URLs. Each input is run through the real functions: `plan_import` (the
import path), `relayed_text`/`plain_text` (how a share is shown) and `url_problem`/`link_target`
(how a link is checked and rendered). A crash is any exception other than the documented
refusal; a freeze is any single call taking longer than a second. Prints the counts.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import RESOURCES_DIR
from bot.content import require_library
from bot.resource_edits import plan_import
from bot.validation import link_target, plain_text, relayed_text, url_problem

FREEZE_SECONDS = 1.0
LIBRARY = require_library(RESOURCES_DIR)

yaml_atoms = st.sampled_from(
    [
        "&a ",
        "*a",
        "!!python/object:os.system ",
        "!x ",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "- ",
        "\n",
        "  ",
        "'",
        '"',
        "topics:",
        "locale: en",
        "items:",
        "id: x",
        "url: https://e.org",
        "<<: *a",
        "? ",
        "|",
        ">",
        "#",
        "%YAML 1.1\n",
    ]
)
yaml_like = st.lists(st.one_of(yaml_atoms, st.text(max_size=8)), max_size=120).map("".join)
urls = st.builds(
    lambda s, h, p: f"{s}://{h}/{p}",
    st.sampled_from(["http", "https", "ftp", "javascript"]),
    st.text(max_size=30),
    st.text(max_size=60),
)


class Tally:
    """Counts per target: inputs tried, crashes, freezes, slowest call."""

    def __init__(self) -> None:
        self.tried: dict[str, int] = {}
        self.crashes: dict[str, int] = {}
        self.freezes: dict[str, int] = {}
        self.slowest: dict[str, float] = {}

    def run(self, name: str, call: Callable[[], object]) -> None:
        """Call once, timing it; count an exception as a crash and a slow call as a freeze."""
        self.tried[name] = self.tried.get(name, 0) + 1
        started = time.perf_counter()
        try:
            call()
        except Exception:
            self.crashes[name] = self.crashes.get(name, 0) + 1
        took = time.perf_counter() - started
        self.slowest[name] = max(self.slowest.get(name, 0.0), took)
        if took > FREEZE_SECONDS:
            self.freezes[name] = self.freezes.get(name, 0) + 1


def main() -> int:
    """Fuzz the three targets and print the counts; exit 1 on any crash or freeze."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=3000)
    args = parser.parse_args()
    tally = Tally()
    fuzz = settings(
        max_examples=args.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )

    @fuzz
    @given(st.one_of(yaml_like, st.text(max_size=2000)))
    def imports(text: str) -> None:
        tally.run("import", lambda: plan_import(text, LIBRARY, [], []))

    @fuzz
    @given(st.text(max_size=2000), st.booleans())
    def shares(text: str, spoiler: bool) -> None:
        tally.run("share text", lambda: (plain_text(text), relayed_text(text, spoiler=spoiler)))

    @fuzz
    @given(st.one_of(urls, st.text(max_size=200)))
    def links(url: str) -> None:
        tally.run("url", lambda: link_target(url) if url_problem(url) is None else None)

    for target in (imports, shares, links):
        target()
    for name, tried in tally.tried.items():
        print(
            f"{name}: {tried} inputs, {tally.crashes.get(name, 0)} crashes,"
            f" {tally.freezes.get(name, 0)} freezes,"
            f" slowest {tally.slowest[name] * 1000:.1f} ms"
        )
    return 1 if tally.crashes or tally.freezes else 0


if __name__ == "__main__":
    raise SystemExit(main())
