"""Race times as integer milliseconds, parsed from and formatted to the notations timing systems use.

Accepted: ``SS.mmm``, ``M:SS.mmm``, ``H:MM:SS.mmm`` with hours unbounded (lap times past one hour, race
times past 24 h), and the apostrophe minutes of WEC classifications (``5:44'41.101``, ``1'58.056``).
Fractions of one to three digits are right-padded (``39.57`` is 39.570 s).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import cast

_DURATION = re.compile(r"(?:(?:(\d+):)?(\d{1,2}):)?(\d{1,2})(?:\.(\d{1,3}))?", re.ASCII)
_PAD = (0, 100, 10, 1)


def parse_duration(text: str) -> int:
    """Parse a duration to milliseconds; raise ``ValueError`` naming the text when it is not one.

    The common shapes (``SS.mmm``, ``M:SS.mmm``, ``H:MM:SS.mmm`` with three-digit fractions) take a fast
    path that checks the separators by position and converts the digits in one ``int`` call; a lap file
    holds about a hundred thousand of them.
    """
    n = len(text)
    shaped = n >= 5 and n not in (7, 10) and text[-4] == "."  # 7 and 10 would leave a field empty
    if shaped and (n < 7 or text[-7] == ":") and (n < 10 or text[-10] == ":"):
        digits = text.replace(":", "").replace(".", "")
        if digits.isdigit() and digits.isascii() and len(digits) == n - (n > 6) - (n > 9) - 1:
            value = int(digits)
            if n <= 6:
                return value
            seconds = value // 1000 % 100
            minutes = value // 100_000 % 100 if n > 9 else value // 100_000
            if seconds >= 60 or (n > 9 and minutes >= 60):
                raise ValueError(f"not a time: {text!r}")
            return value % 1000 + seconds * 1000 + minutes * 60_000 + value // 10_000_000 * 3_600_000
    return _slow(text)


# One time in its exact timing-screen shape: ``H:MM:SS.mmm`` (hours unbounded), ``M:SS.mmm`` / ``MM:SS.mmm``,
# ``S.mmm`` / ``SS.mmm``. A column is checked by the shapes of its values, digits 0-5 written 0 and 6-9
# written 6 (the tens of minutes and seconds must be 0), so a few hundred shapes stand for all the values.
_SHAPED = re.compile(r"(?:(?:\d+:0\d|\d{1,2}):0\d|\d{1,2})\.\d{3}", re.ASCII)
_DIGIT_CLASS = str.maketrans("0123456789", "0000006666")


def integer_lines(digits: str) -> list[int | None]:
    """The integers of a string of digit runs, one per line; an empty line is None."""
    return [int(run) if run else None for run in digits.split("\n")]


def parse_durations(
    texts: Sequence[str], integers: Callable[[str], list[int | None]] = integer_lines
) -> list[int | None] | None:
    """A whole column of times at once, in milliseconds (blank = None); None when any value is not in
    an exact shape (the caller then parses one at a time, with ``parse_duration``'s full rules).

    With the separators removed each time reads as the integer ``HHMMSSmmm``; taking 40 s back out of
    each hundred "minutes" and 2,400 s out of each hundred "hours" leaves milliseconds. ``integers``
    reads the digit runs, one per line (an importer may bring a faster reader than ``int`` on each).
    """
    if not texts:
        return []
    if not all(texts) and len(written := list(filter(None, texts))) * 2 < len(texts):
        present = parse_durations(written, integers)  # mostly blank (pit times): spread back
        if present is None:
            return None
        spread = iter(present)
        return [next(spread) if text else None for text in texts]
    column = "\n".join(texts)
    shapes = set(column.translate(_DIGIT_CLASS).split("\n"))
    blanks = "" in shapes
    shapes.discard("")
    if not all(map(_SHAPED.fullmatch, shapes)):
        return None
    values = integers(column.replace(":", "").replace(".", ""))
    if len(values) != len(texts):  # a value held a line break
        return None
    if ":" not in column:
        return values
    if blanks:
        return [
            None if v is None else v - 40_000 * (v // 100_000) - 2_400_000 * (v // 10_000_000) for v in values
        ]
    times = cast("list[int]", values)  # no blank: every value is a number
    if max(map(len, shapes)) <= len("MM:SS.mmm"):  # no hours: one step less
        return [v - 40_000 * (v // 100_000) for v in times]
    return [v - 40_000 * (v // 100_000) - 2_400_000 * (v // 10_000_000) for v in times]


def _slow(text: str) -> int:
    m = _DURATION.fullmatch(text.replace("'", ":") if "'" in text else text)
    if m is None:
        raise ValueError(f"not a time: {text!r}")
    hours, minutes, seconds, fraction = m.groups()
    if minutes is not None and int(seconds) >= 60:
        raise ValueError(f"not a time: {text!r} (seconds >= 60)")
    if hours is not None and int(minutes) >= 60:
        raise ValueError(f"not a time: {text!r} (minutes >= 60)")
    ms = int(seconds) * 1000
    if fraction:
        ms += int(fraction) * _PAD[len(fraction)]
    if minutes:
        ms += int(minutes) * 60_000
    if hours:
        ms += int(hours) * 3_600_000
    return ms


def parse_seconds(text: str) -> int:
    """Parse decimal seconds (``101.077``, ``39.57``) to milliseconds."""
    whole, _, fraction = text.partition(".")
    if (
        not whole.isascii()
        or not whole.isdigit()
        or (fraction and not (fraction.isascii() and fraction.isdigit()))
    ):
        raise ValueError(f"not a number of seconds: {text!r}")
    return int(whole) * 1000 + (int(fraction[:3].ljust(3, "0")) if fraction else 0)


def format_duration(ms: int) -> str:
    """Format milliseconds the way timing screens do: ``1:43.922``, ``6:03:07.595``, ``24.583``."""
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"
    if minutes:
        return f"{sign}{minutes}:{seconds:02d}.{millis:03d}"
    return f"{sign}{seconds}.{millis:03d}"


def format_gap(ms: int | None, laps: int) -> str:
    """A gap as results show it: ``+2.120`` on the same lap, ``1 Lap`` / ``3 Laps`` behind, ``-`` for none."""
    if laps > 0:
        return f"{laps} Lap" if laps == 1 else f"{laps} Laps"
    if ms is None:
        return "-"
    return "+" + format_duration(ms)
