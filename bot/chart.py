"""The /pulse chart: weekly mood as a PNG that reads well on Discord's dark theme.

Pure: no discord.py, no database. Pillow is imported inside the functions so the bot does not
pay for it at start-up; only /pulse draws. Text uses Pillow's built-in font, which covers ASCII
only; for Chinese, `chart_font` names a small subset of Noto Sans CJK shipped in bot/fonts/ (made by
scripts/build_cjk_font.py, SIL Open Font License). Callers check labels with `drawable` and fall
back to text the chosen font can draw.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

__all__ = [
    "CJK_FONTS",
    "HEIGHT",
    "MAX_VALUE",
    "MIN_VALUE",
    "WIDTH",
    "chart_font",
    "drawable",
    "render_mood_chart",
]

WIDTH: Final = 800
HEIGHT: Final = 400
MIN_VALUE: Final = 1
MAX_VALUE: Final = 5

_SCALE = 2  # drawn at twice the size, then scaled down: smooth lines without anti-aliasing support
_BACKGROUND = "#313338"  # Discord's dark theme message background
_GRID = "#3F4147"
_AXIS_TEXT = "#B5BAC1"
_TITLE_TEXT = "#F2F3F5"
_VALUE_TEXT = "#DBDEE1"
_ACCENT = "#4FC3F7"  # bright sky blue: high contrast on the dark background, no good/bad connotation
_GAP_HATCH = "#4E5058"
_GAP_MARK = "#80848E"
_MARK = "#F0B232"  # amber: a deadline, decision or hard-time week (the lab's calendar, issue 18)

_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 24, 60, 76
_TITLE_SIZE, _LABEL_SIZE, _VALUE_SIZE = 20, 14, 13

FONT_DIR: Final = Path(__file__).resolve().parent / "fonts"
# Pack locale -> subset font file for the chart's title and legend (Simplified and Traditional forms).
CJK_FONTS: Final = {"zh": "NotoSansCJKsc-kindred-subset.otf", "zh-TW": "NotoSansCJKtc-kindred-subset.otf"}


def chart_font(pack: str) -> Path | None:
    """The font file that draws this pack's chart labels, or None for Pillow's built-in (ASCII) font."""
    name = CJK_FONTS.get(pack)
    return FONT_DIR / name if name else None


def drawable(text: str, font_path: Path | None = None) -> bool:
    """True if the font has a glyph for every character (the built-in one has ASCII, not Chinese)."""
    font = _font(font_path, _LABEL_SIZE)
    missing = _mask_key(font, "\U000f0000")  # a private-use character: always the "no glyph" box
    return all(ch.isspace() or _mask_key(font, ch) != missing for ch in text)


@lru_cache(maxsize=16)
def _font(font_path: Path | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's built-in font, or the shipped CJK subset, at `size` pixels (loaded once per size)."""
    from PIL import ImageFont

    if font_path is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(str(font_path), size=size)


