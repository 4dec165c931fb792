"""WebSocket fans for the fan-out benchmark, in a process of their own (asyncio, one socket per fan).

``python -m benchmarks.live_clients URL N OUT``: opens N connections to the live WebSocket URL, reads each
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

import orjson
import websockets

CONNECT_AT_ONCE = 100


def raise_open_files() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


async def fan(
    url: str,
    receipts: dict[int, list[float]],
    sizes: dict[int, int],
    stop: asyncio.Event,
    connected: list[object],
) -> None:
    async with websockets.connect(url, max_size=None, open_timeout=60, ping_interval=None) as ws:
        await ws.recv()  # the snapshot
        connected.append(ws)
        while not stop.is_set():
            text = await ws.recv()
            now = time.time()
            if isinstance(text, str) and text.startswith('{"type":"delta","seq":'):
                seq = int(text[22 : text.index(",", 22)])
                receipts[seq].append(now)
                sizes[seq] = len(text)


async def run(url: str, count: int, out: Path) -> None:
    receipts: dict[int, list[float]] = defaultdict(list)
    sizes: dict[int, int] = {}
    stop = asyncio.Event()
    connected: list[object] = []
    errors: list[str] = []
    tasks: list[asyncio.Task[None]] = []
    started = time.monotonic()
    for first in range(0, count, CONNECT_AT_ONCE):
        batch = [
            asyncio.create_task(fan(url, receipts, sizes, stop, connected))
            for _ in range(min(CONNECT_AT_ONCE, count - first))
        ]
        tasks.extend(batch)
        while len(connected) + sum(t.done() for t in tasks) < len(tasks):
            await asyncio.sleep(0.05)
    connect_s = time.monotonic() - started
    errors = [repr(t.exception()) for t in tasks if t.done() and t.exception() is not None]
    print(f"ready {len(connected)} {len(errors)} {errors[0] if errors else '-'}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
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
    url, count, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    asyncio.run(run(url, count, out))


if __name__ == "__main__":
    main()
