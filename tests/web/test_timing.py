"""Timing uploads: a file cut off mid-row, wrong data for the session, entries a timekeeper may not
change, and an import withdrawn."""

from __future__ import annotations

from fastapi.testclient import TestClient

from chequered.store.store import Store
from tests.conftest import IMSA, real_file
from tests.web.conftest import RACE, auth

LONG_BEACH = IMSA / "2023/08-long-beach-street-circuit/202304151405-race-laps.csv"


def _csv(token: str) -> dict[str, str]:
    return {**auth(token), "content-type": "text/csv"}


def test_a_file_cut_off_mid_row_is_a_problem_naming_the_line_and_stores_nothing(
    client: TestClient, store: Store, tokens: dict[str, str]
) -> None:
    data = real_file(LONG_BEACH).read_bytes()
    cut = data[: data.rstrip().rfind(b"\n") + 40]
    before = store.position(RACE)
    response = client.post(
        f"/api/sessions/{RACE}/timing/alkamel?force=true", content=cut, headers=_csv(tokens["timekeeper"])
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    lines = cut.count(b"\n") + 1
    assert f"line {lines}" in response.json()["detail"]
    assert "cut off mid-row" in response.json()["detail"]
    assert store.position(RACE) == before


def _file(rows: list[tuple[str, str, str, str]]) -> bytes:
    """An Al Kamel lap file: for each car (number, class, team, driver) a common start and 10 laps."""
    lines = ["NUMBER;DRIVER_NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED;DRIVER_NAME;CLASS;TEAM"]
    for i, (number, car_class, team, driver) in enumerate(rows):
        for lap in range(1, 11):
            ms = 100_000 + i * 100
            at = lap * ms
            elapsed = f"{at // 60_000}:{at // 1000 % 60:02d}.{at % 1000:03d}"
            lines.append(f"{number};1;{lap};1:40.{i:03d};{elapsed};{driver};{car_class};{team}")
    return ("\n".join(lines) + "\n").encode()


SEASON_CARS = [
    ("7", "Silver", "Team A", "Anna Alpha"),
    ("07", "Pro-Am", "Team B", "Carl Gamma"),
    ("21", "Silver", "Team C", "Eve Epsilon"),
]


def test_entry_data_differing_from_the_season_is_reported_not_applied_unless_an_admin_applies_it(
    client: TestClient, store: Store, tokens: dict[str, str]
) -> None:
    """Issue 15: a timekeeper moved car 07 from Pro-Am to Silver through an upload."""
    moved = [SEASON_CARS[0], ("07", "Silver", "Evil Team", "Someone Else"), SEASON_CARS[2]]
    url = f"/api/sessions/{RACE}/timing/alkamel"
    response = client.post(url, content=_file(moved), headers=_csv(tokens["timekeeper"]))
    assert response.status_code == 200, response.text
    differences = {(d["car"], d["field"], d["file"]) for d in response.json()["entry_differences"]}
    assert {("07", "class", "Silver"), ("07", "team", "Evil Team")} <= differences
    assert not response.json()["entries_applied"]
    stored = [e.event().entry for e in store.events(RACE) if e.kind == "entry"]  # type: ignore[attr-defined]
    assert {e.car_class for e in stored if e.number == "07"} == {"Pro-Am"}
    refused = client.post(
        f"{url}?apply_entries=true", content=_file(moved), headers=_csv(tokens["timekeeper"])
    )
    assert refused.status_code == 403
    applied = client.post(f"{url}?apply_entries=true", content=_file(moved), headers=_csv(tokens["admin"]))
    assert applied.status_code == 200, applied.text
    stored = [e.event().entry for e in store.events(RACE) if e.kind == "entry"]  # type: ignore[attr-defined]
    assert "Silver" in {e.car_class for e in stored if e.number == "07"}


def test_a_file_of_other_cars_is_refused_unless_forced(
    client: TestClient, store: Store, tokens: dict[str, str]
) -> None:
    others = [("90", "GT3", "X", "A"), ("91", "GT3", "Y", "B"), ("92", "GT3", "Z", "C")]
    url = f"/api/sessions/{RACE}/timing/alkamel"
    before = store.position(RACE)
    refused = client.post(url, content=_file(others), headers=_csv(tokens["timekeeper"]))
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "not entered" in refused.json()["detail"] and "90" in refused.json()["detail"]
    assert store.position(RACE) == before
    forced = client.post(f"{url}?force=true", content=_file(others), headers=_csv(tokens["timekeeper"]))
    assert forced.status_code == 200, forced.text
