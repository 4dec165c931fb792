"""Turning the bytes of a timing file into rows: encoding, BOM, line endings and separators."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import Protocol

from chequered.core.errors import ParseError


def decode(data: bytes, source: str) -> str:
    """Decode a text file; refuse binary data and non-UTF-8 bytes with the line where they sit."""
    return decode_lines(data, source, text_start(data, source), len(data), 1)


def text_start(data: bytes, source: str) -> int:
    """Where the text of a file starts (after a UTF-8 byte order mark); refuse an empty or binary file."""
    if not data or data.isspace():
        raise ParseError(source, 1, None, "the file is empty")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ParseError(source, data.count(b"\n", 0, nul) + 1, None, "binary data, not a text timing file")
    return len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0


def decode_lines(data: bytes, source: str, start: int, end: int, first_line: int) -> str:
    """The text of ``data[start:end]``, whose first line is ``first_line`` of the file: UTF-8, else
    Windows-1252; an error names the line of the first byte that is neither."""
    chunk = data[start:end] if start or end < len(data) else data
    try:
        return chunk.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + chunk.count(b"\n", 0, exc.start)
        try:
            return chunk.decode("cp1252")
        except UnicodeDecodeError:
            raise ParseError(source, line, None, "not UTF-8 or Windows-1252 text") from None


def sniff_separator(header: str) -> str:
    """Al Kamel publishes ``;``; some copies were re-written with ``,``; a few tools use tabs."""
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: counts[sep])


class RowReader(Protocol):
    """A ``csv.reader``: rows of fields, and the number of the line last read."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


def rows(text: str) -> tuple[list[str], RowReader]:
    """The header names (stripped, trailing empty name dropped) and an iterator over the data rows."""
    first_line = text[: text.find("\n")] if "\n" in text else text
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(first_line))
    header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    while header and not header[-1]:
        header.pop()
    return header, reader


def table_rows(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and every data row as lists of fields.

    Timing exports quote nothing; such a file is split line by line with ``str.split``, several times
    faster than the csv module. A file with a quote character goes through ``csv.reader``.
    """
    if '"' in text:
        header, reader = rows(text)
        return header, list(reader)
    lines = text.splitlines()
    separator = sniff_separator(lines[0])
    return header_of(lines[0], separator), [line.split(separator) for line in lines[1:]]


def header_of(line: str, separator: str) -> list[str]:
    """The column names of a header line: stripped, a trailing empty name (trailing separator) dropped."""
    header = [name.strip().lstrip("\ufeff") for name in line.split(separator)]
    while header and not header[-1]:
        header.pop()
    return header
