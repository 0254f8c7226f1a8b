"""Move a stratified random third of the warning-sign set into a frozen held-back file (run once)."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
HEADER_HELDBACK = """\
# Held-back third of an issue-13 screening set: FROZEN, never tuned or trained on.
provenance: >
  Split from {source} (see its provenance: {written}, no real user data) by
  scripts/split_screening_set.py with seed {seed}: in every (label, category,
  language) group, a random third (rounded) came here before any rule or model changed. Its
  figures are computed by scripts/eval_screening.py and reported, never asserted, and its
  misses are not read while writing rules.
"""

Groups = dict[str, dict[str, dict[str, list[str]]]]


def _dump(groups: Groups) -> str:
    """Write label -> category -> language -> phrasings as block YAML, one phrasing a line."""
    lines: list[str] = []
    for label, categories in groups.items():
        lines.append(f"{label}:")
        for category, languages in categories.items():
            lines.append(f"  {category}:")
            for lang, texts in languages.items():
                if not texts:  # a group of one phrasing keeps it in the tuning part
                    continue
                lines.append(f"    {lang}:")
                lines.extend(f"      - {json.dumps(t, ensure_ascii=False)}" for t in texts)
    return "\n".join(lines) + "\n"


def split(source: Path, heldback: Path, seed: int) -> None:
    """Rewrite ``source`` as the tuning part and write the held-back third to ``heldback``."""
    text = source.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    # The header is the provenance and comments; a set of everyday messages has no crisis section.
    first = min(i for i in (text.find("\ncrisis:"), text.find("\nnot_crisis:")) if i >= 0)
    header = text[: first + 1]
    rng = random.Random(seed)  # noqa: S311 - a reproducible split, not a secret
    tune: Groups = {}
    held: Groups = {}
    for label in ("crisis", "not_crisis"):
        for category, languages in raw.get(label, {}).items():
            for lang, texts in languages.items():
                order = list(texts)
                rng.shuffle(order)
                k = round(len(order) / 3)
                chosen = set(order[:k])
                held.setdefault(label, {}).setdefault(category, {})[lang] = [t for t in texts if t in chosen]
                tune.setdefault(label, {}).setdefault(category, {})[lang] = [
                    t for t in texts if t not in chosen
                ]
    source.write_text(header + _dump(tune), encoding="utf-8")
    written = (
        "written without looking at the rules from the public warning-sign lists of 988 Lifeline /"
        "\n  #BeThe1To, AFSP, Samaritans and IASP"
        if "crisis" in raw
        else "everyday messages written without looking at the rules"
    )
    heldback.write_text(
        HEADER_HELDBACK.format(seed=seed, source=source.name, written=written) + _dump(held), encoding="utf-8"
    )


def main() -> None:
    """Command line: split the default files with the default seed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=DATA / "screening_warning_signs.yaml")
    parser.add_argument("--heldback", type=Path, default=DATA / "screening_heldback.yaml")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if args.heldback.exists():
        raise SystemExit(f"{args.heldback} exists: the held-back part is frozen, do not split again")
    split(args.source, args.heldback, args.seed)


if __name__ == "__main__":
    main()
