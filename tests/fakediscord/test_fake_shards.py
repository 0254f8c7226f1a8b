"""The fake Discord's sharding, driven by raw gateway connections (the e2e test drives discord.py).

Discord's rules, as its gateway documentation states them: IDENTIFY's ``shard`` is
``[shard_id, num_shards]`` with ``0 <= shard_id < num_shards`` (else close 4010 Invalid shard); a
shard holding too many guilds is closed with 4011 (sharding required); a guild's events go to
shard ``(guild_id >> 22) % num_shards``; direct messages go to shard 0. GET /gateway/bot
recommends a shard count; its body is checked against the OpenAPI spec's GatewayBotResponse.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from fakediscord import gateway
from fakediscord.fake_discord import FakeDiscord
from fakediscord.gateway import CloseCode, Intent

pytestmark = pytest.mark.e2e

SPEC = Path("/work/shared/data/discord-api-spec/openapi.json")
JSON = dict[str, Any]


class RawShard:
    """One gateway connection that IDENTIFYs (optionally as a shard) and records every DISPATCH."""

    def __init__(self, fake: FakeDiscord, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.fake = fake
        self.ws = ws
        self.events: list[tuple[str, JSON]] = []
        self.closed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type is aiohttp.WSMsgType.TEXT:
                frame = json.loads(message.data)
                if frame.get("op") == 0:
                    self.events.append((frame["t"], frame["d"]))
        self.closed.set()

    async def identify(self, shard: Any = None, *, intents: int = Intent.GUILDS) -> None:
        data: JSON = {"token": self.fake.token, "intents": intents, "properties": {}}
        if shard is not None:
            data["shard"] = shard
        await self.ws.send_json({"op": 2, "d": data})

    def names(self, event: str) -> list[str]:
        return [d.get("name") or d["id"] for t, d in self.events if t == event]

    def ready(self) -> JSON:
        return next(d for t, d in self.events if t == "READY")

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


class Pool:
    """Raw gateway connections to one fake, closed together."""

    def __init__(self, fake: FakeDiscord, http: aiohttp.ClientSession) -> None:
        self.fake = fake
        self.http = http
        self.opened: list[RawShard] = []

    async def connect(self) -> RawShard:
        ws = await self.http.ws_connect(self.fake.gateway_url)
        hello = await ws.receive_json()
        assert hello["op"] == 10
        shard = RawShard(self.fake, ws)
        self.opened.append(shard)
        return shard


@contextlib.asynccontextmanager
async def connections(fake: FakeDiscord) -> AsyncIterator[Pool]:
    async with aiohttp.ClientSession() as http:
        pool = Pool(fake, http)
        try:
            yield pool
        finally:
            for shard in pool.opened:
                await shard.close()


async def connect(pool: Pool) -> RawShard:
    return await pool.connect()


async def eventually(condition: Any, timeout: float = 5.0) -> None:
    """Wait for frames to reach the raw clients (they arrive over real sockets)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out waiting for gateway frames"
        await asyncio.sleep(0.01)


def count(conn: RawShard, event: str) -> int:
    return sum(t == event for t, _ in conn.events)


async def identified(fake: FakeDiscord, pool: Pool, shard: Any) -> RawShard:
    conn = await connect(pool)
    await conn.identify(shard)
    await eventually(
        lambda: count(conn, "READY") == 1 and count(conn, "GUILD_CREATE") == len(conn.ready()["guilds"])
    )
    return conn


