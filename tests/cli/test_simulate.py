"""``chequered simulate weekend``: files for every session that the importer reads back to the same
classification (``classify --results`` reports N/N), byte for byte the same for the same seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from chequered.cli.app import _register, app
from chequered.seasons import load_season
from chequered.sim.weekend import simulate_weekend

_register()
runner = CliRunner()


def _simulate(out: Path, seed: int = 7, round_: int = 2) -> None:
    result = runner.invoke(
        app,
        [
            "simulate",
            "weekend",
            "--season",
            "gt4-europe-2023",
            "--round",
            str(round_),
            "--seed",
            str(seed),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "6 sessions, 57 cars, 18 files" in result.output or round_ != 2


@pytest.fixture(scope="module")
def weekend_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("weekend")
    _simulate(out)
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_session_is_written_in_the_al_kamel_layout(weekend_dir: Path) -> None:
    folders = sorted(p.name for p in weekend_dir.iterdir())
    assert folders == [
        "202306021125_Free Practice 1",
        "202306021730_Free Practice 2",
        "202306030915_Qualifying 1",
        "202306030945_Qualifying 2",
        "202306031450_Race 1",
        "202306041130_Race 2",
    ]
    for folder in weekend_dir.iterdir():
        name = folder.name.split("_", 1)[1]
        assert (folder / f"23_AnalysisEnduranceWithSections_{name}.CSV").exists()
        assert (folder / f"03_Classification_{name}.CSV").exists()


def test_classify_reads_every_session_back_to_the_same_classification(weekend_dir: Path) -> None:
    for folder in sorted(weekend_dir.iterdir()):
        name = folder.name.split("_", 1)[1]
        result = runner.invoke(
            app,
            [
                "classify",
                str(folder / f"23_AnalysisEnduranceWithSections_{name}.CSV"),
                "--results",
                str(folder / f"03_Classification_{name}.CSV"),
                "--penalties",
                str(folder / "decisions.csv"),
                "--rules",
                "gt4-europe-2023",
                "--format",
                "csv",
            ],
        )
        assert result.exit_code == 0, result.output
        assert result.output.rstrip().endswith("57/57 cars match"), (name, result.output[-500:])


def test_compliance_check_finds_only_what_the_simulator_injected(weekend_dir: Path) -> None:
    folder = weekend_dir / "202306031450_Race 1"
    result = runner.invoke(
        app,
        [
            "check",
            str(folder / "23_AnalysisEnduranceWithSections_Race 1.CSV"),
            "--results",
            str(folder / "03_Classification_Race 1.CSV"),
            "--rules",
            "gt4-europe-2023",
        ],
    )
    assert result.exit_code == 0, result.output
    race_1 = simulate_weekend(load_season("gt4-europe-2023"), 2, 7).sessions[4]
    assert race_1.injected
    found = {tuple(line.strip().split(":")[0].split(" ", 1)) for line in result.output.splitlines()[1:]}
    found = {f for f in found if f[0].startswith("#")}
    assert found == {(f"#{i.car}", i.rule) for i in race_1.injected}


def test_same_seed_same_bytes_other_seed_other_bytes(weekend_dir: Path, tmp_path: Path) -> None:
    _simulate(tmp_path / "again")
    _simulate(tmp_path / "other", seed=8)
    assert _files(tmp_path / "again") == _files(weekend_dir)
    other = _files(tmp_path / "other")
    assert other.keys() == _files(weekend_dir).keys()
    assert all(other[k] != v for k, v in _files(weekend_dir).items() if k.endswith(".CSV"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--round", "9", "--seed", "1", "--out", "x"], "no round 9; rounds: 1, 2, 3, 4, 5, 6"),
        (["--season", "f1-1950", "--round", "1", "--seed", "1", "--out", "x"], "no season 'f1-1950'"),
        (["--round", "1", "--seed", "1"], "say where the weekend goes"),
        (["--round", "1", "--seed", "1", "--rmonitor", "nowhere"], "HOST:PORT"),
        (["--round", "1", "--seed", "1", "--live", "--session", "Q9"], "no session 'Q9'"),
    ],
)
def test_bad_options_are_refused_with_a_reason(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["simulate", "weekend", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_rmonitor_option_serves_the_session_over_tcp() -> None:
    """The command itself, in its own process, serving Q1 to a client over a real TCP connection."""
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "chequered.cli", "simulate", "weekend", "--round", "2", "--seed", "7"]
    command += ["--rmonitor", f"127.0.0.1:{port}", "--session", "Q1", "--speed", "100000"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                client = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except ConnectionRefusedError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        chunks = []
        with client:
            while chunk := client.recv(65536):
                chunks.append(chunk)
        lines = b"".join(chunks).decode("ascii").split("\r\n")
        assert lines[0] == '$B,1,"Qualifying 1"'
        assert sum(line.startswith("$A,") for line in lines) == 57
        assert any(line.startswith("$H,1,") for line in lines)
        assert lines[-2].startswith("$F,") and lines[-2].endswith('"Finish"')
    finally:
        server.terminate()
        server.wait(timeout=10)
