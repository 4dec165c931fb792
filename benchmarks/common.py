"""Helpers shared by benchmarks: timing a callable, locating the real data, printing a figure."""

from __future__ import annotations

import time
from collections.abc import Callable
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


def needs(path: Path) -> bool:
    if path.exists():
        return True
    print(f"  skipped: {path} is absent (../shared/data is only in the team's checkout)")
    return False
