"""Passings into the log: laps, sector splits and pit-lane crossings assembled from what the log holds.

Every server process (on one host or several) may take a decoder's passings. What a passing makes (lap
3 of car 7, its time since the car's last crossing) depends on what came before it, so it is decided
inside the write transaction, under the session's write lock, from the log as committed: each process
keeps the log's passing state folded up to a position as a cache, brings it up to the log's head in the
transaction, and tries the new passings on a copy. Nothing moves on unless the log committed it: a write
that fails (a lock held too long, a value the database refuses) leaves nothing behind, and the same
passings sent again are assembled exactly as the first time. A lap made from passings is stored under
the identity ``lap:<car>:<n>``, so two writers can never store two laps with the same number.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection

from chequered.core.events import LapCompleted, LogEvent, PitCrossed, SectorCompleted
from chequered.core.passings import Passing, PassingAssembler, Rejected
from chequered.store import log
from chequered.store.database import Database
from chequered.store.log import AppendResult, Clock

_CROSSING_KINDS = ("lap", "pit", "sector")
_STORED = (LapCompleted, PitCrossed, SectorCompleted)


@dataclass(frozen=True, slots=True)
class PassingsResult:
    events: tuple[LogEvent, ...]  # made from this request's passings (stored now, or already before)
    duplicates: int  # passings of this request already placed (sent twice, or stored before)
    rejected: tuple[Rejected, ...]
    result: AppendResult


@dataclass(slots=True)
class _Folded:
    """The passing state of a session's log up to ``seq`` (a cache: always brought to the head first)."""

    assembler: PassingAssembler
    seq: int = 0


@dataclass
class PassingLog:
    """The passing state of each session, per store; only ever advanced by reading the log."""

    _sessions: dict[str, _Folded] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def append(
        self,
        database: Database,
        clock: Clock,
        session_id: str,
        passings: Sequence[Passing],
        cars: Collection[str],
        actor: str,
    ) -> PassingsResult:
        """Assemble ``passings`` (of a session whose entered cars are ``cars``) against the log and
        append what they make, in one transaction."""
        with database.write() as conn:
            log.lock_session(conn, database, session_id)
            folded = self._advance(conn, session_id)
            folded.assembler.cars = set(cars)
            trial = folded.assembler.fork({p.car for p in passings})
            made: list[LogEvent] = []
            for passing in passings:
                made.extend(
                    e
                    for e in trial.add(passing)
                    if isinstance(e, LapCompleted | PitCrossed | SectorCompleted)
                )
            ids = [f"lap:{e.lap.car}:{e.lap.lap}" if isinstance(e, LapCompleted) else None for e in made]
            result = log.append_in(conn, database, clock, session_id, made, actor, ids)
        return PassingsResult(
            tuple(made), trial.duplicates + result.duplicates, tuple(trial.rejected), result
        )

    def _advance(self, conn: Connection, session_id: str) -> _Folded:
        with self._lock:
            folded = self._sessions.pop(session_id, None) or _Folded(PassingAssembler(set()))
        # Popped while it is advanced: an error half-way drops it, and the next append refolds the log.
        for stored in log.read_standing(conn, session_id, after=folded.seq, kinds=_CROSSING_KINDS):
            if stored.kind == log.WITHDRAWN and folded.seq:
                return self._advance(conn, session_id)  # it takes back crossings resumed: start again
            event = stored.event()
            if isinstance(event, LapCompleted):
                lap = event.lap
                folded.assembler.resume(lap.car, lap.lap, lap.elapsed_ms, lap.driver_name)
            elif isinstance(event, PitCrossed | SectorCompleted):
                folded.assembler.resume_crossing(event)
            folded.seq = stored.seq
        with self._lock:
            self._sessions[session_id] = folded
        return folded
