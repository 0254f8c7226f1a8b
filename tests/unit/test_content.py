"""Validation of resources/: the shipped packs pass, and broken files are reported as file:line."""

import shutil
from pathlib import Path

from bot.config import RESOURCES_DIR
from bot.content import load_library
from bot.crisis import load_directory
from bot.i18n import load_strings

HILL_TOPICS = [
    "no-escape",
    "hidden-competition",
    "bottom-line",
    "sudden-money",
    "scale-over-ideas",
    "publishing-limbo",
    "lonely-startups",
    "grief-and-recovery",
    "social-anxiety",
    "talking-about-it",
]
EXTRA_TOPICS = ["academic-careers", "job-market", "compute-gap", "supporting-a-peer", "finding-help"]
NEW_TOPICS = [
    "visa-and-discrimination",
    "advisor-conflict",
    "bullying-and-harassment",
    "reviews-and-rejection",
    "impostor-feelings",
    "burnout",
    "after-a-suicide",
]
# A lab channel the PI reads is the wrong place to invite these stories: no channel prompts.
NO_PROMPT_TOPICS = {"advisor-conflict", "bullying-and-harassment", "after-a-suicide"}


def test_shipped_packs_are_valid() -> None:
    library, problems = load_library(RESOURCES_DIR)
    assert problems == []
    for locale in ("en", "zh", "zh-TW"):
        pack = library.pack(locale)
        assert pack.locale == locale
        assert [t.slug for t in pack.topics] == HILL_TOPICS + EXTRA_TOPICS + NEW_TOPICS
        for topic in pack.topics:
            assert len(topic.items) >= 4, topic.slug
            assert all(item.url.startswith(("https://", "http://")) for item in topic.items)
        assert len(pack.prompts) >= 40
        assert {p.topic for p in pack.prompts} == set(
            HILL_TOPICS + EXTRA_TOPICS + NEW_TOPICS
        ) - NO_PROMPT_TOPICS


def test_item_ids_are_stable_across_locales() -> None:
    library, _ = load_library(RESOURCES_DIR)
    en = {i.id for t in library.pack("en").topics for i in t.items}
    zh = {i.id for t in library.pack("zh").topics for i in t.items}
    assert en <= zh
    assert all(i.startswith("zh-") for i in zh - en)


def test_shipped_strings_are_translated() -> None:
    _, problems = load_strings(RESOURCES_DIR)
    assert problems == []


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "resources"
    shutil.copytree(RESOURCES_DIR, target)
    return target


def test_broken_item_reports_file_and_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "en" / "topics.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines) if line.strip().startswith("url:"))
    lines[number] = lines[number].split("url:")[0] + "url: javascript:alert(1)"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, problems = load_library(root)
    assert [(p.file, p.line) for p in problems] == [("resources/en/topics.yaml", number + 1)]
    assert "http(s)" in problems[0].message


def test_invalid_yaml_reports_file_and_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "zh" / "prompts.yaml").write_text("locale: zh\nprompts: [\n  - oops\n", encoding="utf-8")
    _, problems = load_library(root)
    assert problems and problems[0].file == "resources/zh/prompts.yaml"
    assert problems[0].line >= 2


def test_missing_translation_is_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "zh" / "strings.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  bad_query:", "  bad_query_typo:"), encoding="utf-8"
    )
    _, problems = load_strings(root)
    messages = " ".join(p.message for p in problems)
    assert "resources.bad_query" in messages


def test_shipped_crisis_directory_is_valid() -> None:
    directory, problems = load_directory(RESOURCES_DIR / "crisis_lines.yaml")
    assert problems == []
    assert directory is not None
    assert {d.url for d in directory.international} >= {"https://findahelpline.com"}
    for line in directory.lines:
        assert line.source.startswith("https://") or line.source.startswith("http://")
        assert line.verified
    unconfirmed = [line for line in directory.lines if line.unconfirmed]
    assert [line.country for line in unconfirmed] == ["JP"]


def test_crisis_line_without_source_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "crisis_lines.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(
        n
        for n, line in enumerate(lines)
        if line.strip().startswith("source:")
        and n > next(i for i, x in enumerate(lines) if x.startswith("lines:"))
    )
    del lines[number]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, problems = load_directory(path)
    assert len(problems) == 1
    assert "source" in problems[0].message


def test_unquoted_yes_key_is_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    for lang in ("en", "zh"):
        path = root / lang / "strings.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace('  "yes":', "  yes:"), encoding="utf-8")
    _, problems = load_strings(root)
    assert any("quote it" in p.message for p in problems)
