"""Race times as integer milliseconds, parsed from and formatted to the notations timing systems use.

Accepted: ``SS.mmm``, ``M:SS.mmm``, ``H:MM:SS.mmm`` with hours unbounded (lap times past one hour, race
times past 24 h), and the apostrophe minutes of WEC classifications (``5:44'41.101``, ``1'58.056``).
Fractions of one to three digits are right-padded (``39.57`` is 39.570 s).
"""

from __future__ import annotations

import re

# [[hours:]minutes:]seconds[.fraction]; the WEC apostrophe stands for the colon before the seconds.
_DURATION = re.compile(r"(?:(?:(\d+):)?(\d{1,2})[:'])?(\d{1,2})(?:\.(\d{1,3}))?", re.ASCII)
_PAD = (0, 100, 10, 1)


def parse_duration(text: str) -> int:
    """Parse a duration to milliseconds; raise ``ValueError`` naming the text when it is not one."""
    m = _DURATION.fullmatch(text)
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
