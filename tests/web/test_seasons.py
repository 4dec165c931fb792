"""Public reads of the season: seasons, rounds with schedules in UTC, circuit-local and any zone."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import SEASON


def test_seasons_rounds_and_schedules(client: TestClient) -> None:
    seasons = client.get("/api/seasons").json()
    assert [s["id"] for s in seasons] == [SEASON]
    rounds = client.get(f"/api/seasons/{SEASON}/rounds", params={"tz": "Europe/Stockholm"}).json()
    assert [r["circuit"]["timezone"] for r in rounds] == ["Europe/Paris", "Europe/Rome"]
    race = rounds[0]["sessions"][1]
    assert race["start_utc"] == "2023-04-22T13:15:00+00:00"
    assert race["start_local"] == {
        "time": "2023-04-22T15:15:00+02:00",
        "zone": "Europe/Paris",
        "abbreviation": "CEST",
    }
    assert race["start_in_zone"]["time"] == "2023-04-22T15:15:00+02:00"
    tokyo = client.get(f"/api/seasons/{SEASON}/rounds/r2-monza", params={"tz": "Asia/Tokyo"}).json()
    assert tokyo["sessions"][0]["start_in_zone"]["time"] == "2023-05-13T17:00:00+09:00"


def test_unknown_zone_season_and_round_are_problems(client: TestClient) -> None:
    bad = client.get(f"/api/seasons/{SEASON}/rounds", params={"tz": "Mars/Olympus"})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert "Europe/Paris" in bad.json()["detail"]
    missing = client.get("/api/seasons/f1-1950")
    assert missing.status_code == 404 and SEASON in missing.json()["detail"]
    assert client.get(f"/api/seasons/{SEASON}/rounds/r9-nowhere").status_code == 404


def test_entries_and_sessions(client: TestClient) -> None:
    entries = client.get(f"/api/seasons/{SEASON}/entries").json()
    assert [e["car"] for e in entries] == ["7", "07", "21"]
    assert entries[1]["drivers"][1] == {
        "name": "Dora Delta",
        "category": "Bronze",
        "nationality": "",
        "short_name": "",
    }
    sessions = client.get("/api/sessions").json()
    assert {s["id"] for s in sessions} >= {"r1-ricard-q1", "r1-ricard-r1", "r2-monza-r1"}
    one = client.get("/api/sessions/r1-ricard-r1", params={"tz": "UTC"}).json()
    assert one["start_local"]["zone"] == "Europe/Paris" and one["season"] == SEASON


def test_index_page_links_rounds_sessions_and_api(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'href="/docs"' in page.text
    assert 'href="/rounds/' in page.text and 'href="/calendar"' in page.text
    assert 'href="/sessions/r1-ricard-r1"' in client.get("/calendar").text
    assert "Round 2" in page.text
    assert client.get("/openapi.json").json()["info"]["title"] == "chequered"
