"""RMonitor (MYLAPS Orbits "Results Monitor") lines → typed records.

The protocol is ASCII lines ``$<cmd>,<fields…>`` ended by CR LF, strings in double quotes, numbers bare
(RMonitor Timing Protocol v1.0 and the IMSA Enhanced protocol v1.03 with ``$L`` line crossings and ``$T``
track descriptions). Captures wrap it: RedMist writes a ``##<UTC timestamp>`` header and a blank line per
packet, RMonitorLeaderboard prefixes each line with the milliseconds since the recording started. Line
endings are mixed (CRLF, LF, CR) and a file may start with a BOM.

A line that is not a record (garbage, a truncated record, a bad number) raises ``ParseError`` naming the
line and the field; the feed reports it once and carries on (see ``feed``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from chequered.core.errors import ParseError
from chequered.core.timefmt import parse_duration

NO_TIME = ("00:59:59.999", "00:00:00.000", "")
MAX_FIELD = 100  # characters in a field: names, numbers and times are far shorter; a 1 MB name is refused
MAX_DIGITS = 9  # in a number (positions, laps, sections): beyond any session, within every store's integer


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """``$F``: the session clock, once a second. ``laps_to_go`` 9999 means a timed session."""

    laps_to_go: int
    time_to_go_ms: int
    time_of_day_ms: int
    race_time_ms: int
    flag: str


@dataclass(frozen=True, slots=True)
class Competitor:
    """``$A`` / ``$COMP``: a car. ``reg_no`` is the key; ``number`` is what is painted on the car."""

    reg_no: str
    number: str
    transponder: str
    first_name: str
    last_name: str
    nationality: str
    class_no: str
    additional: str = ""
    extended: bool = False


@dataclass(frozen=True, slots=True)
class Run:
    """``$B``: the session (run number, description)."""

    number: str
    description: str


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """``$C``: a class number and its name."""

    number: str
    description: str


@dataclass(frozen=True, slots=True)
class Setting:
    """``$E``: TRACKNAME, TRACKLENGTH…"""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class RaceOrder:
    """``$G``: race position, laps (None before the first lap) and race time at the car's last crossing."""

    position: int
    reg_no: str
    laps: int | None
    total_time_ms: int


@dataclass(frozen=True, slots=True)
class PracticeOrder:
    """``$H``: practice/qualifying position by best lap; ``best_lap_ms`` None when the car has no time."""

    position: int
    reg_no: str
    best_lap: int
    best_lap_ms: int | None


@dataclass(frozen=True, slots=True)
class Init:
    """``$I``: the scoreboard is reset; everything is sent again."""

    time_of_day: str
    date: str


@dataclass(frozen=True, slots=True)
class Passing:
    """``$J``: a passing at the main line: lap time and race time (no lap number)."""

    reg_no: str
    lap_time_ms: int | None
    total_time_ms: int


@dataclass(frozen=True, slots=True)
class Correction:
    """``$COR``: a corrected passing: laps and race time of a car."""

    reg_no: str
    number: str
    laps: int
    total_time_ms: int
    correction: str


@dataclass(frozen=True, slots=True)
class LineCrossing:
    """``$L`` (IMSA): a crossing of any timeline (pit in, pit out, pit-lane finish line), time of day."""

    number: str
    timeline: str
    timeline_name: str
    date: str
    time_of_day_ms: int
    driver_id: str = ""
    car_class: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    start_timeline: str
    end_timeline: str
    inches: int


@dataclass(frozen=True, slots=True)
class Track:
    """``$T`` (IMSA): the track, its length and its sections between timelines."""

    name: str
    short_name: str
    distance: str
    sections: tuple[Section, ...]


@dataclass(frozen=True, slots=True)
class Unknown:
    """A well-formed record of a type chequered does not read (Orbits' ``$SP``/``$SR`` section records)."""

    command: str
    fields: tuple[str, ...]


Record = (
    Heartbeat
    | Competitor
    | Run
    | ClassInfo
    | Setting
    | RaceOrder
    | PracticeOrder
    | Init
    | Passing
    | Correction
    | LineCrossing
    | Track
    | Unknown
)


