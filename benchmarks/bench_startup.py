"""Start-up a person notices, as whole processes: ``chequered --help``, and ``chequered classify`` of the
Sebring 12 hours beside a process that runs ``pandas.read_csv`` alone on the same file.

Goals (issue 13): ``--help`` under 150 ms; ``classify`` no slower than the pandas process. pandas runs from
its own environment, installed plainly with pip (``.venv-pandas``, made on first use; or the environment
named by ``CHEQUERED_PANDAS_VENV``), so neither side pays for how the other is installed. The two
commands run in turns, so both see the same moments of a shared machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.bench_classify import FILES
from benchmarks.common import figure, needs

ROOT = Path(__file__).resolve().parents[1]
CHEQUERED = Path(sys.executable).parent / "chequered"
RUNS = 15


def _pandas_python() -> Path | None:
    venv = Path(os.environ.get("CHEQUERED_PANDAS_VENV", ROOT / ".venv-pandas"))
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"  making {venv}: python3.11 -m venv, pip install pandas", flush=True)
        try:
            subprocess.run(["python3.11", "-m", "venv", str(venv)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", "pandas"], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"  skipped: no pandas environment ({exc})")
            return None
    return python


def _once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _in_turns(commands: dict[str, list[str]], runs: int = RUNS) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        _once(command)  # warm the file cache
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(_once(command))
    return times


def _report(name: str, seconds: list[float], goal: str = "") -> None:
    figure(f"{name}: fastest", min(seconds) * 1000, "ms", goal)
    figure(f"{name}: median", statistics.median(seconds) * 1000, "ms")


def main() -> None:
    help_times = _in_turns({"help": [str(CHEQUERED), "--help"]})["help"]
    _report("`chequered --help`, whole process", help_times, "< 150 ms")
    sebring = next(iter(FILES.values()))
    python = _pandas_python()
    if not needs(sebring) or python is None:
        return
    times = _in_turns(
        {
            "ours": [str(CHEQUERED), "classify", str(sebring), "--format", "json"],
            "pandas": [str(python), "-c", f"import pandas; pandas.read_csv({str(sebring)!r})"],
        }
    )
    _report("Sebring: `chequered classify`, whole process", times["ours"])
    _report("Sebring: pandas.read_csv alone (own pip venv), whole process", times["pandas"])
    figure("Sebring: classify / pandas, fastest", min(times["ours"]) / min(times["pandas"]), "x", "<= 1x")
    ratio = statistics.median(times["ours"]) / statistics.median(times["pandas"])
    figure("Sebring: classify / pandas, median", ratio, "x", "<= 1x")
