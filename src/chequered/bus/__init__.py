"""Fan-out of live deltas between server processes: in-process (one process, the default) or Redis pub/sub.

``open_bus(url)`` picks one from a URL (``None`` or ``memory://`` for in-process, ``redis://...`` for Redis);
the app factory is handed the bus explicitly.
"""

from __future__ import annotations

from chequered.bus.base import Bus, BusError, Subscription
from chequered.bus.memory import MemoryBus


def open_bus(url: str | None) -> Bus:
    """The bus a URL names; ``BusError`` names the URL when its scheme is not one we serve."""
    if url is None or url in ("", "memory://"):
        return MemoryBus()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from chequered.bus.redis import RedisBus  # redis-py is loaded only by processes that use it

        return RedisBus(url)
    raise BusError(f"bus URL {url!r}: use memory:// or redis://host:port/db")


async def check_bus(url: str | None) -> None:
    """Raise ``BusError`` when the bus a URL names does not answer (before a server starts on it)."""
    bus = open_bus(url)
    try:
        ping = getattr(bus, "ping", None)
        if ping is not None:
            await ping()
    finally:
        await bus.close()


__all__ = ["Bus", "BusError", "MemoryBus", "Subscription", "check_bus", "open_bus"]
