"""The one CSV reader: real files read exactly as a naive split of their lines reads them, any file
(ragged, blank lines, LF or CRLF) likewise, and every bad value named by file, line and column."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chequered.core.errors import ParseError
from chequered.core.timefmt import format_duration, parse_duration
from chequered.importers import alkamel
from chequered.importers.rows import Row, Table, decode, whole_number
from tests.conftest import GRCUP, IMSA, WEC, real_file

LAP_FILES = [
    IMSA / "2024" / "05-sebring-international-raceway" / "202403160940-race-laps.csv",
    WEC / "2024" / "le_mans_24h.csv",
    GRCUP / "analysis_endurance" / "barber_r2_analysis_endurance.csv",
]


def _naive(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A file read the simplest way: split at line ends, then at the separator (no quoting)."""
    lines = text.splitlines()
    separator = max(";,\t", key=lines[0].count)
    header = [name.strip() for name in lines[0].split(separator)]
    while header and not header[-1]:
        header.pop()
    return header, [(n, line.split(separator)) for n, line in enumerate(lines[1:], 2) if line.strip()]


@pytest.mark.parametrize("path", LAP_FILES, ids=lambda p: p.name)
def test_a_real_file_reads_as_a_naive_split_of_its_lines(path: Path) -> None:
    data = real_file(path).read_bytes()
    table = Table(data, str(path))
    header, rows = _naive(decode(data, str(path)))
    assert table.header == header
    read = list(table.complete_rows())
    assert [(row.line, row.fields) for row in read] == rows
    for row, (_, fields) in zip(read, rows, strict=True):
        for name in ("LAP_TIME", "ELAPSED", "S1", "S2", "S3", "PIT_TIME"):
            value = fields[header.index(name)].strip()
            assert row.time(name) == (parse_duration(value) if value else None)
        for name in ("LAP_NUMBER", "DRIVER_NUMBER"):
            value = fields[header.index(name)].strip()
            assert row.whole(name) == (int(value) if value else None)


def test_a_windows_1252_file_is_read_as_such() -> None:
    rows = list(Table("NUMBER;DRIVER\n1;Séb\n".encode("cp1252"), "x"))
    assert rows[0].text("DRIVER") == "Séb"


def test_bytes_neither_utf8_nor_windows_1252_are_refused_by_line() -> None:
    with pytest.raises(ParseError) as caught:
        Table(b"NUMBER;TEAM\n1;A\n2;\x81\xff\n", "x")
    assert caught.value.line == 3


def test_a_quoted_field_keeps_its_separator() -> None:
    assert [row.text("TEAM") for row in Table(b'NUMBER;TEAM\n1;"A; B"\n2;C\n', "x")] == ["A; B", "C"]


def test_a_blank_line_is_skipped_and_a_line_of_empty_fields_kept() -> None:
    read = [
        (row.line, row.text("NUMBER"), row.text("TEAM"))
        for row in Table(b"NUMBER;TEAM\n1;A\n\n;\n2;B;X\n", "x")
    ]
    assert read == [(2, "1", "A"), (4, "", ""), (5, "2", "B")]


def test_a_form_feed_inside_a_field_is_part_of_it() -> None:
    assert [row.fields[1] for row in Table(b"NUMBER;TEAM\n1;A\x0cB\n2;C\n", "x")] == ["A\x0cB", "C"]


@pytest.mark.parametrize(
    "data",
    [
        b"NUMBER;LAP;T;\n1;1;1:50.000;\n2;1;1:5",  # cut inside a value
        b"NUMBER;LAP;T;\n1;1;1:50.000;\n2;1;1:51.000",  # cut before the trailing separator
        b"NUMBER;LAP;T\n1;1;1:50.000\n2;1",  # cut before the last value
    ],
)
def test_a_row_cut_off_is_refused_naming_its_line(data: bytes) -> None:
    table = Table(data, "cut.csv")
    with pytest.raises(ParseError, match=r"cut\.csv.*line 3.*cut off mid-row"):
        list(table.complete_rows())


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_alone(enabled: bool) -> None:
    data = b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n1;1;1:50.000;1:50.000\n"
    (gc.enable if enabled else gc.disable)()
    frozen = gc.get_freeze_count()
    try:
        alkamel.parse_laps(data, "one.csv")
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == frozen
    finally:
        gc.enable()


def _one(value: str) -> Row:
    return Row("f.csv", {"NUMBER": 0, "V": 1}, ["2", value], 3)  # line 3 of f.csv


@pytest.mark.parametrize("value", ["1.5", "-1", "1e3", "\u0662", "x"])
def test_a_whole_number_refuses_what_is_not_one_by_file_line_and_column(value: str) -> None:
    with pytest.raises(ParseError, match=r"f\.csv.*line 3.*V.*is not a lap number"):
        _one(value).whole("V", "a lap number")


def test_a_required_blank_names_its_line() -> None:
    with pytest.raises(ParseError, match=r"line 3.*V.*missing"):
        _one(" ").time("V", required=True)


def test_a_speed_that_is_not_a_number_is_refused_by_line() -> None:
    with pytest.raises(ParseError, match=r"line 3.*V.*'fast' is not a speed"):
        _one("fast").decimal("V", "a speed")


def _read(read: Callable[[], object]) -> object:
    try:
        return read()
    except ParseError as error:
        return str(error)


def _by_hand(value: str, parse: Callable[[str], object], what: str) -> object:
    """What one value should read as, worked out apart from the reader."""
    value = value.strip()
    if not value:
        return None
    try:
        return parse(value)
    except ValueError:
        return str(ParseError("f.csv", 3, "V", f"{value!r} is not {what}"))


_TIMES = st.integers(min_value=0, max_value=30 * 3_600_000).map(format_duration)
_ODD = st.sampled_from(
    ["", " ", "0:01:04.318", " 1:50.000", "01:50.000", "1:5.1", "1:60.000", "x", "1.000.0", "1'58.056"]
)


@settings(max_examples=300)
@given(_TIMES | _ODD)
def test_a_time_reads_as_parse_duration_of_the_stripped_value(value: str) -> None:
    assert _read(lambda: _one(value).time("V")) == _by_hand(value, parse_duration, "a time")


@settings(max_examples=300)
@given(
    st.integers(min_value=0, max_value=10**12).map(str) | st.sampled_from(["", " 7", "007", "1.5", "\u0662"])
)
def test_a_whole_number_reads_as_its_digits(value: str) -> None:
    assert _read(lambda: _one(value).whole("V", "a value")) == _by_hand(value, whole_number, "a value")


_FIELD = st.text(alphabet="abc12:. ", max_size=4)


@settings(max_examples=300)
@given(
    st.integers(1, 4),
    st.lists(st.lists(_FIELD, min_size=0, max_size=6), min_size=1, max_size=12),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_any_file_reads_as_a_naive_split_of_its_lines(
    width: int, rows: list[list[str]], ending: str, last_ended: bool
) -> None:
    """Any file (ragged, blank or uniform lines, LF or CRLF, last line ended or not): every line's fields
    under their column names, numbered by their line in the file."""
    header = [f"C{i}" for i in range(width)]
    text = ending.join([";".join(header), *(";".join(row) for row in rows)]) + (ending if last_ended else "")
    _, expected = _naive(text)
    read = [(row.line, [row.text(name) for name in header]) for row in Table(text.encode(), "x")]
    assert read == [
        (line, [fields[i].strip() if i < len(fields) else "" for i in range(width)])
        for line, fields in expected
    ]
