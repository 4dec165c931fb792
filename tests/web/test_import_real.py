"""Each real Al Kamel laps file imported through the API classifies as ``chequered classify`` does on the
file, and importing it again changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from chequered.cli.app import _register, app
from chequered.core.session_kind import read_kind
from chequered.importers import alkamel
from tests.conftest import ALKAMEL, GRCUP, IMSA, WEC, WEC_2019, real_file
from tests.web.conftest import auth


def _lap_files() -> list[Path]:
    """Every CSV under the Al Kamel data whose header has LAP_NUMBER (a lap analysis): found, not listed,
    so that files added to the data set are covered as they come."""
    if not ALKAMEL.exists():
        return []
    return sorted(
        p for p in ALKAMEL.rglob("*") if p.suffix.lower() == ".csv" and b"LAP_NUMBER" in p.read_bytes()[:400]
    )


LAPS_FILES = _lap_files()
NAMED = [
    IMSA / "2023/08-long-beach-street-circuit/202304151405-race-laps.csv",
    IMSA / "2024/05-sebring-international-raceway/202403160940-race-laps.csv",
    GRCUP / "analysis_endurance/barber_r1_analysis_endurance.csv",
    WEC / "2024/le_mans_24h.csv",
    WEC_2019 / "notebooks/23_Analysis_Race_Hour 6.CSV",
]


def _cli_document(path: Path) -> dict[str, object]:
    _register()
    result = CliRunner().invoke(app, ["classify", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return orjson.loads(result.stdout)  # type: ignore[no-any-return]


def _comparable(document: dict[str, object]) -> dict[str, object]:
    session = dict(document["session"])  # type: ignore[call-overload]
    for key in ("id", "name"):  # the CLI names the session after the file; the API after the session
        session.pop(key)
    return {**{k: v for k, v in document.items() if k not in ("as_of", "session_kind")}, "session": session}


def test_every_laps_file_in_the_data_is_covered() -> None:
    """The files found include those the other tests name, so a layout change that hides them fails."""
    real_file(ALKAMEL)
    assert set(NAMED) <= set(LAPS_FILES)


@pytest.mark.realdata
@pytest.mark.parametrize("path", LAPS_FILES, ids=[p.name for p in LAPS_FILES])
def test_import_through_the_api_classifies_like_the_cli(
    client: TestClient, tokens: dict[str, str], path: Path
) -> None:
    path = real_file(path)
    session_id = re.sub(r"[^A-Za-z0-9._-]", "-", path.stem)
    created = client.post(
        "/api/sessions",
        json={
            "id": session_id,
            "name": path.stem,
            "kind": read_kind(alkamel.read_laps(path).laps, path.name).kind.value,
        },
        headers=auth(tokens["admin"]),
    )
    assert created.status_code == 201, created.text
    upload = f"/api/sessions/{session_id}/timing/alkamel"
    headers = {**auth(tokens["timekeeper"]), "content-type": "text/csv"}
    first = client.post(upload, content=path.read_bytes(), headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["appended"] > 0 and first.json()["duplicates"] == 0
    stored = client.get(f"/api/sessions/{session_id}/classification").json()
    assert _comparable(stored) == _comparable(_cli_document(path))

    again = client.post(upload, content=path.read_bytes(), headers=headers)
    assert again.json()["appended"] == 0
    assert again.json()["duplicates"] == first.json()["appended"] + first.json()["duplicates"]
    assert again.json()["as_of"] == first.json()["as_of"]
    assert client.get(f"/api/sessions/{session_id}/classification").json() == stored
