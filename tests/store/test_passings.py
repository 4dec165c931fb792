"""Passings assembled from the log, not from a process's memory: with the write lock held by another
process, with two ``chequered serve`` processes on one SQLite file, and on PostgreSQL behind Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from chequered import rulebooks
from chequered.cli.server import seed_packaged
from chequered.store.store import Store
from chequered.store.tokens import Role
from chequered.web.app import create_app
from chequered.web.deps import Settings
from tests.backends import postgres_schema_url, redis_or_skip
from tests.conftest import FixedClock
from tests.store import season_fixture

RACE = "r1-ricard-r1"
MONZA = "2023-monza-R1"
CAR = "18"  # entered in the packaged 2023 season


def _laps(store: Store, session_id: str, car: str) -> list[tuple[int, int, int]]:
    return [
        (e.payload["lap"], e.payload["lap_time_ms"], e.payload["elapsed_ms"])
        for e in store.events(session_id, kinds=["lap"])
        if e.payload["car"] == car
    ]


def _finish(car: str, at_ms: int) -> dict[str, Any]:
    return {"passings": [{"car": car, "timeline": "finish", "at_ms": at_ms}]}


_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("LOCKED", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def test_a_passing_refused_while_another_process_holds_the_lock_is_stored_when_sent_again(
    tmp_path: Path,
) -> None:
    """Seen: with the lock held 65 s, car 9 at 200,000 ms got a 500, then ``duplicates: 1`` when sent
    again, and its lap 2 was gone for good. Now the failed write leaves nothing behind."""
    path = tmp_path / "store.sqlite"
    store = Store.open(f"sqlite:///{path}", FixedClock(), rulebooks.load, busy_timeout_s=0.5)
    store.seed_season(season_fixture.season(), season_fixture.entries(), "gt4-europe-2023")
    _, token = store.create_token(Role.TIMEKEEPER, "bridge")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/sessions/{RACE}/passings"
    with TestClient(create_app(store, Settings())) as client:
        assert client.post(url, json=_finish("7", 100_000), headers=headers).json()["laps"] == 1
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "LOCKED"
            refused = client.post(url, json=_finish("7", 200_000), headers=headers)
            assert refused.status_code == 503, refused.text
            assert refused.headers["content-type"] == "application/problem+json"
        finally:
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.close()
            holder.wait(timeout=30)
        again = client.post(url, json=_finish("7", 200_000), headers=headers).json()
        assert (again["laps"], again["appended"], again["duplicates"]) == (1, 1, 0)
        assert _laps(store, RACE, "7") == [(1, 100_000, 100_000), (2, 100_000, 200_000)]
        twice = client.post(url, json=_finish("7", 200_000), headers=headers).json()
        assert (twice["appended"], twice["duplicates"]) == (0, 1)
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, str, list[str]]]:
    """Two ``chequered serve`` processes on one store: an SQLite file, or PostgreSQL with a Redis bus."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'store.sqlite'}"])
        bus: list[str] = []
    else:
        bus = ["--bus", redis_or_skip()]
        urls = postgres_schema_url()
    url = next(urls)
    store = Store.open(url, FixedClock(), rulebooks.load)
    seed_packaged(store, "gt4-europe-2023")
    _, token = store.create_token(Role.TIMEKEEPER, "bridge")
    chequered = str(Path(sys.executable).parent / "chequered")
    ports = [_free_port(), _free_port()]
    env = {**os.environ, "CHEQUERED_DATABASE_URL": url}
    procs = [
        subprocess.Popen(
            [chequered, "serve", "--port", str(port), "--no-access-log", *bus],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/api/sessions/{MONZA}", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
            else:
                pytest.fail(f"chequered serve at {base} did not answer within 30 s")
        yield store, token, bases
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        store.close()
        urls_close = getattr(urls, "close", None)
        if urls_close is not None:
            urls_close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "servers", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_two_server_processes_make_the_laps_one_makes(servers: tuple[Store, str, list[str]]) -> None:
    """Seen: finish passings at 100k..600k ms sent alternately to two processes were stored as laps
    1, 2, 2, 3, 3, 4. Each process now assembles from the log, under the session's write lock."""
    store, token, bases = servers
    headers = {"Authorization": f"Bearer {token}"}
    for n in range(1, 7):
        base = bases[n % 2]
        answer = httpx.post(
            f"{base}/api/sessions/{MONZA}/passings",
            json=_finish(CAR, n * 100_000),
            headers=headers,
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["laps"] == 1
    assert _laps(store, MONZA, CAR) == [(n, 100_000, n * 100_000) for n in range(1, 7)]
    # sent again, to either process: nothing new
    for base in bases:
        again = httpx.post(
            f"{base}/api/sessions/{MONZA}/passings", json=_finish(CAR, 300_000), headers=headers, timeout=30
        ).json()
        assert (again["appended"], again["duplicates"]) == (0, 1)
    rows = httpx.get(f"{bases[0]}/api/sessions/{MONZA}/classification", timeout=30).json()["results"]
    row = next(r for r in rows if r["car"] == CAR)
    assert row["laps"] == 6
