"""Event store and API: append throughput (SQLite, PostgreSQL), classification read of a stored 12 h race
(cold and cached), and API requests/s for a cached classification under loopback load; on Le Mans 24 h,
the cached classification read by 50 keep-alive clients while a lap a second is written, and the cold
start of 50 concurrent first requests after a server start (``python -m benchmarks store.le_mans``).

The load comes from this process (a minimal asyncio HTTP/1.1 client over many keep-alive connections)
against ``chequered serve`` running in a separate process.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import ALKAMEL, best_of, figure, load_average, needs, percentile

SEBRING = (
    ALKAMEL / "imsa-tobi-imsa_data/data/2024/05-sebring-international-raceway/202403160940-race-laps.csv"
)
LE_MANS = ALKAMEL / "wec-y047aka-elm-motorsport-analysis/2024/le_mans_24h.csv"
READERS = 50
READ_SECONDS = 10.0
POSTGRES = os.environ.get("CHEQUERED_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BATCH = 1_000
LOAD_SECONDS = 5.0
CONNECTIONS = 16


def _now() -> datetime:
    return datetime.now(UTC)


def _open(url: str):  # type: ignore[no-untyped-def]
    from chequered import rulebooks
    from chequered.store.store import Store

    return Store.open(url, _now, rulebooks.load)


@contextmanager
def _postgres_url() -> Iterator[str | None]:
    import psycopg

    plain = POSTGRES.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        print(f"  skipped PostgreSQL: {plain} does not answer ({str(exc).strip().splitlines()[0]})")
        yield None
        return
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
        try:
            yield f"{POSTGRES}?options=-csearch_path%3D{name}"
        finally:
            admin.execute(f'DROP SCHEMA "{name}" CASCADE')


def _append_rate(make_url: Callable[[int], str], events: list[object], batch: int = BATCH) -> float:
    """Events/s appending a whole session in batches, into a fresh database each run."""
    from chequered.core.model import Session, SessionKind

    rates = []
    for run in range(3):
        store = _open(make_url(run))
        store.create_session(Session(f"s{run}", "Sebring", SessionKind.RACE))
        start = time.perf_counter()
        for i in range(0, len(events), batch):
            store.append(f"s{run}", events[i : i + batch], "bench")  # type: ignore[arg-type]
        rates.append(len(events) / (time.perf_counter() - start))
        store.close()
    return max(rates)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _connection(
    host: str, port: int, request: bytes, deadline: float, latencies: list[float] | None = None
) -> tuple[int, int]:
    """One keep-alive HTTP/1.1 connection sending ``request`` until ``deadline``: (ok, errors); with
    ``latencies``, each request's time from send to last byte (ms) is appended to it.

    A minimal client (status line, Content-Length, body) so the load generator costs little CPU next to
    the server it measures: general-purpose clients spend more per request than the server does."""
    reader, writer = await asyncio.open_connection(host, port)
    ok = errors = 0
    try:
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            if latencies is not None:
                latencies.append((time.perf_counter() - sent) * 1000)
            if head.startswith(b"HTTP/1.1 200"):
                ok += 1
            else:
                errors += 1
    finally:
        writer.close()
    return ok, errors


async def _load(port: int, path: str, seconds: float, connections: int) -> tuple[int, int]:
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    deadline = time.perf_counter() + seconds
    counts = await asyncio.gather(
        *(_connection("127.0.0.1", port, request, deadline) for _ in range(connections))
    )
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).parent / "chequered"), "serve", "--database-url", f"sqlite:///{db}",
        "--port", str(port), "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("chequered serve did not start within 30 s")


async def _timed_load(port: int, path: str, seconds: float, connections: int) -> tuple[int, int, list[float]]:
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    counts = await asyncio.gather(
        *(_connection("127.0.0.1", port, request, deadline, latencies) for _ in range(connections))
    )
    return sum(c[0] for c in counts), sum(c[1] for c in counts), latencies


async def _first_requests(port: int, path: str, clients: int) -> list[float]:
    """Each of ``clients`` connections sends one request at the same moment: their times (ms)."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()

    async def one() -> float:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        sent = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"cold request answered {head.splitlines()[0]!r}")
        await reader.read()
        writer.close()
        return (time.perf_counter() - sent) * 1000

    return list(await asyncio.gather(*(one() for _ in range(clients))))


