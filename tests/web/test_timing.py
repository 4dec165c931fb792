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
