from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chequered.core.timefmt import (
    format_duration,
    format_gap,
    parse_duration,
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


@given(
    st.integers(0, 99),
    st.integers(0, 59),
    st.integers(0, 59),
    st.integers(0, 999),
    st.sampled_from(["{h}:{m:02d}:{s:02d}.{f}", "{m}:{s:02d}.{f}", "{m}'{s:02d}.{f}", "{s}.{f}"]),
    st.integers(1, 3),
)
def test_every_screen_shape_reads_as_its_arithmetic(
    h: int, m: int, s: int, ms: int, shape: str, digits: int
) -> None:
    fraction = f"{ms:03d}"[:digits]
    text = shape.format(h=h, m=m, s=s, f=fraction)
    expected = int(fraction.ljust(3, "0")) + s * 1000
    expected += m * 60_000 if "{m" in shape else 0
    expected += h * 3_600_000 if "{h" in shape else 0
    assert parse_duration(text) == expected


@given(st.text(alphabet="0123456789:.'\n -x\u0662", max_size=14))
def test_anything_else_is_a_value_error(text: str) -> None:
    """Any text is a number of milliseconds or a ValueError naming it, never another exception."""
    try:
        ms = parse_duration(text)
    except ValueError as error:
        assert repr(text) in str(error)
    else:
        assert ms >= 0


def test_gap_and_seconds() -> None:
    assert format_gap(2120, 0) == "+2.120"
    assert format_gap(None, 1) == "1 Lap"
    assert format_gap(None, 3) == "3 Laps"
    assert format_gap(None, 0) == "-"
    assert parse_seconds("101.077") == 101_077
    assert parse_seconds("39.57") == 39_570
    with pytest.raises(ValueError, match="seconds"):
        parse_seconds("1e3")
