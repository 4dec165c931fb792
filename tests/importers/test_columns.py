"""The column reader: its one-sweep split reads every file exactly as the row-by-row reader does."""

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
from chequered.importers.columns import Table, blocks, whole_number
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
    assert _columns(swept) == _columns(rows)
    for name in ("LAP_TIME", "ELAPSED", "S1", "S2", "S3", "PIT_TIME"):
        assert swept.durations(name) == rows.convert(name, parse_duration, "a time")
    for name in ("LAP_NUMBER", "DRIVER_NUMBER"):
        assert swept.whole_numbers(name, "n") == rows.convert(name, whole_number, "n")


@pytest.mark.parametrize("block_bytes", [1, 700, 128 * 1024])
def test_blocks_of_a_real_file_read_as_the_whole_table(block_bytes: int) -> None:
    path = LAP_FILES[1]  # CRLF line ends, a byte order mark, accented names
    data = real_file(path).read_bytes()
    whole = Table.read("x", decode(data, str(path)), wanted=("NUMBER", "DRIVER_NAME", "LAP_TIME"))
    header, tables = blocks("x", data, ("NUMBER", "DRIVER_NAME", "LAP_TIME"), block_bytes)
    block_list = list(tables)
    assert header == whole.header
    assert len(block_list) > 1 if block_bytes < len(data) else len(block_list) == 1
    assert [line for t in block_list for line in t.lines] == list(whole.lines)
    for name in ("NUMBER", "DRIVER_NAME"):
        assert [v for t in block_list for v in t.text(name)] == whole.text(name)
    assert [v for t in block_list for v in t.durations("LAP_TIME")] == whole.durations("LAP_TIME")


def test_a_block_with_a_ragged_or_blank_line_is_read_line_by_line() -> None:
    data = b"NUMBER;TEAM;CLASS\n1;A;GT3\n2;B;GT4\n\n3;C\n4;D;GT3\n"
    _, tables = blocks("x", data, block_bytes=12)  # two lines to a block
    read = [(line, t.value("TEAM", i), t.value("CLASS", i)) for t in tables for i, line in enumerate(t.lines)]
    assert read == [(2, "A", "GT3"), (3, "B", "GT4"), (5, "C", ""), (6, "D", "GT3")]


def test_lines_whose_extra_and_missing_fields_even_out_are_still_read_line_by_line() -> None:
    data = b"NUMBER;TEAM;CLASS\n1;A;GT3;X\n2;B\n3;C;GT4\n"  # 9 fields, 3 to a line on average
    _, tables = blocks("x", data)
    table = next(tables)
    assert table.text("TEAM") == ["A", "B", "C"]
    assert table.text("CLASS") == ["GT3", "", "GT4"]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b""])
def test_first_and_last_columns_of_a_block_split_whole(ending: bytes) -> None:
    rows = [b"7;1;GF", b"8;1;YF", b"9;2;FF"]
    data = b"NUMBER;LAP_NUMBER;FLAG\n" + b"\n".join(rows) + ending
    _, tables = blocks("x", data, block_bytes=8)  # blocks of one and two lines, the last unended
    read = [
        (t.value("NUMBER", i), t.text("NUMBER")[i], t.value("FLAG", i))
        for t in tables
        for i in range(t.count)
    ]
    assert read == [("7", "7", "GF"), ("8", "8", "YF"), ("9", "9", "FF")]


def test_a_form_feed_inside_a_field_is_part_of_it() -> None:
    _, tables = blocks("x", b"NUMBER;TEAM\n1;A\x0cB\n2;C\n")
    assert next(tables).column("TEAM") == ["A\x0cB", "C"]


def test_a_block_neither_utf8_nor_windows_1252_is_refused_by_line() -> None:
    data = b"NUMBER;TEAM\n1;A\n2;\x81\xff\n"
    _, tables = blocks("x", data, block_bytes=1)
    with pytest.raises(ParseError) as caught:
        list(tables)
    assert caught.value.line == 3


def test_a_windows_1252_block_is_read_as_such() -> None:
    _, tables = blocks("x", "NUMBER;DRIVER\n1;Séb\n".encode("cp1252"))
    assert next(tables).text("DRIVER") == ["Séb"]