@dataclass(frozen=True, slots=True)
class RawLine:
    """One RMonitor line of a capture: its number in the file, the text, and when it was received.

    ``received_ms`` is milliseconds on the capture's own clock (RedMist: UTC epoch ms of the packet,
    RMonitorLeaderboard: offset since the recording started); None for a bare stream.
    """

    line_no: int
    text: str
    received_ms: int | None = None


_FIELD = re.compile(r'\s*(?:"([^"]*)"|([^,"]*))\s*(,|$)')
_STAMP = re.compile(r"##(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?)")
_OFFSET = re.compile(r"(\d+) (\$.*)")


def split_fields(text: str) -> list[str] | None:
    """The comma-separated fields of a line with quotes removed; None when the quoting is broken."""
    fields: list[str] = []
    pos, end = 0, len(text)
    while True:
        m = _FIELD.match(text, pos)
        if m is None:
            return None
        quoted, bare, sep = m.groups()
        fields.append(quoted if quoted is not None else bare.strip())
        pos = m.end()
        if sep != ",":
            return fields if pos >= end else None


def _int(value: str, source: str, line: int, field: str) -> int:
    text = value.strip()
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        raise ParseError(source, line, field, f"not a number: {value!r}")
    if len(digits) > MAX_DIGITS:
        raise ParseError(source, line, field, f"a number of {len(digits)} digits, at most {MAX_DIGITS}")
    return int(text)


def _required(value: str, source: str, line: int, field: str) -> str:
    text = value.strip()
    if not text:
        raise ParseError(source, line, field, f"the {field} is missing")
    return text


def _time(value: str, source: str, line: int, field: str) -> int:
    try:
        return parse_duration(value.strip())
    except ValueError:
        raise ParseError(source, line, field, f"not a time: {value!r}") from None


def _opt_time(value: str, source: str, line: int, field: str) -> int | None:
    return None if value.strip() in NO_TIME else _time(value, source, line, field)


_ARITY = {
    "F": 6,
    "A": 8,
    "COMP": 8,
    "B": 3,
    "C": 3,
    "E": 3,
    "G": 5,
    "H": 5,
    "I": 3,
    "J": 4,
    "COR": 6,
    "L": 6,
    "T": 5,
}


def parse_record(text: str, source: str = "rmonitor", line: int = 0) -> Record:
    """One RMonitor line (no line ending) → a record; ``ParseError`` naming the line and field otherwise."""
    if not text.startswith("$"):
        raise ParseError(source, line, None, "not an RMonitor record")
    fields = split_fields(text)
    if fields is None:
        raise ParseError(source, line, None, "broken quoting (a truncated record?)")
    command = fields[0][1:]
    need = _ARITY.get(command)
    if need is None:
        if not command.isalnum():
            raise ParseError(source, line, "command", "not an RMonitor record")
        return Unknown(command, tuple(fields[1:]))
    if len(fields) < need:
        raise ParseError(
            source, line, None, f"truncated ${command} record ({len(fields) - 1} of {need - 1} fields)"
        )
    for i, value in enumerate(fields):
        if len(value) > MAX_FIELD:
            raise ParseError(source, line, f"field {i}", f"{len(value):,} characters, at most {MAX_FIELD}")
    f = fields
    if command == "F":
        return Heartbeat(
            _int(f[1], source, line, "laps_to_go"),
            _time(f[2], source, line, "time_to_go"),
            _time(f[3], source, line, "time_of_day"),
            _time(f[4], source, line, "race_time"),
            f[5].strip(),
        )
    if command in ("A", "COMP"):
        reg_no, number = (
            _required(f[1], source, line, "registration number"),
            _required(f[2], source, line, "car number"),
        )
        if command == "A":
            return Competitor(reg_no, number, f[3], f[4], f[5], f[6], f[7])
        return Competitor(reg_no, number, "", f[4], f[5], f[6], f[3], f[7], extended=True)
    if command == "B":
        return Run(f[1].strip(), _required(f[2], source, line, "session description"))
    if command == "C":
        return ClassInfo(f[1].strip(), f[2])
    if command == "E":
        return Setting(f[1], f[2])
    if command == "G":
        laps = None if not f[3].strip() else _int(f[3], source, line, "laps")
        reg_no = _required(f[2], source, line, "registration number")
        return RaceOrder(
            _int(f[1], source, line, "position"), reg_no, laps, _time(f[4], source, line, "total")
        )
    if command == "H":
        return PracticeOrder(
            _int(f[1], source, line, "position"),
            _required(f[2], source, line, "registration number"),
            _int(f[3] or "0", source, line, "best_lap"),
            _opt_time(f[4], source, line, "best_laptime"),
        )
    if command == "I":
        return Init(f[1], f[2])
    if command == "J":
        return Passing(
            _required(f[1], source, line, "registration number"),
            _opt_time(f[2], source, line, "laptime"),
            _time(f[3], source, line, "total"),
        )
    if command == "COR":
        return Correction(
            f[1], f[2], _int(f[3], source, line, "laps"), _time(f[4], source, line, "total"), f[5]
        )
    if command == "L":
        return LineCrossing(
            f[1],
            f[2],
            f[3],
            f[4],
            _time(f[5], source, line, "time"),
            f[6] if len(f) > 6 else "",
            f[7] if len(f) > 7 else "",
        )
    return _track(f, source, line)


