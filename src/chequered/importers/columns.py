"""Column-at-a-time conversion of a CSV table, with errors that name the line and the column.

A long race file holds some hundred thousand times. It is read a block of lines at a time (``blocks``),
each block turned into columns; converting each column in one sweep — its numbers read by orjson's C
parser, or every distinct value parsed once and mapped in C — costs a fraction of a per-row loop; when
a column does not fit the sweep it is parsed value by value, and a bad value is reported with exactly
where it sits.
"""

from __future__ import annotations

import gc
import itertools
import operator
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import orjson

from chequered.core.errors import ParseError
from chequered.core.timefmt import integer_lines, parse_duration, parse_durations
from chequered.importers.text import decode_lines, header_of, sniff_separator, table_rows, text_start

T = TypeVar("T")
# The size of a block of lines, read, converted and freed in turn. Read whole, a 12 h race is 2.7 MB of
# text, 450,000 field strings and columns of numbers alive together; 128 KiB (some 800 lines) at a
# time, each block is converted and freed while it is still in the processor's cache, and the next
# reuses its memory.
BLOCK_BYTES = 128 * 1024


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file's laps are built, then file them as old.

    Tens of thousands of new tuples (laps, sector times) would trigger a collection every 700, each
    rescanning the young column lists, element by element; and once built, the first collection after
    the import would still walk every lap once more (6–8 ms for a 12 h race, cold in cache), then
    again when they reach the middle generation. None of them can form a cycle, and the timing they
    make lives on: ``gc.freeze()`` then ``gc.unfreeze()`` moves every tracked object into the oldest
    generation unscanned, as the documentation of both says. Skipped where the process froze objects
    of its own (a server that forks workers), whose frozen set it would thaw. The previous setting of
    the collector is restored after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


class Table:
    """The data rows of one CSV file, transposed into columns addressed by header name."""

    @classmethod
    def read(cls, source: str, text: str, wanted: Collection[str] | None = None) -> Table:
        """The whole table of a decoded CSV text (header on the first line) as one block; ``wanted``
        names the columns kept (all when None)."""
        data = text.encode()
        header, tables = blocks(source, data, wanted, block_bytes=len(data) + 1)
        return next(tables, None) or cls(source, header, [], first_line=2)

    def __init__(self, source: str, header: Sequence[str], rows: list[list[str]], first_line: int) -> None:
        self.source = source
        self.header = list(header)
        lines: Sequence[int] = range(first_line, first_line + len(rows))
        blank = [not row or (len(row) == 1 and not row[0].strip()) for row in rows]
        if any(blank):  # a blank line is skipped (a line of empty fields is a row of empty fields)
            kept = [(line, row) for line, row, skip in zip(lines, rows, blank, strict=True) if not skip]
            lines, rows = [line for line, _ in kept], [row for _, row in kept]
        self.lines = lines
        width = len(self.header)
        if rows and min(map(len, rows)) < width:
            rows = [row if len(row) >= width else [*row, *[""] * (width - len(row))] for row in rows]
        self.count = len(rows)
        self.columns: dict[str, Sequence[str]] = {}
        if rows:
            transposed = list(zip(*rows, strict=False))
            self.columns = {name: transposed[i] for i, name in enumerate(self.header)}
        self.unread: set[str] = set()  # columns the file has but the reader did not ask for
        # A block split whole (see ``_swept``): its fields, the separators on a line (the stride from a
        # field to the same field of the next line) and where each kept column sits on a line; a
        # column is sliced out of them when first asked for.
        self.fields: list[str] = []
        self.width = 0
        self.at: dict[str, int] = {}

    def has(self, name: str) -> bool:
        return name in self.columns or name in self.at

    def column(self, name: str) -> Sequence[str] | None:
        """A column's values as the file holds them; None when the file lacks it."""
        if name in self.unread:
            raise LookupError(f"column {name} is in the file but was not asked for when it was read")
        column = self.columns.get(name)
        if column is None and name in self.at:
            column = self.columns[name] = self._slice(self.at[name])
        return column

    def _slice(self, position: int) -> list[str]:
        """A column of a block split whole (see ``_swept``): the first and the last of a line are read
        from the fields that hold a line end; the others are every ``width``-th field."""
        fields, width = self.fields, self.width
        if 0 < position < width:
            return fields[position::width]
        ends = "\n".join(fields[width::width]).split("\n")  # last of a line, first of the next, ...
        return [fields[0], *ends[1:-1:2]] if position == 0 else ends[0::2]

    def error(self, name: str, index: int, message: str) -> ParseError:
        return ParseError(self.source, self.lines[index], name, message)

    def text(self, name: str) -> list[str]:
        """The stripped values of a column; a column the file lacks reads as empty strings."""
        column = self.column(name)
        if column is None:
            return [""] * self.count
        return list(map(str.strip, column))

    def value(self, name: str, index: int) -> str:
        """One stripped value; empty when the file lacks the column."""
        if 0 < self.at.get(name, 0) < self.width:  # without slicing the column
            return self.fields[index * self.width + self.at[name]].strip()
        column = self.column(name)
        return column[index].strip() if column is not None else ""

    def required_text(self, name: str, what: str) -> list[str]:
        values = self.text(name)
        if "" in values:
            raise self.error(name, values.index(""), f"{what} is missing (truncated row?)")
        return values

    def convert(
        self, name: str, parse: Callable[[str], T], what: str, *, required: bool = False
    ) -> list[T | None]:
        """Each value parsed (blank = None); raise on the first refused value, or on a blank if required."""
        values = self.text(name)
        parsed: dict[str, T | None] = {"": None}
        for value in set(values):
            if value:
                try:
                    parsed[value] = parse(value)
                except ValueError:
                    raise self.error(name, values.index(value), f"{value!r} is not {what}") from None
        if required and "" in parsed and "" in values:
            raise self.error(name, values.index(""), f"{what} is missing (truncated row?)")
        return list(map(parsed.__getitem__, values))

    def whole_numbers(self, name: str, what: str, *, required: bool = False) -> list[int | None]:
        """A column of whole numbers (blank = None, unless required)."""
        raw = self.column(name)
        if raw is not None and raw:
            joined = "\n".join(raw)
            if joined.replace("\n", "").isdigit() and joined.isascii():
                numbers = _json_numbers(joined)  # a leading zero: None
                if numbers is not None and len(numbers) == self.count and not (required and None in numbers):
                    return numbers
        return self.convert(name, whole_number, what, required=required)

    def decimals(self, name: str, what: str) -> list[float | None]:
        """A column of decimal numbers such as speeds (``189.4``); blank = None."""
        raw = self.column(name)
        if raw:
            joined = "\n".join(raw)
            # JSON takes no value with two points: one point in each, and no exponent, is a float
            # read as ``float`` reads it.
            points = joined.count(".") == (len(raw) if all(raw) else sum(1 for _ in filter(None, raw)))
            if points and joined.isascii() and "e" not in joined and "E" not in joined:
                numbers = _json_numbers(joined)
                if numbers is not None and len(numbers) == self.count:
                    return numbers
        return self.convert(name, float, what)

    def durations(self, name: str, *, required: bool = False) -> list[int | None]:
        """A column of times (``M:SS.mmm``, ``H:MM:SS.mmm``...) in milliseconds; blank = None."""
        raw = self.column(name)
        if raw is None:
            return [None] * self.count
        column = parse_durations(raw, _integers)
        if column is None:  # a padded value: stripped
            column = parse_durations(self.text(name), _integers)
        if column is None or (required and None in column):  # one at a time, to say where
            return self.convert(name, parse_duration, "a time", required=required)
        return column


