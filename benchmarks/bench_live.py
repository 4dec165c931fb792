"""Live timing benchmarks: (a) events per second folded by ``LiveState`` for a 60-car race on one core;
(b) WebSocket fan-out: a ``chequered serve`` process on loopback, 500, 2,000 and 5,000 fans (another
process, ``benchmarks/live_clients.py``), a real race (IMSA Sebring 12 h, 60 cars) appended to the store at
10x its pace; delivery latency from the append's commit to a fan's receipt, the server's CPU and memory.

The race is generated (60 cars in four classes, three sectors, pit stops with driver changes, 6 hours)
and fed as passings, so the events are what a decoder produces: sector splits, pit in/out, laps. The
events are built first; only ``LiveState.apply`` is timed. A real race (IMSA Sebring 12 h, 16,836 laps)
is measured the same way when the shared data is present.
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import orjson

from benchmarks.bench_store import _profile
from benchmarks.common import ALKAMEL, figure, needs
from benchmarks.live_clients import raise_open_files
from chequered import rulebooks
from chequered.core.events import EntryRegistered, LapCompleted, LiveEvent, LogEvent
from chequered.core.live import LiveState
from chequered.core.model import Entry, Lap, Session, SessionKind
from chequered.core.passings import PassingAssembler, passings_of
from chequered.store.store import Store

CLASSES = ("GT3 Pro", "GT3 Am", "GT4", "Cup")
SEBRING = (
    ALKAMEL / "imsa-tobi-imsa_data/data/2024/05-sebring-international-raceway/202403160940-race-laps.csv"
)
FANS = (500, 2_000, 5_000)
SPEED = 10
WINDOW_S = 20.0  # wall seconds of race replayed per fan count (200 s of racing at 10x)
REPLAY_FROM_MS = 2 * 3_600_000  # two hours in: the field is spread round the lap
SESSION = "bench-sebring"


def generated_race(cars: int = 60, hours: int = 6, seed: int = 60) -> tuple[list[Entry], list[Lap]]:
    rng = random.Random(seed)
    entries = [Entry(str(n + 1), str(n + 1), CLASSES[n % 4]) for n in range(cars)]
    laps: list[Lap] = []
    for index, entry in enumerate(entries):
        pace = 100_000 + 2_500 * (index % 4) + rng.randint(0, 3_000)
        elapsed, lap, driver = 0, 0, 1
        while elapsed < hours * 3_600_000:
            lap += 1
            s = [pace // 3 + rng.randint(-400, 900) for _ in range(3)]
            in_pit = lap % 30 == 0
            pit_time = 60_000 + rng.randint(0, 20_000) if lap % 30 == 1 and lap > 1 else None
            if pit_time:
                s[0] += pit_time
                driver = driver % 3 + 1
            elapsed += sum(s)
            name = f"Driver {entry.car}.{driver}"
            laps.append(Lap(entry.car, lap, sum(s), elapsed, driver, name, tuple(s), in_pit, pit_time))
    return entries, laps


def events_of(entries: list[Entry], laps: list[Lap]) -> list[LiveEvent]:
    assembler = PassingAssembler({e.car for e in entries})
    events: list[LiveEvent] = []
    for passing in passings_of(laps):
        events.extend(assembler.add(passing))
    return events + assembler.flush()


def fold(entries: list[Entry], events: list[LiveEvent], kind: SessionKind = SessionKind.RACE) -> float:
    """Seconds to fold all events (best of three)."""
    rules = rulebooks.load("imsa-2023")
    best = float("inf")
    for _ in range(3):
        live = LiveState(Session("bench", "Bench", kind), rules, entries)
        apply = live.apply
        start = time.process_time()
        for event in events:
            apply(event)
        best = min(best, time.process_time() - start)
    return best


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"chequered serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/sessions/{SESSION}", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("chequered serve did not answer within 120 s")


def _replay(store: Store, laps: list[Lap], speed: int) -> dict[int, float]:
    """Append the laps at ``speed`` x their pace, one commit each; the wall time of each commit by seq."""
    committed: dict[int, float] = {}
    start, first = time.monotonic(), laps[0].elapsed_ms
    for lap in laps:
        wait = (lap.elapsed_ms - first) / 1000 / speed - (time.monotonic() - start)
        if wait > 0:
            time.sleep(wait)
        result = store.append(SESSION, [LapCompleted(lap)], "bench")
        committed[result.last_seq] = time.time()
    return committed


def _fans(
    ports: list[int], count: int, store: Store, laps: list[Lap], servers: list[int], out: Path, label: str
) -> None:
    urls = ",".join(f"ws://127.0.0.1:{port}/ws/live/{SESSION}" for port in ports)
    command = [sys.executable, "-m", "benchmarks.live_clients", urls, str(count), str(out)]
    fans = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert fans.stdin is not None and fans.stdout is not None
    ready = fans.stdout.readline().decode().split(maxsplit=3)
    connected = int(ready[1]) if len(ready) > 1 else 0
    cpu, fans_cpu, wall = sum(map(_cpu_s, servers)), _cpu_s(fans.pid), time.monotonic()
    profile = _profile(servers[0], WINDOW_S)  # when CHEQUERED_BENCH_PROFILE names a file
    committed = _replay(store, laps, SPEED)
    if profile is not None:
        profile.wait(timeout=60)
    time.sleep(2.0 + 2.0 * count / 1000)  # the last deltas reach every fan (when it keeps up)
    cpu, wall = sum(map(_cpu_s, servers)) - cpu, time.monotonic() - wall
    fans_cpu = _cpu_s(fans.pid) - fans_cpu
    fans.stdin.close()
    fans.wait(timeout=120)
    document = orjson.loads(out.read_bytes())
    # A delta carries every lap appended since the one before (laps landing within one poll are merged):
    # each appended lap is delivered by the first delta at or after its seq, and timed from its own commit.
    received = sorted((int(seq), times) for seq, times in document["receipts"].items())
    latencies = []
    for seq, at in committed.items():
        delivering = next((times for delta, times in received if delta >= seq), [])
        latencies.extend((time_ - at) * 1000 for time_ in delivering)
    latencies.sort()
    deltas = sum(1 for seq in document["receipts"] if int(seq) in committed)
    name = f"fan-out {count:,} fans{label}"
    figure(f"{name}: connected", connected, f"of {count} in {document['connect_s']:.1f} s")
    if document["failed"]:
        print(f"  {name}: {document['failed']} failed to connect, first error: {document['error']}")
    figure(f"{name}: laps appended / deltas received", len(committed), f"/ {deltas}")
    expected = len(committed) * connected
    share = f"of {expected} laps x fans ({len(latencies) / max(expected, 1):.1%})"
    figure(f"{name}: deliveries", len(latencies), share)
    if latencies:
        goal = "< 250 ms" if count >= 2_000 else ""
        figure(f"{name}: median latency", statistics.median(latencies), "ms")
        figure(f"{name}: p99 latency", latencies[int(len(latencies) * 0.99) - 1], "ms", goal)
        figure(f"{name}: max latency", latencies[-1], "ms")
    figure(f"{name}: server CPU during replay", cpu, f"s in {wall:.1f} s ({cpu / wall:.0%} of a core)")
    figure(f"{name}: fans' process CPU (the other side)", fans_cpu, f"s ({fans_cpu / wall:.0%} of a core)")
    figure(f"{name}: server peak RSS (VmHWM, so far)", max(map(_peak_rss_mb, servers)), "MB")
    sizes = list(document["sizes"].values())
    if sizes:
        figure(f"{name}: mean delta frame", statistics.mean(sizes), "bytes")
    with open("/proc/loadavg") as loadavg:
        print(f"  {name}: machine load average {loadavg.read().split()[0]} (2 cores, shared)")


def _workers(pid: int, count: int) -> list[int]:
    """The ``count`` worker processes ``chequered serve --workers`` started, once all listen."""
    if count == 0:
        return []
    for _ in range(600):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if len(children) >= count:
            time.sleep(2.0)  # their start-up (the first request a worker answers is ready)
            return [int(child) for child in children]
        time.sleep(0.1)
    raise RuntimeError(f"chequered serve did not start {count} workers within 60 s")


def fanout(
    race_file: Path, fan_counts: tuple[int, ...] = FANS, servers: int = 1, bus: str | None = None
) -> None:
    """Fans on one port served by ``chequered serve --workers servers`` (the kernel spreads the
    connections over the processes), sharing one store and ``bus`` (each follows the log when None)."""
    from chequered.importers import alkamel

    raise_open_files()  # the server inherits the limit
    timing = alkamel.read_laps(race_file)
    laps = sorted(timing.laps, key=lambda lap: lap.elapsed_ms)
    before = [lap for lap in laps if lap.elapsed_ms < REPLAY_FROM_MS]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        store = Store.open(url, lambda: datetime.now(UTC), rulebooks.load)
        store.create_session(Session(SESSION, "IMSA Sebring 12 h (bench)", SessionKind.RACE))
        preload: list[LogEvent] = [EntryRegistered(entry) for entry in timing.entries]
        store.append(SESSION, preload + [LapCompleted(lap) for lap in before], "bench")
        port = _free_port()
        command = [sys.executable, "-m", "chequered.cli", "serve", "--database-url", url, "--port", str(port)]
        command += ["--no-access-log", "--workers", str(servers), *(["--bus", bus] if bus else [])]
        quiet = subprocess.DEVNULL
        server = subprocess.Popen(command, cwd=tmp, stdout=quiet, stderr=quiet)
        _wait_ready(port, server)
        pids = [server.pid, *_workers(server.pid, servers - 1)]
        ports = [port]
        try:
            figure("fan-out: server RSS before any fan", max(map(_peak_rss_mb, pids)), "MB")
            start = REPLAY_FROM_MS
            for count in fan_counts:
                end = start + int(WINDOW_S * SPEED * 1000)
                window = [lap for lap in laps if start <= lap.elapsed_ms < end]
                label = (f", {servers} workers" if servers > 1 else "") + (", Redis bus" if bus else "")
                _fans(ports, count, store, window, pids, Path(tmp) / f"fans-{count}.json", label)
                start = end
        finally:
            server.terminate()  # and with it its workers
            server.wait(timeout=60)
            store.close()


BUS = os.environ.get("CHEQUERED_BENCH_BUS", "redis://127.0.0.1:6379/0")


def fanout_5000_one() -> None:
    """5,000 fans on one server process (``python -m benchmarks live.fanout_5000_one``)."""
    if needs(SEBRING):
        fanout(SEBRING, (5_000,))


def fanout_5000() -> None:
    """5,000 fans on one server process, then on two (each following the log, then sharing the Redis
    bus) (``python -m benchmarks live.fanout_5000``)."""
    if needs(SEBRING):
        fanout(SEBRING, (5_000,))
        fanout(SEBRING, (5_000,), servers=2)
        fanout(SEBRING, (5_000,), servers=2, bus=BUS)


def main() -> None:
    entries, laps = generated_race()
    events = events_of(entries, laps)
    seconds = fold(entries, events)
    figure("live state, generated 60-car 6 h race: events", len(events), "events")
    figure("live state, generated 60-car race (a)", len(events) / seconds, "events/s", ">= 20,000")
    if needs(SEBRING):
        from chequered.importers import alkamel

        timing = alkamel.read_laps(SEBRING)
        real = events_of(list(timing.entries), list(timing.laps))
        seconds = fold(list(timing.entries), real)
        figure("live state, IMSA Sebring 12 h as passings", len(real) / seconds, "events/s", ">= 20,000")
        fanout(SEBRING)
        fanout(SEBRING, (5_000,), servers=2)  # the 2-core machine's best for 5,000 fans


if __name__ == "__main__":
    main()
