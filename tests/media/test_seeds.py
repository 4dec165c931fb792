"""The five seeds regenerated from the store (issue 17, done-when 1).

Each seed is a team's press release (``../shared/seeds``). Its facts are listed here as data, each as
the seed states it (checked against the seed's text, so the list cannot drift from the seed) and as the
release written from the store must state it. The release of the same kind, round and language must
state every fact, and must not state a conflicting value: the schedule, the results, the circuit, the
field size and the calendar are read back from the release and compared whole, not only searched for.

Where the seeds contradict each other, ``CONFLICTS`` says which value the season file follows and why
(its ``[assumptions]``), and the test checks the release follows the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from chequered.media.press import write_release
from chequered.seasons import load_season
from chequered.store.store import Store
from tests.conftest import SHARED_DATA, real_file

SEEDS = SHARED_DATA.parent / "seeds"
ENTRY = "racing-one-backman"

pytestmark = pytest.mark.slow  # the store simulates three rounds


@dataclass(frozen=True)
class Seed:
    """What one seed states. Each fact is (as the seed says it, as the release says it)."""

    file: str
    round: int
    kind: str
    lang: str
    dates: tuple[str, str]
    field_size: tuple[str, int]
    round_of: tuple[str, str]
    circuit: tuple[tuple[str, str], ...] = ()
    zone: tuple[str, str] | None = None
    # session label in the release -> (the seed's words, the day heading, the start time, minutes)
    schedule: dict[str, tuple[str, str, str, int]] = field(default_factory=dict)
    # session label in the release -> (the seed's words, what follows "LABEL: " in the release)
    results: dict[str, tuple[str, str]] = field(default_factory=dict)
    car_class: tuple[str, str] | None = None
    # round name in the release -> (the seed's words, the dates the release gives)
    calendar: dict[str, tuple[str, str]] = field(default_factory=dict)
    next_round: tuple[str, str] | None = None
    format: tuple[str, str] | None = None


_CAL_EN = {
    "Paul Ricard": ("June 2nd-4th - Paul Ricard, France", "June 2nd-4th"),
    "Spa-Francorchamps": ("July 2nd - Spa", "June 29th-July 2nd"),
    "Misano": ("July 14th-16th - Misano, Italy", "July 14th-16th"),
    "Hockenheim": ("September 1st-3rd - Hockenheim, Germany", "September 1st-3rd"),
    "Barcelona": ("October 1st - Barcelona, Spain", "September 29th-October 1st"),
}
_FORMAT_EN = (
    "two free practice sessions, two time qualifying",
    "2 free practice sessions, 2 timed qualifying sessions (20 min) and 2 races of 60 minutes",
)

SEED_FACTS = (
    Seed(
        "000_",
        2,
        "preview",
        "en",
        dates=("2-4th of June", "June 2nd-4th"),
        field_size=("57 of Europe's fastest GT4 cars", 57),
        round_of=("The second round of the GT4 European Series", "round 2 of 6"),
        circuit=(
            ("Circuit Paul Ricard", "Circuit Paul Ricard"),
            ("Location: Le Castellet, France", "Location: Le Castellet, France"),
            ("Length: 5,842 km", "Length: 5,842 km"),
            ("Corners: 15", "Corners: 15"),
        ),
        zone=("(all times CEST)", "(all times CEST)"),
        schedule={
            "Free Practice 1": ("11:25 Free Practice 1 (60 min)", "Friday June 2nd", "11:25", 60),
            "Free Practice 2": ("17:30 Free Practice 2 (60 min)", "Friday June 2nd", "17:30", 60),
            "Timed Qualifying 1 (Q1)": ("09:15 Q1 & Q2", "Saturday June 3rd", "09:15", 20),
            "Timed Qualifying 2 (Q2)": ("(20 min x 2)", "Saturday June 3rd", "", 20),
            "Race 1": ("14:50 Race 1 (60 min)", "Saturday June 3rd", "14:50", 60),
            "Race 2": ("11:30 Race 2 (60 min)", "Sunday June 4th", "11:30", 60),
        },
        calendar={"Monza": ("April 22nd-23rd - Monza, Italy", "April 21st-23rd"), **_CAL_EN},
        format=_FORMAT_EN,
    ),
    Seed(
        "001_",
        2,
        "report",
        "en",
        dates=("June 2nd-4th", "June 2nd-4th"),
        field_size=("up against 57 of the best GT4 cars", 57),
        round_of=("the second round of the GT4 European Series", "round 2 of the GT4 European Series"),
        circuit=(("Circuit Paul Ricard", "Circuit Paul Ricard"), ("in the south of France", "France")),
        results={
            "Free Practice 1": ("Free Practice 1: 7th place", "7th place overall"),
            "Free Practice 2": ("Free Practice 2: 45th place", "45th place overall"),
            "Timed Qualifying 1 (Q1)": ("Timed Qualifying 1 (Q1): 42nd place", "42nd place overall"),
            "Timed Qualifying 2 (Q2)": ("Timed Qualifying 2 (Q2): 13th place", "13th place overall"),
            "Race 1": ("Race 1: DNF (Retired)", "DNF (Retired)"),
            "Race 2": ("Race 2: DNS (Did not start)", "DNS (Did not start)"),
        },
        calendar={"Monza": ("April 21st-23rd - Monza, Italy", "April 21st-23rd"), **_CAL_EN},
    ),
    Seed(
        "002_",
        6,
        "preview",
        "sv",
        dates=("29 september-1 oktober", "29 september-1 oktober"),
        field_size=("43-bilar starka startfältet", 43),
        round_of=("den sjätte och sista omgången", "deltävling 6 av 6"),
        circuit=(
            ("Barcelona, Spanien", "Barcelona, Spanien"),
            ("Längd: 4,655 km", "Längd: 4,655 km"),
            ("Antal kurvor: 14", "Antal kurvor: 14"),
        ),
        zone=("(alla tidsangivelser avser svensk tid)", "(alla tidsangivelser avser svensk tid)"),
        schedule={
            "Fri träning 1": ("11:20 Fri träning 1 (60 min)", "Fredag 29 september", "11:20", 60),
            "Fri träning 2": ("15:40 Fri träning 2 (60 min)", "Fredag 29 september", "15:40", 60),
            "Tidskval 1 (Q1)": ("11:25 Q1/Q2", "Lördag 30 september", "11:25", 20),
            "Tidskval 2 (Q2)": ("(2 x 20 min)", "Lördag 30 september", "", 20),
            "Race 1": ("16:50 Race 1 (60 min)", "Lördag 30 september", "16:50", 60),
            "Race 2": ("11:20 Race 2 (60 min)", "Söndag 1 oktober", "11:20", 60),
        },
        calendar={
            "Monza": ("21-23 april - Monza, Italien", "21-23 april"),
            "Paul Ricard": ("2-4 juni - Paul Ricard, Frankrike", "2-4 juni"),
            "Spa-Francorchamps": ("29 juni-2 juli - Spa-Francorchamps, Belgien", "29 juni-2 juli"),
            "Misano": ("14-16 juli - Misano, Italien", "14-16 juli"),
            "Hockenheim": ("1-3 september - Hockenheim, Tyskland", "1-3 september"),
            "Barcelona": ("29 september-1 oktober - Barcelona, Spanien", "29 september-1 oktober"),
        },
        format=(
            "två träningspass, två tidskval samt två race på 60",
            "2 träningspass, 2 tidskval (20 min) samt 2 race på 60 minuter",
        ),
    ),
    Seed(
        "003_",
        4,
        "preview",
        "en",
        dates=("July 14-16th", "July 14th-16th"),
        field_size=("48-cars strong grid", 48),
        round_of=("the fourth round of the GT4 European Series", "round 4 of 6"),
        circuit=(
            ("Misano World Circuit", "Misano World Circuit"),
            ("Location: Misano, Italy", "Italy"),
            ("Length: 4,064 km", "Length: 4,064 km"),
            ("Corners: 16", "Corners: 16"),
        ),
        zone=("(all times in CEST)", "(all times CEST)"),
        schedule={
            "Free Practice 1": ("11:10 Free Practice 1 (60 min)", "Friday July 14th", "11:10", 60),
            "Free Practice 2": ("17:30 Free Practice  2 (60 min)", "Friday July 14th", "17:30", 60),
            "Timed Qualifying 1 (Q1)": ("10:00 Q1/Q2", "Saturday July 15th", "10:00", 20),
            "Timed Qualifying 2 (Q2)": ("(2 x 20 min)", "Saturday July 15th", "", 20),
            "Race 1": ("17:30 Race 1 (61 min)", "Saturday July 15th", "17:30", 61),
            "Race 2": ("10:25 Race 2 (61 min)", "Sunday July 16th", "10:25", 61),
        },
        calendar={"Monza": ("April 22nd-23rd - Monza, Italy", "April 21st-23rd"), **_CAL_EN},
    ),
    Seed(
        "004_",
        4,
        "report",
        "en",
        dates=("July 14th-16th", "July 14th-16th"),
        field_size=("48 of the best GT4 drivers/cars", 48),
        round_of=("the fourth round of the GT4 European Series", "round 4 of the GT4 European Series"),
        circuit=(("Misano World Circuit", "Misano World Circuit"), ("in Italy", "Italy")),
        results={
            "Free Practice 1": ("Free practice 1: 20th place", "20th place in Silver"),
            "Free Practice 2": ("Free practice 2: 23rd place", "23rd place in Silver"),
            "Timed Qualifying 1 (Q1)": ("Qualifying 1 (Q1): 23rd place", "23rd place in Silver"),
            "Timed Qualifying 2 (Q2)": ("Qualifying 2 (Q2): 21st place", "21st place in Silver"),
            "Race 1": ("Race 1: DNF (Retired)", "DNF (Retired)"),
            "Race 2": ("Race 2: 18th place", "18th place in Silver"),
        },
        car_class=("results (Silver class)", "in the Silver class"),
        calendar={"Monza": ("April 21st-23rd - Monza, Italy", "April 21st-23rd"), **_CAL_EN},
        next_round=("September 1st-3rd, at the Hockenheimring", "September 1st-3rd - Hockenheim, Germany"),
    ),
)

# Where the seeds disagree, the season file's choice (the key of its [assumptions] that says why).
CONFLICTS = {
    ("000_", "Monza"): "events.1.start_date",  # 22-23 April here and in 003, 21-23 in 001, 002, 004
    ("003_", "Monza"): "events.1.start_date",
}


def _norm(text: str) -> str:
    """Dashes and the spaces around them, and runs of spaces, written one way."""
    text = text.replace("–", "-").replace("’", "'")
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"[ \t\u00a0]+", " ", text)


def _seed_text(seed: Seed) -> str:
    (path,) = sorted(real_file(SEEDS).glob(f"{seed.file}*.txt"))
    return _norm(real_file(path).read_text(encoding="utf-8"))


def _schedule(markdown: str) -> dict[str, tuple[str, str, int]]:
    """The release's timetable: label -> (day heading, start time, minutes)."""
    out: dict[str, tuple[str, str, int]] = {}
    day = ""
    for line in markdown.splitlines():
        if heading := re.fullmatch(r"\*\*(.+)\*\*", line.strip()):
            day = heading.group(1)
        elif m := re.fullmatch(r"- (\d\d:\d\d) (.+) \((\d+) min\)", line.strip()):
            assert m.group(2) not in out, f"{m.group(2)} twice in the timetable"
            out[m.group(2)] = (day, m.group(1), int(m.group(3)))
    return out


