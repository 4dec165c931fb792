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
from zoneinfo import available_timezones

from benchmarks.bench_store import _free_port, _load, _serve
from benchmarks.common import figure

CONNECTIONS = 50
LOAD_SECONDS = 5.0
RENDERS = 40


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


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