def _columns(table: Table) -> dict[str, list[str]]:
    return {name: list(table.column(name) or ()) for name in table.header}


def test_only_the_wanted_columns_are_kept() -> None:
    text = "NUMBER;LAP_TIME;TOP_SPEED\n" + "".join(f"{i};1:50.{i % 1000:03d};250.1\n" for i in range(2_500))
    table = Table.read("x", text, wanted=("NUMBER", "LAP_TIME"))
    assert not table.has("TOP_SPEED")
    with pytest.raises(LookupError, match="TOP_SPEED"):  # a reader asking for what it did not declare
        table.text("TOP_SPEED")
    assert table.text("NUMBER") == [str(i) for i in range(2_500)]
    assert table.durations("LAP_TIME") == [110_000 + i % 1000 for i in range(2_500)]


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
    assert _columns(swept) == _columns(rows)
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


def test_laps_are_filed_in_the_oldest_generation_unless_the_process_froze_objects() -> None:
    data = b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n1;1;1:50.000;1:50.000\n"
    first = alkamel.parse_laps(data, "one.csv")
    assert gc.get_freeze_count() == 0
    assert any(obj is first.laps[0] for obj in gc.get_objects(generation=2))
    gc.freeze()  # a server that forks workers, say: its frozen objects stay frozen
    try:
        frozen = gc.get_freeze_count()
        second = alkamel.parse_laps(data, "one.csv")
        assert gc.get_freeze_count() == frozen
        assert not any(obj is second.laps[0] for obj in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "2", "10"], [1, 2, 10]),
        (["01", "2"], [1, 2]),  # a leading zero: read one at a time
        (["1", "", "3"], [1, None, 3]),  # a blank
        ([" 1", "2 "], [1, 2]),  # padded
        (["0", "7"], [0, 7]),
    ],
)
def test_whole_numbers_read_as_one_at_a_time(values: list[str], expected: list[int | None]) -> None:
    text = "NUMBER;N\n" + "".join(f"{i};{value}\n" for i, value in enumerate(values))
    assert Table.read("x", text).whole_numbers("N", "a number") == expected


@pytest.mark.parametrize("value", ["1.5", "-1", "1e3", "\u0662", "x"])
def test_a_whole_number_column_refuses_what_is_not_one_by_line(value: str) -> None:
    text = f"NUMBER;N\n1;4\n2;{value}\n"
    with pytest.raises(ParseError, match=r"line 3.*N.*is not a number"):
        Table.read("x", text).whole_numbers("N", "a number")


def test_a_required_whole_number_column_with_a_blank_names_its_line() -> None:
    with pytest.raises(ParseError, match=r"line 3.*N.*missing"):
        Table.read("x", "NUMBER;N\n1;4\n2;\n").whole_numbers("N", "a number", required=True)


def test_a_required_time_column_with_a_blank_names_its_line() -> None:
    with pytest.raises(ParseError, match=r"line 3.*T.*missing"):
        Table.read("x", "NUMBER;T\n1;1:50.000\n2;\n").durations("T", required=True)


def test_padded_times_are_read_stripped() -> None:
    table = Table.read("x", "NUMBER;T\n1; 1:50.000\n2;0:01:04.318 \n3;\n")
    assert table.durations("T") == [110_000, 64_318, None]


def _value_at_a_time(
    table: Table, name: str, parse: Callable[[str], int], what: str
) -> list[int | None] | str:
    """What reading a column one stripped value at a time gives: the numbers, or the error."""
    return _swept(lambda: table.convert(name, parse, what))


def _swept(read: Callable[[], list[int | None]]) -> list[int | None] | str:
    try:
        return read()
    except ParseError as error:
        return str(error)


_TIMES = st.integers(min_value=0, max_value=30 * 3_600_000).map(format_duration)
_ODD = st.sampled_from(
    ["", " ", "0:01:04.318", " 1:50.000", "01:50.000", "1:5.1", "1:60.000", "x", "1.000.0"]
)


@settings(max_examples=300)
@given(st.lists(_TIMES | _ODD, min_size=1, max_size=30))
def test_a_time_column_read_in_one_sweep_is_read_as_value_at_a_time(values: list[str]) -> None:
    table = Table.read("x", "NUMBER;T\n" + "".join(f"{i};{value}\n" for i, value in enumerate(values)))
    assert _swept(lambda: table.durations("T")) == _value_at_a_time(table, "T", parse_duration, "a time")


