"""Import + classify of the longest real races, beside the floor of a plain ``csv.reader`` pass.

Goal (issue 2): import + classify within 3x of the csv.reader floor. The whole ``chequered classify``
command beside a ``pandas.read_csv`` process is in ``bench_startup``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from benchmarks.common import ALKAMEL, best_of, figure, instructions, needs
from chequered.core.classification import classify
from chequered.core.model import Session, SessionKind
from chequered.core.rulebook import DEFAULT_RULEBOOK
from chequered.importers import alkamel

FILES = {
    "Sebring 12 h 2024 (16,836 laps)": ALKAMEL
    / "imsa-tobi-imsa_data/data/2024/05-sebring-international-raceway/202403160940-race-laps.csv",
    "Le Mans 24 h 2024 (15,593 laps)": ALKAMEL / "wec-y047aka-elm-motorsport-analysis/2024/le_mans_24h.csv",
}
RACE = Session("race", "Race", SessionKind.RACE)


def _csv_pass(path: object) -> None:
    with open(path, newline="", encoding="utf-8-sig") as handle:  # type: ignore[call-overload]
        for _ in csv.reader(handle, delimiter="," if "imsa" in str(path) else ";"):
            pass


def _import_and_classify(path: object) -> None:
    timing = alkamel.read_laps(path)  # type: ignore[arg-type]
    classify(RACE, timing.entries, timing.laps, [], DEFAULT_RULEBOOK)


# The floor and import + classify, each run once before the counted run (imports, warm-up).
_COUNTED = """
import sys
from pathlib import Path
from benchmarks.bench_classify import _csv_pass, _import_and_classify
action, path = sys.argv[1], Path(sys.argv[2])
_csv_pass(path); _import_and_classify(path)
if action == "floor": _csv_pass(path)
if action == "ours": _import_and_classify(path)
"""


def instruction_ratio(path: Path) -> None:
    """Instructions, not wall time: the same on a quiet and on a busy machine."""
    counts = instructions(_COUNTED, ("floor", "ours"), str(path))
    if counts is None:
        return
    figure("Sebring: csv.reader pass, instructions (callgrind)", counts["floor"] / 1e6, "M")
    figure("Sebring: import + classify, instructions", counts["ours"] / 1e6, "M")
    figure("Sebring: ratio of instructions to the floor's", counts["ours"] / counts["floor"], "x")


def _paired(path: Path, repeat: int = 11) -> tuple[float, float]:
    """The fastest floor and the fastest import + classify of ``repeat`` runs taken in turns, so that
    both see the same moments of a machine whose speed varies from minute to minute."""
    floor, ours = float("inf"), float("inf")
    for _ in range(repeat):
        floor = min(floor, best_of(1, lambda: _csv_pass(path)))
        ours = min(ours, best_of(1, lambda: _import_and_classify(path)))
    return floor, ours


def main() -> None:
    for name, path in FILES.items():
        if not needs(path):
            continue
        floor, ours = _paired(path)
        figure(f"{name}: csv.reader pass (floor)", floor * 1000, "ms")
        figure(f"{name}: import + classify", ours * 1000, "ms")
        figure(f"{name}: ratio to the floor", ours / floor, "x", "<= 3x")
    sebring = next(iter(FILES.values()))
    if not needs(sebring):
        return
    instruction_ratio(sebring)
