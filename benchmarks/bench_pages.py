"""Public site pages rendered from a store holding a whole season (6 rounds, 36 sessions, ~55 cars):
each page uncached (a new render: median and p99) and cached, in process; then requests/s for the
standings and a session page with 50 concurrent clients against ``chequered serve``.

Uncached renders use a reader zone not seen before (the rendered page is cached per zone), so the
folded sessions stay warm and what is measured is the page: its data, formatting, charts and template.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

from benchmarks.bench_store import _free_port, _load, _serve
from benchmarks.common import figure

CONNECTIONS = 50
LOAD_SECONDS = 5.0
RENDERS = 40
LAPS = 10


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _after_laps(store: Any, client: Any) -> None:
    """A lap of the running race makes a new season view: its rebuild (the one session refolded, the
    rest reused) and the standings and home pages rendered after it."""
    from chequered.core.events import LapCompleted

    running = next(
        s.id
        for event in store.rounds(store.seasons()[-1].id)
        for s in event.sessions
        if store.latest(s.id) and not store.state(s.id, store.latest(s.id)).publications
    )
    last = store.state(running, store.latest(running)).laps[-1]
    times: dict[str, list[float]] = {"/standings": [], "/": []}
    for i in range(1, LAPS + 1):
        lap = last._replace(lap=last.lap + i, elapsed_ms=last.elapsed_ms + 100_000 * i)
        store.append(running, [LapCompleted(lap)], "bench")
        for path, found in times.items():
            start = time.perf_counter()
            client.get(path)
            found.append((time.perf_counter() - start) * 1000)
    for path, found in times.items():
        what = f"after a lap of the running race, {path} (season view rebuilt)"
        figure(f"{what}: median", statistics.median(found), "ms")
        figure(f"{what}: p99", _percentile(found, 0.99), "ms", "< 100")


def main() -> None:
    from fastapi.testclient import TestClient
    from tests.conftest import FixedClock
    from tests.site_season import build_season_store

    from chequered.web.app import create_app
    from chequered.web.deps import Settings

    load = os.getloadavg()[0]
    print(f"  (machine load average {load:.1f} on {os.cpu_count()} cores: figures fall as it rises)")
    zones = iter(sorted(available_timezones()))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "season.sqlite"
        started = time.perf_counter()
        store = build_season_store(f"sqlite:///{db}", FixedClock(), rounds=6, grid_size=55, live_round=6)
        cars = len(store.state("2023-monza-R1", store.position("2023-monza-R1")).entries)
        print(
            f"  (season built in {time.perf_counter() - started:.0f} s: "
            f"{store.count():,} events, {cars} cars)"
        )
        entry = store.state("2023-monza-R1", store.position("2023-monza-R1")).classification.results[0].entry
        pages = {
            "home": "/",
            "calendar": "/calendar",
            "round": "/rounds/2023-monza",
            "session (race)": "/sessions/2023-monza-R1",
            "standings": "/standings",
            "standings, teams": "/standings?of=teams",
            "entry": f"/entries/{entry.car}",
            "driver": f"/drivers/{entry.drivers[0].name}",
            "team": f"/teams/{entry.team}",
            "calendar.ics": "/calendar.ics",
        }
        with TestClient(create_app(store, Settings())) as client:
            client.get("/standings")  # fold every session once
            for name, path in pages.items():
                times = []
                for _ in range(RENDERS):
                    zone = next(zones)
                    joiner = "&" if "?" in path else "?"
                    start = time.perf_counter()
                    client.get(f"{path}{joiner}tz={zone}")
                    times.append((time.perf_counter() - start) * 1000)
                figure(f"{name}: uncached median", statistics.median(times), "ms")
                figure(f"{name}: uncached p99", _percentile(times, 0.99), "ms", "< 100")
                cached = []
                for _ in range(RENDERS):
                    start = time.perf_counter()
                    client.get(path)
                    cached.append((time.perf_counter() - start) * 1000)
                figure(f"{name}: cached median (in process)", statistics.median(cached), "ms")
            _after_laps(store, client)
        store.close()

        port = _free_port()
        server = _serve(db, port)
        try:
            for name, path in (("standings", "/standings"), ("session page", "/sessions/2023-monza-R1")):
                asyncio.run(_load(port, path, 1.0, 4))  # warm the cache
                done, errors = asyncio.run(_load(port, path, LOAD_SECONDS, CONNECTIONS))
                figure(
                    f"{name}, cached, {CONNECTIONS} clients, {errors} errors",
                    done / LOAD_SECONDS,
                    "req/s",
                    ">= 1,000",
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
