"""Redis fan-out for real: two ``chequered serve`` processes on one database file and the local Redis.

A WebSocket client on each process; laps are posted as passings through one of them. Both clients see
the same deltas in the same order, each delta was published on Redis exactly once (one reader per
session across processes), and a fresh snapshot from either process equals the board the deltas built.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import websockets

from chequered import rulebooks
from chequered.cli.server import seed_packaged
from chequered.core.passings import passings_of
from chequered.store.store import Store
from chequered.store.tokens import Role
from tests.backends import redis_or_skip, sqlite_url
from tests.conftest import FixedClock
from tests.store import season_fixture
from tests.web.conftest import RACE

CHANNEL = f"chequered:live:{RACE}"
# One Redis for the whole suite and a fixed channel: under xdist these tests share one worker.
pytestmark = pytest.mark.xdist_group("redis-live-channel")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(port: int, process: subprocess.Popen[bytes], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/sessions/{RACE}", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not answer within {timeout_s} s")


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[list[int], str]]:
    redis_url = redis_or_skip()
    url = sqlite_url(tmp_path)
    store = Store.open(url, FixedClock(), rulebooks.load)
    store.seed_season(season_fixture.season(), season_fixture.entries(), "gt4-europe-2023")
    seed_packaged(store, "gt4-europe-2023")
    token = store.create_token(Role.TIMEKEEPER, "fan-out test")[1]
    store.close()
    ports = [_free_port(), _free_port()]
    command = [sys.executable, "-m", "chequered.cli", "serve", "--database-url", url, "--bus", redis_url]
    logs = [tmp_path / f"serve-{port}.log" for port in ports]
    processes = [
        subprocess.Popen(
            [*command, "--port", str(port), "--no-access-log"],
            cwd=tmp_path,
            env=os.environ.copy(),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_ready(port, process)
        yield ports, token
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process, log in zip(processes, logs, strict=True):
            try:
                # uvicorn re-raises SIGTERM once shut down; the lifespan (hub and bus closed) ran first.
                # (A generous wait: on a loaded machine the two servers share two cores with the suite.)
                try:
                    code = process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    pytest.fail(f"no shutdown 60 s after SIGTERM; the server's log:\n{log.read_text()}")
                assert code in (0, -signal.SIGTERM), log.read_text()
                assert "Application shutdown complete" in log.read_text(), log.read_text()
            finally:
                if process.poll() is None:
                    process.kill()


async def _follow(port: int, frames: list[str], ready: asyncio.Event, until: asyncio.Event) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/live/{RACE}") as ws:
        first = orjson.loads(await ws.recv())
        assert first["type"] == "snapshot"
        frames.append(
            orjson.dumps(
                {"seq": first["seq"], "cars": {r["car"]: r for r in first["board"]["cars"]}}
            ).decode()
        )
        ready.set()
        while not until.is_set():
            try:
                text = await asyncio.wait_for(ws.recv(), 0.5)
            except TimeoutError:
                continue
            if orjson.loads(text)["type"] == "delta":  # keyframes come on each process's own clock
                frames.append(str(text))


def _board(frames: list[str]) -> dict[str, dict[str, Any]]:
    board: dict[str, dict[str, Any]] = {}
    for frame in frames:
        for car, changes in orjson.loads(frame)["cars"].items():
            board.setdefault(car, {"car": car}).update(changes)
    return board


async def _published(redis_url: str, seen: list[int], ready: asyncio.Event, until: asyncio.Event) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url)
    pubsub = client.pubsub()
    await pubsub.subscribe(CHANNEL)
    ready.set()
    while not until.is_set():
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
        if message is not None:
            seen.append(orjson.loads(message["data"])["seq"])
    await pubsub.aclose()
    await client.aclose()


def test_two_processes_on_redis_deliver_the_same_deltas(servers: tuple[list[int], str]) -> None:
    (port_a, port_b), token = servers
    passings = [
        {"car": p.car, "timeline": p.timeline.value, "at_ms": p.at_ms, "sector": p.sector, "driver": p.driver}
        for p in passings_of(season_fixture.race_laps(20))
    ]

    async def run() -> tuple[list[str], list[str], list[int], int]:
        on_a: list[str] = []
        on_b: list[str] = []
        published: list[int] = []
        until = asyncio.Event()
        readies = [asyncio.Event() for _ in range(3)]
        tasks = [
            asyncio.create_task(_follow(port_a, on_a, readies[0], until)),
            asyncio.create_task(_follow(port_b, on_b, readies[1], until)),
            asyncio.create_task(_published(redis_or_skip(), published, readies[2], until)),
        ]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 30)
        head = 0
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port_a}") as http:
            third = len(passings) // 3
            for batch in (passings[:third], passings[third : 2 * third], passings[2 * third :]):
                response = await http.post(
                    f"/api/sessions/{RACE}/passings",
                    json={"passings": batch},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert response.status_code == 200, response.text
                head = response.json()["as_of"]
                await asyncio.sleep(0.3)
        deadline = asyncio.get_running_loop().time() + 30
        while asyncio.get_running_loop().time() < deadline:
            seqs = [orjson.loads(f)["seq"] for f in on_a[-1:] + on_b[-1:]]
            if len(seqs) == 2 and min(seqs) >= head:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # anything published twice would arrive by now
        until.set()
        await asyncio.gather(*tasks)
        return on_a, on_b, published, head

    on_a, on_b, published, head = asyncio.run(run())
    board = _board(on_a)  # the snapshot, then the deltas
    on_a, on_b = on_a[1:], on_b[1:]
    seqs = [orjson.loads(frame)["seq"] for frame in on_a]
    assert len(on_a) >= 3 and seqs[-1] == head
    assert on_a == on_b  # the same deltas, byte for byte, in the same order
    assert seqs == sorted(set(seqs))
    assert published == seqs  # published once each, by one reader
    for port in (port_a, port_b):
        snapshot = httpx.get(f"http://127.0.0.1:{port}/api/sessions/{RACE}/classification").json()
        order = [row["car"] for row in snapshot["results"]]
        assert order == ["7", "21", "07"]
    ranked = sorted((row for row in board.values() if row.get("laps")), key=lambda row: row["position"])
    assert [row["car"] for row in ranked] == ["7", "21", "07"]