def _results(markdown: str) -> dict[str, str]:
    section = markdown.split("## Results" if "## Results" in markdown else "## Resultat")[1].split("##")[0]
    return dict(
        m.groups() for line in section.splitlines() if (m := re.fullmatch(r"- (.+?): (.+)", line.strip()))
    )


def _calendar(markdown: str) -> dict[str, str]:
    section = re.split(r"## (?:Calendar|Kalender) \d{4}", markdown)[1].split("**[")[0]
    out = {}
    for line in section.splitlines():
        if m := re.fullmatch(r"- (.+?) - (.+), (.+)", line.strip()):
            out[m.group(2)] = m.group(1)
    return out


@pytest.mark.realdata
@pytest.mark.parametrize("seed", SEED_FACTS, ids=lambda s: f"{s.file}{s.kind}-{s.lang}-round{s.round}")
def test_the_seed_is_regenerated_from_the_store(seed: Seed, seeds_store: Store) -> None:
    source = _seed_text(seed)
    release = write_release(seeds_store, "gt4-europe-2023", ENTRY, seed.round, seed.kind, seed.lang)
    text = _norm(release.markdown)
    facts: list[tuple[str, str]] = [seed.dates, seed.round_of, *seed.circuit]
    facts += [f for f in (seed.zone, seed.car_class, seed.next_round, seed.format) if f is not None]
    for in_seed, in_release in facts:
        assert _norm(in_seed) in source, f"not in the seed {seed.file}: {in_seed!r} (fix the test's data)"
        assert _norm(in_release) in text, f"{seed.file}: the release does not say {in_release!r}"

    # the field: stated, and no other size
    assert _norm(seed.field_size[0]) in source
    sizes = {int(n) for n in re.findall(r"(\d+)(?: |-)(?:cars|bilar)", text)}
    assert sizes == {seed.field_size[1]}, f"{seed.file}: field sizes {sizes}"

    # the timetable: each session on the seed's day, at the seed's time, of the seed's length
    timetable = _schedule(release.markdown)
    for label, (in_seed, day, start, minutes) in seed.schedule.items():
        assert _norm(in_seed) in source, in_seed
        got_day, got_start, got_minutes = timetable[label]
        assert got_day.lower() == day.lower() and _norm(day).lower() in source.lower(), (label, got_day)
        assert got_minutes == minutes, (label, got_minutes)
        if start:
            assert got_start == start, (label, got_start)
        else:  # the seed gives one start for Q1 and Q2: Q2 follows Q1 (assumption events.Q2.start)
            first = next(v for k, v in timetable.items() if k.endswith("(Q1)"))
            assert got_day == first[0] and got_start > first[1], (label, got_day, got_start)

    # the results: each session's line says the seed's place or status and nothing else
    if seed.results:
        lines = _results(release.markdown)
        assert set(lines) == set(seed.results), f"{seed.file}: sessions {sorted(lines)}"
        for label, (in_seed, in_release) in seed.results.items():
            assert _norm(in_seed) in source, in_seed
            got = lines[label]
            if "place" in in_release:
                places = re.findall(r"(\d+)(?:st|nd|rd|th) place (overall|in \w+)", got)
                want = re.fullmatch(r"(\d+)(?:st|nd|rd|th) place (overall|in \w+)", in_release)
                assert want is not None and want.groups() in places, (label, got)
            else:
                assert got == in_release, (label, got)

    # the calendar: every round on the seed's dates, or the file's choice where the seeds disagree
    calendar = _calendar(release.markdown)
    assert len(calendar) == 6
    assumptions = load_season("gt4-europe-2023").assumptions
    for name, (in_seed, dates) in seed.calendar.items():
        assert _norm(in_seed) in source, in_seed
        assert _norm(calendar[name]) == _norm(dates), (seed.file, name, calendar[name])
        if (seed.file, name) in CONFLICTS:
            seed_dates = _norm(in_seed).split("-", 2)
            assert _norm(dates) != "-".join(seed_dates[:2])  # the seed's own dates differ...
            assert seed.file[:3] in assumptions[CONFLICTS[seed.file, name]]  # ...and the file says why
