"""A session's kind from what its timing says, the name a hint only."""

from __future__ import annotations

from pathlib import Path

import pytest

from chequered.core.model import Lap, SessionKind
from chequered.core.session_kind import kind_from_name, read_kind
from chequered.importers import alkamel
from tests.conftest import ALKAMEL, real_file


def _lap_files() -> list[Path]:
    if not ALKAMEL.exists():
        return []
    return sorted(
        p for p in ALKAMEL.rglob("*") if p.suffix.lower() == ".csv" and b"LAP_NUMBER" in p.read_bytes()[:400]
    )


def _stated(path: Path) -> SessionKind:
    """The kind the organiser's file name states (every real file in the set is named for its session)."""
    name = path.name.lower()
    if "qualif" in name:
        return SessionKind.QUALIFYING
    return SessionKind.PRACTICE if "practice" in name else SessionKind.RACE


@pytest.mark.parametrize("path", _lap_files(), ids=lambda p: p.name)
def test_every_real_file_reads_as_the_session_it_was_from_its_timing(path: Path) -> None:
    laps = alkamel.read_laps(real_file(path)).laps
    reading = read_kind(laps, path.name)
    assert reading.kind is _stated(path)
    assert reading.source == "timing", reading.reason
    # The name is a hint only: a race read without its name is still a race; practice and qualifying
    # without a name both read as cars running as they liked.
    unnamed = read_kind(laps, "laps.csv").kind
    assert unnamed is (SessionKind.RACE if _stated(path) is SessionKind.RACE else SessionKind.PRACTICE)


def _race(cars: int = 10, laps: int = 20) -> list[Lap]:
    """All cars away together, all taking the flag one lap after the leader's time runs out."""
    return [
        Lap(str(car), n, 100_000 + car * 10, n * (100_000 + car * 10), in_pit=False)
        for car in range(1, cars + 1)
        for n in range(1, laps + 1)
    ]


def _practice(cars: int = 10) -> list[Lap]:
    """Cars going out when they like, in for a while and out again, stopping when they like."""
    laps = []
    for car in range(1, cars + 1):
        t = car * 400_000  # out one after another, minutes apart
        for n in range(1, 4 + car):
            t += 100_000
            laps.append(Lap(str(car), n, 100_000, t, in_pit=n % 3 == 0))
            if n % 3 == 0:
                t += 600_000
    return laps


@pytest.mark.parametrize("name", ["202402011040-warm-up-laps.csv", "202401201330-session-3-laps.csv"])
def test_imsa_test_day_sessions_are_not_races(name: str) -> None:
    assert read_kind(_practice(), name).kind is SessionKind.PRACTICE
    assert read_kind(_practice(), name).source == "timing"


def test_the_roars_qualifying_race_is_a_race() -> None:
    reading = read_kind(_race(), "202401211340-qualifying-race-laps.csv")
    assert (reading.kind, reading.source) == (SessionKind.RACE, "timing")
    assert kind_from_name("202401211340-qualifying-race-laps.csv") is SessionKind.RACE


def test_the_timing_outweighs_a_race_name_and_the_given_kind_outweighs_both() -> None:
    assert read_kind(_practice(), "race-laps.csv").kind is SessionKind.PRACTICE
    given = read_kind(_race(), "race-laps.csv", SessionKind.QUALIFYING)
    assert (given.kind, given.source) == (SessionKind.QUALIFYING, "given")


def test_a_qualifying_run_like_a_sprint_race_is_what_its_name_says() -> None:
    """Every car out at the green and taking the flag, no pit visits: a GT4 qualifying times like a race."""
    for name, kind in (
        ("Qualifying 1", SessionKind.QUALIFYING),
        ("free-practice-1-laps.csv", SessionKind.PRACTICE),
    ):
        reading = read_kind(_race(), name)
        assert (reading.kind, reading.source) == (kind, "name")
        assert "reads like a race" in reading.reason
    assert read_kind(_race(), "laps.csv").kind is SessionKind.RACE


def test_with_too_few_cars_the_name_decides() -> None:
    reading = read_kind(_race(cars=2), "qualifying-laps.csv")
    assert (reading.kind, reading.source) == (SessionKind.QUALIFYING, "name")
    assert read_kind(_race(cars=2), "laps.csv").source == "default"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("23_Analysis_Race_Hour 6.CSV", SessionKind.RACE),
        ("23_Analysis_Qualifying Practice.CSV", SessionKind.QUALIFYING),
        ("23_Analysis_Free Practice 1.CSV", SessionKind.PRACTICE),
        ("Warm Up", SessionKind.PRACTICE),
        ("HPDE Group 2", SessionKind.PRACTICE),
        ("Sunday", None),
    ],
)
def test_kind_from_name(name: str, kind: SessionKind | None) -> None:
    assert kind_from_name(name) is kind
