"""A whole import withdrawn: one new event, audited, after which the session reads as before the import;
nothing is deleted, and the same file imported again reads again. On SQLite and on the real PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from chequered.store.store import Store
from tests.conftest import GRCUP, IMSA, real_file
from tests.web.conftest import auth

RIGHT = IMSA / "2023/08-long-beach-street-circuit/202304151405-race-laps.csv"
WRONG = GRCUP / "analysis_endurance/barber_r1_analysis_endurance.csv"  # another series' race
SESSION = "long-beach-race"
READS = ("classification", "laps", "stints", "pit-stops")


def _reads(client: TestClient) -> dict[str, Any]:
    """What the session reads as, but the log position each answer states."""
    found = {}
    for read in READS:
        answer = client.get(f"/api/sessions/{SESSION}/{read}")
        assert answer.status_code == 200, answer.text
        document = answer.json()
        if isinstance(document, dict):
            document.pop("as_of", None)
        found[read] = document
    return found


def _upload(client: TestClient, token: str, path: Any) -> dict[str, Any]:
    answer = client.post(
        f"/api/sessions/{SESSION}/timing/alkamel?force=true",
        content=real_file(path).read_bytes(),
        headers={**auth(token), "content-type": "text/csv"},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def _withdraw(client: TestClient, token: str, import_id: str, reason: str = "") -> Any:
    return client.post(
        f"/api/sessions/{SESSION}/imports/{import_id}/withdrawal",
        json={"reason": reason},
        headers=auth(token),
    )


def _actor(store: Store, label: str) -> str:
    return next(t.actor for t in store.tokens() if t.label == label)


@pytest.mark.realdata
def test_a_withdrawn_import_leaves_the_session_as_before_it(
    client: TestClient, store: Store, tokens: dict[str, str]
) -> None:
    created = client.post(
        "/api/sessions",
        json={"id": SESSION, "name": "Long Beach race", "kind": "race"},
        headers=auth(tokens["admin"]),
    )
    assert created.status_code == 201, created.text
    right = _upload(client, tokens["timekeeper"], RIGHT)
    before = _reads(client)
    head_before = client.get(f"/api/sessions/{SESSION}/classification").json()["as_of"]

    wrong = _upload(client, tokens["timekeeper"], WRONG)
    assert wrong["appended"] > 0 and wrong["import_id"] != right["import_id"]
    with_wrong = _reads(client)
    assert with_wrong["classification"] != before["classification"]

    answer = _withdraw(client, tokens["timekeeper"], wrong["import_id"], "Barber file posted to Long Beach")
    assert answer.status_code == 200, answer.text
    withdrawal = answer.json()
    assert withdrawal["import_id"] == wrong["import_id"] and withdrawal["state"] == "withdrawn"
    assert withdrawal["events"] == wrong["appended"]
    assert withdrawal["withdrawn"]["actor"] == _actor(store, "test timekeeper")

    # the session reads as before the import, whatever was cached for it in between
    assert _reads(client) == before
    # as of a position before the withdrawal, the log reads as it then was
    as_of = client.get(f"/api/sessions/{SESSION}/classification?as_of={withdrawal['withdrawn']['seq'] - 1}")
    assert {**as_of.json(), "as_of": None} == {**with_wrong["classification"], "as_of": None}
    # nothing deleted: every event is still in the log, and the withdrawal after them
    events = client.get(f"/api/sessions/{SESSION}/events?limit=10000").json()["events"]
    assert len(events) == right["appended"] + wrong["appended"] + 1
    assert (
        events[-1]["kind"] == "import_withdrawn" and events[-1]["payload"]["import_id"] == wrong["import_id"]
    )
    assert head_before < events[-1]["seq"]
    # audited: who withdrew which import, and why
    audit = client.get(f"/api/sessions/{SESSION}/audit").json()["events"]
    withdrawals = [e for e in audit if e["kind"] == "import_withdrawn"]
    assert [(e["actor"], e["payload"]) for e in withdrawals] == [
        (
            _actor(store, "test timekeeper"),
            {"import_id": wrong["import_id"], "reason": "Barber file posted to Long Beach"},
        )
    ]
    listed = client.get(f"/api/sessions/{SESSION}/imports").json()["imports"]
    assert [(i["import_id"], i["state"]) for i in listed] == [
        (right["import_id"], "standing"),
        (wrong["import_id"], "withdrawn"),
    ]
    assert listed[0]["events"] == right["appended"] and listed[0]["laps"] > 0


@pytest.mark.realdata
def test_withdrawal_is_refused_twice_unknown_and_to_a_steward(
    client: TestClient, store: Store, tokens: dict[str, str]
) -> None:
    client.post(
        "/api/sessions",
        json={"id": SESSION, "name": "Long Beach race", "kind": "race"},
        headers=auth(tokens["admin"]),
    )
    imported = _upload(client, tokens["timekeeper"], RIGHT)
    head = client.get(f"/api/sessions/{SESSION}/events?limit=10000").json()["events"][-1]["seq"]
    assert _withdraw(client, tokens["steward"], imported["import_id"]).status_code == 403
    unknown = _withdraw(client, tokens["timekeeper"], "0123456789abcdef")
    assert unknown.status_code == 404 and imported["import_id"] in unknown.json()["detail"]
    assert _withdraw(client, tokens["timekeeper"], "not-an-id").status_code == 422
    assert _withdraw(client, tokens["timekeeper"], imported["import_id"]).status_code == 200
    again = _withdraw(client, tokens["timekeeper"], imported["import_id"])
    assert again.status_code == 409 and "withdrawn already" in again.json()["detail"]
    events = client.get(f"/api/sessions/{SESSION}/events?limit=10000").json()["events"]
    assert len(events) == imported["appended"] + 1 and events[-1]["seq"] > head  # one withdrawal only
    # the session reads as it did before the import: empty
    assert client.get(f"/api/sessions/{SESSION}/classification").json()["results"] == []


@pytest.mark.realdata
def test_the_same_file_imported_after_its_withdrawal_reads_again_once(
    client: TestClient, store: Store, tokens: dict[str, str]
) -> None:
    client.post(
        "/api/sessions",
        json={"id": SESSION, "name": "Long Beach race", "kind": "race"},
        headers=auth(tokens["admin"]),
    )
    first = _upload(client, tokens["timekeeper"], RIGHT)
    imported = _reads(client)
    assert _withdraw(client, tokens["timekeeper"], first["import_id"]).status_code == 200
    assert _reads(client) != imported

    back = _upload(client, tokens["timekeeper"], RIGHT)
    assert back["import_id"] != first["import_id"] and back["appended"] == first["appended"]
    assert _reads(client) == imported
    again = _upload(client, tokens["timekeeper"], RIGHT)  # and, imported again, stores nothing twice
    assert (again["import_id"], again["appended"]) == (back["import_id"], 0)
    states = [i["state"] for i in client.get(f"/api/sessions/{SESSION}/imports").json()["imports"]]
    assert states == ["withdrawn", "standing"]
