"""Soak: a 24 h race replayed into two server processes on PostgreSQL and Redis, fans joining and leaving,
readers of classification and standings, one server SIGKILLed midway (``make soak``).

Le Mans 2024 (62 cars, 24 h) is sent as a decoder's passings, a batch per wall tick, at ``SOAK_SPEED`` x its
pace to one server; WebSocket fans join, watch a while and leave, on both servers; readers ask for the
classification and the season standings. Halfway, the writer's server is SIGKILLed: the writer, the fans
and the readers move to the other one, and the writer resends the batch that was not acknowledged (a
passing sent twice is a duplicate, never a second lap). At the end it checks that the stored
classification equals what ``chequered classify`` makes of the same laps, that the survivor's memory (RSS)
stayed flat after warm-up (beside the other server, then alone with its clients), and that its CPU falls
back near zero once everybody has left.

Environment (defaults: the whole race as the issue asks; a short run for a quick look)::

    SOAK_RACE_MINUTES  race minutes replayed from the start (1440: all of it)
    SOAK_SPEED         replay speed (20)
    SOAK_CLIENTS       WebSocket fans joining and leaving (1000)
    SOAK_READERS       readers of classification and standings (50)
    CHEQUERED_TEST_POSTGRES  the PostgreSQL database (a schema of its own is made and dropped)
    SOAK_BUS           Redis bus URL (redis://127.0.0.1:6379/0)

Prints a line of figures every ``REPORT_S`` seconds and a verdict; exits 1 when a check fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from websockets.asyncio.client import connect

from benchmarks.bench_live import _cpu_s, _free_port
from benchmarks.bench_store import LE_MANS, _postgres_url
from benchmarks.common import needs
from benchmarks.live_clients import raise_open_files

RACE_MINUTES = float(os.environ.get("SOAK_RACE_MINUTES", "1440"))
SPEED = float(os.environ.get("SOAK_SPEED", "20"))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "1000"))
READERS = int(os.environ.get("SOAK_READERS", "50"))
BUS = os.environ.get("SOAK_BUS", "redis://127.0.0.1:6379/0")
TICK_S = 0.5  # the writer sends what the decoder saw in each half second of wall time
REPORT_S = 10.0
TAKE_OVER_S = 60.0  # after the kill, the survivor's time to take over the other's clients
SEASON = "gt4-europe-2023"


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    alive: bool = True
    samples: list[tuple[float, float, float]] = field(default_factory=list)
    """(wall time, RSS MB, CPU seconds) every report."""


@dataclass
class Counters:
    posted: int = 0  # passings acknowledged
    duplicates: int = 0
    retries: int = 0
    reads: int = 0
    read_errors: int = 0
    joins: int = 0
    ws_errors: int = 0
    frames: int = 0
    watching: int = 0


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def http(port: int, method: str, path: str, body: bytes = b"", token: str = "") -> tuple[int, bytes]:
    """One request on a connection of its own (a killed server is a ConnectionError, never a hang)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
    try:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        writer.write(head.encode() + b"\r\n" + body)
        answer = await asyncio.wait_for(reader.read(), 60)
    finally:
        writer.close()
    if not answer:
        raise ConnectionError("closed without an answer")
    status_line, _, rest = answer.partition(b"\r\n")
    headers, _, content = rest.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in headers.lower():
        content = _unchunk(content)
    return int(status_line.split()[1]), content


def _unchunk(data: bytes) -> bytes:
    out, rest = b"", data
    while rest:
        size, _, rest = rest.partition(b"\r\n")
        length = int(size, 16)
        if length == 0:
            break
        out, rest = out + rest[:length], rest[length + 2 :]
    return out


def serving(servers: list[Server], preferred: int) -> Server:
    """The preferred server when it lives, the other when not."""
    first = servers[preferred % len(servers)]
    return first if first.alive else next(s for s in servers if s.alive)


async def writer(
    servers: list[Server], session: str, token: str, batches: list[list[dict[str, Any]]], counts: Counters
) -> None:
    """Send a batch every tick to server 0 (the other once it is gone); a batch not acknowledged is
    resent, to whichever server lives, until it is."""
    start = time.monotonic()
    for index, batch in enumerate(batches):
        await asyncio.sleep(max(0.0, start + index * TICK_S - time.monotonic()))
        if not batch:
            continue
        body = orjson.dumps({"passings": batch})
        while True:
            server = serving(servers, 0)
            try:
                status, content = await http(
                    server.port, "POST", f"/api/sessions/{session}/passings", body, token
                )
            except (OSError, TimeoutError):
                counts.retries += 1
                await asyncio.sleep(0.2)
                continue
            if status == 200:
                answer = orjson.loads(content)
                counts.posted += len(batch)
                counts.duplicates += answer["duplicates"]
                break
            if status >= 500 or status == 429:
                counts.retries += 1
                await asyncio.sleep(0.2)
                continue
            raise RuntimeError(f"passings answered {status}: {content[:300]!r}")


