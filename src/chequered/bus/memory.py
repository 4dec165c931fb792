"""The in-process bus: one server process, no Redis. Publishing hands the message to local subscribers."""

from __future__ import annotations

from chequered.bus.base import Subscription


class MemoryBus:
    def __init__(self) -> None:
        self._channels: dict[str, set[Subscription]] = {}
        self._leases: set[str] = set()

    async def publish(self, channel: str, message: bytes) -> None:
        for subscription in list(self._channels.get(channel, ())):
            subscription.deliver(message)

    async def subscribe(self, channel: str) -> Subscription:
        subscription = Subscription(channel)
        self._channels.setdefault(channel, set()).add(subscription)
        return subscription

    async def unsubscribe(self, subscription: Subscription) -> None:
        subscribers = self._channels.get(subscription.channel)
        if subscribers is not None:
            subscribers.discard(subscription)
            if not subscribers:
                del self._channels[subscription.channel]

    async def claim(self, lease: str, ttl_s: float) -> bool:
        self._leases.add(lease)  # one process: the only claimant always holds it
        return True

    async def release(self, lease: str) -> None:
        self._leases.discard(lease)

    async def close(self) -> None:
        self._channels.clear()
        self._leases.clear()