def _check(value: Any, schema: JSON, spec: JSON, path: str) -> list[str]:
    """The few JSON-schema rules GatewayBotResponse uses: $ref, object/required, integer, string."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _check(value, spec["components"]["schemas"][name], spec, path)
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        problems = [f"{path}.{key}: missing" for key in schema.get("required", []) if key not in value]
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                problems += _check(value[key], sub, spec, f"{path}.{key}")
        return problems
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok and -(2**31) <= value < 2**31 else [f"{path}: not an int32"]
    if kind == "string":
        return [] if isinstance(value, str) else [f"{path}: not a string"]
    return []


@pytest.mark.parametrize("shards", [1, 4])
async def test_gateway_bot_recommends_the_configured_shard_count(shards: int) -> None:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    schema = {"$ref": "#/components/schemas/GatewayBotResponse"}
    async with (
        FakeDiscord(shards=shards) as fake,
        aiohttp.ClientSession() as http,
        http.get(f"{fake.api_base}/gateway/bot", headers={"Authorization": f"Bot {fake.token}"}) as response,
    ):
        body = await response.json()
    assert response.status == 200
    assert _check(body, schema, spec, "GatewayBotResponse") == []
    assert body["shards"] == shards
    with pytest.raises(ValueError):
        FakeDiscord(shards=0)


async def test_each_shard_gets_only_its_guilds_and_dms_go_to_shard_zero() -> None:
    async with FakeDiscord(shards=2) as fake, connections(fake) as pool:
        even = fake.add_guild("Even lab", shard=(0, 2))
        odd = fake.add_guild("Odd lab", shard=(1, 2))
        assert [(g.id >> 22) % 2 for g in (even, odd)] == [0, 1]
        for guild in (even, odd):
            fake.add_text_channel(guild.id, "general")
        alice = fake.add_user("alice")
        fake.add_member(odd.id, alice.id)
        fake.add_member(even.id, alice.id)

        zero = await identified(fake, pool, [0, 2])
        one = await identified(fake, pool, [1, 2])
        assert zero.ready()["shard"] == [0, 2] and one.ready()["shard"] == [1, 2]
        assert [g["id"] for g in zero.ready()["guilds"]] == [str(even.id)]
        assert [g["id"] for g in one.ready()["guilds"]] == [str(odd.id)]
        assert zero.names("GUILD_CREATE") == ["Even lab"] and one.names("GUILD_CREATE") == ["Odd lab"]
        assert fake.gateway.live_shards() == {(0, 2), (1, 2)}  # both live at once
        await fake.wait_shards_ready([0, 1], timeout=1)

        # Interactions: a guild's go to its shard; a DM's to shard 0, whichever guild the user is in.
        await fake.invoke("ping", user_id=alice.id, guild_id=odd.id)
        await fake.invoke("ping", user_id=alice.id, guild_id=even.id)
        await fake.invoke("ping", user_id=alice.id)
        await eventually(lambda: count(zero, "INTERACTION_CREATE") + count(one, "INTERACTION_CREATE") == 3)
        interactions = {
            shard.ready()["shard"][0]: [
                d.get("guild_id") for t, d in shard.events if t == "INTERACTION_CREATE"
            ]
            for shard in (zero, one)
        }
        assert interactions == {0: [str(even.id), None], 1: [str(odd.id)]}

        # Runtime events follow the guild: a channel, a role, a new guild joining on shard 1.
        fake.add_text_channel(odd.id, "later")
        fake.add_role(even.id, "reps", 0)
        late = fake.add_guild("Late lab", shard=(1, 2))
        await eventually(lambda: count(one, "GUILD_CREATE") == 2 and count(zero, "GUILD_ROLE_CREATE") == 1)
        await asyncio.sleep(0.1)  # anything sent to the wrong shard would have arrived by now
        assert [d["name"] for t, d in one.events if t == "CHANNEL_CREATE"] == ["later"]
        assert not [t for t, _ in zero.events if t == "CHANNEL_CREATE"]
        assert [t for t, _ in zero.events if t == "GUILD_ROLE_CREATE"] == ["GUILD_ROLE_CREATE"]
        assert not [t for t, _ in one.events if t == "GUILD_ROLE_CREATE"]
        assert one.names("GUILD_CREATE") == ["Odd lab", "Late lab"] and late.id in fake.state.guilds

        # Every recorded dispatch says which shard it went to, and no guild event crossed over.
        for record in fake.gateway.dispatched:
            target = gateway.guild_of(record.event, record.data)
            if record.event not in ("READY", "RESUMED"):
                assert gateway.shard_of(target, 2) == record.shard[0], record.event


async def test_messages_follow_their_channel_dm_messages_go_to_shard_zero() -> None:
    intents = Intent.GUILDS | Intent.GUILD_MESSAGES | Intent.DIRECT_MESSAGES
    async with FakeDiscord(shards=2) as fake, connections(fake) as pool:
        odd = fake.add_guild("Odd lab", shard=(1, 2))
        channel = fake.add_text_channel(odd.id, "general")
        bob = fake.add_user("bob")
        fake.add_member(odd.id, bob.id)
        shards = []
        for shard_id in (0, 1):
            conn = await connect(pool)
            await conn.identify([shard_id, 2], intents=intents)
            shards.append(conn)
        await fake.wait_shards_ready([0, 1], timeout=5)
        fake.post_message(channel.id, bob.id, "in the lab")
        fake.post_message(fake.dm_channel_id(bob.id), bob.id, "in a DM")
        await eventually(lambda: sum(count(s, "MESSAGE_CREATE") for s in shards) == 2)
        by_shard = [[d["channel_id"] for t, d in s.events if t == "MESSAGE_CREATE"] for s in shards]
        assert by_shard == [[str(fake.dm_channel_id(bob.id))], [str(channel.id)]]


@pytest.mark.parametrize(
    "shard",
    [[2, 2], [0, 0], [-1, 2], [0], [0, 2, 1], "0/2", [True, 2], [0, "2"]],
    ids=["id=count", "count=0", "negative", "short", "long", "text", "bool", "string count"],
)
async def test_an_invalid_shard_is_closed_with_4010(shard: Any) -> None:
    async with FakeDiscord() as fake, connections(fake) as pool:
        fake.add_guild("Lab")
        conn = await connect(pool)
        data: JSON = {"token": fake.token, "intents": Intent.GUILDS, "properties": {}, "shard": shard}
        await conn.ws.send_json({"op": 2, "d": data})
        await asyncio.wait_for(conn.closed.wait(), 5)
        assert conn.ws.close_code == CloseCode.INVALID_SHARD
        assert conn.events == [] and fake.gateway.identify_count == 0


async def test_too_many_guilds_on_one_shard_is_closed_with_4011(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gateway, "MAX_GUILDS_PER_SHARD", 2)  # Discord's 2,500, scaled down
    async with FakeDiscord() as fake, connections(fake) as pool:
        for shard_id in (0, 0, 1):
            fake.add_guild(f"Lab {shard_id}", shard=(shard_id, 2))
        unsharded = await connect(pool)
        await unsharded.identify()
        await asyncio.wait_for(unsharded.closed.wait(), 5)
        assert unsharded.ws.close_code == CloseCode.SHARDING_REQUIRED
        # Two shards hold two guilds and one: both are accepted.
        zero = await identified(fake, pool, [0, 2])
        one = await identified(fake, pool, [1, 2])
        assert (len(zero.names("GUILD_CREATE")), len(one.names("GUILD_CREATE"))) == (2, 1)


async def test_a_new_identify_replaces_only_its_own_shards_session() -> None:
    async with FakeDiscord(shards=2) as fake, connections(fake) as pool:
        guilds = [fake.add_guild(f"Lab {i}", shard=(i, 2)) for i in (0, 1)]
        first_zero = await identified(fake, pool, [0, 2])
        one = await identified(fake, pool, [1, 2])
        second_zero = await identified(fake, pool, [0, 2])  # shard 0's process restarted
        current = {s.shard: s.id for s in fake.gateway.current_sessions}
        assert set(current) == {(0, 2), (1, 2)}
        assert current[(0, 2)] != first_zero.ready()["session_id"]
        assert current[(1, 2)] == one.ready()["session_id"]
        fake.add_text_channel(guilds[0].id, "after")
        fake.add_text_channel(guilds[1].id, "after")
        await eventually(
            lambda: count(second_zero, "CHANNEL_CREATE") == 1 and count(one, "CHANNEL_CREATE") == 1
        )
        await asyncio.sleep(0.1)
        assert [t for t, _ in second_zero.events if t == "CHANNEL_CREATE"] == ["CHANNEL_CREATE"]
        assert [t for t, _ in one.events if t == "CHANNEL_CREATE"] == ["CHANNEL_CREATE"]
        assert not [t for t, _ in first_zero.events if t == "CHANNEL_CREATE"]
        # Dropping one shard leaves the other live.
        await fake.drop_connection(resumable=True, shard_id=1)
        assert fake.gateway.live_shards() == {(0, 2)}


async def test_an_unsharded_identify_is_shard_zero_of_one_and_sees_everything() -> None:
    async with FakeDiscord(shards=4) as fake, connections(fake) as pool:
        for shard_id in range(4):
            fake.add_guild(f"Lab {shard_id}", shard=(shard_id, 4))
        conn = await identified(fake, pool, None)
        assert "shard" not in conn.ready()  # READY echoes a shard only when IDENTIFY sent one
        assert len(conn.names("GUILD_CREATE")) == 4
        assert fake.gateway.live_shards() == {(0, 1)}


async def test_my_guilds_lists_every_shards_guilds_in_pages() -> None:
    """REST knows no shards: GET /users/@me/guilds is how one process learns the others' guilds."""
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    schema = {"$ref": "#/components/schemas/MyGuildResponse"}
    async with FakeDiscord(shards=2) as fake, aiohttp.ClientSession() as http:
        made = sorted(fake.add_guild(f"Lab {n}", shard=(n % 2, 2)).id for n in range(5))
        fake.leave_guild(made[0])
        headers = {"Authorization": f"Bot {fake.token}"}

        async def page(**params: str) -> list[JSON]:
            async with http.get(f"{fake.api_base}/users/@me/guilds", params=params, headers=headers) as r:
                assert r.status == 200, await r.text()
                body: list[JSON] = await r.json()
                return body

        everything = await page()
        assert [int(g["id"]) for g in everything] == made[1:]  # the guild it left is not listed
        assert all(_check(g, schema, spec, "MyGuildResponse") == [] for g in everything)
        first = await page(limit="2")
        rest = await page(limit="2", after=first[-1]["id"])
        last = await page(limit="2", after=rest[-1]["id"])
        assert [g["id"] for g in first + rest + last] == [g["id"] for g in everything]
        assert [g["id"] for g in await page(limit="1", before=str(made[3]))] == [str(made[2])]
        async with http.get(f"{fake.api_base}/users/@me/guilds?limit=201", headers=headers) as r:
            assert r.status == 400
