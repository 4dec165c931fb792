from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chequered.core.errors import ParseError
from chequered.core.model import DriverCategory, SessionKind
from chequered.seasons import list_seasons, load_season, local_start, parse_circuits, parse_season


def _hhmm(session_start: datetime | None) -> str:
    assert session_start is not None
    return session_start.strftime("%a %d %b %H:%M %Z")


def test_the_2023_gt4_season_is_packaged() -> None:
    assert "gt4-europe-2023" in list_seasons()
    data = load_season("gt4-europe-2023")
    assert data.rulebook == "gt4-europe-2023"
    assert data.season.series.name == "GT4 European Series"
    assert data.season.year == 2023
    calendar = [(e.round, e.circuit.id, e.start_date, e.end_date) for e in data.season.events]
    assert calendar == [
        (1, "monza", date(2023, 4, 21), date(2023, 4, 23)),
        (2, "paul-ricard", date(2023, 6, 2), date(2023, 6, 4)),
        (3, "spa", date(2023, 6, 29), date(2023, 7, 2)),
        (4, "misano", date(2023, 7, 14), date(2023, 7, 16)),
        (5, "hockenheim", date(2023, 9, 1), date(2023, 9, 3)),
        (6, "barcelona", date(2023, 9, 29), date(2023, 10, 1)),
    ]
    assert [c.id for c in data.classes if c.scores] == ["Silver", "Pro-Am", "Am"]
    assert [c.id for c in data.classes if not c.scores] == ["GT4 Scandinavia"]


def test_circuits_carry_the_seed_figures() -> None:
    events = {e.circuit.id: e.circuit for e in load_season("gt4-europe-2023").season.events}
    ricard = events["paul-ricard"]
    assert (ricard.location, ricard.country, ricard.length_m, ricard.corners, ricard.timezone) == (
        "Le Castellet",
        "France",
        5842,
        15,
        "Europe/Paris",
    )
    assert (events["misano"].length_m, events["misano"].corners) == (4064, 16)
    assert (events["barcelona"].length_m, events["barcelona"].corners) == (4655, 14)
    assert events["barcelona"].timezone == "Europe/Madrid"


def test_every_weekend_has_the_six_sessions() -> None:
    for event in load_season("gt4-europe-2023").season.events:
        assert [s.id.rsplit("-", 1)[1] for s in event.sessions] == ["FP1", "FP2", "Q1", "Q2", "R1", "R2"]
        kinds = [s.kind for s in event.sessions]
        assert kinds == [SessionKind.PRACTICE] * 2 + [SessionKind.QUALIFYING] * 2 + [SessionKind.RACE] * 2
        for s in event.sessions:
            assert s.start is not None and s.start.utcoffset() is not None
            assert s.event_id == event.id


def test_paul_ricard_schedule_is_cest_as_the_seed_gives_it() -> None:
    event = load_season("gt4-europe-2023").event(2)
    by_id = {s.id.rsplit("-", 1)[1]: s for s in event.sessions}
    assert by_id["R1"].start == datetime(2023, 6, 3, 12, 50, tzinfo=UTC)
    paris = [_hhmm(local_start(s, "Europe/Paris")) for s in event.sessions]
    assert paris == [
        "Fri 02 Jun 11:25 CEST",
        "Fri 02 Jun 17:30 CEST",
        "Sat 03 Jun 09:15 CEST",
        "Sat 03 Jun 09:45 CEST",
        "Sat 03 Jun 14:50 CEST",
        "Sun 04 Jun 11:30 CEST",
    ]
    assert by_id["R1"].finish is not None and by_id["R1"].finish.duration_ms == 3_600_000


def test_misano_races_are_61_minutes() -> None:
    event = load_season("gt4-europe-2023").event(4)
    races = [s for s in event.sessions if s.kind is SessionKind.RACE]
    assert [s.finish.duration_ms for s in races if s.finish] == [61 * 60_000, 61 * 60_000]
    assert [_hhmm(local_start(s, "Europe/Rome")) for s in races] == [
        "Sat 15 Jul 17:30 CEST",
        "Sun 16 Jul 10:25 CEST",
    ]


def test_barcelona_in_swedish_time_reads_as_the_seed_and_equals_local_time() -> None:
    """The seed gives the final's schedule in 'svensk tid': CEST in Stockholm and CEST in Barcelona."""
    event = load_season("gt4-europe-2023").event(6)
    swedish = [_hhmm(local_start(s, "Europe/Stockholm")) for s in event.sessions]
    assert swedish == [
        "Fri 29 Sep 11:20 CEST",
        "Fri 29 Sep 15:40 CEST",
        "Sat 30 Sep 11:25 CEST",
        "Sat 30 Sep 11:55 CEST",
        "Sat 30 Sep 16:50 CEST",
        "Sun 01 Oct 11:20 CEST",
    ]
    spanish = [_hhmm(local_start(s, "Europe/Madrid")) for s in event.sessions]
    assert spanish == swedish


