"""The season loader's checks on entries and known results: every error names the key."""

from __future__ import annotations

import pytest

from chequered.core.errors import ParseError
from chequered.core.model import Status
from chequered.seasons import KnownResult, SeasonData, parse_circuits, parse_season

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
