"""Helpers shared by benchmarks: timing a callable, locating the real data, printing a figure."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ALKAMEL = SHARED_DATA / "timing" / "alkamel"


def best_of(repeat: int, action: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by the rest of the machine)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def figure(name: str, value: float, unit: str, goal: str = "") -> None:
    suffix = f"   (goal: {goal})" if goal else ""
    print(f"  {name:<58} {value:>12,.1f} {unit}{suffix}", flush=True)


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(len(ordered) * pct / 100 + 0.999999) - 1))]


def load_average() -> str:
    """The machine's 1-minute load average, to print beside a figure (2 cores shared by many)."""
    return f"{os.getloadavg()[0]:.1f}"


def needs(path: Path) -> bool:
    if path.exists():
        return True
    print(f"  skipped: {path} is absent (../shared/data is only in the team's checkout)")
    return False


def instructions(script: str, actions: Sequence[str], *args: str) -> dict[str, float] | None:
    """Instructions each action executes, counted by callgrind: the same on a quiet and on a busy day.

    ``script`` runs with ``sys.argv[1]`` the action's name (or ``none``) and ``args`` after it; it is
    to do its set-up and a first run of every action, then the named action once more. Each action's
    count less the ``none`` run's is that one run. None when valgrind is not installed.
    """
    if shutil.which("valgrind") is None:
        print("  skipped: instruction counts need valgrind")
        return None
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": f"{root}{os.pathsep}{root / 'src'}"}

    def count(action: str) -> int:
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable]
        done = subprocess.run(
            [*command, "-c", script, action, *args], env=env, capture_output=True, text=True, check=True
        )
        found = re.search(r"Collected : (\d+)", done.stderr)
        if found is None:
            raise RuntimeError(f"callgrind printed no count: {done.stderr[-300:]}")
        return int(found.group(1))

    with ThreadPoolExecutor(2) as pool:
        none, *counts = pool.map(count, ("none", *actions))
    return {action: counted - none for action, counted in zip(actions, counts, strict=True)}
