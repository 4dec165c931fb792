"""The one CSV reader of the importers: bytes of a timing file → rows addressed by header name.

Text is UTF-8 (with or without a byte order mark), else Windows-1252; lines end in LF or CRLF; the
separator is the one the header line holds most of (Al Kamel publishes ``;``, some copies ``,``, a few
tools tabs); blank lines are skipped. Every conversion that fails raises a ``ParseError`` naming the
file, the line and the column, and so does a row cut short (a truncated download).
"""

from __future__ import annotations

import codecs
import csv
import io
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, TypeVar

from chequered.core.errors import ParseError
from chequered.core.timefmt import parse_duration

T = TypeVar("T")
SEPARATORS = (";", ",", "\t")


def decode(data: bytes, source: str) -> str:
    """The text of a file: UTF-8 (a byte order mark dropped), else Windows-1252; refuse an empty or
    binary file, and bytes that are neither, with the line where they sit."""
    if not data or data.isspace():
        raise ParseError(source, 1, None, "the file is empty")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ParseError(source, data.count(b"\n", 0, nul) + 1, None, "binary data, not a text timing file")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ParseError(source, line, None, "not UTF-8 or Windows-1252 text") from None


def whole_number(text: str) -> int:
    """A whole number written in ASCII digits (no sign, no exponent); ``ValueError`` otherwise."""
    if not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return int(text)


class Row:
    """One data row: its fields by column name (stripped), and conversions that name where they fail."""

    __slots__ = ("fields", "index", "line", "source")

    def __init__(self, source: str, index: dict[str, int], fields: list[str], line: int) -> None:
        self.source, self.index, self.fields, self.line = source, index, fields, line

    def error(self, column: str | None, message: str) -> ParseError:
        return ParseError(self.source, self.line, column, message)

    def text(self, column: str) -> str:
        """The stripped value; empty when the file has no such column or the row stops before it."""
        i = self.index.get(column)
        if i is None or i >= len(self.fields):
            return ""
        return self.fields[i].strip()

    def required(self, column: str, what: str) -> str:
        value = self.text(column)
        if not value:
            raise self.error(column, f"{what} is missing (truncated row?)")
        return value

    def convert(
        self, column: str, parse: Callable[[str], T], what: str, *, required: bool = False
    ) -> T | None:
        """The value parsed (blank: None, or an error when required)."""
        value = self.text(column)
        if not value:
            if required:
                raise self.error(column, f"{what} is missing (truncated row?)")
            return None
        try:
            return parse(value)
        except ValueError:
            raise self.error(column, f"{value!r} is not {what}") from None

    def time(self, column: str, *, required: bool = False) -> int | None:
        """A time (``M:SS.mmm``, ``H:MM:SS.mmm``...) in milliseconds."""
        return self.convert(column, parse_duration, "a time", required=required)

    def whole(self, column: str, what: str = "a whole number", *, required: bool = False) -> int | None:
        return self.convert(column, whole_number, what, required=required)

    def decimal(self, column: str, what: str) -> float | None:
        return self.convert(column, float, what)


def _blank(fields: list[str]) -> bool:
    """A blank line, as the csv module reads one (no field, or one of spaces)."""
    return not fields or (len(fields) == 1 and not fields[0].strip())


class Column(NamedTuple):
    """A column to convert: its header name, what a value is (for the error) and how to read one
    (a blank is None, or an error when required; a column the file lacks reads as blanks)."""

    name: str
    what: str
    parse: Callable[[str], Any] = str
    required: bool = False


