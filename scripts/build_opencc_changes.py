"""Generate bot/screening/opencc_changes.json: what OpenCC's Traditional -> Simplified step can change.

The normaliser converts every share with Chinese characters through OpenCC (``tw2sp``), about
60 µs for 2,000 characters even when the share is already Simplified and nothing changes. A
conversion can only change text where one of its dictionaries has a key whose value differs
from the key itself, and that key occurs in the text. This lists those keys from the very
dictionaries the configuration names: the characters that are keys on their own, and the longer
keys that hold none of those characters (any other longer key holds one, so the characters
find it). A share holding none of them comes out of OpenCC unchanged, so the normaliser skips
the call (``normalise.to_simplified``).

The file records the OpenCC version it was made from; with any other version installed the
normaliser always converts. Run after upgrading OpenCC; a unit test fails while the file is stale.
OpenCC's own ``opencc_dict`` tool (shipped in the wheel) writes each dictionary out as text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bot" / "screening" / "opencc_changes.json"
CONFIG = "tw2sp"  # normalise._t2s's configuration
_CLIB = Path(opencc.__file__).parent / "clib"


def _dictionaries(node: object) -> list[str]:
    """Every dictionary file a configuration (or part of one) names, in order."""
    if isinstance(node, dict):
        own = [node["file"]] if "file" in node else []
        return own + [f for value in node.values() for f in _dictionaries(value)]
    if isinstance(node, list):
        return [f for value in node for f in _dictionaries(value)]
    return []


def _entries(name: str, scratch: Path) -> list[tuple[str, str]]:
    """A dictionary's keys and the value a conversion writes for each (the first candidate)."""
    source = _CLIB / "share" / "opencc" / name
    text = scratch / (name + ".txt")
    env = {**os.environ, "LD_LIBRARY_PATH": str(_CLIB / "lib64")}
    subprocess.run(  # noqa: S603 - the wheel's own tool, on the wheel's own files
        [str(_CLIB / "bin" / "opencc_dict"), "-i", str(source), "-o", str(text), "-f", "ocd2", "-t", "text"],
        check=True,
        env=env,
        capture_output=True,
    )
    entries = []
    for line in text.read_text(encoding="utf-8").splitlines():
        if line:
            key, values = line.split("\t")
            entries.append((key, values.split(" ")[0]))
    return entries


def build() -> dict[str, object]:
    """The characters and longer keys a conversion can change, and the version they come from."""
    config = json.loads((_CLIB / "share" / "opencc" / f"{CONFIG}.json").read_text(encoding="utf-8"))
    changing: set[str] = set()
    with tempfile.TemporaryDirectory() as scratch:
        for name in dict.fromkeys(_dictionaries(config)):
            changing.update(key for key, value in _entries(name, Path(scratch)) if value != key)
    characters = {key for key in changing if len(key) == 1}
    longer = {key for key in changing if len(key) > 1 and not characters.intersection(key)}
    return {
        "about": "bot/screening/normalise.py; made by scripts/build_opencc_changes.py (do not edit)",
        "opencc": opencc.__version__,
        "config": CONFIG,
        "characters": "".join(sorted(characters)),
        "longer": sorted(longer),
    }


def main() -> None:
    """Write the file, or with --check say whether it is current."""
    made = build()
    if sys.argv[1:] == ["--check"]:
        current = json.loads(OUT.read_text(encoding="utf-8")) == made
        print("current" if current else "stale: run scripts/build_opencc_changes.py")
        raise SystemExit(0 if current else 1)
    OUT.write_text(json.dumps(made, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
