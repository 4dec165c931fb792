"""The Al Kamel importer on every real file in ../shared/data/timing/alkamel and on synthetic layouts."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from chequered.core.classification import classify
from chequered.core.errors import ParseError
from chequered.core.events import StatusChanged
from chequered.core.model import Session, SessionKind, Status
from chequered.core.rulebook import DEFAULT_RULEBOOK
from chequered.core.stints import stints_by_car
from chequered.core.timefmt import parse_duration
from chequered.importers import alkamel
from tests.conftest import ALKAMEL, GRCUP, IMSA, WEC, WEC_2019, real_file

LAP_FILES = {
    "imsa-wgi-2023": IMSA / "2023/12-watkins-glen-international/202306251040-race-laps.csv",
    "imsa-sebring-2024": IMSA / "2024/05-sebring-international-raceway/202403160940-race-laps.csv",
    "imsa-long-beach-2023": IMSA / "2023/08-long-beach-street-circuit/202304151405-race-laps.csv",
    "wec-le-mans-2024": WEC / "2024/le_mans_24h.csv",
    "wec-spa-2025": WEC / "2025/spa_6h.csv",
    "wec-le-mans-2019": WEC_2019 / "data/23_Analysis_Race_Hour 24.csv",
    "wec-spa-2019": WEC_2019 / "notebooks/23_Analysis_Race_Hour 6.CSV",
    **{
        f"grcup-{r}": GRCUP / f"analysis_endurance/{r}_analysis_endurance.csv"
        for r in ("barber_r1", "barber_r2")
    },
    **{
        f"grcup-{r}": GRCUP / f"analysis_endurance/{r}_analysis_endurance.csv"
        for r in ("sonoma_r1", "cota_r1")
    },
}
RACE = Session("race", "Race", SessionKind.RACE)


def _race(name: str) -> tuple[alkamel.Timing, object]:
    timing = alkamel.read_laps(real_file(LAP_FILES[name]))
    return timing, classify(RACE, timing.entries, timing.laps, [], DEFAULT_RULEBOOK)


def _lap_analysis_files() -> list[Path]:
    """Every lap analysis file of the data set, found by its header (the set grows)."""
    if not ALKAMEL.exists():
        return []
    return sorted(
        path
        for path in ALKAMEL.rglob("*")
        if path.suffix.lower() == ".csv" and b"LAP_NUMBER" in path.read_bytes()[:400]
    )


def test_the_named_files_are_lap_analysis_files_of_the_data_set() -> None:
    real_file(ALKAMEL)
    assert set(LAP_FILES.values()) <= set(_lap_analysis_files())


@pytest.mark.parametrize("path", _lap_analysis_files(), ids=lambda p: p.relative_to(ALKAMEL).as_posix())
def test_each_file_imports_every_row_and_classifies(path: Path) -> None:
    rows = sum(1 for line in path.read_bytes().splitlines()[1:] if line.strip())
    timing = alkamel.read_laps(path)
    classification = classify(RACE, timing.entries, timing.laps, [], DEFAULT_RULEBOOK)
    assert len(timing.laps) == rows
    assert len(classification.results) == len(timing.entries)
    assert [r.position for r in classification.results] == list(range(1, len(timing.entries) + 1))
    for car in {lap.car for lap in timing.laps}:
        assert classification.result(car) is not None


def test_le_mans_2024_keeps_long_laps_and_elapsed_past_24_hours() -> None:
    timing, classification = _race("wec-le-mans-2024")
    garage = next(lap for lap in timing.laps if lap.car == "20" and lap.lap == 93)
    assert garage.lap_time_ms == parse_duration("17:31:33.055") == 63_093_055
    assert max(lap.elapsed_ms for lap in timing.laps) > 24 * 3_600_000
    top = [(r.entry.number, r.laps) for r in classification.results[:3]]
    assert top == [("50", 311), ("7", 311), ("51", 311)]
    assert str(classification.results[1].gap) == "+14.221"
    winners = {c: classification.in_class(c)[0].entry.number for c in ("HYPERCAR", "LMP2", "LMGT3")}
    assert winners == {"HYPERCAR": "50", "LMP2": "22", "LMGT3": "91"}
    assert classification.results[0].total_time_ms == parse_duration("24:01:55.856")


def test_le_mans_2019_in_the_older_layout_and_a_post_race_disqualification() -> None:
    timing, classification = _race("wec-le-mans-2019")
    assert [r.entry.number for r in classification.results[:2]] == ["8", "7"]
    assert str(classification.results[1].gap) == "+16.972"
    assert all(lap.flag == "" for lap in timing.laps)  # 2019 files have no FLAG_AT_FL column
    assert classification.in_class("LMGTE Am")[0].entry.number == "85"
    # Keating's #85 was disqualified after the race: the class win passes to the next car on the road.
    runner_up = classification.in_class("LMGTE Am")[1].entry.number
    after = classify(
        RACE, timing.entries, timing.laps, [StatusChanged("85", Status.DISQUALIFIED)], DEFAULT_RULEBOOK
    )
    assert after.in_class("LMGTE Am")[0].entry.number == runner_up
    assert after.results[-1].entry.number == "85"
    assert after.results[-1].status is Status.DISQUALIFIED


def test_spa_2019_red_flag_lap_and_winning_time() -> None:
    timing, classification = _race("wec-spa-2019")
    assert max(lap.lap_time_ms or 0 for lap in timing.laps) == parse_duration("1:18:10.896")
    assert classification.results[0].entry.number == "8"
    assert classification.results[0].total_time_ms == parse_duration("5:44:41.101")


def test_car_numbers_stay_strings_with_their_leading_zeros() -> None:
    wgi, _ = _race("imsa-wgi-2023")
    numbers = {entry.number for entry in wgi.entries}
    assert {"01", "1", "04", "4", "023", "23"} <= numbers
    spa, _ = _race("wec-spa-2025")
    assert {"007", "009"} <= {entry.number for entry in spa.entries}


def test_pit_time_sits_on_the_lap_after_every_in_lap() -> None:
    timing, _ = _race("imsa-wgi-2023")
    by_car: dict[str, list[alkamel.Lap]] = {}
    for lap in timing.laps:
        by_car.setdefault(lap.car, []).append(lap)
    stops = 0
    for laps in by_car.values():
        for in_lap, out_lap in itertools.pairwise(laps):
            if in_lap.in_pit:
                stops += 1
                assert out_lap.pit_time_ms is not None and out_lap.pit_time_ms > 0
    assert stops == 382
    assert sum(len(c.stops) for c in stints_by_car(timing.laps).values()) >= stops


def test_driver_of_each_lap_and_the_crew() -> None:
    timing, _ = _race("imsa-wgi-2023")
    porsche = next(e for e in timing.entries if e.number == "6")
    assert [d.name for d in porsche.drivers] == ["Mathieu Jaminet", "Nick Tandy"] or len(porsche.drivers) == 2
    drivers_in_car = {lap.driver_name for lap in timing.laps if lap.car == "6"}
    assert drivers_in_car == {d.name for d in porsche.drivers}


def test_two_cars_under_one_number_are_kept_apart() -> None:
    timing, _ = _race("grcup-sonoma_r1")
    threes = [e for e in timing.entries if e.number == "3"]
    assert [e.car for e in threes] == ["3", "3#2"]
    assert timing.notes


def test_repeated_names_and_flags_are_one_string_each() -> None:
    timing, _ = _race("grcup-sonoma_r1")
    names = {lap.driver_name: lap.driver_name for lap in timing.laps}
    flags = {lap.flag: lap.flag for lap in timing.laps}
    assert all(lap.driver_name is names[lap.driver_name] for lap in timing.laps)
    assert all(lap.flag is flags[lap.flag] for lap in timing.laps)


def test_without_sectors_the_laps_and_classification_are_the_same() -> None:
    path = real_file(LAP_FILES["imsa-sebring-2024"])
    full, bare = alkamel.read_laps(path), alkamel.read_laps(path, sectors=False)
    assert any(lap.sectors for lap in full.laps)
    assert all(lap.sectors == () for lap in bare.laps)
    assert [lap._replace(sectors=()) for lap in full.laps] == list(bare.laps)
    assert full.entries == bare.entries


def test_a_repeated_lap_row_stays_with_its_car() -> None:
    rows = ["7;1;1:50.000;1:50.000", "7;1;1:50.000;1:50.000", "7;2;1:51.000;3:41.000"]
    text = "NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n" + "\n".join(rows) + "\n"
    timing = alkamel.parse_laps(text.encode(), "repeated.csv")
    assert {lap.car for lap in timing.laps} == {"7"}
    assert not timing.notes


def test_a_real_race_file_cut_off_mid_row_is_refused_at_that_line() -> None:
    """A truncated download: the cut last row is no lap (it came in as car 13's lap 10 of 22:15.700)."""
    data = real_file(LAP_FILES["imsa-wgi-2023"]).read_bytes()
    lines = data.split(b"\n")
    for cut in (len(lines[-2]) // 3, len(lines[-2]) // 2, len(lines[-2]) - 2):
        truncated = b"\n".join(lines[:-2]) + b"\n" + lines[-2][:cut]
        with pytest.raises(ParseError, match="cut off mid-row") as caught:
            alkamel.parse_laps(truncated, "wgi.csv")
        assert caught.value.line == len(lines) - 1


def test_results_files_with_ragged_rows_and_driver_categories() -> None:
    official = alkamel.read_results(
        real_file(IMSA / "2023/12-watkins-glen-international/202306251040-race-results.csv")
    )
    assert len(official) == 57
    winner = official[0]
    assert (winner.position, winner.number, winner.laps) == (1, "6", 201)
    assert winner.total_time_ms == parse_duration("6:03:07.595")
    assert [d.name for d in winner.entry.drivers] == ["Nick Tandy", "Mathieu Jaminet"]
    assert winner.entry.drivers[0].category is not None
    assert winner.entry.drivers[0].category.value == "Platinum"
    grcup = alkamel.read_results(real_file(GRCUP / "provisional_results/cota_r1_provisional_results.csv"))
    assert {r.entry.group for r in grcup} >= {"Legends"}


# Synthetic layouts: our own rows in the shapes the real files use.
HEADER = [
    "NUMBER",
    "DRIVER_NUMBER",
    "LAP_NUMBER",
    "LAP_TIME",
    "CROSSING_FINISH_LINE_IN_PIT",
    "ELAPSED",
    "PIT_TIME",
]
ROWS = [
    ["007", "1", "1", "1:50.000", "", "1:50.000", ""],
    ["007", "1", "2", "2:10.000", "B", "4:00.000", ""],
    ["007", "2", "3", "2:30.000", "", "6:30.000", "1:05.500"],
    ["7", "1", "1", "1:51.000", "", "1:51.000", ""],
]


def _file(separator: str, *, bom: bool, newline: str, trailing: bool, spaced: bool) -> bytes:
    joiner = separator + (" " if spaced else "")
    end = separator if trailing else ""
    lines = [joiner.join(HEADER) + end, *(separator.join(row) + end for row in ROWS)]
    text = newline.join(lines) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


@pytest.mark.parametrize("separator", [";", ",", "\t"])
@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("trailing", [True, False])
def test_layout_variants_read_the_same(separator: str, bom: bool, newline: str, trailing: bool) -> None:
    data = _file(separator, bom=bom, newline=newline, trailing=trailing, spaced=separator == ";")
    timing = alkamel.parse_laps(data, "synthetic.csv")
    assert [e.car for e in timing.entries] == ["007", "7"]
    laps = [lap for lap in timing.laps if lap.car == "007"]
    assert [lap.in_pit for lap in laps] == [False, True, False]
    assert laps[2].pit_time_ms == 65_500
    assert laps[2].driver == 2
    assert laps[1].elapsed_ms == 240_000


def test_columns_are_found_by_name_not_position() -> None:
    header = ["ELAPSED", "LAP_TIME", "LAP_NUMBER", "NUMBER"]
    data = (";".join(header) + "\n1:50.000;1:50.000;1;12\n").encode()
    lap = alkamel.parse_laps(data, "reordered.csv").laps[0]
    assert (lap.car, lap.lap, lap.lap_time_ms, lap.elapsed_ms) == ("12", 1, 110_000, 110_000)


@pytest.mark.parametrize(
    ("data", "line", "column", "fragment"),
    [
        (b"", 1, None, "empty"),
        (b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n1;1;1:50.000;1:50.000\n1;2;1:5", 3, "ELAPSED", "cut off"),
        (b"NUMBER;LAP;TIME\n1;1;1:50.000\n", 1, "LAP_NUMBER", "not an Al Kamel lap analysis header"),
        (
            b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n1;1;1:2x.3;1:50.000\n",
            2,
            "LAP_TIME",
            "'1:2x.3' is not a time",
        ),
        (
            b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n1;one;1:50.000;1:50.000\n",
            2,
            "LAP_NUMBER",
            "not a lap number",
        ),
        (b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n;1;1:50.000;1:50.000\n", 2, "NUMBER", "car number is missing"),
        (b"PK\x03\x04\x00\x00binary", 1, None, "binary"),
        (b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n", 2, None, "no lap rows"),
    ],
    ids=[
        "empty",
        "truncated",
        "wrong-header",
        "garbage-time",
        "garbage-lap",
        "no-number",
        "binary",
        "header-only",
    ],
)
def test_bad_input_names_file_line_and_column(
    data: bytes, line: int, column: str | None, fragment: str
) -> None:
    with pytest.raises(ParseError) as caught:
        alkamel.parse_laps(data, "bad.csv")
    error = caught.value
    assert (error.source, error.line, error.column) == ("bad.csv", line, column)
    assert fragment in error.message


def test_results_bad_input() -> None:
    with pytest.raises(ParseError) as caught:
        alkamel.parse_results(b"POSITION;NUMBER;LAPS;TOTAL_TIME\n1;7;12;1:2x:00.000\n", "results.csv")
    assert (caught.value.line, caught.value.column) == (2, "TOTAL_TIME")
    with pytest.raises(ParseError, match="no TOTAL_TIME"):
        alkamel.parse_results(b"POSITION;NUMBER;LAPS\n1;7;12\n", "results.csv")


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read the file"):
        alkamel.read_laps(tmp_path / "missing.csv")


def _practice_and_qualifying_with_results() -> list[Path]:
    if not IMSA.exists():
        return []
    return sorted(
        p
        for p in IMSA.rglob("*-laps.csv")
        if "race" not in p.name and p.with_name(p.name.replace("-laps.csv", "-results.csv")).exists()
    )


def test_practice_and_qualifying_order_reproduces_the_official_results() -> None:
    """Every IMSA practice and qualifying file with official results beside it: the share of cars in
    official order (printed), above a floor just under what is reached (177 of 180 cars, 98.3 %: the
    three misses are cars without a time, which the official results order by a rule not in the file)."""
    from chequered.core.session_kind import read_kind

    files = _practice_and_qualifying_with_results()
    real_file(IMSA)
    assert len(files) >= 5
    cars = in_order = 0
    for path in files:
        timing = alkamel.read_laps(path)
        official = alkamel.read_results(path.with_name(path.name.replace("-laps.csv", "-results.csv")))
        timing, mapping = alkamel.merge_entries(timing, official)
        kind = read_kind(timing.laps, path.name).kind
        assert kind is not SessionKind.RACE, path.name
        classification = classify(Session("s", "s", kind), timing.entries, timing.laps, [], DEFAULT_RULEBOOK)
        position = {r.entry.car: r.position for r in classification.results}
        placed = [o for o in official if o.position is not None]
        hits = sum(position.get(mapping[o.entry.car]) == o.position for o in placed)
        print(f"{path.name}: {hits}/{len(placed)} cars in official order")
        cars, in_order = cars + len(placed), in_order + hits
    print(f"practice and qualifying: {in_order}/{cars} = {in_order / cars:.1%} in official order")
    assert in_order / cars >= 0.97


def test_a_car_whose_times_were_all_deleted_has_no_best_lap() -> None:
    """Road Atlanta 2023 qualifying: #59 and #63 ran 12 and 10 laps, every time deleted (no lap keeps
    an improvement mark); the official results give them no time, behind every car with one."""
    path = IMSA / "2023/21-road-atlanta/202310131520-qualifying-laps.csv"
    timing = alkamel.read_laps(real_file(path))
    quali = Session("q", "q", SessionKind.QUALIFYING)
    classification = classify(quali, timing.entries, timing.laps, [], DEFAULT_RULEBOOK)
    for car in ("59", "63"):
        assert not any(lap.counts for lap in timing.laps if lap.car == car)
        result = classification.result(car)
        assert result is not None and result.best_lap_ms is None
    assert any(lap.counts for lap in timing.laps if lap.car == "47")
