"""Hostile input on every text field and option (hypothesis), against one running bot.

The targets are read from the command schema `python -m bot sync` publishes, so commands added later
are covered without touching this file: every string option (as typed, and as autocomplete input),
every text input of every modal a command opens, the check-in form's selects, persistent-button
custom ids, and payloads Discord's schema checks would never let through (sent raw).

Each example must end with: the process alive, an answer (except for raw payloads discord.py cannot
route), no "something went wrong" for input Discord can deliver, and nothing the bot sent that could
ping anyone. At the end the whole request log is checked again (shares are posted by a job).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fakediscord.fake_discord import FakeDiscord, InteractionHandle
from fakediscord.interactions import (
    Channel,
    InteractionType,
    OptionType,
    build_modal_submission,
)
from tests.e2e.messages import text_of
from tests.reliability.helpers import (
    FORM_FILL_SECONDS,
    UNEXPECTED,
    Lab,
    Leaf,
    World,
    assert_no_pings,
    build_lab,
    kindred,
    leaves,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

MEMBERS = 40
STRING_OPTION_MAX = 6000
TEXT_INPUT_MAX = 4000
ANSWER_TIMEOUT = 5.0
# No shrinking: each example drives a live process, and a failure should be reported quickly.
HOSTILE = settings(
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    phases=[Phase.explicit, Phase.generate],
    print_blob=True,
)

# -- hostile text ---------------------------------------------------------------------------------

INJECTIONS = (
    "@everyone",
    "@here",
    "<@{member}>",
    "<@!{member}>",
    "<@&{role}>",
    "<@&{guild}>",
    "<#{channel}>",
    "@\u200beveryone",
    "＠everyone",
    "<@{member}",
    "```",
    "``` ```py\nx\n```",
    "**",
    "__",
    "~~",
    "||spoiler||",
    "[click me](https://evil.example/phish)",
    "<https://evil.example>",
    "# Heading",
    "-# small",
    "> quote",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\x00",
    "\r\n",
    "\t",
    "e\u0301" * 30,
    "🏳️‍🌈",
    "👨‍👩‍👧‍👦",
    "ℌ𝔢𝔩𝔭",
    "Ａ",
    "İ",
    "ß",
    "ǅ",
    "{guild}",
    "{0}",
    "{reference}",
    "%s%n%x",
    "$(id)",
    "'; DROP TABLE checkins;--",
    '" OR 1=1 --',
    "../../etc/passwd",
    "<t:0:R>",
    "</crisis:1>",
    "<:blob:1>",
    "https://discord.gg/abc",
    "NEAR(a b)",
    '"unclosed',
    "a*",
    "OR AND NOT",
    "^",
    "lab-1",
    "compute-gap",
    "UTC",
    "Europe/London",
    "monday",
    "09:30",
    "25:99",
    "Mars/Olympus",
    "GB",
    "zz",
    "I want to die",
    "想死",
    "\n" * 40,
    " " * 50,
)


def hostile_text(lab: Lab) -> st.SearchStrategy[str]:
    """Mentions, markdown, unicode tricks, format strings, SQL/FTS syntax, and very long strings."""

    def fill(piece: str) -> str:
        for name, value in (
            ("{member}", lab.member),
            ("{role}", lab.moderator_role),
            ("{channel}", lab.general),
        ):
            piece = piece.replace(name, str(value))
        return piece.replace("<@&{guild}>", f"<@&{lab.guild_id}>")

    pieces = st.one_of(
        st.sampled_from(INJECTIONS).map(fill),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    )
    return st.one_of(
        st.lists(pieces, min_size=1, max_size=6).map("".join),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
        st.tuples(st.sampled_from(INJECTIONS).map(fill), st.integers(500, STRING_OPTION_MAX)).map(
            lambda pair: (pair[0] * (pair[1] // max(1, len(pair[0])) + 1))[: pair[1]]
        ),
    )


def fit(text: str, low: int, high: int) -> str:
    """What Discord's client lets through for a field with these length limits."""
    text = text[:high]
    return text + "x" * (low - len(text)) if len(text) < low else text


# -- targets from the synced schema ---------------------------------------------------------------


