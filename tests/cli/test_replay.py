"""``chequered replay rmonitor``: the final live board, in the shape of ``classify --format json``."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from chequered.cli.app import _register, app
from tests.conftest import real_file
from tests.importers.rmonitor.test_feed import BARBER, MOCK

runner = CliRunner()


@pytest.fixture(autouse=True)
def registered() -> None:
    _register()


@pytest.mark.realdata
def test_replay_rmonitor_json_has_the_classify_shape() -> None:
    result = runner.invoke(app, ["replay", "rmonitor", str(real_file(BARBER)), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = orjson.loads(result.stdout)
    assert set(document) >= {"session", "results", "fastest_lap", "class_fastest_laps"}
    first = document["results"][0]
    assert (first["number"], first["laps"], first["position"], first["gap"]) == ("60", 249, 1, "-")
    assert document["results"][1]["gap"] == "+0.047"
    assert document["session"]["name"] == "Barber - Saturday - 8 Hour"
    assert {"flag", "elapsed_ms", "time_to_go_ms", "laps_to_go"} <= set(document["live"])


@pytest.mark.realdata
def test_replay_rmonitor_table_and_speed() -> None:
    result = runner.invoke(app, ["replay", "rmonitor", str(real_file(MOCK)), "--speed", "1000"])
    assert result.exit_code == 0, result.output
    assert "Test Race" in result.stdout


def test_replay_rmonitor_reports_garbage_once_and_goes_on(tmp_path: object) -> None:
    capture = tmp_path / "garbage.txt"  # type: ignore[operator]
    capture.write_bytes(
        b'$B,1,"Sprint Race"\r\n$C,1,"GT4"\r\n$A,"7","7",1,"Team","Seven","",1\r\n'
        b"\x00\x01garbage\r\n\x00\x01garbage\r\n"
        b'$J,"7","00:01:40.000","00:01:40.000"\n$G,1,"7",1,"00:01:40.000"\r$G,1,"7"\n'
    )
    result = runner.invoke(app, ["replay", "rmonitor", str(capture), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("x01garbage") == 1 and "line 4: not an RMonitor record" in result.stderr
    assert "line 8: truncated $G record" in result.stderr
    document = orjson.loads(result.stdout)
    assert [(r["number"], r["laps"], r["class"]) for r in document["results"]] == [("7", 1, "GT4")]


def test_replay_rmonitor_missing_file_is_one_line_and_exit_2(tmp_path: object) -> None:
    import sys

    from chequered.cli.app import main

    argv = sys.argv
    sys.argv = ["chequered", "replay", "rmonitor", str(tmp_path / "none.txt")]  # type: ignore[operator]
    try:
        with pytest.raises(SystemExit) as info:
            main()
    finally:
        sys.argv = argv
    assert info.value.code == 2


def test_replay_session_from_the_store(database_url: str) -> None:
    from chequered import rulebooks
    from chequered.core.documents import classification_document
    from chequered.core.events import LapCompleted
    from chequered.store.store import Store
    from tests.conftest import FixedClock
    from tests.store import season_fixture
    from tests.web.conftest import RACE

    store = Store.open(database_url, FixedClock(), rulebooks.load)
    try:
        store.seed_season(season_fixture.season(), season_fixture.entries(), None)
        store.append(RACE, [LapCompleted(lap) for lap in season_fixture.race_laps(20)], "test")
        stored = store.state(RACE, store.position(RACE)).classification
    finally:
        store.close()
    args = ["replay", "session", RACE, "--database-url", database_url, "--format", "json", "--speed", "5000"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    document = orjson.loads(result.stdout)
    want = classification_document(stored)["results"]
    got = [r for r in document["results"] if r["laps"]]  # the board also lists entered cars that did not run
    assert got == want
    missing = runner.invoke(app, ["replay", "session", "nope", "--database-url", database_url])
    assert missing.exit_code != 0
