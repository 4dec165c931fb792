"""The Redis bus: several server processes (or hosts) share deltas through Redis pub/sub.

One connection publishes and holds leases; one pub/sub connection per process carries every channel the
process watches, read by a single dispatcher task that hands messages to local subscriptions in order.
When the pub/sub connection drops, every subscription is told (``None``) so the hub recovers the gap
from the event log; redis-py reconnects and resubscribes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from chequered.bus.base import BusError, Subscription

log = logging.getLogger(__name__)
PREFIX = "chequered:"

# Take the lease when free, renew it when ours; never touch another holder's.
_CLAIM = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class RedisBus:
    def __init__(self, url: str, reconnect_s: float = 0.5) -> None:
        self.url = url
        self.reconnect_s = reconnect_s
        self._redis: Any = aioredis.Redis.from_url(url)
        self._pubsub: Any = None
        self._token = uuid.uuid4().hex
        self._channels: dict[str, set[Subscription]] = {}
        self._confirmed: dict[str, asyncio.Event] = {}
        self._dispatcher: asyncio.Task[None] | None = None

    async def ping(self) -> None:
        """Raise ``BusError`` naming the URL when Redis does not answer."""
        try:
            await self._redis.ping()
        except (RedisError, OSError) as error:
            raise BusError(f"Redis at {self.url} does not answer: {error}") from error

    async def publish(self, channel: str, message: bytes) -> None:
        try:
            await self._redis.publish(PREFIX + channel, message)
        except (RedisError, OSError) as error:
            raise BusError(f"publish to {channel} on {self.url}: {error}") from error

    async def subscribe(self, channel: str) -> Subscription:
        subscription = Subscription(channel)
        subscribers = self._channels.setdefault(channel, set())
        subscribers.add(subscription)
        if len(subscribers) == 1:
            if self._pubsub is None:
                self._pubsub = self._redis.pubsub()
            confirmed = self._confirmed[channel] = asyncio.Event()
            try:
                await self._pubsub.subscribe(PREFIX + channel)
            except (RedisError, OSError) as error:
                subscribers.discard(subscription)
                raise BusError(f"subscribe to {channel} on {self.url}: {error}") from error
            if self._dispatcher is None:
                self._dispatcher = asyncio.get_running_loop().create_task(self._dispatch())
            await asyncio.wait_for(confirmed.wait(), timeout=10)
        return subscription

    async def unsubscribe(self, subscription: Subscription) -> None:
        subscribers = self._channels.get(subscription.channel)
        if subscribers is None:
            return
        subscribers.discard(subscription)
        if not subscribers:
            del self._channels[subscription.channel]
            self._confirmed.pop(subscription.channel, None)
            with contextlib.suppress(RedisError, OSError):
                await self._pubsub.unsubscribe(PREFIX + subscription.channel)

    async def _dispatch(self) -> None:
        while True:
            try:
                message = await self._pubsub.get_message(ignore_subscribe_messages=False, timeout=1.0)
            except (RedisError, OSError) as error:
                log.warning("Redis pub/sub at %s lost (%s); reconnecting", self.url, error)
                for subscribers in self._channels.values():
                    for subscription in subscribers:
                        subscription.deliver(None)
                await asyncio.sleep(self.reconnect_s)
                continue
            if message is None:
                continue
            channel = message["channel"].decode()[len(PREFIX) :]
            if message["type"] == "subscribe":
                event = self._confirmed.get(channel)
                if event is not None:
                    event.set()
            elif message["type"] == "message":
                for subscription in list(self._channels.get(channel, ())):
                    subscription.deliver(message["data"])

    async def claim(self, lease: str, ttl_s: float) -> bool:
        try:
            held = await self._redis.eval(_CLAIM, 1, PREFIX + lease, self._token, int(ttl_s * 1000))
        except (RedisError, OSError) as error:
            log.warning("lease %s on %s: %s", lease, self.url, error)
            return False
        return bool(held)

    async def release(self, lease: str) -> None:
        with contextlib.suppress(RedisError, OSError):
            await self._redis.eval(_RELEASE, 1, PREFIX + lease, self._token)

    async def close(self) -> None:
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
        if self._pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._pubsub.aclose()
        with contextlib.suppress(RedisError, OSError):
            await self._redis.aclose()