async def reader(
    servers: list[Server], number: int, session: str, stop: asyncio.Event, counts: Counters
) -> None:
    paths = (f"/api/sessions/{session}/classification", f"/api/seasons/{SEASON}/standings")
    while not stop.is_set():
        server = serving(servers, number)
        try:
            status, _ = await http(server.port, "GET", paths[number % 2])
            counts.reads += status == 200
            counts.read_errors += status != 200
        except (OSError, TimeoutError):
            counts.read_errors += 1
            await asyncio.sleep(0.2)
        await asyncio.sleep(random.uniform(0.05, 0.3))


async def fan(
    servers: list[Server], number: int, session: str, stop: asyncio.Event, counts: Counters
) -> None:
    """Join, watch a while, leave, come back: on the servers in turn (the survivor once one is gone)."""
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, 10))
    turn = number
    while not stop.is_set():
        server = serving(servers, turn)
        turn += 1
        try:
            async with connect(f"ws://127.0.0.1:{server.port}/ws/live/{session}", open_timeout=30) as ws:
                counts.joins += 1
                counts.watching += 1
                try:
                    stay = time.monotonic() + rng.uniform(5, 30)
                    while not stop.is_set() and time.monotonic() < stay:
                        try:
                            await asyncio.wait_for(ws.recv(), max(0.1, stay - time.monotonic()))
                            counts.frames += 1
                        except TimeoutError:
                            pass
                finally:
                    counts.watching -= 1
        except Exception:  # noqa: BLE001  # a killed server, a refused handshake: counted; it comes back
            counts.ws_errors += 1
        await asyncio.sleep(rng.uniform(0.5, 5))


def start_server(database: str, port: int, cwd: str) -> Server:
    command = [
        sys.executable,
        "-m",
        "chequered.cli",
        "serve",
        "--database-url",
        database,
        "--port",
        str(port),
    ]
    command += ["--bus", BUS, "--no-access-log"]
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Server(port, process)


async def ready(server: Server) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"chequered serve exited with {server.process.returncode}")
        try:
            status, _ = await http(server.port, "GET", f"/api/seasons/{SEASON}")
            if status == 200:
                return
        except (OSError, TimeoutError):
            pass
        await asyncio.sleep(0.3)
    raise RuntimeError("chequered serve did not answer within 120 s")


def sample(servers: list[Server]) -> None:
    now = time.monotonic()
    for server in servers:
        if server.alive:
            server.samples.append((now, _rss_mb(server.process.pid), _cpu_s(server.process.pid)))


async def every(seconds: float, action: Callable[[], Awaitable[None] | None], stop: asyncio.Event) -> None:
    while not stop.is_set():
        result = action()
        if result is not None:
            await result
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)


def growth(samples: list[tuple[float, float, float]], start: float, end: float) -> tuple[float, float]:
    """The RSS (MB) of the first sample at or after ``start``, and the peak of the samples up to ``end``."""
    rss = [value for at, value, _ in samples if start <= at <= end]
    return (rss[0], max(rss)) if rss else (float("nan"), float("nan"))


def expected_classification(laps: list[Any], entries: list[Any]) -> list[dict[str, Any]]:
    """What ``chequered classify`` makes of these laps (the same code path, on the laps replayed)."""
    from chequered import rulebooks
    from chequered.core.classification import classify
    from chequered.core.documents import classification_document
    from chequered.core.model import Session, SessionKind

    session = Session(id=LE_MANS.stem, name=LE_MANS.stem, kind=SessionKind.RACE)
    classification = classify(session, entries, laps, [], rulebooks.load(None))
    return list(classification_document(classification)["results"])


