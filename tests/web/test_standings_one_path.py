"""One scoring path: a simulated round scored by ``chequered standings`` from the Al Kamel files the
simulator writes, and by the API from the same sessions stored and published, gives the same standings
(pole points to every driver of a crew under ``crew_share = "full"``). Standings count published results
only; provisional ones are listed as such."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from chequered import rulebooks
from chequered.cli.app import _register, app
from chequered.cli.server import seed_packaged
from chequered.cli.simulate import write_weekend
from chequered.core.events import EntryRegistered, Publication
from chequered.seasons import load_season
from chequered.sim.weekend import simulate_weekend
from chequered.store.store import Store
from chequered.web.app import create_app
from chequered.web.deps import Settings
from tests.conftest import FixedClock

runner = CliRunner()
_register()


def _table(document: dict[str, object]) -> list[tuple[int, str, str, float]]:
    rows = document["standings"]
    assert isinstance(rows, list)
    return [(s["position"], s["driver"], s["class"], s["points"]) for s in rows]


def test_cli_and_api_give_the_same_standings(database_url: str, tmp_path: Path) -> None:
    data = load_season("gt4-europe-2023")
    weekend = simulate_weekend(data, 1, seed=7)
    write_weekend(weekend, tmp_path / "season" / "round-1")
    outcome = runner.invoke(
        app,
        [
            "standings",
            "--rules",
            data.rulebook or "",
            "--results",
            str(tmp_path / "season"),
            "--format",
            "json",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    from_files = _table(json.loads(outcome.stdout))

    store = Store.open(database_url, FixedClock(), rulebooks.load)
    seed_packaged(store, "gt4-europe-2023")
    season_id = store.seasons()[0].id
    with TestClient(create_app(store, Settings())) as client:
        scored = [s for s in weekend.sessions if "Practice" not in s.session.name]
        for simulated in weekend.sessions:
            store.append(simulated.session.id, [EntryRegistered(e) for e in simulated.entries], "test")
            store.append(simulated.session.id, list(simulated.events()), "test")
        # nothing published yet: nothing scored, whatever the sessions hold
        empty = client.get(f"/api/seasons/{season_id}/standings").json()
        assert empty["standings"] == [] and empty["sessions_scored"] == 0
        for simulated in scored[:-1]:
            store.publish(simulated.session.id, Publication.FINAL, "steward")
        store.publish(scored[-1].session.id, Publication.PROVISIONAL, "steward")
        document = client.get(f"/api/seasons/{season_id}/standings").json()
    store.close()
    assert document["provisional"] == [{"round": 1, "session": scored[-1].session.id.rsplit("-", 1)[-1]}]
    assert document["sessions_scored"] == 4
    from_store = _table(document)
    assert from_store == from_files
    # both drivers of the Q1 and Q2 polesitters' crews hold the pole point
    poles = {s["driver"] for s in document["standings"] for r in s["results"] if r["pole"]}
    assert len(poles) >= 4
