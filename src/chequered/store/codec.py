"""Events as stored rows: a kind, a JSON payload and a stable identity.

Every event kind of ``chequered.core.events`` is named here once, in ``KINDS``, with the version of its
payload. A payload holds the event's fields by name (enums by value); an event that wraps a lap or an
entry stores the lap's fields or the entry's document directly. Adding a kind is one line in the table
and no migration: the log stores the kind as text. A payload whose shape changes gets a new version,
stored as ``kind@N``, and an upgrade from the previous one, so old logs stay readable.

The identity of an event is a hash of its kind and content, unless the source supplies its own id (a feed's
message id, a steward's decision number): appending the same event twice, from a re-sent feed or a
re-imported file, stores it once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import orjson

from chequered.core import events
from chequered.core.documents import entry_document, entry_from_document
from chequered.core.events import LogEvent
from chequered.core.model import Lap

Payload = dict[str, Any]
Upgrade = Callable[[Payload], Payload]


@dataclass(frozen=True)
class Kind:
    """One kind of event in the log: its name, its class, the version of its payload and the upgrades
    from each earlier version (``upgrades[n]`` turns a version-``n`` payload into version ``n + 1``)."""

    name: str
    event: type[Any]
    scoring: bool
    version: int = 1
    upgrades: Mapping[int, Upgrade] = field(default_factory=dict)

    @property
    def stored_name(self) -> str:
        return self.name if self.version == 1 else f"{self.name}@{self.version}"


KINDS = (
    Kind("lap", events.LapCompleted, scoring=True),
    Kind("time_penalty", events.TimePenalty, scoring=True),
    Kind("lap_deleted", events.LapDeleted, scoring=True),
    Kind("lap_penalty", events.LapPenalty, scoring=True),
    Kind("status", events.StatusChanged, scoring=True),
    Kind("published", events.ResultsPublished, scoring=True),
    Kind("entry", events.EntryRegistered, scoring=True),
    Kind("import_withdrawn", events.ImportWithdrawn, scoring=True),
    Kind("clock", events.ClockTicked, scoring=False),
    Kind("pit", events.PitCrossed, scoring=False),
    Kind("sector", events.SectorCompleted, scoring=False),
    Kind("driver", events.DriverChanged, scoring=False),
)
"""Every kind of event the log holds. Scoring kinds are what the classification and every read model but
the live board are folded from; the others are what a live feed says between laps."""

_BY_CLASS = {kind.event: kind for kind in KINDS}
_BY_NAME = {kind.name: kind for kind in KINDS}


def stored_names(*, scoring: bool) -> tuple[str, ...]:
    """The stored kind names of every version of the scoring (or the timing) kinds, to filter reads."""
    return tuple(
        name
        for kind in KINDS
        if kind.scoring == scoring
        for name in [kind.name, *(f"{kind.name}@{v}" for v in range(2, kind.version + 1))]
    )


SCORING_KINDS = stored_names(scoring=True)
TIMING_KINDS = stored_names(scoring=False)


def _fields(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


_FIELDS = {kind.event: _fields(kind.event) for kind in KINDS}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def encode(event: LogEvent) -> tuple[str, Payload]:
    """The stored kind and the JSON-ready payload of an event."""
    kind = _BY_CLASS.get(type(event))
    if kind is None:
        raise TypeError(f"not an event of the log: {event!r}")
    if isinstance(event, events.LapCompleted):
        lap = event.lap._asdict()
        if lap["counts"]:  # stored only when False: a lap's identity stays what it was before the field
            del lap["counts"]
        return kind.stored_name, lap
    if isinstance(event, events.EntryRegistered):
        return kind.stored_name, entry_document(event.entry)
    return kind.stored_name, {name: _plain(getattr(event, name)) for name, _ in _FIELDS[kind.event]}


def decode(stored_name: str, payload: Mapping[str, Any]) -> LogEvent:
    """The event of a stored row, upgraded to the current version of its kind."""
    name, _, version_text = stored_name.partition("@")
    kind = _BY_NAME.get(name)
    if kind is None:
        raise ValueError(f"unknown event kind {stored_name!r} in the log")
    p: Payload = dict(payload)
    for version in range(int(version_text or 1), kind.version):
        p = kind.upgrades[version](p)
    if kind.event is events.LapCompleted:
        return events.LapCompleted(Lap(**{**p, "sectors": tuple(p["sectors"])}))
    if kind.event is events.EntryRegistered:
        return events.EntryRegistered(entry_from_document(p))
    values = {
        name: hint(p[name]) if isinstance(hint, type) and issubclass(hint, Enum) else p[name]
        for name, hint in _FIELDS[kind.event]
    }
    event: LogEvent = kind.event(**values)
    return event


def dumps(payload: Mapping[str, Any]) -> str:
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode()


def identity(kind: str, payload_json: str, source_id: str | None = None) -> str:
    """The stable identity: ``src:<id>`` for a source-supplied id, else a 128-bit hash of the content."""
    if source_id is not None:
        return f"src:{source_id}"
    return hashlib.sha256(f"{kind}\0{payload_json}".encode()).hexdigest()[:32]


__all__ = ["KINDS", "SCORING_KINDS", "TIMING_KINDS", "Kind", "decode", "dumps", "encode", "identity"]
