"""The 2023 entry list and known results: the file's own consistency, the facts gathered from public race
reports, and the seeds' facts about the Bäckman car (read from ../shared/seeds when it is present)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from chequered.core.errors import ParseError
from chequered.core.model import Status
from chequered.seasons import KnownResult, SeasonData, load_season, parse_circuits, parse_season
from tests.conftest import real_file

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"  # the press releases, read in place


@pytest.fixture(scope="module")
def data() -> SeasonData:
    return load_season("gt4-europe-2023")


def _round_of(data: SeasonData, session: str) -> int:
    return next(e.round for e in data.season.events for s in e.sessions if s.id == session)


def _result(data: SeasonData, session: str, car: str = "racing-one-backman") -> KnownResult:
    (found,) = (r for r in data.known_results if r.session == session and r.car == car)
    return found


# ---- the file's own consistency


def test_every_known_result_is_for_a_car_entered_at_that_round(data: SeasonData) -> None:
    assert data.known_results
    for result in data.known_results:
        assert result.car in {e.car for e in data.entries_at(_round_of(data, result.session))}
        assert result.source


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


def test_the_one_invited_car_named_at_spa(data: SeasonData) -> None:
    """endurance-info.com 2023-06-30: the #298 M-Bilar Group Racing BMW (Walde) red-flagged Spa Q2."""
    invited = [e for e in data.entries_at(3) if e.car_class == "GT4 Scandinavia"]
    assert [(e.number, e.team, [d.name for d in e.drivers]) for e in invited] == [
        ("298", "M-Bilar Group Racing", ["Joakim Walde"])
    ]


@pytest.mark.parametrize(
    ("number", "car_class", "team", "drivers"),
    [
        ("24", "Silver", "JSB Compétition", ["Florian Briché", "Julien Briché"]),  # Silver Cup pole in Q1
        ("23", "Silver", "Overdrive Racing", ["Pavel Lefterov"]),  # overall and Silver Cup pole in Q2
        ("55", "Am", "Autosport GP LS Performance", ["Laurent Hurgon", "Alain Ferté"]),  # Am pole in both
        ("7", "Silver", "Mirage Racing by MB Performance", ["Louis Meric", "Romain Carton"]),
        ("117", "Silver", "L'Espace Bienvenue", ["Benjamin Lessennes", "Ricardo van der Ende"]),
    ],
)
def test_cars_named_at_spa(
    data: SeasonData, number: str, car_class: str, team: str, drivers: list[str]
) -> None:
    """endurance-info.com 2023-06-30 (qualifying) and pellemotorsport.com 2023-07-04 (races)."""
    (entry,) = (e for e in data.entries_at(3) if e.number == number)
    assert (entry.car_class, entry.team, [d.name for d in entry.drivers]) == (car_class, team, drivers)


def test_every_named_team_at_spa_is_entered_there(data: SeasonData) -> None:
    """pellemotorsport.com 2023-07-04 names these ten cars in Spa Race 1."""
    numbers = {e.number for e in data.entries_at(3)}
    assert {"2", "5", "8", "24", "42", "44", "45", "48", "76", "117"} <= numbers


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


@pytest.mark.parametrize(
    ("number", "team", "car_class", "rounds", "crew"),
    [
        # gt-place.com 2023-07-17 and 2023-09-04, motorsport-xl.de 2023-10-03 (BCMC / EastSide Mercedes)
        (
            "4",
            "BCMC Motorsport powered by EastSide Motorsport",
            "Silver",
            (2, 3, 4, 5, 6),
            ["Marc de Fulgencio", "Philipp Gogollok"],
        ),
        ("20", "EastSide Motorsport", "Pro-Am", (4, 5, 6), ["Denis Bulatov", "Lukas Mayer"]),
        # motorsport-xl.de 2023-06-08, 2023-07-04 and 2023-10-04 (Sorg Rennsport's two Caymans)
        ("93", "SRS Team Sorg Rennsport", "Silver", (1, 2, 3, 6), ["Ricardo Dort", "Sergio Paulet"]),
        (
            "94",
            "SRS Team Sorg Rennsport",
            "Silver",
            (1, 2, 3, 5, 6),
            ["Ivan Ekelchik", "Nicolaj Möller-Madsen"],
        ),
        # pellemotorsport.com (Hockenheim Race 1) and gt-place.com 2023-09-30
        ("110", "Autosport GP LS Group Performance", "Silver", (5, 6), ["Paul Cauhaupe", "Simon Tirman"]),
        # blog.auto-24.net 2023-04-25: Allied-Racing's #44 second in Pro-Am at Monza
        ("44", "Allied-Racing", "Pro-Am", (1, 3), ["Kristensen", "Wallace"]),
        # laregione.ch: Jacoma/Leutwiler won the Am class in the wet Spa Race 2
        ("76", "Centri Porsche Ticino", "Am", (3,), ["Ivan Jacoma", "Niki Leutwiler"]),
        # racingspeedmotorsport.com (Barcelona Race 1)
        ("83", "Team Speedcar", "Silver", (6,), ["Jim Pla"]),
        ("13", "Overdrive Racing", "Silver", (6,), ["Ivailo Tzonev"]),
    ],
)
def test_cars_of_the_second_pass(
    data: SeasonData, number: str, team: str, car_class: str, rounds: tuple[int, ...], crew: list[str]
) -> None:
    (entry,) = (e for e in data.entries if e.number == number)
    assert (entry.team, entry.car_class, [d.name for d in entry.drivers]) == (team, car_class, crew)
    assert data.rounds[entry.car] == rounds


