"""The buses: in-process, and Redis for real (publish/subscribe order, leases held by one at a time)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from chequered.bus import BusError, MemoryBus, check_bus, open_bus
from chequered.bus.redis import RedisBus
from tests.backends import redis_or_skip


def test_open_bus_by_url() -> None:
    assert isinstance(open_bus(None), MemoryBus) and isinstance(open_bus("memory://"), MemoryBus)
    assert isinstance(open_bus("redis://127.0.0.1:6379/0"), RedisBus)
    with pytest.raises(BusError, match="kafka://x"):
        open_bus("kafka://x")


def test_check_bus_names_a_redis_that_does_not_answer() -> None:
    with pytest.raises(BusError, match=r"redis://127\.0\.0\.1:1/0 does not answer"):
        asyncio.run(check_bus("redis://127.0.0.1:1/0"))


async def _exercise(first: object, second: object, channel: str) -> None:
    a, b = first, second
    assert isinstance(a, MemoryBus | RedisBus) and isinstance(b, MemoryBus | RedisBus)
    on_a, on_b = await a.subscribe(channel), await b.subscribe(channel)
    sent = [f"message {n}".encode() for n in range(200)]
    for message in sent:
        await a.publish(channel, message)
    got_a = [await asyncio.wait_for(on_a.get(), 5) for _ in sent]
    got_b = [await asyncio.wait_for(on_b.get(), 5) if b is not a else m for m in sent]
    assert got_a == sent and got_b == sent
    await a.unsubscribe(on_a)
    await a.publish(channel, b"after")
    assert on_a.queue.empty()


def test_memory_bus_delivers_in_order_and_leases_are_its_own() -> None:
    async def run() -> None:
        bus = MemoryBus()
        await _exercise(bus, bus, "live:m")
        assert await bus.claim("lease", 1.0) and await bus.claim("lease", 1.0)
        await bus.close()

    asyncio.run(run())


def test_redis_bus_fans_out_in_order_and_one_process_holds_a_lease() -> None:
    url = redis_or_skip()
    channel = f"live:test-{uuid.uuid4().hex[:8]}"

    async def run() -> None:
        a, b = RedisBus(url), RedisBus(url)
        try:
            await _exercise(a, b, channel)
            lease = f"{channel}:reader"
            assert await a.claim(lease, 0.5)
            assert not await b.claim(lease, 0.5)  # held by a
            assert await a.claim(lease, 0.5)  # renewed by its holder
            await a.release(lease)
            assert await b.claim(lease, 0.3)
            await asyncio.sleep(0.5)  # b stops renewing: the lease expires and a takes over
            assert await a.claim(lease, 0.5)
            await a.release(lease)
        finally:
            await a.close()
            await b.close()

    asyncio.run(run())
