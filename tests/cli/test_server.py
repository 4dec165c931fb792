"""The server commands: token create/list/revoke, import alkamel, and serve (seeding the GT4 season)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from chequered import rulebooks
from chequered.cli.app import _register, app
from chequered.cli.server import seed_packaged
from chequered.store.store import Store
from tests.conftest import GRCUP, FixedClock, real_file

_register()
runner = CliRunner()


def test_tokens_are_shown_once_listed_and_revoked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    created = runner.invoke(
        app, ["token", "create", "--role", "steward", "--label", "race control", "--database-url", url]
    )
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[0]
    assert token.startswith("chq_")
    store = Store.open(url, FixedClock(), rulebooks.load)
    info = store.verify_token(token)
    assert info is not None and info.role.value == "steward"
    listed = runner.invoke(app, ["token", "list", "--database-url", url]).stdout
    assert info.id in listed and "race control" in listed and token not in listed
    assert runner.invoke(app, ["token", "revoke", info.id, "--database-url", url]).exit_code == 0
    revoked = store.verify_token(token)
    assert revoked is not None and revoked.revoked_at is not None
    bad = runner.invoke(app, ["token", "create", "--role", "root", "--database-url", url])
    assert bad.exit_code == 2 and "'root' is not a role" in bad.output
    store.close()


@pytest.mark.realdata
def test_import_alkamel_twice_stores_once(tmp_path: Path) -> None:
    laps = real_file(GRCUP / "analysis_endurance/barber_r1_analysis_endurance.csv")
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    first = runner.invoke(
        app, ["import", "alkamel", str(laps), "--session", "barber-r1", "--database-url", url]
    )
    assert first.exit_code == 0, first.output
    assert "created session barber-r1 (race" in first.stdout and "0 already stored" in first.stdout
    second = runner.invoke(
        app, ["import", "alkamel", str(laps), "--session", "barber-r1", "--database-url", url]
    )
    assert " 0 events appended" in second.stdout
    broken = tmp_path / "broken.csv"
    broken.write_text("NUMBER;LAP_NUMBER\n7;1\n")
    failed = runner.invoke(app, ["import", "alkamel", str(broken), "--session", "x", "--database-url", url])
    assert failed.exit_code != 0 and isinstance(failed.exception, Exception)


@pytest.mark.realdata
def test_import_withdraw_takes_the_import_back(tmp_path: Path) -> None:
    laps = real_file(GRCUP / "analysis_endurance/barber_r1_analysis_endurance.csv")
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    imported = runner.invoke(app, ["import", "alkamel", str(laps), "--session", "r1", "--database-url", url])
    assert imported.exit_code == 0, imported.output
    import_id = imported.stdout.split("import ")[1].split(",")[0]
    withdraw = ["import", "withdraw", import_id, "--session", "r1", "--database-url", url]
    withdrawn = runner.invoke(app, [*withdraw, "--reason", "wrong round"])
    assert withdrawn.exit_code == 0, withdrawn.output
    assert f"import {import_id} of session r1 withdrawn" in withdrawn.stdout
    again = runner.invoke(app, withdraw)
    assert again.exit_code != 0 and "withdrawn already" in str(again.exception)  # main() prints it
    store = Store.open(url, FixedClock(), rulebooks.load)
    try:
        assert store.state("r1", store.position("r1")).laps == ()
        assert store.events("r1")[-1].actor.startswith("cli:")
    finally:
        store.close()


def test_seeding_the_packaged_gt4_season(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}", FixedClock(), rulebooks.load)
    assert seed_packaged(store, "gt4-europe-2023")
    assert not seed_packaged(store, "gt4-europe-2023")
    rounds = store.rounds("gt4-europe-2023")
    assert len(rounds) == 6 and rounds[0].circuit.timezone == "Europe/Rome"
    assert all(len(r.sessions) >= 4 for r in rounds)
    assert store.season("gt4-europe-2023").rulebook == "gt4-europe-2023"
    assert store.season_entries("gt4-europe-2023")
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_seeds_on_first_start_and_serves_the_index(tmp_path: Path) -> None:
    port = _free_port()
    chequered = str(Path(sys.executable).parent / "chequered")
    server = subprocess.Popen(
        [chequered, "serve", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    html = page.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("chequered serve did not answer within 30 s")
        assert "GT4 European Series" in html and "2023" in html and 'href="/docs"' in html
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/seasons/gt4-europe-2023/rounds") as rounds:
            assert len(orjson.loads(rounds.read())) == 6
        assert (tmp_path / "chequered.sqlite").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)


def _listening_inodes(port: int) -> set[str]:
    """The inodes of the sockets listening on ``port`` (IPv4, from /proc/net/tcp)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # 0A: LISTEN
            inodes.add(fields[9])
    return inodes


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().as_posix()
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads /proc (Linux)")
def test_serve_workers_share_the_port_and_stop_with_it(tmp_path: Path) -> None:
    port = _free_port()
    chequered = str(Path(sys.executable).parent / "chequered")
    server = subprocess.Popen(
        [chequered, "serve", "--port", str(port), "--workers", "3", "--no-access-log"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        for _ in range(300):
            workers = [
                int(p) for p in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            ]
            if len(workers) == 2 and len(_listening_inodes(port)) == 3:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"no three processes listening on {port} within 30 s: workers {workers}")
        listening = _listening_inodes(port)
        for pid in (server.pid, *workers):  # each process its own socket on the one port
            assert len(_socket_inodes(pid) & listening) == 1
        for _ in range(20):  # new connections, spread by the kernel: every one answered
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/seasons", timeout=10) as reply:
                assert reply.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    for pid in workers:  # the workers end with the command, not left behind
        for _ in range(300):
            if not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"worker {pid} still running 30 s after the server was stopped")
