"""RMonitor into the event store: every event a feed makes is appended to its session's log, where the
live board (``/live/{session}``) and every read model pick it up.

"Everything lands in the event log first": the lines of one burst (one read from the socket, or what
a replay hands out between two waits) become one append, one transaction, whatever the number of
events; SQLite takes one writer at a time, so a transaction per event would not keep up with a refresh
burst. Each RMonitor session (``$B``) is a store session, created when missing; ``--session`` names the
first one. Events sent again (Orbits' refresh after a reconnect, a heartbeat that did not move) are
stored once: the feed does not repeat laps (a session already in the store, from an ingest that stopped,
resumes the feed from its log), and the log's content identity absorbs the rest. An entry
is the exception: a feed can change a car's entry and change it back (Orbits names the driver in the
car), so an entry is stored when it differs from the car's last stored entry, numbered per car, and the
content of an earlier version does not hide the change back. A line
that cannot be read is reported once and skipped; an append the database refuses is kept and tried
again with the next burst, so nothing the feed said is lost while the process runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from chequered.core.events import (
    EntryRegistered,
    ImportWithdrawn,
    LiveEvent,
    LogEvent,
    ResultsPublished,
    SessionOpened,
)
from chequered.core.model import Entry, Session, SessionKind
from chequered.importers.rmonitor.feed import UNNAMED, Problem, RMonitorFeed
from chequered.importers.rmonitor.records import RawLine
from chequered.store.errors import ConflictError, NotFoundError, StoreError
from chequered.store.store import Store

BATCH = 5_000  # events per append at most: a capture replayed as fast as possible is not one transaction
Warn = Callable[[str], None]


@dataclass(slots=True)
class SessionCount:
    """What one store session received from the feed."""

    session_id: str
    name: str
    appended: int = 0
    duplicates: int = 0
    created: bool = False


@dataclass(slots=True)
class _Batch:
    session_id: str
    events: list[LogEvent] = field(default_factory=list)
    source_ids: list[str | None] = field(default_factory=list)


@dataclass(slots=True)
class _Entries:
    """A store session's last stored entry of each car, and how many entries of the car it holds."""

    last: dict[str, Entry] = field(default_factory=dict)
    said: dict[tuple[str, int], int] = field(default_factory=dict)  # entries of a car at a clock time


