"""``make run`` = ``chequered serve --demo``: a newcomer sees a simulated race running live at once."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SESSION = "2023-paul-ricard-R1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return json.loads(answer.read())  # type: ignore[no-any-return]
    except OSError:
        return None


@pytest.mark.slow
def test_serve_demo_streams_a_simulated_race_into_the_store(tmp_path: Path) -> None:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "chequered.cli",
        "serve",
        "--demo",
        "--port",
        str(port),
        "--no-access-log",
    ]
    server = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        laps = 0
        deadline = time.monotonic() + 120
        while laps == 0 and time.monotonic() < deadline:
            time.sleep(1)
            document = _get(f"http://127.0.0.1:{port}/api/sessions/{SESSION}/classification")
            if document is not None:
                laps = max(int(r["laps"]) for r in document["results"])  # type: ignore[index, union-attr]
        assert laps > 0, "the simulated race never reached the store"
        # before the live race, the rest of the season was stored and published
        monza = _get(f"http://127.0.0.1:{port}/api/sessions/2023-monza-R2/classification")
        assert monza is not None and len(monza["results"]) > 40  # type: ignore[arg-type, index]
    finally:
        server.send_signal(signal.SIGINT)
        out, _ = server.communicate(timeout=30)
    assert f"live: http://127.0.0.1:{port}/live/{SESSION}" in out
    # The simulator process is gone with the server: nothing keeps writing.
    time.sleep(1)
    assert not any(
        f"--database-url sqlite:///{tmp_path}" in line
        for line in subprocess.run(
            ["ps", "-eo", "args"], capture_output=True, text=True, check=True
        ).stdout.splitlines()
    )
