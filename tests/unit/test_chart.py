"""The /pulse chart: a valid, deterministic PNG, readable on Discord's dark theme, gaps left open."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from PIL import Image

from bot.chart import CJK_FONTS, HEIGHT, WIDTH, chart_font, drawable, render_mood_chart
from bot.config import RESOURCES_DIR
from bot.i18n import load_strings

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BACKGROUND = (0x31, 0x33, 0x38)
ACCENT = (0x4F, 0xC3, 0xF7)
TITLE = "Average mood, last 12 weeks (1 = very low, 5 = very good)"
GAP = "gap = nothing shown, to protect anonymity"
TWELVE = [
    ("W36", None),
    ("W37", 3.2),
    ("W38", 3.4),
    ("W39", None),
    ("W40", 2.8),
    ("W41", 3.0),
    ("W42", 3.9),
    ("W43", 4.1),
    ("W44", None),
    ("W45", 1.0),
    ("W46", 5.0),
    ("W47", 2.4),
]


def render(points: list[tuple[str, float | None]]) -> bytes:
    return render_mood_chart(points, title=TITLE, gap_label=GAP)


def image(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    opened = Image.open(io.BytesIO(png))
    opened.load()
    return opened.convert("RGB")


def near(colour: tuple[int, ...], wanted: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted, strict=False))


def rgb(value: object) -> tuple[int, ...]:
    """A pixel of an RGB picture (Pillow types pixels loosely: float for one-band pictures)."""
    assert isinstance(value, tuple), value
    return value


def pixel(picture: Image.Image, x: int, y: int) -> tuple[int, ...]:
    return rgb(picture.getpixel((x, y)))


def colours(picture: Image.Image) -> set[tuple[int, ...]]:
    return {rgb(colour) for _, colour in picture.getcolors(picture.width * picture.height) or []}


def column_x(index: int, count: int) -> int:
    """The x of a point in the final image (plot area from x=48 to WIDTH-24)."""
    left, right = 48, WIDTH - 24
    return round(left + (index + 0.5) * (right - left) / count)


def accent_pixels_in_column(picture: Image.Image, x: int) -> int:
    return sum(near(pixel(picture, x, y), ACCENT) for y in range(60, HEIGHT - 76))


@pytest.mark.parametrize(
    "points",
    [
        TWELVE,
        [("W47", None)] * 12,  # every week hidden
        [("W47", 3.4)],  # a single point
        [("W46", None), ("W47", 3.4)],
        [],
    ],
)
def test_renders_a_png_of_the_right_size(points: list[tuple[str, float | None]]) -> None:
    picture = image(render(points))
    assert picture.size == (WIDTH, HEIGHT)


def test_output_is_deterministic() -> None:
    assert render(TWELVE) == render(list(TWELVE))


def test_dark_theme_background_and_bright_line() -> None:
    picture = image(render(TWELVE))
    assert picture.getpixel((2, 2)) == BACKGROUND
    assert picture.getpixel((WIDTH - 3, HEIGHT - 3)) == BACKGROUND
    line = sum(near(pixel(picture, x, y), ACCENT) for x in range(WIDTH) for y in range(HEIGHT))
    assert line > 500, "the mood line should stand out in the accent colour"


def test_a_hidden_week_breaks_the_line() -> None:
    joined = image(render([("W45", 3.0), ("W46", 3.0), ("W47", 3.0)]))
    broken = image(render([("W45", 3.0), ("W46", None), ("W47", 3.0)]))
    middle = column_x(1, 3)
    assert accent_pixels_in_column(joined, middle) > 0
    assert accent_pixels_in_column(broken, middle) == 0


def test_all_hidden_draws_no_line_and_a_legend() -> None:
    picture = image(render([("W47", None)] * 12))
    assert all(accent_pixels_in_column(picture, column_x(i, 12)) == 0 for i in range(12))
    legend = picture.crop((48, HEIGHT - 40, WIDTH, HEIGHT))
    assert colours(legend) - {BACKGROUND}


def test_no_legend_without_gaps() -> None:
    picture = image(render([("W46", 3.0), ("W47", 4.0)]))
    legend = picture.crop((0, HEIGHT - 36, WIDTH, HEIGHT))
    assert colours(legend) == {BACKGROUND}


def test_the_gap_label_changes_the_picture() -> None:
    assert render_mood_chart(TWELVE, title=TITLE, gap_label="a") != render_mood_chart(
        TWELVE, title=TITLE, gap_label="b"
    )


@pytest.mark.parametrize("value", [0.9, 5.1, float("nan"), float("inf")])
def test_values_outside_the_scale_are_refused_without_echoing_them(value: float) -> None:
    with pytest.raises(ValueError, match="between 1 and 5") as caught:
        render([("W47", value)])
    assert str(value) not in str(caught.value)  # errors may be logged; a figure never is


def test_drawable_knows_the_built_in_font_has_no_chinese() -> None:
    assert drawable(TITLE) and drawable(GAP) and drawable("W01 3.4")
    assert not drawable("最近 12 周的平均心情")


def test_pillow_is_not_imported_until_a_chart_is_drawn() -> None:
    code = "import sys, bot.chart, cogs.pulse; print('PIL' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- Chinese charts: a shipped Noto Sans CJK subset, used only for zh and zh-TW ---------------


def _chart_strings(pack: str) -> list[str]:
    strings, problems = load_strings(RESOURCES_DIR)
    assert problems == []
    return [strings.t(pack, "pulse.chart_title", weeks=12), strings.t(pack, "pulse.chart_gap")]


def test_only_chinese_packs_get_the_cjk_font() -> None:
    assert chart_font("en") is None
    for pack in ("zh", "zh-TW"):
        font = chart_font(pack)
        assert font is not None and font.is_file() and font.name == CJK_FONTS[pack]
    zh_font = chart_font("zh")
    assert zh_font is not None
    assert (zh_font.parent / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1


@pytest.mark.parametrize("pack", ["zh", "zh-TW"])
def test_the_cjk_subset_covers_every_chart_string(pack: str) -> None:
    font = chart_font(pack)
    for text in _chart_strings(pack):
        assert not drawable(text), "the built-in font cannot draw Chinese"
        assert drawable(text, font), f"re-run scripts/build_cjk_font.py: {text!r} is not covered"


@pytest.mark.parametrize("pack", ["zh", "zh-TW"])
def test_zh_chart_draws_real_glyphs_not_boxes(pack: str) -> None:
    from PIL import ImageChops, ImageFont

    title, gap = _chart_strings(pack)
    font_path = chart_font(pack)
    # Every Chinese character in the chart has a real glyph, not the font's "no glyph" box.
    font = ImageFont.truetype(str(font_path), size=28)
    notdef = font.getmask("\U000f0000")
    for ch in {c for c in title + gap if "\u4e00" <= c <= "\u9fff"}:
        mask = font.getmask(ch)
        assert (mask.size, bytes(mask)) != (notdef.size, bytes(notdef)), ch
    # And the rendered chart differs from the fallback (built-in font, boxes) where the title is.
    with_font = image(render_mood_chart(TWELVE, title=title, gap_label=gap, font_path=font_path))
    fallback = image(render_mood_chart(TWELVE, title=title, gap_label=gap))
    box = (48, 0, WIDTH, 56)
    a, b = with_font.crop(box), fallback.crop(box)
    differing = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v else 0).histogram()[255]
    assert differing > 500, differing
    assert colours(a) - {BACKGROUND}, "the title is drawn"


def test_the_cjk_chart_is_deterministic_and_the_right_size() -> None:
    font = chart_font("zh")
    title, gap = _chart_strings("zh")
    first = render_mood_chart(TWELVE, title=title, gap_label=gap, font_path=font)
    assert first == render_mood_chart(TWELVE, title=title, gap_label=gap, font_path=font)
    assert image(first).size == (WIDTH, HEIGHT)


MARK = (0xF0, 0xB2, 0x32)


def mark_pixels(picture: Image.Image, x: int) -> int:
    return sum(near(pixel(picture, xx, y), MARK) for xx in range(x - 6, x + 7) for y in range(30, 60))


def test_calendar_weeks_get_a_marker_above_the_plot_and_a_legend() -> None:
    marks = [False] * 12
    marks[4] = True
    picture = image(
        render_mood_chart(TWELVE, title=TITLE, gap_label="hidden", marks=marks, mark_label="deadline")
    )
    assert mark_pixels(picture, column_x(4, 12)) > 10
    assert mark_pixels(picture, column_x(5, 12)) == 0
    legend = picture.crop((WIDTH // 2, HEIGHT - 36, WIDTH, HEIGHT))
    assert any(near(c, MARK) for c in colours(legend))
    plain = image(render_mood_chart(TWELVE, title=TITLE, gap_label="hidden"))
    assert all(mark_pixels(plain, column_x(i, 12)) == 0 for i in range(12))


def test_marks_must_match_the_points() -> None:
    with pytest.raises(ValueError, match="one entry per point"):
        render_mood_chart(TWELVE, title=TITLE, gap_label="hidden", marks=[True])
