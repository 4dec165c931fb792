from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chequered.core.timefmt import (
    _slow,
    format_duration,
    format_gap,
    parse_duration,
    parse_durations,
    parse_seconds,
)


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("24.583", 24_583),
        ("1:43.922", 103_922),
        ("45:57.575", 2_757_575),
        ("6:03:07.595", 21_787_595),
        ("17:31:33.055", 63_093_055),
        ("24:05:35.985", 86_735_985),
        ("0:01:27.261", 87_261),
        ("39.57", 39_570),
        ("5:44'41.101", 20_681_101),
        ("1'58.056", 118_056),
        ("00:59:59.999", 3_599_999),
    ],
)
def test_parse(text: str, ms: int) -> None:
    assert parse_duration(text) == ms


@pytest.mark.parametrize(
    "text",
    [
        "1:2x.3",
        "",
        "1:60.000",
        "1:75:00.000",
        "abc",
        "1.2.3",
        "-1.000",
        "1_0.000",
        "١.٢",
        ":23.456",
        ":01:23.456",
    ],
)
def test_garbage_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a time"):
        parse_duration(text)


@given(st.integers(min_value=0, max_value=200 * 3_600_000))
def test_format_then_parse_round_trips(ms: int) -> None:
    assert parse_duration(format_duration(ms)) == ms


@given(st.integers(min_value=0, max_value=99 * 3_600_000))
def test_fast_path_agrees_with_the_strict_parser(ms: int) -> None:
    text = format_duration(ms)
    assert parse_duration(text) == _slow(text)


def _one_at_a_time(texts: list[str]) -> list[int | None]:
    return [parse_duration(t) if t else None for t in texts]


@given(st.lists(st.integers(min_value=0, max_value=200 * 3_600_000).map(format_duration) | st.just("")))
def test_a_column_of_screen_times_parses_at_once_as_one_at_a_time(texts: list[str]) -> None:
    assert parse_durations(texts) == _one_at_a_time(texts)


@given(st.lists(st.text(alphabet="0123456789:.'\n -x", max_size=14)))
def test_a_column_parsed_at_once_never_disagrees_with_one_at_a_time(texts: list[str]) -> None:
    """Any column: refused as a whole (the caller goes one at a time) or read exactly as one at a time."""
    column = parse_durations(texts)
    if column is not None:
        assert column == _one_at_a_time(texts)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["1:52.345", "", "12:34:56.789", "52.345", "5.123"], [112_345, None, 45_296_789, 52_345, 5_123]),
        (["100:00:00.000", "99:59.999", "75.123"], [360_000_000, 5_999_999, 75_123]),
        (["1:5.123"], None),  # a one-digit second after minutes: one at a time reads it
        (["39.57"], None),  # a two-digit fraction: likewise
        (["1:60.000"], None),
        (["1.000\n2.000"], None),
    ],
)
def test_column_shapes(texts: list[str], expected: list[int | None] | None) -> None:
    assert parse_durations(texts) == expected


def test_gap_and_seconds() -> None:
    assert format_gap(2120, 0) == "+2.120"
    assert format_gap(None, 1) == "1 Lap"
    assert format_gap(None, 3) == "3 Laps"
    assert format_gap(None, 0) == "-"
    assert parse_seconds("101.077") == 101_077
    assert parse_seconds("39.57") == 39_570
    with pytest.raises(ValueError, match="seconds"):
        parse_seconds("1e3")
