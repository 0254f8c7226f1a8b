"""The resource packs as a lab reads them: Hill's essay first, Chinese sources, Traditional Chinese, honest copy."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path
from typing import Any

import discord
import pytest
import yaml

from bot.config import RESOURCES_DIR, settings_from
from bot.content import load_library, url_shape_problem
from bot.hant import Traditionaliser, load_overrides
from bot.i18n import lang_of, load_strings, pack_of
from bot.startup import load_content
from bot.translator import load_translator

HILL_DOC = "https://docs.google.com/document/d/1aEdTE-B6CSPPeUWYD-IgNVQVZM25f7MF-u9qn5KJJvo/mobilebasic"
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
# Simplified-only characters: none may survive into the zh-TW text.
SIMPLIFIED_ONLY = set("这们说时为会实验资话题还没过经让问")


def _yaml(locale: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (RESOURCES_DIR / locale / "topics.yaml").read_text(encoding="utf-8")
    )
    return data


def test_hill_topics_open_with_the_original_essay_and_a_chinese_summary() -> None:
    library, _ = load_library(RESOURCES_DIR)
    for slug in HILL_TOPICS:
        en = library.pack("en").topic(slug)
        zh = library.pack("zh").topic(slug)
        assert en is not None and zh is not None
        # grief-and-recovery keeps a helpline first on purpose; the essay follows straight after.
        skip = 1 if slug == "grief-and-recovery" else 0
        assert en.items[skip].url == HILL_DOC, slug
        assert zh.items[skip].id == f"zh-{slug}-hill-summary", slug
        assert zh.items[skip + 1].url == HILL_DOC, slug
    assert all("aieffhub" not in i.url for p in library.packs.values() for t in p.topics for i in t.items)


def test_at_least_a_third_of_zh_items_are_chinese_language() -> None:
    items = [item for topic in _yaml("zh")["topics"] for item in topic["items"]]
    chinese = [item for item in items if item.get("language") == "zh"]
    assert len(chinese) * 3 >= len(items), f"{len(chinese)} of {len(items)}"
    # Marked items really are in Chinese (their title at least).
    assert all(re.search(r"[\u4e00-\u9fff]", item["title"]) for item in chinese)


def test_new_topics_name_a_source_beyond_the_uk_and_us() -> None:
    library, _ = load_library(RESOURCES_DIR)
    elsewhere = (
        ".au",
        ".hk",
        ".sg",
        ".tw",
        ".cn",
        ".ca",
        ".eu",
        "eoc.org.hk",
        "torontodistresscentre.com",
        "nature.com",
        "doi.org/10.1038",
        "jmlr.org",
        "paho.org",
        "vitae.ac.uk/policy/european",
    )
    for slug in [
        "visa-and-discrimination",
        "advisor-conflict",
        "bullying-and-harassment",
        "reviews-and-rejection",
        "impostor-feelings",
        "burnout",
        "after-a-suicide",
    ]:
        topic = library.pack("en").topic(slug)
        assert topic is not None
        assert any(any(mark in item.url for mark in elsewhere) for item in topic.items), slug


def test_postvention_topic_follows_safe_messaging() -> None:
    library, _ = load_library(RESOURCES_DIR)
    for locale in ("en", "zh"):
        topic = library.pack(locale).topic("after-a-suicide")
        assert topic is not None
        assert "/crisis" in topic.summary
        text = " ".join([topic.summary, *(i.description for i in topic.items)]).lower()
        for word in (
            "committed suicide",
            "commit suicide",
            "hanging",
            "overdose",
            "jumped",
            "successful suicide",
        ):
            assert word not in text
    prompts = {p.topic for p in library.pack("en").prompts}
    assert "after-a-suicide" not in prompts


def test_one_word_for_moderator_in_chinese() -> None:
    for path in (RESOURCES_DIR / "zh").glob("*.yaml"):
        assert "版主" not in path.read_text(encoding="utf-8"), path.name


def test_anonymity_copy_does_not_overpromise() -> None:
    strings, _ = load_strings(RESOURCES_DIR)
    english = " ".join(strings._tables["en"].values())
    for promise in (
        "never with their author",
        "not known to kindred's moderators or stored anywhere",
        "never stored or shown",
    ):
        assert promise not in english
    assert "author code" in strings.t("en", "help.privacy")
    assert "作者代码" in strings.t("zh-CN", "help.privacy")
    topics = " ".join(
        t.summary + " ".join(i.description for i in t.items)
        for t in load_library(RESOURCES_DIR)[0].pack("en").topics
    )
    assert "lines for your country" not in topics


def test_traditional_pack_mirrors_the_simplified_one() -> None:
    library, _ = load_library(RESOURCES_DIR)
    zh, tw = library.pack("zh"), library.pack("zh-TW")
    assert [(t.slug, [(i.id, i.url, i.kind) for i in t.items]) for t in zh.topics] == [
        (t.slug, [(i.id, i.url, i.kind) for i in t.items]) for t in tw.topics
    ]
    assert [p.id for p in zh.prompts] == [p.id for p in tw.prompts]
    text = "".join(t.title + t.summary + "".join(i.title + i.description for i in t.items) for t in tw.topics)
    text += "".join(p.text for p in tw.prompts)
    assert not SIMPLIFIED_ONLY & set(text)
    topic = tw.topic("finding-help")
    assert topic is not None and "心理諮商" in topic.summary  # Taiwan's word for counselling, from overrides


def test_every_string_exists_in_all_three_chinese_and_english_tables() -> None:
    strings, problems = load_strings(RESOURCES_DIR)
    assert problems == []
    tables = strings._tables
    assert set(tables) == {"en", "zh", "zh-TW"}
    assert set(tables["en"]) == set(tables["zh"]) == set(tables["zh-TW"])
    assert strings.t("zh-TW", "resources.topics_title") != strings.t("zh-CN", "resources.topics_title")
    assert strings.t(discord.Locale.taiwan_chinese, "checkin.button") == "簽到"
    assert strings.t("zh-HK", "checkin.button") == "簽到"


@pytest.mark.parametrize(
    ("locale", "pack", "lang"),
    [
        ("zh-TW", "zh-TW", "zh"),
        ("zh-HK", "zh-TW", "zh"),
        ("zh-CN", "zh", "zh"),
        ("en-GB", "en", "en"),
        (discord.Locale.taiwan_chinese, "zh-TW", "zh"),
        (None, "en", "en"),
    ],
)
def test_locales_map_to_a_pack_and_a_language(locale: object, pack: str, lang: str) -> None:
    assert pack_of(locale) == pack
    assert lang_of(locale) == lang  # crisis lines stay keyed by language


def test_command_names_are_traditional_for_taiwan() -> None:
    translator, problems = load_translator(RESOURCES_DIR)
    assert problems == []
    assert translator.names["resources"] == "资源"
    assert translator.names_tw["resources"] == "資源"
    assert set(translator.names) == set(translator.names_tw)
    assert set(translator.texts) == set(translator.texts_tw)


def test_overrides_win_over_opencc_longest_first() -> None:
    convert = Traditionaliser(
        {"支持": "支持", "心理咨询": "心理諮商", "心理咨询师": "心理諮商師"}, convert=str.upper
    )
    assert convert("peer 支持 and 心理咨询师 or 心理咨询.") == "PEER 支持 AND 心理諮商師 OR 心理諮商."
    overrides, problems = load_overrides(RESOURCES_DIR)
    assert problems == [] and overrides["支持"] == "支持"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/help",
        "https://localhost/x",
        "https://findahelpline",
        "https://user:pw@mind.org.uk",
        "https://doi.org/not-a-doi",
        "http://10.0.0.1/page",
    ],
)
def test_dead_link_shapes_are_refused(url: str) -> None:
    assert url_shape_problem(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://findahelpline.com",
        "https://doi.org/10.1038/nbt.4089",
        "http://www.1995.org.tw",
        "https://zh.wikipedia.org/zh-sg/%E5%86%92%E5%90%8D",
        "https://www.nhs.uk/every-mind-matters/",
    ],
)
def test_live_link_shapes_pass(url: str) -> None:
    assert url_shape_problem(url) is None


def _broken_copy(tmp_path: Path) -> Path:
    root = tmp_path / "resources"
    shutil.copytree(RESOURCES_DIR, root)
    return root


def _check_problems(root: Path) -> list[str]:
    """What `python -m bot check` reports for this resources/ folder."""
    settings = dataclasses.replace(settings_from({"DISCORD_TOKEN": "unit.test.token"}), resources_dir=root)
    content, problems = load_content(settings)
    assert content is None
    return [str(p) for p in problems]


def test_check_fails_on_a_dead_format_url(tmp_path: Path) -> None:
    root = _broken_copy(tmp_path)
    path = root / "zh" / "topics.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "url: https://findahelpline.com\n", "url: https://example.com/helplines\n", 1
        ),
        encoding="utf-8",
    )
    problems = _check_problems(root)
    assert any("resources/zh/topics.yaml:" in p and "dead link" in p and "placeholder" in p for p in problems)


def test_check_fails_on_a_missing_translation(tmp_path: Path) -> None:
    root = _broken_copy(tmp_path)
    path = root / "zh" / "strings-share.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  post_title:", "  post_title_typo:"), encoding="utf-8"
    )
    problems = _check_problems(root)
    assert any("missing translation for 'share.post_title'" in p and "resources/zh/" in p for p in problems)
    assert any("missing translation for 'share.post_title'" in p and "zh-TW" in p for p in problems)


def test_check_fails_on_a_topic_with_fewer_than_four_items(tmp_path: Path) -> None:
    root = _broken_copy(tmp_path)
    path = root / "en" / "topics.yaml"
    data = path.read_text(encoding="utf-8")
    for item_id in ("burnout-mindline", "burnout-mind-hk"):  # burnout keeps 3 of its 5 items
        data = re.sub(rf"      - id: {item_id}\n(?:        .*\n)+", "", data)
    path.write_text(data, encoding="utf-8")
    problems = _check_problems(root)
    assert any(
        "resources/en/topics.yaml:" in p and "topic 'burnout' needs at least 4 items" in p for p in problems
    )


def test_check_reports_a_broken_override_table(tmp_path: Path) -> None:
    root = _broken_copy(tmp_path)
    (root / "zh-TW" / "overrides.yaml").write_text("phrases: [not, a, mapping]\n", encoding="utf-8")
    problems = _check_problems(root)
    assert any("resources/zh-TW/overrides.yaml" in p for p in problems)