class Table:
    """A CSV file's header (names stripped, a trailing empty name dropped) and its data rows."""

    def __init__(
        self, data: bytes, source: str, *, separator: str | None = None, lower: bool = False
    ) -> None:
        text = decode(data, source)
        first = text.split("\n", 1)[0]
        if separator is None:
            separator = max(SEPARATORS, key=first.count)
        self.source = source
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        names = [name.strip() for name in next(self._reader, [])]
        self.width = len(names)  # with the empty name after a trailing separator: rows end with one too
        while names and not names[-1]:
            names.pop()
        self.header = [name.lower() for name in names] if lower else names
        self.index = {name: i for i, name in enumerate(self.header)}

    def __contains__(self, column: str) -> bool:
        return column in self.index

    def require(self, required: Iterable[str], known: Sequence[str]) -> None:
        """Refuse a header without each of ``required`` (naming the first missing, and ``known``)."""
        for column in required:
            if column not in self.index:
                message = f"header has no {column!r} column (columns: {', '.join(known)})"
                raise ParseError(self.source, 1, column, message)

    def filled_rows(self) -> Iterator[Row]:
        """The data rows holding a value: a row of separators only is skipped, as a blank line is."""
        return (row for row in self if any(field.strip() for field in row.fields))

    @property
    def line(self) -> int:
        """The number of the last line read."""
        return self._reader.line_num

    def __iter__(self) -> Iterator[Row]:
        """The data rows, blank lines skipped; numbered by the line each ends on."""
        source, index, reader = self.source, self.index, self._reader
        for fields in reader:
            if not _blank(fields):
                yield Row(source, index, fields, reader.line_num)

    def complete_rows(self) -> Iterator[Row]:
        """The data rows, refusing one with fewer fields than the header line: a file cut off mid-row.

        Timing exports write every field of every row; in a layout whose lines end with a separator a
        row cut anywhere, even inside its last value, comes out short."""
        width = self.width
        for row in self:
            if len(row.fields) < width:
                raise self._cut_off(row.fields, row.line)
            yield row

    def _cut_off(self, fields: list[str], line: int) -> ParseError:
        names = len(self.header)
        column = self.header[min(len(fields), names - 1)] if names else None
        return ParseError(
            self.source,
            line,
            column,
            f"the row has {len(fields)} fields, the header {self.width}: the file is cut off mid-row",
        )

    def columns(self, columns: Sequence[Column]) -> tuple[list[int], list[list[Any]]]:
        """The line of each complete row, and the values of each of ``columns`` converted, a column at a
        time (a column the file lacks reads as blanks).

        A long race file holds some hundred thousand times, most of them repeated (sector times, the
        flag, the driver): each distinct value of a column is stripped and converted once, and its
        repeats come back as one object. Only the wanted fields of a row are kept, in one tuple. A
        value refused names its first line and the column."""
        present = [c for c in columns if c.name in self.index]
        # The row's last field is picked too, so that one wanted column still comes as a tuple.
        pick = operator.itemgetter(*(self.index[c.name] for c in present), self.width - 1)
        lines: list[int] = []
        picked: list[tuple[str, ...]] = []
        width, reader = self.width, self._reader
        for fields in reader:
            if len(fields) < width:
                if _blank(fields):
                    continue
                raise self._cut_off(fields, reader.line_num)
            lines.append(reader.line_num)
            picked.append(pick(fields))
        by_name = dict(zip((c.name for c in present), zip(*picked, strict=False), strict=False))
        converted: list[list[Any]] = []
        for column in columns:
            raw = by_name.get(column.name, ("",) * len(lines))
            distinct = set(raw)
            stripped = dict(zip(distinct, map(str.strip, distinct), strict=True))
            blanks = [value for value, text in stripped.items() if not text]
            if column.required and blanks:
                line = lines[next(i for i, value in enumerate(raw) if value in blanks)]
                raise ParseError(self.source, line, column.name, f"{column.what} is missing (truncated row?)")
            if column.parse is not str:
                for value in blanks:
                    del stripped[value]
                try:
                    values: dict[str, Any] = dict(
                        zip(stripped, map(column.parse, stripped.values()), strict=True)
                    )
                except ValueError:
                    for value, text in stripped.items():  # again one at a time, to say which and where
                        try:
                            column.parse(text)
                        except ValueError:
                            line = lines[raw.index(value)]
                            raise ParseError(
                                self.source, line, column.name, f"{text!r} is not {column.what}"
                            ) from None
                    raise
                values.update(dict.fromkeys(blanks))
            else:
                values = stripped
            converted.append(list(map(values.__getitem__, raw)))
        return lines, converted