def string_targets(world_leaves: list[Leaf], *, autocomplete: bool) -> list[tuple[Leaf, dict[str, Any]]]:
    return [
        (leaf, option)
        for leaf in world_leaves
        for option in leaf.options
        if option["type"] == OptionType.STRING
        and not option.get("choices")
        and (not autocomplete or option.get("autocomplete"))
    ]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def world(
    commands: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    async with FakeDiscord() as fake:
        lab, members = build_lab(fake, extra_members=MEMBERS)
        peer = fake.add_text_channel(lab.guild_id, "peer-support").id
        alerts = fake.add_text_channel(lab.guild_id, "mod-alerts").id
        async with kindred(fake, tmp_path_factory.mktemp("hostile"), commands) as bot:
            setup = await fake.invoke(
                "admin setup",
                {
                    "peer_channel": Channel(peer),
                    "alerts_channel": Channel(alerts),
                    "share_delay": 0,
                    "share_limit": 20,
                },
                user_id=lab.owner,
                guild_id=lab.guild_id,
            )
            assert "Saved" in text_of(await setup.wait_message()), text_of(await setup.wait_message())
            yield World(fake, bot, lab, members, leaves(commands))


# -- checks ---------------------------------------------------------------------------------------


async def settled(world: World, handle: InteractionHandle, *, strict: bool = True) -> str:
    """Wait for the answer; check the process, the reply and everything sent since for pings."""
    response = await handle.response(ANSWER_TIMEOUT)
    text = ""
    if response["type"] in (4, 7):
        text = text_of(response.get("data") or {})
    elif response["type"] == 5:
        text = text_of(await handle.wait_message(ANSWER_TIMEOUT))
    assert world.bot.running, world.bot.log_tail()
    if strict:
        assert UNEXPECTED not in text, f"{handle!r} hit an unexpected error: {text[:200]}"
    assert not world.fake.late_interactions, [r.describe() for r in world.fake.late_interactions]
    return text


async def submit_every_text_input(world: World, handle: InteractionHandle, text: str) -> None:
    """If the bot opened a modal, submit it with `text` in every text input and valid select choices."""
    response = await handle.response(ANSWER_TIMEOUT)
    if response["type"] != 9:
        return
    modal = response["data"]
    values: dict[str, Any] = {}

    def visit(components: list[dict[str, Any]]) -> None:
        for component in components:
            if component.get("type") == 4:
                values[component["custom_id"]] = fit(
                    text, component.get("min_length", 1), component.get("max_length", TEXT_INPUT_MAX)
                )
            elif component.get("type") == 3 and component.get("options"):
                values[component["custom_id"]] = [component["options"][0]["value"]]
            visit(component.get("components") or [])
            if isinstance(component.get("component"), dict):
                visit([component["component"]])

    visit(modal.get("components") or [])
    await asyncio.sleep(FORM_FILL_SECONDS)
    submitted = await handle.submit_modal(values)
    await settled(world, submitted)


# -- the tests ------------------------------------------------------------------------------------


@given(data=st.data())
@settings(HOSTILE, max_examples=120)
async def test_hostile_text_in_every_string_option_and_modal(world: World, data: st.DataObject) -> None:
    leaf, option = data.draw(st.sampled_from(string_targets(world.leaves, autocomplete=False)))
    text = fit(
        data.draw(hostile_text(world.lab)),
        option.get("min_length", 1),
        option.get("max_length", STRING_OPTION_MAX),
    )
    options = world.options_with(leaf, option["name"], text)
    if options is None:
        return
    since = len(world.fake.requests)
    handle = await world.fake.invoke(
        leaf.path, options, user_id=world.user_for(leaf), guild_id=world.lab.guild_id
    )
    await settled(world, handle)
    await submit_every_text_input(world, handle, text)
    assert_no_pings(world.fake.requests[since:])


@given(data=st.data())
@settings(HOSTILE, max_examples=40)
async def test_hostile_text_in_every_modal_text_input(world: World, data: st.DataObject) -> None:
    openers = [
        leaf for leaf in world.leaves if not leaf.options or all(not o.get("required") for o in leaf.options)
    ]
    leaf = data.draw(st.sampled_from(openers))
    text = data.draw(hostile_text(world.lab))
    since = len(world.fake.requests)
    handle = await world.fake.invoke(leaf.path, user_id=world.user_for(leaf), guild_id=world.lab.guild_id)
    await settled(world, handle)
    await submit_every_text_input(world, handle, text)
    assert_no_pings(world.fake.requests[since:])


@given(data=st.data())
@settings(HOSTILE, max_examples=60)
async def test_hostile_text_in_every_autocomplete(world: World, data: st.DataObject) -> None:
    leaf, option = data.draw(st.sampled_from(string_targets(world.leaves, autocomplete=True)))
    text = data.draw(hostile_text(world.lab))[: option.get("max_length", STRING_OPTION_MAX)]
    options = world.options_with(leaf, option["name"], text)
    if options is None:
        return
    choices = await world.fake.autocomplete(
        leaf.path,
        options,
        option["name"],
        user_id=world.user_for(leaf),
        guild_id=world.lab.guild_id,
        timeout=ANSWER_TIMEOUT,
    )
    assert len(choices) <= 25
    assert world.bot.running


BAD_VALUES = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.text(min_size=STRING_OPTION_MAX + 1, max_size=STRING_OPTION_MAX + 50),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@given(data=st.data())
@settings(HOSTILE, max_examples=60)
async def test_payloads_discord_would_refuse_are_survived(world: World, data: st.DataObject) -> None:
    """Wrong types, values outside choices and ranges, unknown and missing options, sent raw."""
    leaf = data.draw(st.sampled_from([leaf for leaf in world.leaves if leaf.options]))
    option = data.draw(st.sampled_from(leaf.options))
    mode = data.draw(st.sampled_from(["bad value", "unknown option", "missing required"]))
    payload: list[dict[str, Any]] = []
    for spec in leaf.options:
        if spec["type"] in (
            OptionType.ATTACHMENT,
            OptionType.CHANNEL,
            OptionType.ROLE,
            OptionType.USER,
            OptionType.MENTIONABLE,
        ):
            continue
        if spec["name"] == option["name"]:
            if mode == "missing required":
                continue
            value = data.draw(BAD_VALUES) if mode == "bad value" else world.valid(spec)
            payload.append({"name": spec["name"], "type": spec["type"], "value": value})
        elif spec.get("required"):
            payload.append({"name": spec["name"], "type": spec["type"], "value": world.valid(spec)})
    if mode == "unknown option":
        payload.append({"name": "no_such_option", "type": OptionType.STRING, "value": "x"})
    names = leaf.path.split()
    options: list[dict[str, Any]] = payload
    kinds = (
        [OptionType.SUB_COMMAND]
        if len(names) == 2
        else [OptionType.SUB_COMMAND_GROUP, OptionType.SUB_COMMAND]
    )
    for name, kind in reversed(list(zip(names[1:], kinds[-len(names[1:]) :], strict=False))):
        options = [{"name": name, "type": kind, "options": options}]
    registered = next(c for c in world.fake.commands() if c["name"] == names[0])
    since = len(world.fake.requests)
    handle = world.fake.send_raw_interaction(
        InteractionType.APPLICATION_COMMAND,
        {"id": registered["id"], "name": names[0], "type": 1, "options": options},
        user_id=world.user_for(leaf),
        guild_id=world.lab.guild_id,
    )
    await settled(world, handle, strict=False)  # a generic "went wrong" reply is acceptable here
    assert_no_pings(world.fake.requests[since:])


@given(data=st.data())
@settings(HOSTILE, max_examples=20)
async def test_checkin_form_with_values_outside_its_options(world: World, data: st.DataObject) -> None:
    user = world.next_member()
    opened = await world.fake.invoke("checkin", user_id=user, guild_id=world.lab.guild_id)
    modal = await opened.modal(ANSWER_TIMEOUT)
    await asyncio.sleep(FORM_FILL_SECONDS)
    components, _ = build_modal_submission(modal, {"mood": ["3"], "energy": ["3"]}, lambda *_: None)
    junk = st.lists(
        st.one_of(
            st.sampled_from(
                ["0", "6", "-1", "1.5", "１", "1e3", "", " 3", "٣", "sudden-money", "3" * 500, "null"]
            ),
            st.text(max_size=30),
        ),
        max_size=30,
    )

    def mutate(items: list[dict[str, Any]]) -> None:
        for item in items:
            if "values" in item:
                item["values"] = data.draw(junk)
            mutate(item.get("components") or [])
            if isinstance(item.get("component"), dict):
                mutate([item["component"]])

    mutate(components)
    since = len(world.fake.requests)
    handle = world.fake.send_raw_interaction(
        InteractionType.MODAL_SUBMIT,
        {"custom_id": modal["custom_id"], "components": components},
        user_id=user,
        guild_id=world.lab.guild_id,
    )
    await settled(world, handle)
    assert_no_pings(world.fake.requests[since:])


SHARE_POST_IDS = ("kindred:sp:", "kindred:spr:", "kindred:spm:", "kindred:sprv:")  # issue 17
CUSTOM_IDS = st.one_of(
    st.integers(min_value=0, max_value=10**20 - 1).map(lambda n: f"kindred:checkin:{n}"),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2).map(
        lambda c: f"kindred:crisis:{c}"
    ),
    st.sampled_from(
        [
            "kindred:crisis",
            "kindred:topics",
            "kindred:privacy:delete",
            "kindred:checkin:",
            "kindred:share:approve:" + "0" * 32,
            "kindred:share:block:" + "f" * 32,
            # issue 17: buttons on published shares and replies, for posts that do not exist
            "kindred:sp:reply:" + "0" * 32,
            "kindred:sp:author:" + "1" * 32,
            "kindred:spr:report:" + "2" * 32,
            "kindred:spm:block:p:" + "3" * 32,
            "kindred:sprv:approve:" + "4" * 32,
        ]
    ),
    st.text(max_size=100),
)


