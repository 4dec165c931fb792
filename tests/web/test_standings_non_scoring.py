"""Standings from the store leave out the cars that race without scoring (invited cars of a partner
series, as GT4 Scandinavia's at Paul Ricard 2023): their places pass down to the scoring cars behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from chequered import rulebooks
from chequered.core.events import Publication
from chequered.store.store import Store
from chequered.store.tokens import Role
from chequered.web.app import create_app
from chequered.web.deps import Settings
from tests.conftest import FixedClock
from tests.store import season_fixture
from tests.web.conftest import RACE, SEASON, auth


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    store = Store.open(database_url, FixedClock(), rulebooks.load)
    # car 7, the Silver class winner on the road, is an invited car
    store.seed_season(season_fixture.season(), season_fixture.entries(), "gt4-europe-2023", {"7"})
    with TestClient(create_app(store, Settings())) as test_client:
        token = store.create_token(Role.TIMEKEEPER, "test")[1]
        laps = [lap._asdict() | {"sectors": list(lap.sectors)} for lap in season_fixture.race_laps(30)]
        posted = test_client.post(f"/api/sessions/{RACE}/laps", json={"laps": laps}, headers=auth(token))
        assert posted.status_code == 200, posted.text
        store.publish(RACE, Publication.FINAL, "steward")
        yield test_client
    store.close()


def test_an_invited_car_takes_no_points_and_its_place_passes_down(client: TestClient) -> None:
    classification = client.get(f"/api/sessions/{RACE}/classification", params={"class": "Silver"}).json()
    assert [r["car"] for r in classification["results"]] == ["7", "21"]  # it races, and is classified
    drivers = client.get(f"/api/seasons/{SEASON}/standings", params={"class": "Silver"}).json()
    assert [(s["driver"], s["points"]) for s in drivers["standings"]] == [
        ("Eve Epsilon", 25),
        ("Finn Zeta", 25),
    ]
    assert drivers["standings"][0]["results"][0]["place"] == 1
    teams = client.get(f"/api/seasons/{SEASON}/standings", params={"of": "teams", "class": "Silver"}).json()
    assert [(t["team"], t["points"]) for t in teams["standings"]] == [("Team C", 25)]