def test_every_named_car_of_barcelona_race_1_is_entered_there(data: SeasonData) -> None:
    """racingspeedmotorsport.com names these eleven cars in Barcelona Race 1."""
    numbers = {e.number for e in data.entries_at(6)}
    assert {"2", "3", "5", "13", "22", "26", "36", "77", "78", "83", "442"} <= numbers


def test_cars_seen_at_some_rounds_are_entered_there_only(data: SeasonData) -> None:
    assert data.rounds["31"] == (4, 5)  # Misano, then a guest crew at Hockenheim (motorsport-xl.de)
    assert data.rounds["27"] == (1,)  # seen in the Monza Race 1 report only
    assert data.rounds["117"] == (3,)  # a guest from the FFSA GT at Spa (pellemotorsport.com)
    assert data.rounds["7"] == (1, 3)  # Monza and Spa; Méric was in the GPA #48 at Barcelona
    assert data.rounds["24"] == (1, 2, 3, 4, 5)  # JSB Compétition missed Barcelona (the-advantage.org)
    assert "monza-guest-backman" in {e.car for e in data.entries_at(1)}
    assert "racing-one-backman" not in {e.car for e in data.entries_at(1)}


# ---- the seeds' facts about the Bäckman car


def test_paul_ricard_results_of_the_backman_car(data: SeasonData) -> None:
    places = {s: _result(data, f"2023-paul-ricard-{s}").position for s in ("FP1", "FP2", "Q1", "Q2")}
    assert places == {"FP1": 7, "FP2": 45, "Q1": 42, "Q2": 13}
    r1, r2 = _result(data, "2023-paul-ricard-R1"), _result(data, "2023-paul-ricard-R2")
    assert (r1.status, r1.laps, r1.position) == (Status.RETIRED, 1, None)
    assert r1.reason.startswith("Retired")
    assert (r2.status, r2.reason.startswith("Did not start")) == (Status.DID_NOT_START, True)


def test_misano_results_are_class_places(data: SeasonData) -> None:
    places = {s: _result(data, f"2023-misano-{s}").class_position for s in ("FP1", "FP2", "Q1", "Q2", "R2")}
    assert places == {"FP1": 20, "FP2": 23, "Q1": 23, "Q2": 21, "R2": 18}
    assert _result(data, "2023-misano-R1").status is Status.RETIRED
    assert _result(data, "2023-misano-R2").status is Status.CLASSIFIED
    assert all(_result(data, f"2023-misano-{s}").position is None for s in ("FP1", "Q1", "R2"))


def test_monza_guest_qualifying(data: SeasonData) -> None:
    assert [_result(data, f"2023-monza-{q}", "monza-guest-backman").position for q in ("Q1", "Q2")] == [6, 9]


def test_seed_contradictions_are_recorded(data: SeasonData) -> None:
    assert "results.2023-misano-Q" in data.assumptions
    assert "events.1.start_date" in data.assumptions


def _seed_result_lists() -> dict[str, str]:
    """Each seed's results list (the lines after "...results" up to the TV links), by the round it reports."""
    lists: dict[str, str] = {}
    for path in sorted(real_file(SEEDS).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = re.search(r"results(?: \(Silver class\))?:\n(.*?)\nTV links", text, re.S)
        if found:
            title = text.splitlines()[0]
            lists["misano" if "Misano" in title else "paul-ricard"] = found.group(1)
    return lists


_LINE = re.compile(r"^(Free [Pp]ractice|Timed Qualifying|Qualifying|Race) ([12])[^:]*: (.*)$", re.M)
_SESSION = {
    "Free Practice": "FP",
    "Free practice": "FP",
    "Timed Qualifying": "Q",
    "Qualifying": "Q",
    "Race": "R",
}


@pytest.mark.realdata
def test_the_seeds_results_lists_are_in_the_season(data: SeasonData) -> None:
    """Each line of the seeds' results lists is a known result: a place, a DNF or a DNS."""
    lists = _seed_result_lists()
    assert set(lists) == {"paul-ricard", "misano"}
    seen = 0
    for round_id, block in lists.items():
        for kind, n, outcome in _LINE.findall(block):
            result = _result(data, f"2023-{round_id}-{_SESSION[kind]}{n}")
            place = re.match(r"(\d+)(?:st|nd|rd|th) place", outcome)
            if place:
                got = result.class_position if round_id == "misano" else result.position
                assert got == int(place.group(1)), (round_id, kind, n)
            elif outcome.startswith("DNF"):
                assert result.status is Status.RETIRED
            else:
                assert outcome.startswith("DNS") and result.status is Status.DID_NOT_START
            seen += 1
    assert seen == 12


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
drivers = [{ name = "Ann Ek" }]
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
driver = "Ann Ek"
source = "s"
"""


def _parse(text: str) -> SeasonData:
    return parse_season(text, "s.toml", parse_circuits(_CIRCUIT, "circuits.toml"))


def test_one_number_in_two_rounds_and_a_known_result_parse() -> None:
    (result,) = _parse(_SEASON).known_results
    assert result == KnownResult("e-R1", "a", 3, None, Status.RETIRED, "", 4, "s", "Ann Ek")


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
        (
            'driver = "Ann Ek"',
            'driver = "Bo Ek"',
            r"results\[0\]\.driver: 'Bo Ek' is not in the crew of 'a' \(Ann Ek\)",
        ),
        ('driver = "Ann Ek"', "driver = 1", r"results\[0\]\.driver: has the wrong type"),
    ],
)
def test_bad_entries_and_results_name_the_key(old: str, new: str, message: str) -> None:
    assert old in _SEASON
    with pytest.raises(ParseError, match=message):
        _parse(_SEASON.replace(old, new, 1))
