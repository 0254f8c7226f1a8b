"""Rebuild the small Noto Sans CJK subsets that draw the /pulse chart's Chinese title and legend.

The chart draws only two Chinese strings (pulse.chart_title and pulse.chart_gap), so shipping
the whole 20 MB font would be waste: this keeps ASCII plus exactly the characters those strings
use in zh and in zh-TW (the Traditional text kindred makes with OpenCC), in Simplified (SC) and
Traditional (TC) glyph forms. Re-run it whenever those strings change; a unit test fails until then.

Usage (fontTools is in the dev extra; the font comes from Debian's fonts-noto-cjk package):

    apt-get install -y fonts-noto-cjk
    .venv/bin/python scripts/build_cjk_font.py  # or: --source path/to/NotoSansCJK-Regular.ttc

The fonts are licensed under the SIL Open Font License 1.1 (bot/fonts/OFL.txt).
"""

from __future__ import annotations

import argparse
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.chart import CJK_FONTS, FONT_DIR  # noqa: E402 - after the path fix above
from bot.config import RESOURCES_DIR  # noqa: E402
from bot.i18n import load_strings  # noqa: E402

DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
# Face index inside the Noto Sans CJK collection: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK.
FACE = {"zh": 2, "zh-TW": 3}
CHART_KEYS = ("pulse.chart_title", "pulse.chart_gap")
# Figures a template may receive ({weeks}) and punctuation worth having if a string is reworded.
EXTRA = string.printable.strip() + " （）＝，：、。·–—"


def chart_characters(pack: str) -> str:
    """Every character the chart may draw for this pack, sorted, without duplicates."""
    strings, problems = load_strings(RESOURCES_DIR)
    if problems:
        raise SystemExit("resources/ has string problems; run `python -m bot check` first")
    text = "".join(strings.t(pack, key, weeks=12) for key in CHART_KEYS) + EXTRA
    return "".join(sorted({ch for ch in text if not ch.isspace()} | {" "}))


def build(source: Path, pack: str, target: Path) -> int:
    """Subset face FACE[pack] of `source` to the chart's characters; return the file size."""
    from fontTools import subset  # imported here: a build-time tool (dev extra), not a runtime one

    options = subset.Options()
    options.font_number = FACE[pack]
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True  # keep the "no glyph" box, so `drawable` can tell it apart
    options.hinting = False
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chart_characters(pack))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    return target.stat().st_size


def main() -> int:
    """Write bot/fonts/*.otf from the installed Noto Sans CJK collection."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="NotoSansCJK-Regular.ttc")
    args = parser.parse_args()
    if not args.source.is_file():
        print(
            f"{args.source} not found: install Debian's fonts-noto-cjk (apt-get install -y fonts-noto-cjk)"
            " or pass --source",
            file=sys.stderr,
        )
        return 2
    FONT_DIR.mkdir(exist_ok=True)
    for pack, name in CJK_FONTS.items():
        size = build(args.source, pack, FONT_DIR / name)
        print(f"{FONT_DIR / name}: {len(chart_characters(pack))} characters, {size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