_WHOLE = st.integers(min_value=0, max_value=10**12).map(str)
_ODD_WHOLE = st.sampled_from(["", " 7", "007", "0", "1.5", "-1", "1e3", "\u0662", "x"])


@settings(max_examples=300)
@given(st.lists(_WHOLE | _ODD_WHOLE, min_size=1, max_size=30), st.booleans())
def test_a_whole_number_column_read_in_one_sweep_is_read_as_value_at_a_time(
    values: list[str], required: bool
) -> None:
    table = Table.read("x", "NUMBER;N\n" + "".join(f"{i};{value}\n" for i, value in enumerate(values)))
    expected = _value_at_a_time(table, "N", whole_number, "a value")
    if required and isinstance(expected, list) and None in expected:
        expected = _swept(lambda: table.convert("N", whole_number, "a value", required=True))
    assert _swept(lambda: table.whole_numbers("N", "a value", required=required)) == expected


_DECIMAL = st.builds("{}.{}".format, st.integers(0, 10**6), st.text("0123456789", min_size=1, max_size=17))
_ODD_DECIMAL = st.sampled_from(["", " 7.5", "189", "01.5", "1.", ".5", "1.5.2", "1e3", "1.5E2", "inf", "x"])


@settings(max_examples=300)
@given(st.lists(_DECIMAL | _ODD_DECIMAL, min_size=1, max_size=30))
def test_a_decimal_column_read_in_one_sweep_is_read_as_value_at_a_time(values: list[str]) -> None:
    table = Table.read("x", "NUMBER;KPH\n" + "".join(f"{i};{value}\n" for i, value in enumerate(values)))
    swept = _swept(lambda: table.decimals("KPH", "a speed"))  # type: ignore[arg-type, return-value]
    expected = _swept(lambda: table.convert("KPH", float, "a speed"))  # type: ignore[arg-type, return-value]
    assert swept == expected
    assert [type(v) for v in swept] == [type(v) for v in expected]


def test_a_speed_that_is_not_a_number_is_refused_by_line() -> None:
    with pytest.raises(ParseError, match=r"line 3.*KPH.*'fast' is not a speed"):
        Table.read("x", "NUMBER;KPH\n1;189.4\n2;fast\n").decimals("KPH", "a speed")


_FIELD = st.text(alphabet="abc12:. ", max_size=4)


@settings(max_examples=300)
@given(
    st.integers(1, 4),
    st.lists(st.lists(_FIELD, min_size=0, max_size=6), min_size=1, max_size=12),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
    st.integers(1, 120),
)
def test_blocks_of_any_file_read_as_row_by_row_does(
    width: int, rows: list[list[str]], ending: str, last_ended: bool, block_bytes: int
) -> None:
    """Any file (ragged, blank or uniform lines, LF or CRLF, last line ended or not), in blocks of any
    size: every line's fields under their column names, numbered as the row-by-row reader numbers them."""
    header = [f"C{i}" for i in range(width)]
    text = ending.join([";".join(header), *(";".join(row) for row in rows)]) + (ending if last_ended else "")
    expected = _row_by_row(text)
    _, tables = blocks("x", text.encode(), block_bytes=block_bytes)
    read = [
        (line, tuple(t.value(name, i) for name in header)) for t in tables for i, line in enumerate(t.lines)
    ]
    assert read == [
        (line, tuple(expected.value(name, i) for name in header)) for i, line in enumerate(expected.lines)
    ]


@pytest.mark.parametrize("block_bytes", [1, 1_000])
def test_a_blank_line_is_skipped_and_a_line_of_empty_fields_kept(block_bytes: int) -> None:
    _, tables = blocks("x", b"NUMBER;TEAM\n1;A\n\n;\n2;B;X\n", block_bytes=block_bytes)
    read = [(n, t.value("NUMBER", i), t.value("TEAM", i)) for t in tables for i, n in enumerate(t.lines)]
    assert read == [(2, "1", "A"), (4, "", ""), (5, "2", "B")]