async def soak(database: str, tmp: str) -> bool:
    from chequered import rulebooks
    from chequered.core.events import EntryRegistered
    from chequered.core.model import Session, SessionKind
    from chequered.core.passings import passings_of
    from chequered.importers import alkamel
    from chequered.store.store import Store
    from chequered.store.tokens import Role

    timing = alkamel.read_laps(LE_MANS)
    cutoff = RACE_MINUTES * 60_000
    laps = [lap for lap in timing.laps if lap.elapsed_ms <= cutoff]
    passings = passings_of(laps)
    tick_ms = TICK_S * SPEED * 1000
    batches: list[list[dict[str, Any]]] = [[] for _ in range(int(cutoff // tick_ms) + 2)]
    for p in passings:
        item = {
            "car": p.car,
            "timeline": p.timeline.value,
            "at_ms": p.at_ms,
            "sector": p.sector,
            "driver": p.driver,
        }
        batches[int(p.at_ms // tick_ms)].append(item)
    while batches and not batches[-1]:
        batches.pop()
    session = f"soak-{uuid.uuid4().hex[:8]}"
    store = Store.open(database, lambda: datetime.now(UTC), rulebooks.load)
    try:
        store.create_session(Session(session, "24 Heures du Mans 2024 (soak)", SessionKind.RACE))
        store.append(session, [EntryRegistered(entry) for entry in timing.entries], "soak")
        _, token = store.create_token(Role.TIMEKEEPER, "soak")
    finally:
        store.close()

    servers = [start_server(database, _free_port(), tmp)]
    await ready(servers[0])  # the first seeds the season; then the second
    servers.append(start_server(database, _free_port(), tmp))
    await ready(servers[1])
    wall_s = len(batches) * TICK_S
    print(
        f"soak: {len(laps):,} laps ({RACE_MINUTES:g} race minutes) as {len(passings):,} passings "
        f"at {SPEED:g}x = {wall_s:.0f} s; {CLIENTS} fans, {READERS} readers; "
        f"servers on {[s.port for s in servers]}",
        flush=True,
    )
    counts, stop = Counters(), asyncio.Event()
    started = time.monotonic()

    async def report() -> None:
        sample(servers)
        state = " ".join(
            f"[{s.port} rss {s.samples[-1][1]:.0f} MB cpu {s.samples[-1][2]:.0f} s]"
            if s.alive
            else f"[{s.port} killed]"
            for s in servers
        )
        print(
            f"  t={time.monotonic() - started:5.0f}s load {os.getloadavg()[0]:.1f} "
            f"passings {counts.posted:,} (dup {counts.duplicates}, retries {counts.retries}) "
            f"reads {counts.reads:,} (err "
            f"{counts.read_errors}) fans {counts.watching} joins {counts.joins:,} ws-err {counts.ws_errors} "
            f"frames {counts.frames:,} {state}",
            flush=True,
        )

    async def kill_midway() -> None:
        await asyncio.sleep(wall_s / 2)
        servers[0].process.send_signal(signal.SIGKILL)
        servers[0].process.wait()
        servers[0].alive = False
        print(f"  t={time.monotonic() - started:5.0f}s SIGKILL server {servers[0].port}", flush=True)

    reporting = asyncio.create_task(every(REPORT_S, report, stop))
    killing = asyncio.create_task(kill_midway())
    crowd = [asyncio.create_task(fan(servers, n, session, stop, counts)) for n in range(CLIENTS)]
    crowd += [asyncio.create_task(reader(servers, n, session, stop, counts)) for n in range(READERS)]
    await writer(servers, session, token, batches, counts)
    await killing
    stop.set()
    await asyncio.gather(*crowd)
    await reporting
    survivor = servers[1]
    print(
        f"  t={time.monotonic() - started:5.0f}s everyone left; waiting 20 s for the readers to stop",
        flush=True,
    )
    await asyncio.sleep(20)
    cpu = _cpu_s(survivor.process.pid)
    await asyncio.sleep(10)
    idle_cpu = (_cpu_s(survivor.process.pid) - cpu) / 10
    sample(servers)

    status, content = await http(survivor.port, "GET", f"/api/sessions/{session}/classification")
    stored = orjson.loads(content)["results"] if status == 200 else []
    expected = expected_classification(laps, list(timing.entries))
    same = stored == expected
    # Memory is judged in the two halves the survivor runs: beside the other server (from the end of
    # warm-up, a quarter of the race in, to the kill), then alone with every fan, reader and the writer
    # (from a minute after the kill to the end). Taking over the killed server's clients is a step
    # between the two, not a leak; within each, the RSS must stay flat.
    warm_at, killed_at = started + wall_s / 4, started + wall_s / 2
    halves = {
        "beside the other server": growth(survivor.samples, warm_at, killed_at),
        "alone after the kill": growth(survivor.samples, killed_at + TAKE_OVER_S, float("inf")),
    }
    print("soak verdict:")
    print(
        f"  passings acknowledged {counts.posted:,} of {len(passings):,}, "
        f"duplicates on resend {counts.duplicates}"
    )
    print(f"  classification equals classify of the same laps: {same} ({len(stored)} cars stored)")
    if not same:
        diffs = [(a, b) for a, b in zip(stored, expected, strict=False) if a != b]
        print(f"    first difference: stored {diffs[0][0] if diffs else stored[len(expected) :][:1]}")
        print(f"                    expected {diffs[0][1] if diffs else expected[len(stored) :][:1]}")
    for half, (first, peak) in halves.items():
        print(f"  survivor RSS {half}: {first:.0f} MB first, peak {peak:.0f} MB (+{peak - first:.0f} MB)")
    print(f"  survivor CPU with nobody connected: {idle_cpu:.1%} of a core")
    print(f"  machine load average {os.getloadavg()[0]:.1f} (2 cores, shared)")
    survivor.process.terminate()
    survivor.process.wait(timeout=60)
    flat = all(peak - first < 0.25 * first + 50 for first, peak in halves.values())
    ok = same and counts.posted == len(passings) and flat and idle_cpu < 0.05
    print("soak: PASS" if ok else "soak: FAIL", flush=True)
    return ok


def main() -> None:
    if not needs(LE_MANS):
        return
    raise_open_files()
    with _postgres_url() as database, tempfile.TemporaryDirectory() as tmp:
        if database is None:
            sys.exit(1)
        ok = asyncio.run(soak(database, tmp))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
