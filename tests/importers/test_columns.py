"""The column reader: its one-sweep split reads every file exactly as the row-by-row reader does."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from chequered.core.errors import ParseError
from chequered.importers import alkamel
from chequered.importers.columns import Table
from chequered.importers.text import decode, table_rows
from tests.conftest import GRCUP, IMSA, WEC, real_file

LAP_FILES = [
    IMSA / "2024" / "05-sebring-international-raceway" / "202403160940-race-laps.csv",
    WEC / "2024" / "le_mans_24h.csv",
    GRCUP / "analysis_endurance" / "barber_r2_analysis_endurance.csv",
]


def _row_by_row(text: str) -> Table:
    header, rows = table_rows(text)
    return Table("x", header, rows, first_line=2)


@pytest.mark.parametrize("path", LAP_FILES, ids=lambda p: p.name)
def test_one_sweep_reads_a_real_file_as_row_by_row_does(path: Path) -> None:
    text = decode(real_file(path).read_bytes(), str(path))
    swept, rows = Table.read("x", text), _row_by_row(text)
    assert swept.header == rows.header
    assert swept.count == rows.count
    assert list(swept.lines) == list(rows.lines)
    assert {name: list(column) for name, column in swept.columns.items()} == {
        name: list(column) for name, column in rows.columns.items()
    }
    for name in ("LAP_TIME", "ELAPSED", "S1", "S2", "S3", "PIT_TIME"):
        assert swept.durations(name) == rows.convert(name, alkamel.parse_duration, "a time")


@pytest.mark.parametrize(
    "text",
    [
        'NUMBER;TEAM\n1;"A; B"\n2;C\n',  # quoted: the csv module
        "NUMBER;TEAM;CLASS\n1;A\n2;B;GT3\n",  # ragged: padded row by row
        "NUMBER;TEAM\n1;A\n\n2;B\n",  # a blank line: dropped, numbering kept
    ],
)
def test_files_the_sweep_cannot_take_are_read_row_by_row(text: str) -> None:
    swept, rows = Table.read("x", text), _row_by_row(text)
    assert swept.columns == rows.columns
    assert list(swept.lines) == list(rows.lines)


def test_a_bad_time_in_a_column_read_whole_is_still_found_by_line() -> None:
    text = "NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n1;1;1:50.000;1:50.000\n1;2;1:5x.000;3:40.000\n"
    with pytest.raises(ParseError, match=r"line 3.*LAP_TIME.*'1:5x.000' is not a time"):
        alkamel.parse_laps(text.encode(), "bad.csv")


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(enabled: bool) -> None:
    data = b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n1;1;1:50.000;1:50.000\n"
    (gc.enable if enabled else gc.disable)()
    try:
        alkamel.parse_laps(data, "one.csv")
        assert gc.isenabled() is enabled
        with pytest.raises(ParseError):
            alkamel.parse_laps(b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n1;x;1:50.000;1:50.000\n", "bad.csv")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