@given(
    custom_id=CUSTOM_IDS,
    values=st.lists(st.text(min_size=1, max_size=100), min_size=1, max_size=5, unique=True),
)
@settings(HOSTILE, max_examples=40)
async def test_tampered_button_and_select_ids(world: World, custom_id: str, values: list[str]) -> None:
    """A message carrying a forged component (Discord only sends ids that are on the message)."""
    user = world.next_member()
    source = await world.fake.invoke("help", user_id=user, guild_id=world.lab.guild_id)
    message = await source.wait_message(ANSWER_TIMEOUT)
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2}
    component: dict[str, Any] = {"type": 2, "style": 1, "label": "x", "custom_id": custom_id}
    if custom_id == "kindred:topics":
        data = {"custom_id": custom_id, "component_type": 3, "values": values}
        component = {
            "type": 3,
            "custom_id": custom_id,
            "min_values": 1,
            "max_values": len(values),
            "options": [{"label": v, "value": v} for v in values],
        }
    message["components"] = [{"type": 1, "id": 1, "components": [{**component, "id": 2}]}]
    since = len(world.fake.requests)
    handle = world.fake.send_raw_interaction(
        InteractionType.MESSAGE_COMPONENT, data, user_id=user, guild_id=world.lab.guild_id, message=message
    )
    await asyncio.sleep(0.05)
    if (
        custom_id.startswith(
            ("kindred:checkin:", "kindred:crisis", "kindred:topics", "kindred:share:", *SHARE_POST_IDS)
        )
        and custom_id != "kindred:checkin:"
    ):
        await settled(world, handle)  # a persistent item matched: it must answer, kindly
    assert world.bot.running
    assert_no_pings(world.fake.requests[since:])


