"""``chequered standings``, ``scenarios`` and ``check`` end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chequered.cli.app import _register, app
from tests.conftest import IMSA, real_file
from tests.core.test_standings import season_csv
from tests.importers.alkamel.season_dirs import imsa_three_races

_register()
runner = CliRunner()
LONG_BEACH = IMSA / "2023" / "08-long-beach-street-circuit"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from chequered.cli.app import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)


@pytest.fixture
def season(tmp_path: Path) -> Path:
    path = tmp_path / "RESULTS.csv"
    path.write_text(season_csv())
    return path


def test_standings_json_shape(season: Path) -> None:
    outcome = runner.invoke(
        app,
        [
            "standings",
            "--rules",
            "gt4-europe-2023",
            "--results",
            str(season),
            "--class",
            "Silver",
            "--format",
            "json",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    document = json.loads(outcome.stdout)
    first = document["standings"][0]
    assert set(first) == {"position", "driver", "class", "points", "results", "dropped"}
    assert (first["position"], first["driver"], first["class"], first["points"]) == (1, "B1", "Silver", 237)
    a1 = next(s for s in document["standings"] if s["driver"] == "A1")
    assert a1["points"] == 233.5
    half = next(r for r in a1["results"] if (r["round"], r["session"]) == (5, "R2"))
    assert half == {
        "round": 5,
        "session": "R2",
        "type": "race",
        "number": "1",
        "place": 1,
        "status": "classified",
        "points": 12.5,
        "pole": False,
        "fastest_lap": False,
        "dropped": False,
        "finish": 1,
        "scores": True,
    }


def test_standings_after_a_round_and_teams(season: Path) -> None:
    outcome = runner.invoke(
        app,
        [
            "standings",
            "--rules",
            "gt4-europe-2023",
            "--results",
            str(season),
            "--after",
            "1",
            "--format",
            "json",
        ],
    )
    points = {(s["driver"], s["class"]): s["points"] for s in json.loads(outcome.stdout)["standings"]}
    assert points[("A1", "Silver")] == 52 and points[("F1", "Am")] == 52
    outcome = runner.invoke(
        app,
        ["standings", "--rules", "gt4-europe-2023", "--results", str(season), "--teams", "--format", "json"],
    )
    teams = {(s["team"], s["class"]): s["points"] for s in json.loads(outcome.stdout)["standings"]}
    assert teams[("T4", "Am")] == 488.5


def test_standings_table_and_csv(season: Path) -> None:
    table = runner.invoke(
        app, ["standings", "--rules", "gt4-europe-2023", "--results", str(season), "--class", "Am"]
    )
    assert table.exit_code == 0
    assert "F1" in table.stdout and "299.5" in table.stdout
    assert "1P 1P 25 25" in table.stdout  # round 1: two poles, two wins
    csv_out = runner.invoke(
        app,
        [
            "standings",
            "--rules",
            "gt4-europe-2023",
            "--results",
            str(season),
            "--class",
            "Am",
            "--format",
            "csv",
        ],
    )
    lines = csv_out.stdout.strip().splitlines()
    assert lines[0] == "position,driver,class,points,round_1,round_2,round_3,round_4,round_5,round_6,dropped"
    assert lines[1].startswith("1,F1,Am,299.5,1P 1P 25 25,")


@pytest.mark.realdata
def test_standings_from_a_season_directory_of_al_kamel_files(tmp_path: Path) -> None:
    """The three IMSA races (Long Beach 2023, Watkins Glen 2023, Sebring 2024) scored per class. GTP:
    #6 Tandy / Jaminet won Long Beach and Watkins Glen (350 + 350) and were 9th at Sebring (220): 920,
    level with #25 Yelloly / De Phillippi (320 + 320 + 280) and ahead on countback (two wins to none)."""
    directory = imsa_three_races(tmp_path / "season")
    outcome = runner.invoke(
        app,
        [
            "standings",
            "--rules",
            "imsa-2023",
            "--results",
            str(directory),
            "--class",
            "GTP",
            "--format",
            "json",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    table = json.loads(outcome.stdout)["standings"]
    top = [(s["position"], s["driver"], s["points"]) for s in table[:4]]
    assert top == [
        (1, "Mathieu Jaminet", 920),
        (1, "Nick Tandy", 920),
        (3, "Connor De Phillippi", 920),
        (3, "Nick Yelloly", 920),
    ]
    assert [r["place"] for r in table[0]["results"]] == [1, 1, 9]
    outcome = runner.invoke(
        app,
        ["scenarios", "--rules", "imsa-2023", "--results", str(directory), "--after", "3", "--class", "GTP"],
    )
    assert "GTP after round 3: Mathieu Jaminet / Nick Tandy cannot be caught" in outcome.stdout
    assert (
        "(#25) 920 pts, max 920: out of contention; can no longer win: level on points at best"
        in outcome.stdout
    )
    for car_class in ("GTD", "GTDPRO", "LMP2", "LMP3"):
        outcome = runner.invoke(
            app, ["standings", "--rules", "imsa-2023", "--results", str(directory), "--class", car_class]
        )
        assert outcome.exit_code == 0, outcome.output


def test_scenarios_command(season: Path) -> None:
    outcome = runner.invoke(
        app,
        [
            "scenarios",
            "--rules",
            "gt4-europe-2023",
            "--results",
            str(season),
            "--after",
            "5",
            "--class",
            "Am",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    # F1/F2 lead G1/G2 247.5 to 171 with 52 left: champions already
    assert "Am after round 5: F1 / F2 cannot be caught" in outcome.stdout
    outcome = runner.invoke(
        app,
        [
            "scenarios",
            "--rules",
            "gt4-europe-2023",
            "--results",
            str(season),
            "--after",
            "5",
            "--class",
            "Silver",
            "--format",
            "json",
        ],
    )
    document = json.loads(outcome.stdout)["scenarios"][0]
    assert document["points_available"] == 52
    # A1 (#1) 203.5, A2 (#3) 192.5, B1 / B2 (#2) 185 with one round (Q1, Q2, R1, R2) left
    by_car = {c["car"]: c for c in document["contenders"] if c["can_win"]}
    assert sorted(by_car) == ["1", "2", "3"]
    assert by_car["3"]["needs"] == ["wins the title if they win round 6 R1 and win round 6 R2"]
    c1 = next(c for c in document["contenders"] if c["drivers"] == ["C1"])
    assert c1["needs"] == ["can no longer win: crew-mate A2 scores the same and is ahead"]


@pytest.mark.realdata
def test_check_command_on_imsa() -> None:
    laps = real_file(LONG_BEACH / "202304151405-race-laps.csv")
    outcome = runner.invoke(
        app,
        [
            "check",
            str(laps),
            "--rules",
            "gt4-europe-2023",
            "--results",
            str(LONG_BEACH / "202304151405-race-results.csv"),
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    assert "#31 minimum driving time: Alexander Sims drove 12:00.912, minimum 25:00.000" in outcome.stdout
    as_json = runner.invoke(app, ["check", str(laps), "--rules", "imsa-2023", "--format", "json"])
    document = json.loads(as_json.stdout)
    assert document["rulebook"] == "imsa-2023" and document["cars"] == 25


BAD_RESULTS = [
    ("round,session\n1,R1\n", "line 1, column session_type: header has no 'session_type' column"),
    (
        "round,session,session_type,number,status,colour\n",
        "line 1, column colour: unknown column 'colour'",
    ),
    (
        "round,session,session_type,number,status\nx,R1,race,7,classified\n",
        "line 2, column round: 'x' is not",
    ),
    (
        "round,session,session_type,number,status\n1,R1,heat,7,classified\n",
        "line 2, column session_type: 'heat'",
    ),
    ("round,session,session_type,number,status\n1,R1,race,7,finished\n", "line 2, column status: 'finished'"),
    (
        "round,session,session_type,number,status,position\n1,R1,race,7,classified,1\n1,R1,race,7,classified,2\n",
        "line 3, column number: car 7 appears twice in round 1 R1 (first on line 2)",
    ),
    (
        "round,session,session_type,number,status,position,distance_fraction\n1,R1,race,7,classified,1,1.5\n",
        "line 2, column distance_fraction: 1.5 is not between 0 and 1",
    ),
    (
        "round,session,session_type,number,status,position,scores\n1,R1,race,7,classified,1,maybe\n",
        "line 2, column scores: 'maybe' is not true or false",
    ),
    ("round,session,session_type,number,status\n1,R1,race,7\n", "line 2: 4 fields, the header has 5"),
    ("round,session,session_type,number,status\n", "line 2: no result rows"),
    ("", "line 1: the file is empty"),
]


@pytest.mark.parametrize(("content", "expected"), BAD_RESULTS)
def test_bad_results_files_give_one_clear_line(tmp_path: Path, content: str, expected: str) -> None:
    bad = tmp_path / "RESULTS.csv"
    bad.write_text(content)
    outcome = _cli("standings", "--rules", "gt4-europe-2023", "--results", str(bad))
    assert outcome.returncode == 2
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, outcome.stderr
    assert lines[0].startswith(f"chequered: error: {bad}")
    assert expected in lines[0]


@pytest.mark.parametrize(
    ("rulebook", "expected"),
    [
        ('[rulebook]\nid = "x"\n[points]\nrace = [25, 30]\n', "points.race: must not increase"),
        ('[rulebook]\nid = "x"\n[pit]\nwindow = 25\n', "pit.window: is not a known key"),
        ('[rulebook]\nid = "x"\n[scoring]\ncrew_share = 1\n', "scoring.crew_share: must be a string"),
    ],
)
def test_bad_rulebooks_give_one_clear_line(
    tmp_path: Path, season: Path, rulebook: str, expected: str
) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text(rulebook)
    outcome = _cli("standings", "--rules", str(bad), "--results", str(season))
    assert outcome.returncode == 2
    lines = outcome.stderr.strip().splitlines()
    assert lines == [f"chequered: error: {bad}: {expected}"] or (len(lines) == 1 and expected in lines[0]), (
        outcome.stderr
    )


def test_unknown_class_and_round_are_usage_errors(season: Path) -> None:
    outcome = runner.invoke(
        app, ["standings", "--rules", "gt4-europe-2023", "--results", str(season), "--class", "Pro"]
    )
    assert outcome.exit_code == 2
    outcome = runner.invoke(
        app, ["scenarios", "--rules", "gt4-europe-2023", "--results", str(season), "--after", "9"]
    )
    assert outcome.exit_code == 2


@pytest.mark.realdata
def test_minimum_driving_time_to_score_from_the_lap_files(tmp_path: Path) -> None:
    """With a 25-minute minimum, Alexander Sims (#31, 12:00.912 at the wheel at Long Beach, see
    tests/core/test_compliance.py) does not score Long Beach's 5th place in GTP (260); Pipo Derani does."""
    rules = tmp_path / "imsa-min-drive.toml"
    rules.write_text(
        '[rulebook]\nid = "imsa-min-drive"\n[points]\nscope = "class"\n'
        "race = [350, 320, 300, 280, 260, 250, 240, 230, 220, 210]\n[scoring]\nmin_drive_minutes = 25\n"
    )
    outcome = runner.invoke(
        app,
        [
            "standings",
            "--rules",
            str(rules),
            "--results",
            str(real_file(LONG_BEACH)),
            "--class",
            "GTP",
            "--format",
            "json",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    table = {s["driver"]: s for s in json.loads(outcome.stdout)["standings"]}
    assert table["Pipo Derani"]["points"] == 260
    assert table["Alexander Sims"]["points"] == 0
    assert table["Alexander Sims"]["results"][0]["place"] == 5


@pytest.mark.realdata
def test_check_with_the_previous_race_for_success_penalties(tmp_path: Path) -> None:
    """#31 was 5th in GTP at Long Beach; with 10 s for a 5th place the 60 s minimum becomes 70 s and its
    1:08.045 stop is short. Without the previous race it is long enough."""
    laps = real_file(LONG_BEACH / "202304151405-race-laps.csv")
    results = LONG_BEACH / "202304151405-race-results.csv"
    rules = tmp_path / "success.toml"
    rules.write_text(
        '[rulebook]\nid = "success"\n[pit]\nmin_stop_s = 60\nsuccess_penalty_s = [1, 2, 3, 4, 10]\n'
    )
    plain = runner.invoke(app, ["check", str(laps), "--rules", str(rules), "--results", str(results)])
    assert "#31 " not in plain.stdout
    heavy = runner.invoke(
        app,
        ["check", str(laps), "--rules", str(rules), "--results", str(results), "--previous", str(results)],
    )
    assert (
        "#31 minimum stop time: stop 1 (in-lap 6) took 1:08.045 pit entry to exit, minimum 1:10.000 "
        "incl. success penalty for P5" in heavy.stdout
    )
