"""Domain exceptions. Every error names what was wrong and where, so a person can act on it."""

from __future__ import annotations


class ChequeredError(Exception):
    """Base class of every error chequered raises on purpose."""


class ParseError(ChequeredError):
    """Input that cannot be read: names the source, the line and the column (field)."""

    def __init__(self, source: str, line: int | None, column: str | None, message: str) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.message = message
        where = source
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {message}")


class RulebookError(ChequeredError):
    """A rulebook value that is missing, of the wrong type or out of range: names the key and why."""

    def __init__(self, source: str, key: str, message: str) -> None:
        self.source = source
        self.key = key
        self.message = message
        super().__init__(f"{source}: {key}: {message}")


class UnknownCarError(ChequeredError):
    """An event names a car that has no entry in the session."""

    def __init__(self, number: str, where: str) -> None:
        self.number = number
        super().__init__(f"{where}: car {number!r} has no entry in this session")
