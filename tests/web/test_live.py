"""Passings in (timekeeper token) and the live WebSocket out: snapshot, deltas, resume without a gap."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from chequered.core.passings import passings_of
from tests.store import season_fixture
from tests.web.conftest import RACE, auth


def _passings(laps: int = 30) -> list[dict[str, Any]]:
    return [
        {"car": p.car, "timeline": p.timeline.value, "at_ms": p.at_ms, "sector": p.sector, "driver": p.driver}
        for p in passings_of(season_fixture.race_laps(laps))
    ]


def _post(client: TestClient, token: str, passings: list[dict[str, Any]]) -> dict[str, Any]:
    response = client.post(f"/api/sessions/{RACE}/passings", json={"passings": passings}, headers=auth(token))
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _order(client: TestClient) -> list[str]:
    return [r["car"] for r in client.get(f"/api/sessions/{RACE}/classification").json()["results"]]


def test_passings_become_laps_in_the_log(client: TestClient, tokens: dict[str, str]) -> None:
    passings = _passings()
    half = len(passings) // 2
    first = _post(client, tokens["timekeeper"], passings[:half] + passings[:5])  # five sent twice
    assert first["duplicates"] == 5 and first["rejected"] == []
    second = _post(client, tokens["timekeeper"], passings[half:])
    assert first["laps"] + second["laps"] == 90 and first["appended"] + second["appended"] == 90
    assert _order(client) == ["7", "21", "07"]
    unknown = _post(client, tokens["timekeeper"], [{"car": "99", "timeline": "finish", "at_ms": 10**7}])
    assert unknown["rejected"] == [
        "passing car '99' finish at 10000000 ms: no car with this number is entered"
    ]
    assert _order(client) == ["7", "21", "07"]  # nothing stored was touched
    refused = client.post(
        f"/api/sessions/{RACE}/passings", json={"passings": passings[:1]}, headers=auth(tokens["steward"])
    )
    assert refused.status_code == 403
    bad = client.post(
        f"/api/sessions/{RACE}/passings",
        json={"passings": [{"car": "7", "timeline": "warp", "at_ms": 1}]},
        headers=auth(tokens["timekeeper"]),
    )
    assert bad.status_code in (400, 422)


def _apply(board: dict[str, dict[str, Any]], message: dict[str, Any]) -> None:
    if message["type"] in ("snapshot", "keyframe"):
        board.clear()
        board.update({row["car"]: dict(row) for row in message["board"]["cars"]})
        return
    for car, changes in message["cars"].items():
        board.setdefault(car, {"car": car}).update(changes)


def _receive_until(ws: Any, board: dict[str, dict[str, Any]], seq: int) -> int:
    last = 0
    while last < seq:
        message = ws.receive_json()
        _apply(board, message)
        last = message["seq"]
    return last


def test_websocket_snapshot_deltas_and_resume(client: TestClient, tokens: dict[str, str]) -> None:
    passings = _passings()
    third = len(passings) // 3
    timekeeper = tokens["timekeeper"]
    board: dict[str, dict[str, Any]] = {}
    with client.websocket_connect(f"/ws/live/{RACE}") as ws:
        snapshot = ws.receive_json()
        assert snapshot["type"] == "snapshot"
        _apply(board, snapshot)
        head = _post(client, timekeeper, passings[:third])["as_of"]
        last = _receive_until(ws, board, head)
    # disconnected while more laps are stored
    head = _post(client, timekeeper, passings[third : 2 * third])["as_of"]
    with client.websocket_connect(f"/ws/live/{RACE}?after={last}") as ws:
        last = _receive_until(ws, board, head)
        head = _post(client, timekeeper, passings[2 * third :])["as_of"]
        last = _receive_until(ws, board, head)
    with client.websocket_connect(f"/ws/live/{RACE}") as ws:
        fresh = ws.receive_json()
    assert fresh["type"] == "snapshot" and fresh["seq"] == last
    assert {row["car"]: row for row in fresh["board"]["cars"]} == board
    ranked = sorted((row for row in board.values() if row["laps"]), key=lambda row: row["position"])
    assert [row["car"] for row in ranked] == _order(client)


def test_websocket_unknown_session_is_closed(client: TestClient) -> None:
    import pytest
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect("/ws/live/nope") as ws:
        ws.receive_json()
    assert info.value.code == 4404