def _writer(db: Path, laps: list[object], stop: threading.Event, waits: list[float]) -> None:
    """Append one lap a second (a lap a commit) until ``stop``: what a live 24 h race writes."""
    from chequered.core.events import LapCompleted

    store = _open(f"sqlite:///{db}")
    try:
        for lap in laps:
            started = time.perf_counter()
            store.append("le-mans-2024", [LapCompleted(lap)], "bench")  # type: ignore[arg-type]
            waits.append((time.perf_counter() - started) * 1000)
            if stop.wait(max(0.0, 1.0 - (time.perf_counter() - started))):
                return
    finally:
        store.close()


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _profile(pid: int, seconds: float) -> subprocess.Popen[bytes] | None:
    """py-spy sampling the server for ``seconds`` when ``CHEQUERED_BENCH_PROFILE`` names an output file
    (collapsed stacks, for a flame graph or ``sort | uniq``)."""
    out = os.environ.get("CHEQUERED_BENCH_PROFILE")
    if not out:
        return None
    spy = Path(sys.executable).parent / "py-spy"
    command = [str(spy), "record", "--nonblocking", "-p", str(pid), "-d", str(int(seconds)), "-f", "raw"]
    command += ["-o", out]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def le_mans() -> None:
    """Le Mans 24 h (62 cars, 15,593 laps): (a) the cached classification read by 50 keep-alive clients
    while one lap a second is written; (b) 50 concurrent first requests after a server start."""
    if not needs(LE_MANS):
        return
    from chequered.core.events import EntryRegistered, LapCompleted, LogEvent
    from chequered.core.model import Session, SessionKind
    from chequered.importers import alkamel

    timing = alkamel.read_laps(LE_MANS)
    laps = sorted(timing.laps, key=lambda lap: lap.elapsed_ms)
    held_back = laps[-600:]  # written during the load, one a second
    path = "/api/sessions/le-mans-2024/classification"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "le-mans.sqlite"
        store = _open(f"sqlite:///{db}")
        store.create_session(Session("le-mans-2024", "24 Heures du Mans 2024", SessionKind.RACE))
        preload: list[LogEvent] = [EntryRegistered(entry) for entry in timing.entries]
        store.append("le-mans-2024", preload + [LapCompleted(lap) for lap in laps[:-600]], "bench")
        store.close()

        port = _free_port()
        server = _serve(db, port)
        try:
            load = load_average()
            latencies = asyncio.run(_first_requests(port, path, READERS))
            figure(
                f"cold start, Le Mans 24 h: {READERS} first requests, p99 (load {load})",
                percentile(latencies, 99),
                "ms",
                "< 2,000",
            )
            figure("cold start, Le Mans 24 h: fastest of them", min(latencies), "ms")
            asyncio.run(_load(port, path, 1.0, 4))  # warm
            stop, waits = threading.Event(), []
            writer = threading.Thread(target=_writer, args=(db, held_back, stop, waits))
            writer.start()
            profile = _profile(server.pid, READ_SECONDS)
            try:
                load, cpu = load_average(), _cpu_s(server.pid)
                done, errors, latencies = asyncio.run(_timed_load(port, path, READ_SECONDS, READERS))
                cpu = _cpu_s(server.pid) - cpu
            finally:
                stop.set()
                writer.join()
                if profile is not None:
                    profile.wait(timeout=60)
            name = f"Le Mans 24 h, a lap/s written, {READERS} clients"
            figure(f"{name}: req/s ({errors} errors, load {load})", done / READ_SECONDS, "req/s", ">= 1,000")
            figure(f"{name}: p99", percentile(latencies, 99), "ms", "< 100")
            figure(f"{name}: worst", max(latencies), "ms")
            share = f"µs ({cpu / READ_SECONDS:.0%} of a core: the rest went to the machine's load)"
            figure(f"{name}: server CPU per request", cpu / max(done, 1) * 1e6, share)
            figure(f"{name}: laps written / worst append", len(waits), f"/ {max(waits):,.0f} ms")
            print(f"  (load average after: {load_average()})")
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    if not needs(SEBRING):
        return
    from chequered.core.documents import classification_document
    from chequered.core.model import Session, SessionKind
    from chequered.importers import alkamel
    from chequered.store.imports import timing_events

    events = timing_events(alkamel.read_laps(SEBRING))
    load = os.getloadavg()[0]
    print(f"  (machine load average {load:.1f} on {os.cpu_count()} cores: figures fall as it rises)")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        rate = _append_rate(lambda run: f"sqlite:///{directory / f'append{run}.sqlite'}", events)
        figure(f"append, SQLite, batches of {BATCH} ({len(events):,} events)", rate, "events/s", ">= 20,000")
        rate = _append_rate(lambda run: f"sqlite:///{directory / f'big{run}.sqlite'}", events, 10 * BATCH)
        figure(f"append, SQLite, batches of {10 * BATCH}", rate, "events/s", ">= 20,000")
        with _postgres_url() as pg:
            if pg is not None:
                rate = _append_rate(lambda run: pg, events)
                figure(f"append, PostgreSQL, batches of {BATCH}", rate, "events/s")

        db = directory / "served.sqlite"
        store = _open(f"sqlite:///{db}")
        store.create_session(Session("sebring-2024", "Sebring 12 Hours 2024", SessionKind.RACE))
        store.append("sebring-2024", events, "bench")  # type: ignore[arg-type]
        store.close()

        def cold() -> None:
            fresh = _open(f"sqlite:///{db}")
            state = fresh.state("sebring-2024", fresh.position("sebring-2024"))
            classification_document(state.classification)
            fresh.close()

        figure("classification read, 12 h race, cold (fold the log)", best_of(3, cold) * 1000, "ms")
        warm = _open(f"sqlite:///{db}")

        def cached() -> None:
            seq = warm.latest("sebring-2024")
            warm.document(("c", seq), lambda: b"")

        warm.state("sebring-2024", warm.position("sebring-2024"))
        figure(
            "classification read, 12 h race, cached (head + cache lookup)",
            best_of(200, cached) * 1_000_000,
            "µs",
        )
        warm.close()

        port = _free_port()
        server = _serve(db, port)
        try:
            path = "/api/sessions/sebring-2024/classification"
            asyncio.run(_load(port, path, 1.0, 4))  # warm the cache
            done, errors = asyncio.run(_load(port, path, LOAD_SECONDS, CONNECTIONS))
            figure(
                f"API cached classification, {CONNECTIONS} connections, {errors} errors",
                done / LOAD_SECONDS,
                "req/s",
                ">= 1,000",
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    le_mans()


if __name__ == "__main__":
    main()
