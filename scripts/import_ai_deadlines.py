"""Rebuild resources/calendar/ai-deadlines.yaml from a checkout of huggingface/ai-deadlines.

    python scripts/import_ai_deadlines.py PATH/TO/src/data/conferences [--commit SHA] [--date YYYY-MM-DD]

Every deadline becomes a UTC instant (AoE is UTC-12 all year) with its original zone label kept,
so `python -m bot check` and the bot never parse the upstream's mixed zone spellings at run time.
Entries whose date or zone cannot be read are left out and listed on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from bot.calendar import normal_kind, to_utc

OUT = Path(__file__).resolve().parents[1] / "resources" / "calendar" / "ai-deadlines.yaml"
HEADER = """\
# Conference deadlines shipped with kindred for /admin calendar follow.
# Converted by scripts/import_ai_deadlines.py from huggingface/ai-deadlines (MIT licence,
# Copyright (c) 2025 Hugging Face; see resources/calendar/LICENSE-ai-deadlines).
# Every `at` is UTC; `zone` is the upstream label (AoE = UTC-12 all year).
# Upstream data is partly maintained by automated pull requests and may be wrong or stale:
# moderators can correct any date with /admin calendar add (correct: the date's key).
"""


def convert(folder: Path, commit: str, date: str) -> tuple[dict[str, Any], list[str]]:
    """The shipped document and the entries that were left out."""
    venues: dict[str, dict[str, Any]] = {}
    skipped: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        slug = path.stem.replace("_", "-")
        editions = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for edition in editions:
            title = str(edition.get("title") or slug).strip()
            venue = venues.setdefault(
                slug,
                {
                    "slug": slug,
                    "title": title,
                    "full_name": str(edition.get("full_name") or title),
                    "dates": [],
                },
            )
            year = edition.get("year")
            taken = {d["key"] for d in venue["dates"]}
            for raw in edition.get("deadlines") or []:
                kind = normal_kind(str(raw.get("type", "")))
                try:
                    at = to_utc(str(raw["date"]), str(raw.get("timezone") or "AoE"))
                except (KeyError, ValueError) as exc:
                    skipped.append(f"{path.name} {year} {raw.get('type')}: {exc}")
                    continue
                key = f"{slug}:{year}:{kind}"
                n = 2
                while key in taken:
                    key, n = f"{slug}:{year}:{kind}-{n}", n + 1
                taken.add(key)
                venue["dates"].append(
                    {
                        "key": key,
                        "edition": f"{title} {year}",
                        "kind": kind,
                        "label": str(raw.get("label") or kind),
                        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "zone": str(raw.get("timezone") or "AoE").strip(),
                    }
                )
    doc = {
        "source": f"https://github.com/huggingface/ai-deadlines (src/data/conferences, commit {commit})",
        "licence": "MIT (Copyright (c) 2025 Hugging Face)",
        "snapshot_date": date,
        "venues": [v for v in venues.values() if v["dates"]],
    }
    return doc, skipped


def main() -> int:
    """Write the shipped snapshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--commit", default="de9f41b1e2b8611d9a29f5206be4e14fa2d99fce")
    parser.add_argument("--date", default="2026-07-16")
    args = parser.parse_args()
    doc, skipped = convert(args.folder, args.commit, args.date)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
    OUT.write_text(HEADER + body, encoding="utf-8")
    for line in skipped:
        print(f"skipped {line}", file=sys.stderr)
    print(f"wrote {OUT} ({len(doc['venues'])} venues, {len(skipped)} entries skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