class RMonitorIngest:
    """RMonitor lines → events → appends to the store, a burst at a time."""

    def __init__(
        self,
        store: Store,
        source: str,
        session_id: str | None = None,
        report: Callable[[Problem], None] | None = None,
        warn: Warn | None = None,
    ) -> None:
        self.store = store
        self.feed = RMonitorFeed(source, report, on_session=self._resume)
        self.actor = f"rmonitor:{source}"[:64]
        self.sessions: dict[str, SessionCount] = {}  # by store session id, in the order opened
        self._entries: dict[str, _Entries] = {}  # by store session id
        self._first = session_id
        self._by_feed_id: dict[str, str] = {}  # the feed's session id → the store session id
        self._batches: list[_Batch] = []  # waiting for the next flush, oldest first
        self._current: str | None = None  # the store session of the feed's current session
        self._unnamed: list[LogEvent] | None = None  # before the first ``$B``
        self._unnamed_session: Session | None = None
        self._warn = warn
        self._failing = False
        self.lines = 0

    @property
    def problems(self) -> list[Problem]:
        return self.feed.problems

    def line(self, raw: RawLine) -> None:
        self.lines += 1
        for event in self.feed.feed_line(raw):
            self._take(event)
        if sum(len(b.events) for b in self._batches) >= BATCH:
            self.flush()

    def close(self) -> None:
        """The end of the stream: what the feed still holds is stored, under the first session when the
        feed never named one."""
        for event in self.feed.flush():
            self._take(event)
        if self._unnamed is not None:
            held, self._unnamed = self._unnamed, None
            unnamed = self._unnamed_session or Session(UNNAMED, "RMonitor session", SessionKind.RACE)
            target = self._store_session(unnamed, self._first or UNNAMED)
            self._current = target
            for logged in held:
                self._add(target, logged)
        self.flush()

    def flush(self) -> None:
        """Append what the last burst made: one append per session (normally one)."""
        while self._batches:
            batch = self._batches[0]
            try:
                for start in range(0, len(batch.events), BATCH):
                    chunk = batch.events[start : start + BATCH]
                    ids = batch.source_ids[start : start + BATCH]
                    result = self.store.append(batch.session_id, chunk, self.actor, ids)
                    count = self.sessions[batch.session_id]
                    count.appended += result.appended
                    count.duplicates += result.duplicates
                    del batch.events[: len(chunk)]  # stored: not sent again if a later chunk fails
                    del batch.source_ids[: len(chunk)]
            except (StoreError, sa.exc.OperationalError) as exc:
                if not self._failing and self._warn is not None:
                    self._warn(f"cannot store events in session {batch.session_id} ({exc}); kept, retrying")
                self._failing = True
                return
            self._failing = False
            self._batches.pop(0)

    def _take(self, event: LiveEvent) -> None:
        if isinstance(event, SessionOpened):
            self._open(event.session)
            return
        logged: LogEvent = event
        if self._unnamed is not None:
            self._unnamed.append(logged)
        elif self._current is not None:
            self._add(self._current, logged)

    def _add(self, session_id: str, event: LogEvent) -> None:
        source_id = None
        if isinstance(event, EntryRegistered):
            entries, car = self._entries[session_id], event.entry.car
            if entries.last.get(car) == event.entry:
                return  # the car's entry as stored: nothing changed
            entries.last[car] = event.entry
            at = (car, self.feed.race_time_ms)
            entries.said[at] = count = entries.said.get(at, 0) + 1
            source_id = f"entry:{car}:{at[1]}:{count}"
        if not self._batches or self._batches[-1].session_id != session_id:
            self._batches.append(_Batch(session_id))
        self._batches[-1].events.append(event)
        self._batches[-1].source_ids.append(source_id)

    def _open(self, session: Session) -> None:
        if session.id == UNNAMED:
            # records before the first ``$B``: held until it names the session (the feed then sends
            # them again under that session) or the stream ends
            self._unnamed, self._unnamed_session = [], session
            return
        self._unnamed = None
        self._current = self._target(session)

    def _target(self, session: Session) -> str:
        """The store session of a named feed session (``--session`` for the first one)."""
        target = self._by_feed_id.get(session.id)
        if target is None:
            first = self._first if self._first is not None and not self._by_feed_id else None
            target = self._store_session(session, first or session.id)
            self._by_feed_id[session.id] = target
        return target

    def _resume(self, session: Session) -> None:
        """The feed opens a session: when the store already holds some of it (this ingest was restarted
        mid-session, or the feed came back to an earlier session), the feed goes on from its log, so
        Orbits' refresh stores no lap twice. Only the last clock tick is read (for the flag)."""
        target = self._target(session)
        try:
            stored = self.store.standing_events(target)
        except (StoreError, sa.exc.OperationalError) as exc:
            if self._warn is not None:
                self._warn(f"cannot read session {target} to resume it ({exc}); laps may be stored twice")
            return
        last_tick = max((e.seq for e in stored if e.kind == "clock"), default=0)
        logged = [row.event() for row in stored if row.kind != "clock" or row.seq == last_tick]
        for batch in self._batches:  # not stored yet (an append refused): said all the same
            if batch.session_id == target:
                logged.extend(batch.events)
        said: list[LiveEvent] = [e for e in logged if not isinstance(e, ResultsPublished | ImportWithdrawn)]
        if said:
            self.feed.resume(said)

    def _store_session(self, session: Session, session_id: str) -> str:
        """The store session for a feed session, created (its kind from the feed) when missing."""
        count = self.sessions.get(session_id)
        if count is None:
            count = self.sessions[session_id] = SessionCount(session_id, session.name)
            try:
                self.store.session(session_id)
            except NotFoundError:
                try:
                    self.store.create_session(Session(session_id, session.name, session.kind))
                    count.created = True
                except ConflictError:
                    pass  # created meanwhile by another process: append to it
            entries = self._entries[session_id] = _Entries()
            for stored in self.store.events(session_id, kinds=["entry"]):
                event = stored.event()
                if isinstance(event, EntryRegistered):
                    entries.last[event.entry.car] = event.entry
        return session_id
