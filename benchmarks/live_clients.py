"""WebSocket fans for the fan-out benchmark, in a process of their own (uvloop, one socket per fan).

``python -m benchmarks.live_clients URL[,URL...] N OUT``: opens N connections to the live WebSocket URLs
(spread over them in turn: server processes on ports of their own, no load balancer), reads each
snapshot, prints ``ready <connected> <failed> <first error>`` on stdout, then records the wall-clock time
at which every fan receives every delta until stdin closes; writes ``{seq: [receipt times]}`` and the
connection outcome to OUT as JSON.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import cast

import orjson
import uvloop
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.uri import WebSocketURI, parse_uri

CONNECT_AT_ONCE = 100


def raise_open_files() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


class Fan(asyncio.Protocol):
    """One fan: a WebSocket client on the sans-I/O protocol of ``websockets``, straight over an asyncio
    transport, so that each frame costs the fans' process as little as it can (the server is measured)."""

    def __init__(self, uri: WebSocketURI, receipts: dict[int, list[float]], sizes: dict[int, int]) -> None:
        self.protocol = ClientProtocol(uri, max_size=None)
        self.receipts, self.sizes = receipts, sizes
        self.snapshot: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports are not its subclasses
        self.protocol.send_request(self.protocol.connect())
        self.transport.write(b"".join(self.protocol.data_to_send()))

    def data_received(self, data: bytes) -> None:
        now = time.time()
        self.protocol.receive_data(data)
        for event in self.protocol.events_received():
            if not isinstance(event, Frame) or event.opcode is not Opcode.TEXT:
                continue
            if not self.snapshot.done():
                self.snapshot.set_result(None)
            elif event.data.startswith(b'{"type":"delta","seq":'):
                seq = int(event.data[22 : event.data.index(b",", 22)])
                self.receipts[seq].append(now)
                self.sizes[seq] = len(event.data)
        pending = self.protocol.data_to_send()  # pongs, a close
        if pending and self.transport is not None:
            self.transport.write(b"".join(pending))

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.snapshot.done():
            self.snapshot.set_exception(exc or ConnectionError("closed before the snapshot"))


async def fan(url: str, receipts: dict[int, list[float]], sizes: dict[int, int], fans: list[Fan]) -> None:
    uri = parse_uri(url)
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_connection(lambda: Fan(uri, receipts, sizes), uri.host, uri.port)
    await asyncio.wait_for(protocol.snapshot, timeout=60)
    fans.append(protocol)


async def run(urls: list[str], count: int, out: Path) -> None:
    receipts: dict[int, list[float]] = defaultdict(list)
    sizes: dict[int, int] = {}
    connected: list[Fan] = []
    tasks: list[asyncio.Task[None]] = []
    started = time.monotonic()
    for first in range(0, count, CONNECT_AT_ONCE):
        batch = [
            asyncio.create_task(fan(urls[(first + i) % len(urls)], receipts, sizes, connected))
            for i in range(min(CONNECT_AT_ONCE, count - first))
        ]
        tasks.extend(batch)
        await asyncio.wait(batch)
    connect_s = time.monotonic() - started
    errors = [repr(t.exception()) for t in tasks if t.exception() is not None]
    print(f"ready {len(connected)} {len(errors)} {errors[0] if errors else '-'}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for protocol in connected:
        if protocol.transport is not None:
            protocol.transport.close()
    document = {
        "connected": len(connected),
        "failed": len(errors),
        "error": errors[0] if errors else "",
        "connect_s": connect_s,
        "receipts": receipts,
        "sizes": sizes,
    }
    out.write_bytes(orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS))


def main() -> None:
    raise_open_files()
    urls, count, out = sys.argv[1].split(","), int(sys.argv[2]), Path(sys.argv[3])
    # uvloop, as the server runs: the fans' side of the loopback must not be what the figures measure
    uvloop.run(run(urls, count, out))


if __name__ == "__main__":
    main()
