"""Writes by role, and a penalty after publication: provisional and final both readable, audited."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from chequered.store.store import Store
from tests.conftest import FixedClock
from tests.store import season_fixture
from tests.web.conftest import RACE, SEASON, auth


def _laps_body(laps: int = 30) -> dict[str, object]:
    return {
        "laps": [lap._asdict() | {"sectors": list(lap.sectors)} for lap in season_fixture.race_laps(laps)]
    }


def _order(client: TestClient, **params: object) -> list[str]:
    response = client.get(f"/api/sessions/{RACE}/classification", params=params)
    assert response.status_code == 200, response.text
    return [r["car"] for r in response.json()["results"]]


def _points(client: TestClient) -> dict[str, int]:
    response = client.get(f"/api/seasons/{SEASON}/standings")
    assert response.status_code == 200, response.text
    wanted = {"Anna Alpha", "Eve Epsilon", "Carl Gamma"}
    return {s["driver"]: s["points"] for s in response.json()["standings"] if s["driver"] in wanted}


def test_penalty_after_publication(client: TestClient, tokens: dict[str, str], clock: FixedClock) -> None:
    posted = client.post(f"/api/sessions/{RACE}/laps", json=_laps_body(), headers=auth(tokens["timekeeper"]))
    assert posted.status_code == 200, posted.text
    assert posted.json()["appended"] == 90
    steward = auth(tokens["steward"])
    clock.now += timedelta(minutes=5)
    published = client.post(
        f"/api/sessions/{RACE}/publications", json={"status": "provisional"}, headers=steward
    )
    assert published.status_code == 200
    provisional_at = clock.now
    assert _order(client, version="provisional") == ["7", "21", "07"]
    assert _points(client) == {"Anna Alpha": 25, "Eve Epsilon": 18, "Carl Gamma": 25}

    clock.now += timedelta(minutes=25)
    penalty = {"car": "7", "kind": "time", "ms": 30_000, "reason": "unsafe release", "id": "doc-14"}
    assert (
        client.post(f"/api/sessions/{RACE}/penalties", json=penalty, headers=steward).json()["appended"] == 1
    )
    # The same decision sent again (same id) is stored once.
    assert (
        client.post(f"/api/sessions/{RACE}/penalties", json=penalty, headers=steward).json()["appended"] == 0
    )
    clock.now += timedelta(minutes=5)
    client.post(f"/api/sessions/{RACE}/publications", json={"status": "final"}, headers=steward)

    assert _order(client) == ["21", "7", "07"]
    assert _points(client) == {"Anna Alpha": 18, "Eve Epsilon": 25, "Carl Gamma": 25}
    teams = client.get(f"/api/seasons/{SEASON}/standings", params={"of": "teams", "class": "Silver"}).json()
    assert [(t["team"], t["points"]) for t in teams["standings"]] == [("Team C", 25), ("Team A", 18)]
    assert _order(client, version="final") == ["21", "7", "07"]
    assert _order(client, version="provisional") == ["7", "21", "07"]  # still readable
    assert _order(client, at=(provisional_at + timedelta(minutes=1)).isoformat()) == ["7", "21", "07"]
    pro_am = client.get(f"/api/sessions/{RACE}/classification", params={"class": "Pro-Am"}).json()
    assert [r["car"] for r in pro_am["results"]] == ["07"]
    final = client.get(f"/api/sessions/{RACE}/classification", params={"version": "final"}).json()
    assert final["results"][1]["penalty_ms"] == 30_000

    audit = client.get(f"/api/sessions/{RACE}/audit").json()["events"]
    steward_id = tokens["steward"].split("_")[1]
    assert [(e["kind"], e["actor"]) for e in audit] == [
        ("published", f"token:{steward_id}"),
        ("time_penalty", f"token:{steward_id}"),
        ("published", f"token:{steward_id}"),
    ]
    assert audit[1]["payload"] == {"car": "7", "ms": 30_000, "reason": "unsafe release"}
    assert audit[1]["recorded_at"] == "2023-04-22T12:30:00+00:00"
    assert [e["payload"]["status"] for e in audit if e["kind"] == "published"] == ["provisional", "final"]


def test_status_lap_penalty_and_deleted_lap(client: TestClient, tokens: dict[str, str]) -> None:
    client.post(f"/api/sessions/{RACE}/laps", json=_laps_body(), headers=auth(tokens["timekeeper"]))
    admin = auth(tokens["admin"])  # admin may do everything a steward may
    assert (
        client.post(
            f"/api/sessions/{RACE}/statuses",
            json={"car": "21", "status": "dsq", "reason": "ride height"},
            headers=admin,
        ).status_code
        == 200
    )
    client.post(
        f"/api/sessions/{RACE}/penalties", json={"car": "7", "kind": "laps", "laps": 2}, headers=admin
    )
    results = {r["car"]: r for r in client.get(f"/api/sessions/{RACE}/classification").json()["results"]}
    assert results["21"]["status"] == "dsq"
    assert results["7"]["laps"] == 28 and results["07"]["position"] == 1
    missing_field = client.post(
        f"/api/sessions/{RACE}/penalties", json={"car": "7", "kind": "time"}, headers=admin
    )
    assert missing_field.status_code == 422 and "'ms'" in missing_field.json()["detail"]
    unknown_car = client.post(
        f"/api/sessions/{RACE}/penalties", json={"car": "99", "kind": "time", "ms": 1}, headers=admin
    )
    assert unknown_car.status_code == 422 and "not entered" in unknown_car.json()["detail"]


def test_laps_stints_pit_stops_and_events(client: TestClient, tokens: dict[str, str]) -> None:
    client.post(f"/api/sessions/{RACE}/laps", json=_laps_body(), headers=auth(tokens["timekeeper"]))
    laps = client.get(f"/api/sessions/{RACE}/laps", params={"car": "07"}).json()["laps"]
    assert len(laps) == 30 and laps[-1]["elapsed_ms"] == 30 * 121_000
    stints = client.get(f"/api/sessions/{RACE}/stints", params={"car": "7"}).json()["cars"][0]["stints"]
    assert [(s["driver"], s["laps"]) for s in stints] == [(1, 15), (2, 15)]
    assert client.get(f"/api/sessions/{RACE}/pit-stops").json()["cars"][0]["car"] == "7"
    page = client.get(f"/api/sessions/{RACE}/events", params={"after": 85}).json()["events"]
    assert [e["seq"] for e in page] == [86, 87, 88, 89, 90]
    assert client.get(f"/api/sessions/{RACE}/laps", params={"car": "404"}).status_code == 404


def test_admin_creates_sessions_entries_and_tokens(
    client: TestClient, tokens: dict[str, str], store: Store
) -> None:
    admin = auth(tokens["admin"])
    created = client.post(
        "/api/sessions",
        json={"id": "test-day", "name": "Test day", "kind": "practice", "duration_min": 120},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    again = client.post("/api/sessions", json={"id": "test-day", "name": "x", "kind": "race"}, headers=admin)
    assert again.status_code == 409 and "already exists" in again.json()["detail"]
    entry = {
        "car": "88",
        "number": "88",
        "class": "Am",
        "team": "New Team",
        "drivers": [{"name": "G H", "category": "Bronze"}],
    }
    assert client.post("/api/sessions/test-day/entries", json=entry, headers=admin).json()["appended"] == 1
    new = client.post("/api/tokens", json={"role": "timekeeper", "label": "feed"}, headers=admin).json()
    assert new["token"].startswith("chq_") and new["role"] == "timekeeper"
    listed = client.get("/api/tokens", headers=admin).json()
    assert all("token" not in t for t in listed) and new["id"] in {t["id"] for t in listed}
    lap = {"laps": [{"car": "88", "lap": 1, "lap_time_ms": 100_000, "elapsed_ms": 100_000}]}
    assert client.post("/api/sessions/test-day/laps", json=lap, headers=auth(new["token"])).status_code == 200
    assert client.delete(f"/api/tokens/{new['id']}", headers=admin).json()["revoked_at"] is not None
    assert client.post("/api/sessions/test-day/laps", json=lap, headers=auth(new["token"])).status_code == 401
    result = client.get("/api/sessions/test-day/classification").json()["results"]
    assert [(r["car"], r["team"]) for r in result] == [("88", "New Team")]
    assert store.count("test-day") == 2


def test_compliance_report_of_a_race(client: TestClient, tokens: dict[str, str]) -> None:
    client.post(f"/api/sessions/{RACE}/laps", json=_laps_body(), headers=auth(tokens["timekeeper"]))
    report = client.get(f"/api/sessions/{RACE}/compliance").json()
    assert report["rulebook"] == "gt4-europe-2023" and report["cars"] == 3
    # The synthetic race has no pit stop: every car misses the mandatory stop.
    assert {v["car"] for v in report["violations"] if v["rule"] == "mandatory stop"} == {"7", "07", "21"}
    assert client.get("/api/sessions/r1-ricard-q1/compliance").status_code == 422
    unknown = client.get(f"/api/seasons/{SEASON}/standings", params={"class": "GT3"})
    assert unknown.status_code == 404 and "Silver" in unknown.json()["detail"]


def test_identical_penalties_without_an_id_are_two_decisions(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """Seen: two 5 s penalties posted without an id, the second answered ``duplicates: 1`` and the car
    carried 5 s. Idempotency is the client's request id (``Idempotency-Key`` or ``id``), not content."""
    steward = auth(tokens["steward"])
    url = f"/api/sessions/{RACE}/penalties"
    penalty = {"car": "7", "kind": "time", "ms": 5_000, "reason": "track limits"}
    answers = [client.post(url, json=penalty, headers=steward).json() for _ in range(2)]
    assert [(a["appended"], a["duplicates"]) for a in answers] == [(1, 0), (1, 0)]
    keyed = {**steward, "Idempotency-Key": "doc-31"}
    resent = [client.post(url, json=penalty, headers=keyed).json() for _ in range(2)]
    assert [(a["appended"], a["duplicates"]) for a in resent] == [(1, 0), (0, 1)]
    bad_key = client.post(url, json=penalty, headers={**steward, "Idempotency-Key": "a b"})
    assert bad_key.status_code == 422
    penalties = [e for e in client.get(f"/api/sessions/{RACE}/events").json()["events"]]
    assert sum(e["kind"] == "time_penalty" for e in penalties) == 3
