"""Resource overlay semantics and search, on a real SQLite file with the shipped packs."""

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import RESOURCES_DIR
from bot.content import Library, require_library
from bot.resource_edits import Change, LabTopic, OverlayRow
from bot.store import Database
from bot.store.overlay import apply_change, history, undo
from bot.store.resources import effective_topic, search, sync_default_index
from tests.backends import open_store

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
LAB, OTHER = 1001, 1002
MOD = 77


@pytest.fixture(scope="module")
def library() -> Library:
    return require_library(RESOURCES_DIR)


@pytest.fixture
async def db(tmp_path: Path, library: Library):  # type: ignore[no-untyped-def]
    database = open_store(tmp_path / "k.sqlite3")
    await database.open()
    await sync_default_index(database, library)
    yield database
    await database.close()


def first_item(library: Library, slug: str = "sudden-money") -> tuple[str, str]:
    topic = library.pack("en").topic(slug)
    assert topic is not None
    return topic.slug, topic.items[0].id


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("publishing", "publishing-limbo"),
        ("money", "sudden-money"),
        ("job market", "job-market"),
        ("lonely", "lonely-startups"),
        ("anxiety", "social-anxiety"),
    ],
)
async def test_search_finds_the_right_topic_first(
    db: Database, library: Library, query: str, topic: str
) -> None:
    results = await search(db, library, LAB, "en", query)
    assert results, query
    assert topic in [item.topic for item in results[:3]], [i.id for i in results]


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("孤独", "lonely-startups"),
        ("钱", "sudden-money"),
        ("发表", "publishing-limbo"),
        ("焦虑", "social-anxiety"),
    ],
)
async def test_chinese_search(db: Database, library: Library, query: str, topic: str) -> None:
    results = await search(db, library, LAB, "zh", query)
    assert topic in [item.topic for item in results[:4]], [i.id for i in results]


async def test_search_with_only_punctuation_is_empty(db: Database, library: Library) -> None:
    assert await search(db, library, LAB, "en", '"*:()') == []
    assert await search(db, library, LAB, "en", "zzqqxxnotaword") == []


async def test_edit_applies_to_one_guild_and_search_follows(db: Database, library: Library) -> None:
    slug, item_id = first_item(library)
    edited = OverlayRow(
        item_id,
        slug,
        "edited",
        "Our university's financial wellbeing service",
        "https://example.edu/money",
        "organisation",
        "Free, confidential advice for staff.",
    )
    assert await apply_change(db, LAB, Change(items={item_id: edited}), action="edit", actor_id=MOD, now=NOW)
    mine = await effective_topic(db, library, LAB, "en", slug)
    theirs = await effective_topic(db, library, OTHER, "en", slug)
    assert mine is not None and theirs is not None
    assert mine.items[0].title == edited.title
    shipped = library.pack("en").topic(slug)
    assert shipped is not None and theirs.items[0] == shipped.items[0]
    assert [i.id for i in await search(db, library, LAB, "en", "confidential advice staff")][:1] == [item_id]


async def test_hide_and_reset_and_undo(db: Database, library: Library) -> None:
    slug, item_id = first_item(library)
    default_count = len(library.pack("en").topic(slug).items)  # type: ignore[union-attr]
    hidden = OverlayRow(item_id, slug, "hidden")
    hide_id = await apply_change(
        db,
        LAB,
        Change(items={item_id: hidden}),
        action="remove",
        actor_id=MOD,
        now=NOW,
        topic=slug,
        item_id=item_id,
    )
    topic = await effective_topic(db, library, LAB, "en", slug)
    assert topic is not None and item_id not in [i.id for i in topic.items]
    assert len(topic.items) == default_count - 1
    assert item_id not in [i.id for i in await search(db, library, LAB, "en", topic.items[0].title)]
    # Reset puts the default back; history can undo the reset too.
    reset_id = await apply_change(
        db, LAB, Change(items={item_id: None}), action="reset", actor_id=MOD, now=NOW, topic=slug
    )
    topic = await effective_topic(db, library, LAB, "en", slug)
    assert topic is not None and len(topic.items) == default_count
    assert reset_id is not None and hide_id is not None
    await undo(db, LAB, reset_id, actor_id=MOD, now=NOW)
    topic = await effective_topic(db, library, LAB, "en", slug)
    assert topic is not None and len(topic.items) == default_count - 1
    entries, total = await history(db, LAB)
    assert total == 3
    assert [e.action for e in entries] == [f"undo #{reset_id}", "reset", "remove"]
    assert entries[-1].before.items == {item_id: None}
    assert entries[-1].after.items == {item_id: hidden}
    assert entries[-1].actor_id == MOD


async def test_lab_topic_and_added_item(db: Database, library: Library) -> None:
    topic = LabTopic("our-lab", "Our lab's support", "Who to talk to here.")
    item = OverlayRow(
        "lab-counselling",
        "our-lab",
        "added",
        "Staff counselling",
        "https://example.edu/c",
        "helpline",
        "Free, 24/7 for staff and students.",
    )
    await apply_change(
        db,
        LAB,
        Change(items={item.item_id: item}, topics={topic.slug: topic}),
        action="add",
        actor_id=MOD,
        now=NOW,
    )
    shown = await effective_topic(db, library, LAB, "en", "our-lab")
    assert shown is not None and [i.title for i in shown.items] == ["Staff counselling"]
    assert await effective_topic(db, library, OTHER, "en", "our-lab") is None
    assert [i.id for i in await search(db, library, LAB, "en", "counselling staff")][:1] == [
        "lab-counselling"
    ]
    assert "lab-counselling" not in [
        i.id for i in await search(db, library, OTHER, "en", "counselling staff")
    ]


async def test_no_op_change_is_not_recorded(db: Database, library: Library) -> None:
    _, item_id = first_item(library)
    assert (
        await apply_change(db, LAB, Change(items={item_id: None}), action="reset", actor_id=MOD, now=NOW)
        is None
    )
    assert (await history(db, LAB))[1] == 0


async def test_improved_default_reaches_guilds_that_did_not_edit_it(db: Database, library: Library) -> None:
    slug, item_id = first_item(library)
    other_slug, other_id = first_item(library, "publishing-limbo")
    edited = OverlayRow(item_id, slug, "edited", "Lab version", "https://example.edu/x", "guide", "Ours.")
    await apply_change(db, LAB, Change(items={item_id: edited}), action="edit", actor_id=MOD, now=NOW)
    # Ship an upgrade that improves both items.
    packs = {}
    for locale, pack in library.packs.items():
        topics = tuple(
            dataclasses.replace(
                t,
                items=tuple(
                    dataclasses.replace(i, title=i.title + " (2027 edition)")
                    if i.id in {item_id, other_id}
                    else i
                    for i in t.items
                ),
            )
            for t in pack.topics
        )
        packs[locale] = dataclasses.replace(pack, topics=topics)
    upgraded = Library(packs)
    assert await sync_default_index(db, upgraded)
    mine = await effective_topic(db, upgraded, LAB, "en", slug)
    assert mine is not None and mine.items[0].title == "Lab version"
    untouched = await effective_topic(db, upgraded, LAB, "en", other_slug)
    assert untouched is not None and untouched.items[0].title.endswith("(2027 edition)")
    assert other_id in [i.id for i in await search(db, upgraded, LAB, "en", "2027 edition")]