def render_mood_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    gap_label: str,
    font_path: Path | None = None,
    marks: Sequence[bool] = (),
    mark_label: str = "",
) -> bytes:
    """Draw weekly mood (1-5) as a line; None is a hidden week, shown as a hatched gap; PNG bytes.

    `marks` (one per point) flags calendar weeks, drawn as an amber triangle above the plot with
    `mark_label` in the legend, so a dip reads as "NeurIPS week". They change nothing else.

    `font_path` (see `chart_font`) draws the title and legend, e.g. in Chinese; figures and week
    labels always use the built-in font.
    """
    from PIL import Image, ImageDraw

    if marks and len(marks) != len(points):
        raise ValueError("marks must have one entry per point")
    for _, value in points:
        if value is not None and not (math.isfinite(value) and MIN_VALUE <= value <= MAX_VALUE):
            raise ValueError(f"chart values must be between {MIN_VALUE} and {MAX_VALUE}, or None for a gap")
    s = _SCALE
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), _BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font = _font(font_path, _TITLE_SIZE * s)
    legend_font = _font(font_path, _LABEL_SIZE * s)
    label_font = _font(None, _LABEL_SIZE * s)
    value_font = _font(None, _VALUE_SIZE * s)

    left, right = _LEFT * s, (WIDTH - _RIGHT) * s
    top, bottom = _TOP * s, (HEIGHT - _BOTTOM) * s
    draw.text((left, 20 * s), title, font=title_font, fill=_TITLE_TEXT)

    def y_of(value: float) -> float:
        return bottom - (value - MIN_VALUE) / (MAX_VALUE - MIN_VALUE) * (bottom - top)

    for level in range(MIN_VALUE, MAX_VALUE + 1):
        y = y_of(level)
        draw.line([(left, y), (right, y)], fill=_GRID, width=s)
        draw.text((left - 14 * s, y), str(level), font=label_font, fill=_AXIS_TEXT, anchor="rm")

    count = len(points)
    step = (right - left) / max(count, 1)
    xs = [left + (i + 0.5) * step for i in range(count)]
    for x, (label, _) in zip(xs, points, strict=True):
        draw.text((x, bottom + 12 * s), label, font=label_font, fill=_AXIS_TEXT, anchor="mt")

    gaps = [x for x, (_, value) in zip(xs, points, strict=True) if value is None]
    band = max(int(step * 0.6), 4 * s)
    for x in gaps:
        _hatch(image, (int(x - band / 2), top, int(x - band / 2) + band, bottom))
        mid = y_of((MIN_VALUE + MAX_VALUE) / 2)
        draw.line([(x - 6 * s, mid), (x + 6 * s, mid)], fill=_GAP_MARK, width=2 * s)

    shown = [(x, value) for x, (_, value) in zip(xs, points, strict=True)]
    for (x0, v0), (x1, v1) in itertools.pairwise(shown):
        if v0 is not None and v1 is not None:
            draw.line([(x0, y_of(v0)), (x1, y_of(v1))], fill=_ACCENT, width=3 * s)
    radius = 5 * s
    for i, (x, value) in enumerate(shown):
        if value is None:
            continue
        y = y_of(value)
        draw.ellipse(
            [x - radius, y - radius, x + radius, y + radius], fill=_ACCENT, outline=_BACKGROUND, width=2 * s
        )
        if _label_below(value, [v for _, v in shown[max(i - 1, 0) : i + 2]]):
            where, anchor = (x, y + radius + 4 * s), "mt"
        else:
            where, anchor = (x, y - radius - 4 * s), "mb"
        # A halo in the background colour keeps the figure readable where the line crosses it.
        draw.text(
            where,
            f"{value:.1f}",
            font=value_font,
            fill=_VALUE_TEXT,
            anchor=anchor,
            stroke_width=3 * s,
            stroke_fill=_BACKGROUND,
        )

    size = 6 * s
    for x, marked in zip(xs, marks, strict=False):
        if marked:
            tip = top - 6 * s
            draw.polygon([(x - size, tip - 2 * size), (x + size, tip - 2 * size), (x, tip)], fill=_MARK)
    if any(marks):
        legend_y = (HEIGHT - 22) * s
        lx = (WIDTH // 2) * s
        draw.polygon(
            [(lx, legend_y - size), (lx + 2 * size, legend_y - size), (lx + size, legend_y + size)],
            fill=_MARK,
        )
        draw.text((lx + 30 * s, legend_y), mark_label, font=legend_font, fill=_AXIS_TEXT, anchor="lm")

    if gaps:
        legend_y = (HEIGHT - 22) * s
        _hatch(image, (left, legend_y - 7 * s, left + 22 * s, legend_y + 7 * s))
        draw.text((left + 30 * s, legend_y), gap_label, font=legend_font, fill=_AXIS_TEXT, anchor="lm")

    final = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    final.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _label_below(value: float, around: Sequence[float | None]) -> bool:
    """Put a point's label below it when the line runs above it, or it sits near the top."""
    if value > MAX_VALUE - 0.5:
        return True
    if value < MIN_VALUE + 0.5:
        return False
    neighbours = [v for v in around if v is not None]
    return sum(neighbours) / len(neighbours) > value


def _mask_key(font: ImageFont.FreeTypeFont | ImageFont.ImageFont, ch: str) -> tuple[tuple[int, int], bytes]:
    """A glyph's rendered shape, to compare with the font's "no glyph" box."""
    mask = font.getmask(ch)
    return mask.size, bytes(mask)


def _hatch(image: Image.Image, box: tuple[int, int, int, int]) -> None:
    """Fill a box with subtle diagonal stripes: a week with nothing to show."""
    from PIL import Image, ImageDraw

    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    if width <= 0 or height <= 0:
        return
    tile = Image.new("RGB", (width, height), _BACKGROUND)
    pen: ImageDraw.ImageDraw = ImageDraw.Draw(tile)
    spacing = 10 * _SCALE
    for offset in range(-height, width, spacing):
        pen.line([(offset, height), (offset + height, 0)], fill=_GAP_HATCH, width=2 * _SCALE)
    image.paste(tile, (x0, y0))