@pytest.mark.parametrize(
    "data",
    [
        {"type": 1},
        {"name": "crisis", "type": 1, "options": "GB"},
        {"name": "crisis", "type": 1, "options": [{"type": 3, "value": "GB"}]},
        {"name": "resources", "type": 1, "options": [{"name": "show", "type": 1}]},
        {"name": "nope", "type": 1},
    ],
)
async def test_structurally_broken_commands_do_not_stop_the_bot(world: World, data: dict[str, Any]) -> None:
    """Payloads Discord never sends; discord.py may drop them, but the bot must keep serving."""
    world.fake.send_raw_interaction(
        InteractionType.APPLICATION_COMMAND,
        {"id": "1", **data},
        user_id=world.lab.member,
        guild_id=world.lab.guild_id,
        patch=lambda p: p.update(locale="xx-NOWHERE"),
    )
    await asyncio.sleep(0.1)
    handle = await world.fake.invoke(
        "crisis", {"country": "GB"}, user_id=world.lab.member, guild_id=world.lab.guild_id
    )
    assert "116 123" in await settled(world, handle)


async def test_nothing_the_bot_ever_sent_could_ping(world: World) -> None:
    await asyncio.sleep(1.0)  # shares are posted by a job; let it run
    assert_no_pings(world.fake.requests)
    posted = world.fake.messages(world.lab.general)
    assert all(not m.get("mention_everyone") for m in posted)
    assert world.bot.running
