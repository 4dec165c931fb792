"""The TCP client against a real local TCP server: a capture served, the connection dropped and restored."""

from __future__ import annotations

import asyncio

import pytest

from chequered import rulebooks
from chequered.importers.rmonitor.records import read_capture
from chequered.importers.rmonitor.stream import Connection, LiveFeed, SystemClock, follow, replay
from tests.conftest import real_file
from tests.importers.rmonitor.test_feed import BARBER, MOCK


def refresh_burst(sent: bytes) -> bytes:
    """What Orbits sends on a new connection: ``$I``, then the current state (the latest ``$B``, ``$C``,
    ``$E``, ``$A``/``$COMP``, ``$G``, ``$H`` of every key) as of the end of ``sent``."""
    latest: dict[tuple[str, str], str] = {}
    for raw in read_capture(sent):
        head = raw.text.split(",", 2)
        if head[0] in ("$B",):
            latest[("$B", "")] = raw.text
        elif head[0] in ("$C", "$E", "$A", "$COMP") and len(head) > 1:
            latest[(head[0], head[1])] = raw.text
        elif head[0] in ("$G", "$H") and len(head) > 2:
            latest[(head[0], head[2].split(",")[0])] = raw.text
    return ('$I,"23:30:00","27 Jan 09"\r\n' + "\r\n".join(latest.values()) + "\r\n").encode()


async def _serve_with_a_drop(data: bytes, feed: LiveFeed) -> Connection:
    half = data.rfind(b"\n", 0, len(data) // 2) + 1
    connections = 0
    done = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        if connections == 1:
            writer.write(data[:half] + b'$G,1,"1",3,"00:0')  # ends inside a record: the drop cuts it
            await writer.drain()
            writer.transport.abort()  # the connection drops
            return
        # a restored connection: Orbits resets and sends everything again, then the rest
        writer.write(refresh_burst(data[:half]))
        writer.write(data[half:])
        await writer.drain()
        await done.wait()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    status = Connection()
    total = len(list(read_capture(data)))

    def on_line(raw: object) -> None:
        feed.line(raw)  # type: ignore[arg-type]

    async def watch() -> None:
        while feed.feed.problems == [] or feed.events < total // 10 or connections < 2:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)
        stop.set()
        done.set()

    async with server:
        await asyncio.wait_for(
            asyncio.gather(follow("127.0.0.1", port, on_line, SystemClock(), stop, status, 0.05), watch()),
            timeout=60,
        )
    return status


@pytest.mark.realdata
@pytest.mark.parametrize("path", [MOCK, BARBER], ids=["orbits-mock", "barber-8h"])
def test_dropped_and_restored_connection_keeps_the_race(path: object) -> None:
    data = real_file(path).read_bytes()  # type: ignore[arg-type]
    rules = rulebooks.load("imsa-2023")
    straight = LiveFeed(rules)
    asyncio.run(replay(list(read_capture(data)), straight.line, 0, SystemClock()))
    followed = LiveFeed(rules)
    status = asyncio.run(_serve_with_a_drop(data, followed))
    assert status.connects == 2 and status.drops >= 1
    assert any("dropped" in line for line in status.log)
    assert straight.live is not None and followed.live is not None
    assert followed.live.classification() == straight.live.classification()
    # the record cut by the drop is reported once, with its text
    assert len(followed.problems) == 1 and followed.problems[0].line.startswith('$G,1,"1",3,"00:0')


def test_an_unreachable_host_is_retried_with_backoff() -> None:
    class FakeClock:
        def __init__(self) -> None:
            self.slept: list[float] = []

        def monotonic(self) -> float:
            return 0.0

        async def sleep(self, seconds: float) -> None:
            self.slept.append(seconds)
            if len(self.slept) >= 5:
                stop.set()

    stop = asyncio.Event()
    clock = FakeClock()
    status = Connection()

    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()  # nobody listens on that port any more
        await follow("127.0.0.1", port, lambda raw: None, clock, stop, status, 0.1, 1.0)

    asyncio.run(asyncio.wait_for(main(), timeout=30))
    assert clock.slept == [0.1, 0.2, 0.4, 0.8, 1.0]
    assert status.failures == 5 and status.connects == 0
