"""Check that every link in the shipped resource packs still answers (needs the network).

`python -m bot check` validates every link's shape offline; this script goes further and asks
each host. It never runs in CI by default: without a network it says so and exits 0, so a
laptop on a train does not fail a build. Run it before a release:

    .venv/bin/python scripts/check_urls.py            # every pack
    .venv/bin/python scripts/check_urls.py --strict   # exit 1 if any link is dead

A link counts as alive if it answers with any status below 400, or with 401/403/405/429
(sites that refuse robots or HEAD requests but exist). Each host is asked once per URL,
HEAD first, then GET.
"""

from __future__ import annotations

import argparse
import socket
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import RESOURCES_DIR  # noqa: E402 - after the path fix above
from bot.content import load_library  # noqa: E402

ALIVE_REFUSALS = {401, 403, 405, 429}
TIMEOUT = 15
USER_AGENT = "kindred-link-check/1 (peer-support bot: checking its resource list)"
PROBE = ("one.one.one.one", 443)


def online() -> bool:
    """True if a well-known host can be resolved and reached at all."""
    try:
        with socket.create_connection(PROBE, timeout=5):
            return True
    except OSError:
        return False


def status(url: str) -> tuple[str, str]:
    """(url, verdict): "ok", or why the link looks dead."""
    last = "no answer"
    for method in ("HEAD", "GET"):
        # Shipped links are validated as http(s) by load_library before they get here.
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) only
                if response.status < 400:
                    return url, "ok"
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            if exc.code in ALIVE_REFUSALS:
                return url, "ok"
            last = f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last = str(getattr(exc, "reason", exc))
    return url, last


def shipped_urls() -> dict[str, list[str]]:
    """Every distinct link in the packs, with the item ids that use it."""
    library, problems = load_library(RESOURCES_DIR)
    if problems:
        raise SystemExit("resources/ has problems; run `python -m bot check` first")
    found: dict[str, list[str]] = {}
    for locale in ("en", "zh"):
        for topic in library.pack(locale).topics:
            for item in topic.items:
                found.setdefault(item.url, []).append(f"{locale}:{item.id}")
    return found


def main() -> int:
    """Ask every shipped link; print the dead ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 if any link is dead")
    args = parser.parse_args()
    if not online():
        print(
            "check_urls: no network here, so no link was checked (skipped; "
            "`python -m bot check` still validates their shape offline)."
        )
        return 0
    urls = shipped_urls()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(status, sorted(urls)))
    dead = [(url, verdict) for url, verdict in results if verdict != "ok"]
    for url, verdict in dead:
        print(f"DEAD {verdict}: {url}  ({', '.join(urls[url])})")
    print(f"check_urls: {len(results) - len(dead)} of {len(results)} links answered")
    return 1 if dead and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