def blocks(
    source: str, data: bytes, wanted: Collection[str] | None = None, block_bytes: int | None = None
) -> tuple[list[str], Iterator[Table]]:
    """The header of a CSV file (its first line) and its data rows as tables of about ``block_bytes``
    each, decoded a block at a time; ``wanted`` names the columns kept (all when None: the others are
    refused when asked for).

    Timing exports quote nothing: such a file is cut at line ends into blocks, and a block whose lines
    all hold the same number of fields is split into one flat list of fields, the wanted columns
    sliced out of it, with no list per row; a block with ragged or blank lines is split line by line.
    A file with a quote character is read whole, by the csv module.
    """
    start = text_start(data, source)
    if b'"' in data:
        header, rows = table_rows(decode_lines(data, source, start, len(data), 1))
        return header, iter([Table(source, header, rows, first_line=2)] if rows else [])
    end = data.find(b"\n", start)
    end = len(data) if end < 0 else end + 1
    first = decode_lines(data, source, start, end, 1).rstrip("\r\n")
    separator = sniff_separator(first)
    header = header_of(first, separator)
    kept = {name: i for i, name in enumerate(header) if wanted is None or name in wanted}
    unread = {name for name in header if wanted is not None and name not in wanted}

    def tables() -> Iterator[Table]:
        line, at, size = 2, end, block_bytes or BLOCK_BYTES
        while at < len(data):
            cut = data.find(b"\n", at + size - 1)
            cut = len(data) if cut < 0 else cut + 1
            text = decode_lines(data, source, at, cut, line)
            at = cut
            table = _swept(source, header, text, separator, line)
            if table is None:  # ragged or blank lines: one at a time
                lines = text.splitlines()
                table = Table(source, header, [text.split(separator) for text in lines], first_line=line)
                line += len(lines)
            else:
                table.at, table.unread = kept, unread
                line += table.count
            yield table

    return header, tables()


def _swept(source: str, header: list[str], text: str, separator: str, first_line: int) -> Table | None:
    """A block of lines split at every separator at once, when each line holds as many as the others
    (None when not, or with line ends other than LF and CRLF).

    Split unjoined, the last field of each line and the first of the next come out as one, with the
    line end between them: every line holds ``c`` separators exactly when the list holds ``c`` fields
    per line and every ``c``-th field holds a line end, one each."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if not text.endswith("\n"):
        text += "\n"
    count = text.count("\n")
    fields = text.split(separator)
    per_line = (len(fields) - 1) // count
    if per_line == 0 or per_line + 1 < len(header) or len(fields) != count * per_line + 1:
        return None
    if not all(map(operator.contains, fields[per_line::per_line], itertools.repeat("\n"))):
        return None
    table = Table(source, header, [], first_line=first_line)
    table.count = count
    table.lines = range(first_line, first_line + count)
    table.fields, table.width = fields, per_line
    return table


def whole_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return int(text)


def _json_numbers(lines: str) -> list[Any] | None:
    """Numbers one per line (an empty line as None), read by orjson in C, several times faster than
    ``int`` or ``float`` on each; None where JSON refuses one (a leading zero, say)."""
    listing = "[" + lines.replace("\n", ",") + "]"
    if ",," in listing:  # blanks: null (twice, as ",,," holds two)
        listing = listing.replace(",,", ",null,").replace(",,", ",null,")
    if listing.startswith("[,"):
        listing = "[null" + listing[1:]
    if listing.endswith(",]"):
        listing = listing[:-1] + "null]"
    try:
        numbers = orjson.loads(listing)
    except orjson.JSONDecodeError:
        return None
    return numbers if isinstance(numbers, list) else None


def _integers(digits: str) -> list[int | None]:
    numbers = _json_numbers(digits)
    return numbers if numbers is not None else integer_lines(digits)
