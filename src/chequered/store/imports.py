"""Timing data into the log: a session's entries and laps, as one idempotent append."""

from __future__ import annotations

from chequered.core.events import EntryRegistered, LapCompleted, LogEvent
from chequered.core.model import Timing
from chequered.store.log import AppendResult
from chequered.store.store import Store


def timing_events(timing: Timing) -> list[LogEvent]:
    """Entries first (a lap's car is then always entered), then the laps in the source's order."""
    events: list[LogEvent] = [EntryRegistered(entry) for entry in timing.entries]
    events.extend(LapCompleted(lap) for lap in timing.laps)
    return events


def import_timing(store: Store, session_id: str, timing: Timing, actor: str) -> AppendResult:
    """Append a timing file's content; importing the same file again appends nothing."""
    return store.append(session_id, timing_events(timing), actor)