def _track(f: list[str], source: str, line: int) -> Track:
    count = _int(f[4], source, line, "sections")
    if len(f) < 5 + 4 * count:
        raise ParseError(source, line, None, f"truncated $T record ({count} sections announced)")
    sections = tuple(
        Section(f[i], f[i + 1], f[i + 2], _int(f[i + 3], source, line, "inches"))
        for i in range(5, 5 + 4 * count, 4)
    )
    return Track(f[1], f[2], f[3], sections)


def _stamp_ms(text: str) -> int:
    return int(datetime.fromisoformat(text.replace(" ", "T")).replace(tzinfo=UTC).timestamp() * 1000)


class LineSplitter:
    """Cuts a stream of text chunks (a file, a TCP socket) into RMonitor lines, whatever the line endings
    and capture wrapper: ``##`` headers set the receive time of the lines that follow, a ``<ms> $…``
    prefix gives the time of its own line, blank lines are dropped, anything else is passed on so that
    the parser can report garbage with its line number."""

    def __init__(self) -> None:
        self.line_no = 0
        self._received: int | None = None
        self._carry = ""

    def feed(self, chunk: str) -> list[RawLine]:
        parts = re.split(r"\r\n|\r|\n", self._carry + chunk)
        self._carry = parts.pop()  # an unfinished line waits (a CR LF split in two is a blank line)
        return [raw for part in parts if (raw := self._line(part)) is not None]

    def close(self) -> list[RawLine]:
        carry, self._carry = self._carry, ""
        raw = self._line(carry) if carry else None
        return [raw] if raw is not None else []

    def _line(self, part: str) -> RawLine | None:
        self.line_no += 1
        raw = _raw(part, self.line_no, self._received)
        if isinstance(raw, int):
            self._received = raw
            return None
        return raw


def capture_lines(chunks: Iterable[str]) -> Iterator[RawLine]:
    """The RMonitor lines of a capture given as text chunks."""
    splitter = LineSplitter()
    for chunk in chunks:
        yield from splitter.feed(chunk)
    yield from splitter.close()


def _raw(part: str, line_no: int, received: int | None) -> RawLine | int | None:
    text = part.lstrip("\ufeff").strip()
    if not text:
        return None
    if text.startswith("##"):
        m = _STAMP.match(text)
        if m is not None:
            return _stamp_ms(m.group(1))
        return RawLine(line_no, text, received)
    if text[0].isdigit():
        m = _OFFSET.fullmatch(text)
        if m is not None:
            return RawLine(line_no, m.group(2), int(m.group(1)))
    return RawLine(line_no, text, received)


def read_capture(data: bytes) -> Iterator[RawLine]:
    """The RMonitor lines of a capture file's bytes (UTF-8 with or without BOM; Latin-1 tolerated)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return capture_lines([text])
