"""The fake's private threads over raw REST: who may add members, see, pin and delete (fakediscord.threads)."""

from __future__ import annotations

import aiohttp
import pytest

from fakediscord.fake_discord import FakeDiscord
from fakediscord.permissions import Permission

pytestmark = pytest.mark.e2e

THREADS = int(
    Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.CREATE_PRIVATE_THREADS
    | Permission.SEND_MESSAGES_IN_THREADS
)


async def test_private_thread_members_pins_and_deletion() -> None:
    async with FakeDiscord() as fake, aiohttp.ClientSession() as http:
        owner = fake.add_user("owner")
        guild = fake.add_guild("Lab", owner_id=owner.id)
        parent = fake.add_text_channel(guild.id, "reps").id
        member = fake.add_user("member")
        fake.add_member(guild.id, member.id)
        outsider = fake.add_user("outsider")
        fake.allow(parent, fake.bot_role_id(guild.id), THREADS)
        auth = {"Authorization": f"Bot {fake.token}"}
        api = fake.api_base

        body = {"name": "reach-abcdefgh", "type": 12, "invitable": False, "auto_archive_duration": 10080}
        async with http.post(f"{api}/channels/{parent}/threads", json=body, headers=auth) as resp:
            assert resp.status == 201
            thread = await resp.json()
        thread_id = int(thread["id"])
        assert thread["thread_metadata"]["invitable"] is False
        assert fake.thread_members(thread_id) == {fake.bot_user.id}
        # Not a member, no Manage Threads: the member cannot see the private thread.
        assert not fake.state.channel_permissions(thread_id, member.id) & Permission.VIEW_CHANNEL

        async with http.put(f"{api}/channels/{thread_id}/thread-members/{outsider.id}", headers=auth) as resp:
            assert resp.status == 404 and (await resp.json())["code"] == 10007  # not in the guild
        async with http.put(f"{api}/channels/{thread_id}/thread-members/{member.id}", headers=auth) as resp:
            assert resp.status == 204
        assert member.id in fake.thread_members(thread_id)
        assert fake.state.channel_permissions(thread_id, member.id) & Permission.VIEW_CHANNEL
        async with http.get(f"{api}/channels/{thread_id}/thread-members", headers=auth) as resp:
            assert {int(m["user_id"]) for m in await resp.json()} == {fake.bot_user.id, member.id}

        async with http.post(
            f"{api}/channels/{thread_id}/messages", json={"content": "note"}, headers=auth
        ) as resp:
            message = await resp.json()
        pin = f"{api}/channels/{thread_id}/messages/pins/{message['id']}"
        async with http.put(pin, headers=auth) as resp:
            assert resp.status == 403  # pinning needs Manage Messages
        async with http.delete(f"{api}/channels/{thread_id}", headers=auth) as resp:
            assert resp.status == 403  # deleting a thread needs Manage Threads
        fake.allow(
            parent,
            fake.bot_role_id(guild.id),
            THREADS | Permission.MANAGE_MESSAGES | Permission.MANAGE_THREADS,
        )
        async with http.put(pin, headers=auth) as resp:
            assert resp.status == 204
        assert fake.pins(thread_id) == [int(message["id"])] and fake.message(int(message["id"]))["pinned"]
        async with http.delete(f"{api}/channels/{thread_id}", headers=auth) as resp:
            assert resp.status == 200
        assert fake.threads(parent) == [] and not fake.has_message(int(message["id"]))
        async with http.get(f"{api}/channels/{thread_id}", headers=auth) as resp:
            assert resp.status == 404


async def test_a_thread_archived_locked_or_deleted_in_the_client_refuses_or_disappears() -> None:
    async with FakeDiscord() as fake, aiohttp.ClientSession() as http:
        owner = fake.add_user("owner")
        guild = fake.add_guild("Lab", owner_id=owner.id)
        parent = fake.add_text_channel(guild.id, "prompts").id
        thread_id = fake.add_thread(parent, "Memories and condolences").id
        auth = {"Authorization": f"Bot {fake.token}"}
        url = f"{fake.api_base}/channels/{thread_id}"
        fake.set_thread_state(thread_id, archived=True)
        async with http.get(url, headers=auth) as resp:
            assert (await resp.json())["thread_metadata"]["archived"] is True
        async with http.post(f"{url}/messages", json={"content": "hi"}, headers=auth) as resp:
            assert resp.status == 400 and (await resp.json())["code"] == 50083
        fake.set_thread_state(thread_id, archived=False, locked=True)
        async with http.get(url, headers=auth) as resp:
            assert (await resp.json())["thread_metadata"]["locked"] is True
        fake.delete_thread(thread_id)
        assert fake.threads(parent) == []
        async with http.get(url, headers=auth) as resp:
            assert resp.status == 404
