"""Tests of the fake Discord itself, driven through the real discord.py client (tests/fakediscord/_toy_bot.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from fakediscord.fake_discord import (
    Channel,
    FakeDiscord,
    InvocationError,
    InvocationRejectedError,
    Permission,
    Role,
    UnknownCommandError,
    UnknownOptionError,
)
from fakediscord.gateway import Intent
from fakediscord.harness import BotProcess, BotStartupError, fake_problems, running_bot
from fakediscord.interactions import InvalidOptionError
from fakediscord.models import Channel as ChannelModel
from fakediscord.models import Guild
from fakediscord.models import Role as RoleModel
from fakediscord.models import User as UserModel
from fakediscord.rest import Reply, RequestContext

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

TOY = "tests.fakediscord._toy_bot"


@dataclass
class World:
    fake: FakeDiscord
    bot: BotProcess
    guild: Guild
    general: ChannelModel
    researchers: RoleModel
    alice: UserModel
    bob: UserModel


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    async with FakeDiscord() as fake:
        guild = fake.add_guild("Lab")
        general = fake.add_text_channel(guild.id, "general")
        researchers = fake.add_role(guild.id, "Researchers", int(Permission.VIEW_CHANNEL))
        alice = fake.add_user("alice")
        bob = fake.add_user("bob", locale="zh-CN")
        fake.add_member(guild.id, alice.id, roles=[researchers.id])
        fake.add_member(guild.id, bob.id)
        async with running_bot(fake, tmp_path_factory.mktemp("toy"), module=TOY) as bot:
            yield World(fake, bot, guild, general, researchers, alice, bob)


async def test_ready_handshake(world: World) -> None:
    fake = world.fake
    identify = fake.gateway.sessions[0].identify
    assert identify["token"] == fake.token
    assert identify["intents"] & Intent.PRIVILEGED == 0
    events = [d.event for d in fake.gateway.dispatched[:2]]
    assert events == ["READY", "GUILD_CREATE"]
    guild_create = fake.gateway.dispatched[1].data
    assert [m["user"]["id"] for m in guild_create["members"]] == [str(fake.bot_user.id)]
    assert guild_create["member_count"] == 4  # owner, bot, alice, bob
    assert fake.find_requests("GET", "/users/@me")
    synced = {c["name"] for c in fake.commands()}
    assert {"ping", "echo", "grp", "buttons", "form", "slow", "dm", "fruit", "file"} <= synced


async def test_ping_is_ephemeral_and_not_in_history(world: World) -> None:
    fake = world.fake
    handle = await fake.invoke("ping", user_id=world.alice.id, guild_id=world.guild.id)
    response = await handle.response()
    assert response["type"] == 4
    assert response["data"]["content"] == "pong"
    assert response["data"]["flags"] & 64
    message = await handle.wait_message()
    assert message["content"] == "pong"
    assert message["interaction_metadata"]["user"]["id"] == str(world.alice.id)
    assert all(m["id"] != message["id"] for m in fake.messages(world.general.id))
    assert handle.payload["member"]["permissions"]
    assert handle.payload["locale"] == "en-US"


async def test_echo_group_and_schema_checks(world: World) -> None:
    fake, alice, guild = world.fake, world.alice, world.guild
    echo = await fake.invoke("echo", {"text": "hi there"}, user_id=alice.id, guild_id=guild.id)
    echoed = await echo.wait_message()
    assert echoed["content"] == "hi there"
    assert any(m["id"] == echoed["id"] for m in fake.messages(world.general.id))

    sub = await fake.invoke("grp sub", {"a": 3}, user_id=alice.id, guild_id=guild.id)
    assert (await sub.wait_message())["content"] == "a=3"
    options = sub.payload["data"]["options"]
    assert options == [{"name": "sub", "type": 1, "options": [{"name": "a", "type": 4, "value": 3}]}]

    with pytest.raises(UnknownCommandError):
        await fake.invoke("nope", user_id=alice.id, guild_id=guild.id)
    with pytest.raises(UnknownCommandError):
        await fake.invoke("grp missing", user_id=alice.id, guild_id=guild.id)
    with pytest.raises(UnknownOptionError):
        await fake.invoke("grp sub", {"b": 1}, user_id=alice.id, guild_id=guild.id)
    with pytest.raises(InvalidOptionError):
        await fake.invoke("grp sub", {"a": "three"}, user_id=alice.id, guild_id=guild.id)
    with pytest.raises(InvalidOptionError):
        await fake.invoke("echo", user_id=alice.id, guild_id=guild.id)


async def test_button_click_and_select_update(world: World) -> None:
    fake = world.fake
    handle = await fake.invoke("buttons", user_id=world.alice.id, guild_id=world.guild.id)
    message = await handle.wait_message()
    assert message["components"][0]["type"] == 1

    click = await fake.click(message, "toy:btn", user_id=world.bob.id)
    assert (await click.wait_message())["content"] == f"clicked by {world.bob.id}"
    assert click.payload["message"]["id"] == message["id"]

    pick = await fake.select(message, "Pick a fruit", ["pear"])  # by placeholder; user = alice
    response = await pick.response()
    assert response["type"] == 7
    updated = fake.message(int(message["id"]))
    assert updated["content"] == "picked pear"
    assert updated["components"] == []
    with pytest.raises(UnknownOptionError):
        await fake.click(updated, "toy:btn")


async def test_label_modal_round_trip(world: World) -> None:
    fake = world.fake
    handle = await fake.invoke("form", user_id=world.alice.id, guild_id=world.guild.id)
    modal = await handle.modal()
    assert modal["custom_id"] == "toy:modal"
    assert [c["type"] for c in modal["components"]] == [18, 18]
    submit = await handle.submit_modal({"Your name": "Ada", "toy:color": ["green"]})
    components = submit.payload["data"]["components"]
    assert components[0]["type"] == 18
    assert components[0]["component"] == {"type": 4, "id": 2, "custom_id": "toy:name", "value": "Ada"}
    assert components[1]["component"]["values"] == ["green"]
    reply = await submit.wait_message()
    assert reply["content"] == "name=Ada color=green"
    assert reply["flags"] & 64
    with pytest.raises(UnknownOptionError):
        await fake.submit_modal("toy:modal", {"nope": "x"})


async def test_legacy_action_row_modal(world: World) -> None:
    fake = world.fake
    handle = await fake.invoke("legacy", user_id=world.alice.id, guild_id=world.guild.id)
    modal = await handle.modal()
    assert modal["components"][0]["type"] == 1
    submit = await fake.submit_modal("toy:legacy", {"toy:feedback": "great"})
    row = submit.payload["data"]["components"][0]
    assert row["type"] == 1
    assert row["components"][0]["value"] == "great"
    assert (await submit.wait_message())["content"] == "feedback=great"


async def test_defer_then_followups(world: World) -> None:
    fake = world.fake
    handle = await fake.invoke("slow", user_id=world.alice.id, guild_id=world.guild.id)
    assert (await handle.response())["type"] == 5
    message = await handle.wait_message()
    assert message["content"] == "done later"
    first = await handle.followup(0)
    assert first["id"] == message["id"]  # the first followup replaces the "thinking" message
    original = handle.original()
    assert original is not None
    assert original["id"] == message["id"]
    assert not original["flags"] & 128
    second = await handle.followup(1)
    assert second["content"] == "second followup"
    assert second["flags"] & 64


async def test_ephemeral_defer_then_edit_original(world: World) -> None:
    handle = await world.fake.invoke("edit", user_id=world.alice.id, guild_id=world.guild.id)
    response = await handle.response()
    assert response == {"type": 5, "data": {"flags": 64}}
    message = await handle.wait_message()
    assert message["content"] == f"edited {message['id']}"
    assert message["flags"] == 64  # still ephemeral, no longer loading
    assert world.fake.find_requests(
        "GET", "/webhooks/{application_id}/{interaction_token}/messages/@original"
    )


async def test_channel_panel_deferred_update_and_message_lifecycle(world: World) -> None:
    fake, general = world.fake, world.general
    handle = await fake.invoke("panel", user_id=world.alice.id, guild_id=world.guild.id)
    assert (await handle.wait_message())["content"] == "panel sent"
    contents = [m["content"] for m in fake.messages(general.id)]
    assert "panel" in contents
    assert "scratch edited" not in contents  # deleted
    events = [d.event for d in fake.gateway.dispatched]
    assert "MESSAGE_UPDATE" in events
    assert "MESSAGE_DELETE" in events

    panel = next(m for m in reversed(fake.messages(general.id)) if m["content"] == "panel")
    with pytest.raises(InvocationError):
        await fake.click(panel, "toy:btn")  # not an interaction response: user_id is required
    later = await fake.click(panel, "Later", user_id=world.bob.id)
    assert (await later.response())["type"] == 6
    edited = await later.wait_message()
    assert edited["id"] == panel["id"]
    assert edited["content"] == "deferred edit"
    assert edited["edited_timestamp"] is not None


async def test_dm_and_closed_dms(world: World) -> None:
    fake = world.fake
    handle = await fake.invoke("dm", user_id=world.alice.id, guild_id=world.guild.id)
    assert (await handle.wait_message())["content"] == "dm sent"
    assert [m["content"] for m in fake.dm_messages(world.alice.id)] == ["hello in DM"]

    fake.close_dms(world.bob.id)
    blocked = await fake.invoke("dm", user_id=world.bob.id, guild_id=world.guild.id)
    assert (await blocked.wait_message())["content"] == "dm failed: 50007"
    assert fake.dm_messages(world.bob.id) == []
    assert blocked.payload["locale"] == "zh-CN"

    in_dm = await fake.invoke("ping", user_id=world.alice.id)  # no guild: the bot DM
    assert in_dm.payload["context"] == 1
    assert "user" in in_dm.payload
    assert (await in_dm.wait_message())["content"] == "pong"


async def test_autocomplete(world: World) -> None:
    choices = await world.fake.autocomplete(
        "fruit", {"name": "ap"}, "name", user_id=world.alice.id, guild_id=world.guild.id
    )
    assert choices == [{"name": "Apple", "value": "apple"}, {"name": "Apricot", "value": "apricot"}]


async def test_file_upload(world: World) -> None:
    fake = world.fake
    handle = await fake.invoke("file", user_id=world.alice.id, guild_id=world.guild.id)
    message = await handle.wait_message()
    assert [a["filename"] for a in message["attachments"]] == ["hello.txt"]
    assert [f.data for f in handle.response_files] == [b"hello file"]
    assert [f.data for f in fake.files(int(message["id"]))] == [b"hello file"]
    async with aiohttp.ClientSession() as session, session.get(message["attachments"][0]["url"]) as resp:
        assert await resp.read() == b"hello file"


async def test_channel_and_role_options(world: World) -> None:
    handle = await world.fake.invoke(
        "where",
        {"channel": Channel(world.general.id), "role": Role(world.researchers.id)},
        user_id=world.alice.id,
        guild_id=world.guild.id,
    )
    assert (await handle.wait_message())["content"] == "channel=general role=Researchers"
    resolved = handle.payload["data"]["resolved"]
    assert set(resolved) == {"channels", "roles"}


async def test_channel_send_thread_and_missing_permissions(world: World) -> None:
    fake, general = world.fake, world.general
    handle = await fake.invoke("post", user_id=world.alice.id, guild_id=world.guild.id)
    reply = (await handle.wait_message())["content"]
    assert reply.startswith("posted ")
    posted = [m for m in fake.messages(general.id) if m["content"] == "posted"]
    assert posted[0]["embeds"][0]["title"] == "hi"
    thread_id = int(posted[0]["id"])  # threads started from a message share its id
    assert [m["content"] for m in fake.messages(thread_id)] == ["in thread"]
    assert any(d.event == "THREAD_CREATE" for d in fake.gateway.dispatched)

    fake.deny(general.id, fake.bot_role_id(world.guild.id), Permission.SEND_MESSAGES)
    try:
        denied = await fake.invoke("post", user_id=world.alice.id, guild_id=world.guild.id)
        assert (await denied.wait_message())["content"] == "post failed: 50013"
        assert fake.find_requests("POST", "/channels/{channel_id}/messages", status=403)
    finally:
        fake.clear_overwrite(general.id, fake.bot_role_id(world.guild.id))


async def test_command_visibility_rules_are_enforced(world: World) -> None:
    fake = world.fake
    with pytest.raises(InvocationRejectedError, match="default_member_permissions"):
        await fake.invoke("admin", user_id=world.bob.id, guild_id=world.guild.id)
    with pytest.raises(InvocationRejectedError, match="context"):
        await fake.invoke("admin", user_id=world.alice.id)  # guild_only -> not in DMs
    owner = await fake.invoke("admin", user_id=world.guild.owner_id, guild_id=world.guild.id)
    assert (await owner.wait_message())["content"] == "admin ok"

    fake.deny(world.general.id, world.guild.id, Permission.USE_APPLICATION_COMMANDS)
    try:
        with pytest.raises(InvocationRejectedError):
            await fake.invoke("ping", user_id=world.bob.id, guild_id=world.guild.id)
    finally:
        fake.clear_overwrite(world.general.id, world.guild.id)


async def test_unhandled_route_is_recorded(world: World) -> None:
    fake = world.fake
    handle = await fake.invoke("unknown", user_id=world.alice.id, guild_id=world.guild.id)
    assert (await handle.wait_message())["content"] == "not found: 404"
    assert [(r.method, r.path) for r in fake.unhandled] == [("GET", f"/guilds/{world.guild.id}/emojis")]
    assert fake_problems(fake)
    fake.unhandled.clear()


async def test_failure_injection(world: World) -> None:
    fake = world.fake
    rule = fake.fail_next(
        "POST", r"^/channels/\d+/messages$", 403, {"code": 50001, "message": "Missing Access"}
    )
    mark = len(fake.requests)
    handle = await fake.invoke("post", user_id=world.alice.id, guild_id=world.guild.id)
    failed = await fake.wait_for(lambda r: r.route == "/channels/{channel_id}/messages", since=mark)
    assert failed.status == 403
    assert failed.injected
    assert (await handle.wait_message())["content"] == "post failed: 50001"
    assert rule.hits == 1
    assert rule.remaining == 0


async def test_the_ack_deadline_times_the_answers_arrival(world: World) -> None:
    """Discord times when the answer arrives; the fake taking its time over it does not make it late."""
    fake = world.fake

    async def slow_to_take_it(ctx: RequestContext) -> Reply | None:
        if ctx.route is not None and ctx.route.template.endswith("/callback"):
            await asyncio.sleep(0.5)
        return None

    fake.add_hook(slow_to_take_it)
    fake.ack_deadline = 0.3
    try:
        handle = await fake.invoke("ping", user_id=world.alice.id, guild_id=world.guild.id)
        assert (await handle.response())["data"]["content"] == "pong"
        assert not fake.late_interactions
        fake.ack_deadline = 0.0  # now every answer arrives too late
        late = await fake.invoke("ping", user_id=world.alice.id, guild_id=world.guild.id)
        await fake.wait_until(lambda: bool(fake.late_interactions), description="a late answer")
        assert [r.id for r in fake.late_interactions] == [late.id]
        assert late.record.callback is None
    finally:
        fake.hooks.remove(slow_to_take_it)
        fake.ack_deadline = 3.0
        fake.late_interactions.clear()


async def test_user_message_hides_content_without_intent(world: World) -> None:
    fake = world.fake
    fake.post_message(world.general.id, world.bob.id, "hello everyone")
    event = fake.gateway.dispatched[-1]
    assert event.event == "MESSAGE_CREATE"
    assert event.data["author"]["id"] == str(world.bob.id)
    assert event.data["content"] == ""  # no MESSAGE_CONTENT intent
    assert fake.messages(world.general.id)[-1]["content"] == "hello everyone"


async def test_resume_replays_missed_events(world: World) -> None:
    fake = world.fake
    resumes = fake.gateway.resume_count
    await fake.drop_connection(resumable=True)
    # Dispatched while the bot is disconnected: buffered, then replayed on RESUME.
    handle = await fake.invoke("ping", user_id=world.alice.id, guild_id=world.guild.id)
    assert (await handle.wait_message())["content"] == "pong"
    assert fake.gateway.resume_count == resumes + 1
    assert fake.gateway.identify_count == 1

    await fake.gateway.reconnect_request()  # op 7 RECONNECT: the client closes and resumes
    await fake.wait_until(lambda: fake.gateway.resume_count == resumes + 2, 10, description="op 7 resume")
    again = await fake.invoke("ping", user_id=world.alice.id, guild_id=world.guild.id)
    assert (await again.wait_message())["content"] == "pong"


async def test_invalid_session_reidentifies(world: World) -> None:
    fake = world.fake
    await fake.drop_connection(resumable=False)
    await fake.wait_until(lambda: fake.gateway.identify_count == 2, 10, description="re-IDENTIFY")
    await fake.wait_ready()
    handle = await fake.invoke("echo", {"text": "back"}, user_id=world.alice.id, guild_id=world.guild.id)
    assert (await handle.wait_message())["content"] == "back"


async def test_guild_join_and_leave_at_runtime(world: World) -> None:
    fake = world.fake
    other = fake.add_guild("Other Lab")
    fake.add_text_channel(other.id, "lobby")
    fake.add_member(other.id, world.alice.id)
    handle = await fake.invoke("ping", user_id=world.alice.id, guild_id=other.id)
    assert (await handle.wait_message())["content"] == "pong"
    fake.leave_guild(other.id)
    assert fake.gateway.dispatched[-1].event == "GUILD_DELETE"
    with pytest.raises(InvocationRejectedError):
        await fake.invoke("ping", user_id=world.alice.id, guild_id=other.id)


async def test_clean_stop_and_privileged_intent_rejection(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        fake.add_guild("Solo")
        async with running_bot(fake, tmp_path / "a", module=TOY) as bot:
            pid = bot.pid
        assert pid is not None
        assert bot.returncode == 0, bot.logs()
        # discord.py closes with 1000, but aiohttp makes its pending receive() send 4000 first.
        assert fake.gateway.client_close_codes[-1] in (1000, 4000)
        assert not fake.gateway.is_live
        assert fake.gateway.connections == []

    async with FakeDiscord() as fake:
        with pytest.raises(BotStartupError, match="PrivilegedIntentsRequired"):
            async with running_bot(fake, tmp_path / "b", module=TOY, env={"TOY_MEMBERS_INTENT": "1"}):
                pass


async def test_rest_auth_hooks_and_unknown_routes_without_a_bot() -> None:
    async with FakeDiscord() as fake, aiohttp.ClientSession() as http:
        fake.add_response_hook(lambda ctx, reply: reply.headers.update({"X-Bucket": ctx.bucket_key}))
        async with http.get(f"{fake.api_base}/users/@me") as resp:
            assert resp.status == 401
        auth = {"Authorization": f"Bot {fake.token}"}
        async with http.get(f"{fake.api_base}/users/@me", headers=auth) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"] == "application/json"
            assert resp.headers["X-Bucket"] == "GET /users/@me:"
            assert (await resp.json())["id"] == str(fake.bot_user.id)
        async with http.get(f"{fake.api_base}/guilds/1/bans", headers=auth) as resp:
            assert resp.status == 404
            assert await resp.json() == {"message": "Unknown route", "code": 0}
        assert [r.path for r in fake.unhandled] == ["/guilds/1/bans"]
        assert "Authorization" not in fake.requests[0].headers
        assert fake.requests[1].headers["Authorization"] == "Bot <redacted>"
