"""Column-at-a-time conversion of a CSV table, with errors that name the line and the column.

A long race file holds some hundred thousand times. Converting each column in one sweep — every distinct
value parsed once, then mapped in C — costs a fraction of a per-row loop; a bad value is then looked
up again to report exactly where it sits.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from chequered.core.errors import ParseError
from chequered.core.timefmt import parse_duration, parse_durations
from chequered.importers.text import header_of, sniff_separator, table_rows

T = TypeVar("T")


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file's laps are built.

    Tens of thousands of new tuples (laps, sector times) trigger a collection every 700, and each one
    rescans the still-young column lists of the file, element by element: a third of the import time,
    for nothing, as none of these objects can form a cycle. The previous setting is restored after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Table:
    """The data rows of one CSV file, transposed into columns addressed by header name."""

    @classmethod
    def read(cls, source: str, text: str) -> Table:
        """The table of a decoded CSV text (header on the first line).

        Timing exports quote nothing and give every row the same number of fields: such a file is
        split in one sweep into a flat list of fields and its columns sliced out of it, with no list per
        row. Anything else (quotes, ragged or blank rows) is read row by row.
        """
        lines = text.splitlines()
        separator = sniff_separator(lines[0]) if lines else ";"
        widths = set(map(str.count, lines[1:], itertools.repeat(separator)))
        if '"' in text or len(widths) != 1:
            header, rows = table_rows(text)
            return cls(source, header, rows, first_line=2)
        width = widths.pop() + 1
        header = header_of(lines[0], separator)
        if width < len(header):
            header, rows = table_rows(text)
            return cls(source, header, rows, first_line=2)
        fields = separator.join(lines[1:]).split(separator)
        table = cls(source, header, [], first_line=2)
        table.count = len(lines) - 1
        table.lines = range(2, 2 + table.count)
        table.columns = {name: fields[i::width] for i, name in enumerate(header)}
        return table

    def __init__(self, source: str, header: Sequence[str], rows: list[list[str]], first_line: int) -> None:
        self.source = source
        self.header = list(header)
        lines: Sequence[int] = range(first_line, first_line + len(rows))
        if any(not row or (len(row) == 1 and not row[0].strip()) for row in rows):
            kept = [(line, row) for line, row in zip(lines, rows, strict=True) if any(f.strip() for f in row)]
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

    def has(self, name: str) -> bool:
        return name in self.columns

    def error(self, name: str, index: int, message: str) -> ParseError:
        return ParseError(self.source, self.lines[index], name, message)

    def text(self, name: str) -> list[str]:
        """The stripped values of a column; a column the file lacks reads as empty strings."""
        column = self.columns.get(name)
        if column is None:
            return [""] * self.count
        return list(map(str.strip, column))

    def value(self, name: str, index: int) -> str:
        """One stripped value; empty when the file lacks the column."""
        column = self.columns.get(name)
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

    def durations(self, name: str, *, required: bool = False) -> list[int | None]:
        """A column of times (``M:SS.mmm``, ``H:MM:SS.mmm``...) in milliseconds; blank = None."""
        values = self.text(name)
        distinct = set(values)
        if len(distinct) * 2 < len(values):  # sector times repeat: each one parsed once
            keys = list(distinct)
            parsed = parse_durations(keys)
            column = (
                None
                if parsed is None
                else list(map(dict(zip(keys, parsed, strict=True)).__getitem__, values))
            )
        else:
            column = parse_durations(values)
        if column is not None and not (required and "" in distinct):
            return column
        return self.convert(name, parse_duration, "a time", required=required)


def whole_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return int(text)