def test_a_zone_that_changes_clocks_between_the_two_races() -> None:
    """Sydney moved to daylight time at 02:00 on 1 October 2023, between Race 1 and Race 2 at Barcelona."""
    event = load_season("gt4-europe-2023").event(6)
    race1, race2 = (s for s in event.sessions if s.kind is SessionKind.RACE)
    assert _hhmm(local_start(race1, "Australia/Sydney")) == "Sun 01 Oct 00:50 AEST"
    assert _hhmm(local_start(race2, "Australia/Sydney")) == "Sun 01 Oct 20:20 AEDT"
    assert race2.start is not None and race1.start is not None
    assert (race2.start - race1.start).total_seconds() == (18 * 60 + 30) * 60
    # and New York, still on summer time, six hours behind CEST
    assert _hhmm(local_start(race2, "America/New_York")) == "Sun 01 Oct 05:20 EDT"


def test_the_backman_entry() -> None:
    data = load_season("gt4-europe-2023")
    entry = next(e for e in data.entries if e.car == "racing-one-backman")
    assert entry.team == "racing one"
    assert entry.car_model == "Aston Martin Vantage AMR GT4"
    assert entry.car_class == "Silver"
    assert [d.name for d in entry.drivers] == ["Andreas Bäckman", "Jessica Bäckman"]
    assert {d.category for d in entry.drivers} == {DriverCategory.SILVER}
    assert data.rounds[entry.car] == (2, 3, 4, 5, 6)
    assert entry.number == "19"  # the-advantage.org, Hockenheim Race 2 report
    assert "the-advantage.org" in data.sources[entry.car]


def test_invited_gt4_scandinavia_cars_race_at_paul_ricard_only_and_do_not_score() -> None:
    data = load_season("gt4-europe-2023")
    at_ricard = {e.car for e in data.entries_at(2)}
    at_monza = {e.car for e in data.entries_at(1)}
    invited = {"204", "221", "229", "230", "278", "288"}
    assert invited <= at_ricard
    assert not invited & at_monza
    assert invited <= data.non_scoring
    assert "racing-one-backman" not in data.non_scoring


def test_unknown_season_names_the_packaged_ones() -> None:
    with pytest.raises(ParseError, match="gt4-europe-2023"):
        load_season("gt4-europe-1999")


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
[[events]]
round = 1
id = "e"
name = "E"
circuit = "x"
start_date = 2023-06-02
end_date = 2023-06-04
sessions = [{ id = "R1", name = "Race 1", kind = "race", start = 2023-06-03T14:50:00, minutes = 60 }]
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('circuit = "x"', 'circuit = "y"', r"events\[0\]\.circuit: 'y' is not in"),
        ('kind = "race"', 'kind = "heat"', r"sessions\[0\]\.kind: must be practice"),
        ("minutes = 60", "minutes = 0", r"sessions\[0\]\.minutes: must be positive"),
        ("2023-06-03T14:50:00", "2023-06-13T14:50:00", "outside 2023-06-02..2023-06-04"),
        ("year = 2023", 'year = "2023"', r"season\.year: has the wrong type"),
        ("end_date = 2023-06-04", "end_date = 2023-06-01", "before start_date"),
        ('id = "e"', 'id = "e"\nschedule_zone = "Mars/Olympus"', "not an IANA time zone"),
    ],
)
def test_bad_season_data_names_the_key(old: str, new: str, message: str) -> None:
    circuits = parse_circuits(_CIRCUIT, "circuits.toml")
    assert parse_season(_SEASON, "s.toml", circuits).season.events[0].sessions[0].start == datetime(
        2023, 6, 3, 12, 50, tzinfo=UTC
    )
    with pytest.raises(ParseError, match=message):
        parse_season(_SEASON.replace(old, new, 1), "s.toml", circuits)


def test_bad_circuit_zone() -> None:
    with pytest.raises(ParseError, match=r"x\.timezone: 'CEST' is not an IANA time zone"):
        parse_circuits(_CIRCUIT.replace("Europe/Paris", "CEST"), "circuits.toml")


def test_the_season_names_a_packaged_rulebook() -> None:
    from chequered import rulebooks

    data = load_season("gt4-europe-2023")
    rules = rulebooks.load(data.rulebook)
    assert rules.calendar.rounds == len(data.season.events)
    assert {c.id for c in rules.classes} == {c.id for c in data.classes if c.scores}
