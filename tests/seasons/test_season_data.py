"""The 2023 entry list: the file's own consistency and the facts gathered from public race reports; and the
loader's checks on entries and known results."""

from __future__ import annotations

from collections import Counter

import pytest

from chequered.core.errors import ParseError
from chequered.core.model import Status
from chequered.seasons import KnownResult, SeasonData, load_season, parse_circuits, parse_season


@pytest.fixture(scope="module")
def data() -> SeasonData:
    return load_season("gt4-europe-2023")


# ---- the file's own consistency


def test_no_number_is_used_twice_in_a_round(data: SeasonData) -> None:
    for event in data.season.events:
        numbers = Counter(e.number for e in data.entries_at(event.round) if e.number)
        assert [n for n, count in numbers.items() if count > 1] == []


def test_every_entry_has_a_source_and_a_declared_class(data: SeasonData) -> None:
    declared = {c.id for c in data.classes}
    for entry in data.entries:
        assert data.sources[entry.car], entry.car
        assert entry.car_class in declared, entry.car
        assert entry.car == entry.number or not entry.number or entry.car == "racing-one-backman"


def test_invited_classes_hold_only_non_scoring_cars(data: SeasonData) -> None:
    invited = {c.id for c in data.classes if not c.scores}
    assert {e.car for e in data.entries if e.car_class in invited} == set(data.non_scoring)


def test_each_driver_has_a_category_or_an_assumption(data: SeasonData) -> None:
    for entry in data.entries:
        if any(d.category is None for d in entry.drivers) or not entry.drivers:
            keys = {f"entries.{entry.car}.drivers", f"entries.{entry.car_class}.drivers"}
            assert keys & set(data.assumptions), entry.car


def test_a_blank_number_is_an_assumption(data: SeasonData) -> None:
    for entry in data.entries:
        if not entry.number:
            assert any(
                k.startswith(f"entries.{entry.car}") and "number" in k + v
                for k, v in data.assumptions.items()
            )


# ---- facts from public race reports (each test names its source)


def test_misano_grid_holds_no_more_cars_per_class_than_the_preview_counted(data: SeasonData) -> None:
    """nringinfo.de 2023-07-13: 26 Silver, 15 Pro-Am and 7 Am cars at Misano (48)."""
    found = Counter(e.car_class for e in data.entries_at(4))
    assert found["Silver"] <= 26 and found["Pro-Am"] <= 15 and found["Am"] <= 7
    assert sum(found.values()) <= 48
    assert found["Silver"] >= 10 and found["Pro-Am"] >= 5 and found["Am"] >= 4


def test_round_sizes_stay_within_the_reported_grids(data: SeasonData) -> None:
    """Seeds: Monza 53, Paul Ricard 57, Misano 48, Barcelona 43; nringinfo.de: Hockenheim 47."""
    reported = {1: 53, 2: 57, 4: 48, 5: 47, 6: 43}
    for round_, size in reported.items():
        assert 20 <= len(data.entries_at(round_)) <= size


def test_eight_gt4_scandinavia_cars_at_paul_ricard(data: SeasonData) -> None:
    """gt-place.com 2023-06-02: six teams bring eight cars, numbered in the 200s."""
    invited = [e for e in data.entries_at(2) if e.car_class == "GT4 Scandinavia"]
    assert len(invited) == 8 and len({e.team for e in invited}) == 6
    assert all(200 <= int(e.number) < 300 for e in invited)
    assert not [e for e in data.entries_at(3) if e.car_class == "GT4 Scandinavia"]


@pytest.mark.parametrize(
    ("number", "team", "car_class", "crew"),
    [
        ("2", "Hofor Racing by Bonk Motorsport", "Silver", ["Michael Schrey", "Gabriele Piana"]),
        ("3", "Team Speedcar", "Silver", ["Benjamin Lariche", "Robert Consani"]),
        ("8", "Xwift Racing Events", "Silver", ["Antoine Potty", "Etienne Cheli"]),
        ("12", "Borusan Otomotiv Motorsport", "Silver", ["Berkay Besler", "Tom Edgar"]),
        ("10", "AVR-Avvatar", "Am", ["Julien Piguet", "Alban Varutti"]),
        ("42", "Saintéloc Junior Team", "Pro-Am", ["Grégory Guilvert", "Christophe Hamon"]),
        ("30", "W&S Motorsport", "Pro-Am", ["Hendrik Still", "Max Kronberg"]),
        ("72", "GPA Racing", "Am", ["Kevin Jimenez", "Florent Grizaud"]),
        ("19", "racing one", "Silver", ["Andreas Bäckman", "Jessica Bäckman"]),
    ],
)
def test_named_cars_and_crews(
    data: SeasonData, number: str, team: str, car_class: str, crew: list[str]
) -> None:
    (entry,) = (e for e in data.entries if e.number == number)
    assert (entry.team, entry.car_class, [d.name for d in entry.drivers]) == (team, car_class, crew)


