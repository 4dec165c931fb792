"""What a bus offers the live hub: publish to a channel, subscribe to one, and hold a named lease.

The lease decides which process reads a session's log and publishes its deltas (exactly one at a time,
taken over by another when the holder stops renewing it); every process subscribes to the channel.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from chequered.core.errors import ChequeredError


class BusError(ChequeredError):
    """The bus cannot be reached or refused an operation."""


class Subscription:
    """Messages of one channel, in publication order. ``None`` from ``get`` means the bus lost
    messages (a reconnect): the subscriber recovers what it missed from the event log."""

    def __init__(self, channel: str, maxsize: int = 100_000) -> None:
        self.channel = channel
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=maxsize)

    def deliver(self, message: bytes | None) -> None:
        if self.queue.full():  # a subscriber this far behind resynchronises from the log
            while not self.queue.empty():
                self.queue.get_nowait()
            message = None
        self.queue.put_nowait(message)

    async def get(self) -> bytes | None:
        return await self.queue.get()


class Bus(Protocol):
    async def publish(self, channel: str, message: bytes) -> None: ...

    async def subscribe(self, channel: str) -> Subscription:
        """A subscription that is active when this returns (nothing published afterwards is missed)."""
        ...

    async def unsubscribe(self, subscription: Subscription) -> None: ...

    async def claim(self, lease: str, ttl_s: float) -> bool:
        """Take or renew ``lease`` for this bus instance for ``ttl_s``; False while another holds it."""
        ...

    async def release(self, lease: str) -> None: ...

    async def close(self) -> None: ...
