"""Durability: a writer killed with SIGKILL at random points loses no acknowledged event and never
stores one twice, on an SQLite file and on the real PostgreSQL; two processes writing one SQLite file at
once lose nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from chequered import rulebooks
from chequered.core.classification import classify
from chequered.core.model import Session, SessionKind
from chequered.importers import alkamel
from chequered.store import schema
from chequered.store.codec import dumps, encode, identity
from chequered.store.imports import timing_events
from chequered.store.store import Store
from tests.conftest import IMSA, FixedClock, real_file

LAPS = IMSA / "2023/08-long-beach-street-circuit/202304151405-race-laps.csv"
ROOT = Path(__file__).resolve().parents[2]
RUNS = 20  # the issue asks for at least 20 kills


def _writer(url: str, laps: Path, seed: int, session: str = "race", *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.store.crash_writer", url, str(laps), session, str(seed), *extra]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ})


def _stored_ids(store: Store, session: str = "race") -> list[str]:
    with store.database.read() as conn:
        query = (
            sa.select(schema.event.c.event_id)
            .where(schema.event.c.session_id == session)
            .order_by(schema.event.c.seq)
        )
        return [row[0] for row in conn.execute(query)]


def _ids(laps: Path) -> list[str]:
    out = []
    for event in timing_events(alkamel.read_laps(laps)):
        kind, payload = encode(event)
        out.append(identity(kind, dumps(payload)))
    return out


@pytest.mark.realdata
def test_sigkill_at_random_points_loses_no_acknowledged_event(database_url: str) -> None:
    """Each run writes its own session and is killed after a random number of acknowledged appends
    (plus a random few milliseconds, to land inside the next transaction)."""
    laps = real_file(LAPS)
    url = database_url
    store = Store.open(url, FixedClock(), rulebooks.load)
    for run in range(RUNS):
        store.create_session(Session(f"race-{run}", "Long Beach", SessionKind.RACE))
    store.close()
    expected = _ids(laps)
    chooser = random.Random(20230415)
    for run in range(RUNS):
        session = f"race-{run}"
        writer = _writer(url, laps, run, session)
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "READY"
        acks = chooser.randint(0, 40)
        acked = 0
        for _ in range(acks):
            line = writer.stdout.readline()
            assert line.startswith("ACK"), line
            acked = int(line.split()[1])
        time.sleep(chooser.uniform(0.0, 0.02))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate()
        assert "DONE" not in out
        acked = max([acked, *(int(line.split()[1]) for line in out.splitlines() if line.startswith("ACK"))])
        # Restarted: a fresh store opens the file; the log is readable and holds every acknowledged
        # event exactly once, in order, and nothing that is not a prefix of what was sent.
        reopened = Store.open(url, FixedClock(), rulebooks.load)
        if url.startswith("sqlite"):
            with reopened.database.read() as conn:
                assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
        stored = _stored_ids(reopened, session)
        assert len(stored) == len(set(stored)), f"run {run}: an event is stored twice"
        assert set(expected[:acked]) <= set(stored), f"run {run}: an acknowledged event is missing"
        assert stored == expected[: len(stored)], f"run {run}: the log is not a prefix of the session"
        reopened.state(session, reopened.position(session))  # folds without error
        reopened.close()

    # The last session's writer, restarted, re-sends everything: the whole session, once.
    writer = _writer(url, laps, 999, f"race-{RUNS - 1}")
    out, _ = writer.communicate(timeout=300)
    assert writer.returncode == 0 and "DONE" in out
    store = Store.open(url, FixedClock(), rulebooks.load)
    assert _stored_ids(store, f"race-{RUNS - 1}") == expected
    timing = alkamel.read_laps(laps)
    session = Session(f"race-{RUNS - 1}", "Long Beach", SessionKind.RACE)
    direct = classify(session, timing.entries, timing.laps, [], rulebooks.load(None))
    state = store.state(session.id, store.position(session.id))
    assert state.classification.results == direct.results
    store.close()


@pytest.mark.realdata
def test_two_processes_writing_one_sqlite_file_lose_nothing(tmp_path: Path) -> None:
    laps = real_file(LAPS)
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    store = Store.open(url, FixedClock(), rulebooks.load)
    store.create_session(Session("race", "Long Beach", SessionKind.RACE))
    store.close()
    # Each writer takes two thirds of the events: a third is written by both at once.
    writers = [
        _writer(url, laps, 1, "race", "3", "0"),
        _writer(url, laps, 2, "race", "3", "1"),
        _writer(url, laps, 3, "race", "3", "2"),
    ]
    writers.append(_writer(url, laps, 4))  # and one writes everything, overlapping all three
    for writer in writers:
        out, _ = writer.communicate(timeout=300)
        assert writer.returncode == 0 and "DONE" in out
    store = Store.open(url, FixedClock(), rulebooks.load)
    stored = _stored_ids(store)
    assert len(stored) == len(set(stored))
    assert set(stored) == set(_ids(laps))
    store.close()
