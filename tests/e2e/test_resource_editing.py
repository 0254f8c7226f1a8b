"""Issue 5 end to end: moderators edit, export, import and reset resources; members see the result."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from bot.resource_edits import MAX_IMPORT_BYTES
from fakediscord.fake_discord import FakeDiscord
from fakediscord.harness import BotProcess
from fakediscord.interactions import Attachment
from tests.dbview import rows
from tests.e2e.conftest import Lab
from tests.e2e.messages import custom_ids, text_of

pytestmark = pytest.mark.e2e
ITEM = "sudden-money"  # a shipped topic with several items


async def show(
    fake: FakeDiscord, lab: Lab, topic: str, user: int | None = None, locale: str | None = None
) -> str:
    handle = await fake.invoke(
        "resources show", {"topic": topic}, user_id=user or lab.member, guild_id=lab.guild_id, locale=locale
    )
    return text_of(await handle.wait_message())


def overlay_count(path: Path) -> tuple[int, int]:
    return (
        int(rows(path, "SELECT count(*) FROM resource_overlay")[0][0]),
        int(rows(path, "SELECT count(*) FROM resource_history")[0][0]),
    )


async def add_counselling(fake: FakeDiscord, lab: Lab, *, topic: str = "finding-help") -> str:
    handle = await fake.invoke(
        "admin resources add", {"topic": topic}, user_id=lab.owner, guild_id=lab.guild_id
    )
    modal = await handle.modal()
    done = await fake.submit_modal(
        modal["custom_id"],
        {
            "Title": "Staff counselling service",
            "Link (http or https)": "https://example.edu/counselling",
            "kind": ["helpline"],
            "One line on why it helps": "Free and confidential for staff and students, 24/7.",
        },
        user_id=lab.owner,
    )
    return text_of(await done.wait_message())


async def test_add_show_edit_history_reset(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    assert "Added **Staff counselling service**" in await add_counselling(fake, lab)
    assert "example.edu/counselling" in await show(fake, lab, "finding-help")
    # Edit it: the modal comes prefilled; change the title.
    choices = await fake.autocomplete(
        "admin resources edit", {"item": "counsel"}, "item", user_id=lab.owner, guild_id=lab.guild_id
    )
    item_id = choices[0]["value"]
    handle = await fake.invoke(
        "admin resources edit", {"item": item_id}, user_id=lab.owner, guild_id=lab.guild_id
    )
    modal = await handle.modal()
    assert "Staff counselling service" in str(modal)
    done = await fake.submit_modal(
        modal["custom_id"],
        {
            "Title": "University counselling (staff & students)",
            "Link (http or https)": "https://example.edu/c",
            "kind": ["helpline"],
            "One line on why it helps": "Free, confidential, 24/7.",
        },
        user_id=lab.owner,
    )
    assert "Saved your changes" in text_of(await done.wait_message())
    assert "University counselling" in await show(fake, lab, "finding-help")
    # History shows who changed what, before and after.
    history = await fake.invoke("admin resources history", user_id=lab.owner, guild_id=lab.guild_id)
    page = text_of(await history.wait_message())
    assert f"<@{lab.owner}>" in page and "edit" in page and "→" in page and "add" in page
    # Reset the topic after confirmation: the lab's item is gone, defaults are back.
    reset = await fake.invoke(
        "admin resources reset", {"topic": "finding-help"}, user_id=lab.owner, guild_id=lab.guild_id
    )
    ask = await reset.wait_message()
    assert "kindred:reset:confirm" in custom_ids(ask)
    confirmed = await fake.click(ask, "kindred:reset:confirm", user_id=lab.owner)
    assert "Restored the defaults" in text_of((await confirmed.response())["data"])
    assert "example.edu" not in await show(fake, lab, "finding-help")
    # The reset itself is undoable from history.
    history = await fake.invoke("admin resources history", user_id=lab.owner, guild_id=lab.guild_id)
    page_message = await history.wait_message()
    reset_entry = next(line for line in text_of(page_message).splitlines() if "reset" in line)
    entry_id = reset_entry.split("`#")[1].split("`")[0]
    undone = await fake.select(page_message, "kindred:history:undo", [entry_id], user_id=lab.owner)
    assert f"Undid change #{entry_id}" in text_of((await undone.response())["data"])
    assert "University counselling" in await show(fake, lab, "finding-help")


async def test_hide_a_default_affects_only_this_guild_and_search(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    before = await show(fake, lab, ITEM)
    choices = await fake.autocomplete(
        "admin resources remove", {"item": ""}, "item", user_id=lab.owner, guild_id=lab.guild_id
    )
    target = next(c for c in choices if c["value"].startswith(ITEM))
    title = target["name"].rsplit(" (", 1)[0]
    assert title in before
    removed = await fake.invoke(
        "admin resources remove", {"item": target["value"]}, user_id=lab.owner, guild_id=lab.guild_id
    )
    assert "undo" in text_of(await removed.wait_message())
    assert title not in await show(fake, lab, ITEM)
    other_guild = fake.add_guild("Another lab")
    fake.add_text_channel(other_guild.id, "general")
    fake.add_member(other_guild.id, lab.member)
    handle = await fake.invoke("resources show", {"topic": ITEM}, user_id=lab.member, guild_id=other_guild.id)
    assert title in text_of(await handle.wait_message())


async def test_guild_support_line_appears_with_national_lines_in_crisis(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    await add_counselling(fake, lab)
    handle = await fake.invoke("crisis", {"country": "GB"}, user_id=lab.member, guild_id=lab.guild_id)
    message = await handle.wait_message()
    text = text_of(message)
    # Issue 12: the lab's own lines sit in their own embed, after the lifelines, so they never push
    # the emergency number or the country's lines out of the reply.
    assert "Staff counselling service" in str(message["embeds"])
    assert text.index("116 123") < text.index("Staff counselling service")
    dm = await fake.invoke("crisis", {"country": "GB"}, user_id=lab.member)
    assert "Staff counselling service" not in text_of(await dm.wait_message())


async def test_invalid_add_changes_nothing_and_echoes_input(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    handle = await fake.invoke(
        "admin resources add", {"topic": "finding-help"}, user_id=lab.owner, guild_id=lab.guild_id
    )
    modal = await handle.modal()
    done = await fake.submit_modal(
        modal["custom_id"],
        {
            "Title": "@everyone read this",
            "Link (http or https)": "javascript:alert(1)",
            "kind": ["guide"],
            "One line on why it helps": "ok",
        },
        user_id=lab.owner,
    )
    text = text_of(await done.wait_message())
    assert "nothing changed" in text and "http" in text and "mentions" in text
    assert "javascript:alert(1)" in text  # what they typed is given back
    assert overlay_count(kindred.db_path) == (0, 0)
    assert all(
        not r.json or r.json.get("allowed_mentions", {"parse": []}).get("parse") == []
        for r in fake.requests
        if r.path.endswith("/callback")
        and r.json
        and "data" in r.json
        and isinstance(r.json["data"], dict)
        and "allowed_mentions" in r.json["data"]
    )


async def test_export_import_round_trip_and_broken_import_changes_nothing(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    export = await fake.invoke("admin resources export", user_id=lab.owner, guild_id=lab.guild_id)
    await export.wait_message()
    [upload] = export.response_files
    data = yaml.safe_load(upload.data)
    assert data["locale"] == "en" and len(data["topics"]) == 22
    # Unchanged file: nothing to do.
    same = await fake.invoke(
        "admin resources import",
        {"file": Attachment("list.yaml", upload.data)},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "matches this server's list already" in text_of(await same.wait_message())
    # A broken file: errors with line numbers, nothing written.
    broken = upload.data.decode().replace("kind: paper", "kind: rumour", 1).replace("https://", "ftp://", 1)
    bad = await fake.invoke(
        "admin resources import",
        {"file": Attachment("list.yaml", broken.encode())},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    text = text_of(await bad.wait_message())
    assert "nothing was changed" in text
    assert "kind must be one of" in text and "http(s)" in text
    assert overlay_count(kindred.db_path) == (0, 0)
    # A real edit: drop one item, change another, add a lab topic; confirm; members see it.
    topics = data["topics"]
    dropped = topics[0]["items"].pop()
    topics[1]["items"][0]["title"] = "Our lab's favourite essay on competition"
    topics.append(
        {
            "slug": "our-lab",
            "title": "Our lab",
            "summary": "People to talk to here.",
            "items": [
                {
                    "id": "lab-ombuds",
                    "title": "University ombudsperson",
                    "url": "https://example.edu/o",
                    "kind": "organisation",
                    "description": "Independent, confidential help.",
                }
            ],
        }
    )
    good = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    ask_handle = await fake.invoke(
        "admin resources import",
        {"file": Attachment("list.yaml", good)},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    ask = await ask_handle.wait_message()
    summary = text_of(ask)
    assert "add 1, edit 1, hide 1" in summary and "create 1 topic" in summary
    assert overlay_count(kindred.db_path) == (0, 0)  # nothing applied before confirmation
    applied = await fake.click(ask, "kindred:import:confirm", user_id=lab.owner)
    assert "Imported" in text_of((await applied.response())["data"])
    assert dropped["title"] not in await show(fake, lab, topics[0]["slug"])
    assert "Our lab's favourite essay" in await show(fake, lab, topics[1]["slug"])
    assert "University ombudsperson" in await show(fake, lab, "our-lab")
    search = await fake.invoke(
        "resources search", {"query": "ombudsperson"}, user_id=lab.member, guild_id=lab.guild_id
    )
    assert "University ombudsperson" in text_of(await search.wait_message())


async def test_non_moderator_is_refused(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    fake.allow_command(lab.guild_id, "admin", lab.member)
    for command, options in (
        ("admin resources add", {"topic": "finding-help"}),
        ("admin resources export", {}),
        ("admin resources history", {}),
        ("admin resources reset", {}),
    ):
        handle = await fake.invoke(command, options, user_id=lab.member, guild_id=lab.guild_id)
        assert "Only the lab's moderators" in text_of(await handle.wait_message()), command
    assert overlay_count(kindred.db_path) == (0, 0)


async def test_zh_cn_member_sees_chinese(fake: FakeDiscord, lab: Lab, kindred: BotProcess) -> None:
    text = await show(fake, lab, "lonely-startups", user=lab.zh_member, locale="zh-CN")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    search = await fake.invoke(
        "resources search", {"query": "孤独"}, user_id=lab.zh_member, guild_id=lab.guild_id, locale="zh-CN"
    )
    assert "孤独" in text_of(await search.wait_message()) or "创业" in text_of(await search.wait_message())
    checkin = await fake.invoke("checkin", user_id=lab.zh_member, guild_id=lab.guild_id, locale="zh-CN")
    assert "匿名" in (await checkin.modal())["title"]


ALIAS_BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, "
        f"*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(9)
    )
    + "topics: *j\n"
)


async def test_an_alias_bomb_is_refused_by_line_while_crisis_keeps_answering(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    """Issue 20: a few hundred bytes of YAML aliases used to freeze kindred for 23 s (and /crisis with it)."""
    started = time.monotonic()
    bomb = await fake.invoke(
        "admin resources import",
        {"file": Attachment("bomb.yaml", ALIAS_BOMB.encode())},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    crisis = await fake.invoke("crisis", {"country": "GB"}, user_id=lab.member, guild_id=lab.guild_id)
    assert "116 123" in text_of(await crisis.wait_message())
    assert time.monotonic() - started < 3
    text = text_of(await bomb.wait_message())
    assert "nothing was changed" in text and "line 1: anchors and aliases" in text
    tagged = await fake.invoke(
        "admin resources import",
        {"file": Attachment("tag.yaml", b"locale: en\ntopics: !!python/object/apply:os.system [ls]\n")},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert "line 2: the tag" in text_of(await tagged.wait_message())
    assert overlay_count(kindred.db_path) == (0, 0)


def heavy_import() -> bytes:
    """A file of plain YAML (no anchors, no tags) just under the size cap that takes seconds to read."""
    item = "{a: 1, b: 2, c: 3}, "
    return ("locale: en\ntopics: [" + item * ((MAX_IMPORT_BYTES - 64) // len(item)) + "]\n").encode()


async def test_crisis_answers_while_a_heavy_import_is_being_read(
    fake: FakeDiscord, lab: Lab, kindred: BotProcess
) -> None:
    """Issue 20: parsing runs off the event loop, so /crisis answers in Discord's 3 s meanwhile."""
    before = overlay_count(kindred.db_path)
    heavy = await fake.invoke(
        "admin resources import",
        {"file": Attachment("heavy.yaml", heavy_import())},
        user_id=lab.owner,
        guild_id=lab.guild_id,
    )
    assert (await heavy.response())["type"] == 5  # deferred: kindred is reading the file
    started = time.monotonic()
    crisis = await fake.invoke("crisis", {"country": "GB"}, user_id=lab.member, guild_id=lab.guild_id)
    assert "116 123" in text_of(await crisis.wait_message(3))
    assert time.monotonic() - started < 3
    assert not heavy.record.visible_message_ids, "the import finished before /crisis ran: not a test of both"
    text = text_of(await heavy.wait_message(15))
    assert "changed nothing" in text or "nothing was changed" in text, text
    assert overlay_count(kindred.db_path) == before
