"""Refused writes leave the log unchanged; hostile and oversized input is rejected cleanly; no 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from chequered import rulebooks
from chequered.store import schema
from chequered.store.store import Store
from chequered.store.tokens import Role
from chequered.web.app import create_app
from chequered.web.deps import Settings
from tests.conftest import FixedClock
from tests.store import season_fixture
from tests.web.conftest import RACE, auth

WRITES = [
    ("post", f"/api/sessions/{RACE}/laps", {"laps": [{"car": "7", "lap": 1, "elapsed_ms": 1}]}, "timekeeper"),
    ("post", f"/api/sessions/{RACE}/penalties", {"car": "7", "kind": "time", "ms": 1000}, "steward"),
    ("post", f"/api/sessions/{RACE}/statuses", {"car": "7", "status": "dsq"}, "steward"),
    ("post", f"/api/sessions/{RACE}/publications", {"status": "final"}, "steward"),
    ("post", f"/api/sessions/{RACE}/entries", {"car": "9", "number": "9"}, "admin"),
    ("post", "/api/sessions", {"id": "new", "name": "New", "kind": "race"}, "admin"),
    ("post", "/api/tokens", {"role": "admin"}, "admin"),
]
WEAKER = {"timekeeper": [], "steward": ["timekeeper"], "admin": ["timekeeper", "steward"]}


def _snapshot(store: Store) -> tuple[object, ...]:
    with store.database.read() as conn:
        return tuple(
            tuple(conn.execute(sa.select(table)).all())
            for table in (schema.event, schema.session, schema.token, schema.token_revocation)
        )


@pytest.mark.parametrize(("method", "path", "body", "role"), WRITES, ids=[w[1] for w in WRITES])
def test_refused_writes_leave_the_store_unchanged(
    client: TestClient, store: Store, tokens: dict[str, str], method: str, path: str, body: object, role: str
) -> None:
    revoked_info, revoked = store.create_token(Role(role), "to revoke")
    store.revoke_token(revoked_info.id, "test")
    before = _snapshot(store)
    attempts: list[tuple[dict[str, str], int, str]] = [
        ({}, 401, "needs a bearer token"),
        (auth("chq_0123456789abcdef_not-a-secret"), 401, "not one this server issued"),
        (auth(tokens[role] + "x"), 401, "not one this server issued"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401, "needs a bearer token"),
        (auth(revoked), 401, "was revoked"),
        *[(auth(tokens[weak]), 403, f"is {weak}") for weak in WEAKER[role]],
    ]
    for headers, status, message in attempts:
        response = client.request(method, path, json=body, headers=headers)
        assert response.status_code == status, (headers, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert message in response.json()["detail"]
        if status == 401:
            assert response.headers["www-authenticate"] == "Bearer"
    assert _snapshot(store) == before


def test_sql_looking_input_is_rejected_or_stored_as_text(
    client: TestClient, store: Store, tokens: dict[str, str]
) -> None:
    steward = auth(tokens["steward"])
    hostile = "7'; DROP TABLE event; --"
    response = client.post(
        f"/api/sessions/{RACE}/penalties", json={"car": hostile, "kind": "time", "ms": 1}, headers=steward
    )
    assert response.status_code == 422 and "car" in response.json()["detail"]
    assert client.get("/api/sessions/x' OR '1'='1/classification").status_code in (404, 422)
    assert (
        client.get(f"/api/sessions/{RACE}/classification", params={"class": "' OR 1=1 --"}).status_code == 404
    )
    assert (
        client.get(f"/api/sessions/{RACE}/laps", params={"car": "1 UNION SELECT * FROM token"}).status_code
        == 404
    )
    # As free text (a reason) it is just text: stored verbatim, nothing executed.
    client.post(
        f"/api/sessions/{RACE}/laps",
        json={"laps": [{"car": "7", "lap": 1, "elapsed_ms": 120_000, "lap_time_ms": 120_000}]},
        headers=auth(tokens["timekeeper"]),
    )
    ok = client.post(
        f"/api/sessions/{RACE}/penalties",
        json={"car": "7", "kind": "time", "ms": 1, "reason": hostile},
        headers=steward,
    )
    assert ok.status_code == 200
    assert client.get(f"/api/sessions/{RACE}/audit").json()["events"][-1]["payload"]["reason"] == hostile
    assert store.count(RACE) == 2


def test_oversized_and_malformed_input(client: TestClient, store: Store, tokens: dict[str, str]) -> None:
    steward, timekeeper = auth(tokens["steward"]), auth(tokens["timekeeper"])
    before = _snapshot(store)
    long_reason = {"car": "7", "kind": "time", "ms": 1, "reason": "x" * 501}
    response = client.post(f"/api/sessions/{RACE}/penalties", json=long_reason, headers=steward)
    assert response.status_code == 422 and "reason" in response.json()["detail"]
    huge = {"car": "7", "kind": "time", "ms": 1, "reason": "x" * 20_000}  # over the 16 KiB JSON limit
    response = client.post(f"/api/sessions/{RACE}/penalties", json=huge, headers=steward)
    assert response.status_code == 413 and "16,384 bytes" in response.json()["detail"]
    chunked = (part for part in [b'{"car": "7", "kind": "time", "ms": 1, "reason": "', b"x" * 20_000, b'"}'])
    response = client.post(
        f"/api/sessions/{RACE}/penalties",
        content=chunked,  # no Content-Length: the size is only known as it streams
        headers={**steward, "content-type": "application/json"},
    )
    assert response.status_code == 413 and "16,384 bytes" in response.json()["detail"]
    upload = b"x" * (8 * 1024 * 1024 + 1)
    response = client.post(f"/api/sessions/{RACE}/timing/alkamel", content=upload, headers=timekeeper)
    assert response.status_code == 413 and "timing file" in response.json()["detail"]
    broken = client.post(
        f"/api/sessions/{RACE}/penalties",
        content=b'{"car": "7", "kind":',
        headers={**steward, "content-type": "application/json"},
    )
    assert broken.status_code == 422
    garbage = client.post(
        f"/api/sessions/{RACE}/timing/alkamel", content=b"\x00\xff garbage;;\n1;2", headers=timekeeper
    )
    assert garbage.status_code == 422 and "line" in garbage.json()["detail"]
    negative = client.post(
        f"/api/sessions/{RACE}/penalties", json={"car": "7", "kind": "time", "ms": -5}, headers=steward
    )
    assert negative.status_code == 422
    too_many = {"laps": [{"car": "7", "lap": i, "elapsed_ms": i} for i in range(2_001)]}
    assert client.post(f"/api/sessions/{RACE}/laps", json=too_many, headers=timekeeper).status_code in (
        413,
        422,
    )
    assert client.get(f"/api/sessions/{RACE}/classification", params={"as_of": "-1"}).status_code == 422
    assert client.get(f"/api/sessions/{RACE}/classification", params={"at": "yesterday"}).status_code == 422
    assert _snapshot(store) == before


def test_a_small_body_sent_in_chunks_is_read_whole(
    client: TestClient, store: Store, tokens: dict[str, str]
) -> None:
    chunks = (part for part in [b'{"car": "7", "kind": "time",', b' "ms": 1000, "reason": "chunked"}'])
    response = client.post(
        f"/api/sessions/{RACE}/penalties",
        content=chunks,
        headers={**auth(tokens["steward"]), "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert client.get(f"/api/sessions/{RACE}/audit").json()["events"][-1]["payload"]["reason"] == "chunked"


@pytest.fixture
def fuzz_app(tmp_path: Path) -> Iterator[tuple[object, str]]:
    store = Store.open(f"sqlite:///{tmp_path / 'fuzz.sqlite'}", FixedClock(), rulebooks.load)
    store.seed_season(season_fixture.season(), season_fixture.entries(), None)
    from chequered.core.events import LapCompleted

    store.append(RACE, [LapCompleted(lap) for lap in season_fixture.race_laps()], "test")
    _, token = store.create_token(Role.ADMIN)
    yield create_app(store, Settings(max_json_bytes=64 * 1024, max_upload_bytes=1024 * 1024)), token
    store.close()


def test_schemathesis_finds_no_server_error(fuzz_app: tuple[object, str]) -> None:
    """Every operation in /openapi.json, with generated input, with and without an admin token, < 500."""
    app, token = fuzz_app
    api = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def answers_below_500(case: schemathesis.Case) -> None:
            for headers in ({}, auth(token)):
                response = case.call(headers=headers)
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path}: {response.text[:500]}"
                )

        answers_below_500()