def test_cars_seen_at_one_round_are_entered_there_only(data: SeasonData) -> None:
    assert data.rounds["31"] == (5,)  # a guest start at Hockenheim (motorsport-xl.de)
    assert data.rounds["24"] == (1, 2, 3, 4, 5)  # JSB Compétition missed Barcelona (the-advantage.org)
    assert "monza-guest-backman" in {e.car for e in data.entries_at(1)}
    assert "racing-one-backman" not in {e.car for e in data.entries_at(1)}


# ---- the loader's checks on results and numbers

_CIRCUIT = """
[x]
name = "X"
timezone = "Europe/Paris"
"""

_SEASON = """
[season]
series = "s"
series_name = "S"
year = 2023
rulebook = "r"
[[classes]]
id = "Silver"
name = "Silver Cup"
[[events]]
round = 1
id = "e"
name = "E"
circuit = "x"
start_date = 2023-06-02
end_date = 2023-06-04
sessions = [{ id = "R1", name = "Race 1", kind = "race", start = 2023-06-03T14:50:00, minutes = 60 }]
[[events]]
round = 2
id = "f"
name = "F"
circuit = "x"
start_date = 2023-07-02
end_date = 2023-07-04
sessions = [{ id = "R1", name = "Race 1", kind = "race", start = 2023-07-03T14:50:00, minutes = 60 }]
[[entries]]
car = "a"
number = "7"
class = "Silver"
drivers = []
rounds = [1]
[[entries]]
car = "b"
number = "7"
class = "Silver"
drivers = []
rounds = [2]
[[results]]
session = "e-R1"
car = "a"
position = 3
status = "ret"
laps = 4
source = "s"
"""


def _parse(text: str) -> SeasonData:
    return parse_season(text, "s.toml", parse_circuits(_CIRCUIT, "circuits.toml"))


def test_one_number_in_two_rounds_and_a_known_result_parse() -> None:
    (result,) = _parse(_SEASON).known_results
    assert result == KnownResult("e-R1", "a", 3, None, Status.RETIRED, "", 4, "s")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "rounds = [2]",
            "rounds = [1]",
            r"entries\[1\]\.number: #7 of 'b' is already the number of 'a' at round 1",
        ),
        ('car = "b"', 'car = "a"', r"entries\[1\]\.car: 'a' is entered twice"),
        (
            'class = "Silver"\ndrivers = []\nrounds = [2]',
            'class = "Pro"\ndrivers = []\nrounds = [2]',
            "not a declared",
        ),
        ('session = "e-R1"', 'session = "e-Q9"', r"results\[0\]\.session: 'e-Q9' is not a session"),
        ('car = "a"\nposition', 'car = "z"\nposition', r"results\[0\]\.car: 'z' is not an entry"),
        ('session = "e-R1"', 'session = "f-R1"', r"results\[0\]\.car: 'a' is not entered at round 2"),
        ("position = 3", 'position = "3"', r"results\[0\]\.position: has the wrong type"),
        ("position = 3", "position = 0", r"results\[0\]\.position: must be 1 or more"),
        ('status = "ret"', 'status = "DNF"', r"results\[0\]\.status: must be one of"),
        ("laps = 4", "laps = -1", r"results\[0\]\.laps: must not be negative"),
        ('source = "s"\n', "", r"results\[0\]\.source: is required"),
    ],
)
def test_bad_entries_and_results_name_the_key(old: str, new: str, message: str) -> None:
    assert old in _SEASON
    with pytest.raises(ParseError, match=message):
        _parse(_SEASON.replace(old, new, 1))
