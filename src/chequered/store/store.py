"""The store: one object the web app and the CLI are handed, wrapping the database, the clock and the
read-model cache. Nothing in it is global; two stores on two databases live side by side."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Sequence
from datetime import datetime
from typing import TypeVar, cast

from chequered.core.events import LogEvent, Publication, ResultsPublished
from chequered.core.model import Entry, Event, Season, Session
from chequered.core.passings import Passing
from chequered.core.rulebook import Rulebook
from chequered.store import log, season, tokens
from chequered.store.championship import SeasonResults, published_results
from chequered.store.codec import SCORING_KINDS
from chequered.store.database import Database, open_database
from chequered.store.errors import NotFoundError
from chequered.store.log import AppendResult, Clock, StoredEvent
from chequered.store.passings import PassingLog, PassingsResult
from chequered.store.readmodels import Cache, SessionState, fold, fold_more
from chequered.store.season import SeasonInfo, SessionInfo
from chequered.store.tokens import Role, TokenInfo

RulebookLoader = Callable[[str | None], Rulebook]
T = TypeVar("T")
DOCUMENT_BYTES = 32 * 2**20  # rendered documents kept (Le Mans' classification: about 35 kB a position)
POSITIONS = 4  # of one read (a session's state, a document), the latest positions kept


class Store:
    def __init__(
        self, database: Database, clock: Clock, rulebook: RulebookLoader, *, cache_size: int = 64
    ) -> None:
        self.database = database
        self.clock = clock
        self._rulebook = rulebook
        # a live session moves on a lap a second: its head and the positions just before it are what
        # readers ask for (and what the next position is moved on from); older ones are dropped
        self._states = Cache(cache_size, positions=POSITIONS)
        # rendered reads: a season's pages in two languages fit
        self._documents = Cache(cache_size * 32, max_bytes=DOCUMENT_BYTES, positions=POSITIONS)
        self._passings = PassingLog()

    @classmethod
    def open(cls, url: str, clock: Clock, rulebook: RulebookLoader, *, busy_timeout_s: float = 60.0) -> Store:
        return cls(open_database(url, busy_timeout_s), clock, rulebook)

    def close(self) -> None:
        self.database.dispose()

    # -- writes ------------------------------------------------------------------------------------
    def append(
        self,
        session_id: str,
        events: Sequence[LogEvent],
        actor: str,
        source_ids: Sequence[str | None] | None = None,
    ) -> AppendResult:
        return log.append(self.database, self.clock, session_id, events, actor, source_ids)

    def append_passings(
        self, session_id: str, passings: Sequence[Passing], cars: Collection[str], actor: str
    ) -> PassingsResult:
        """Passings of the session's entered ``cars`` assembled against the log and appended with what
        they make, in one transaction (see ``store/passings.py``)."""
        return self._passings.append(self.database, self.clock, session_id, passings, cars, actor)

    def publish(self, session_id: str, status: Publication, actor: str) -> AppendResult:
        """Publish the results as they stand now; the publication points at the log's current head."""
        head = self.head(session_id)
        return self.append(session_id, [ResultsPublished(status, head)], actor)

    def seed_season(
        self, data: Season, entries: Sequence[Entry], rulebook: str | None, non_scoring: Collection[str] = ()
    ) -> bool:
        return season.seed_season(self.database, data, entries, rulebook, non_scoring)

    def create_session(self, data: Session, round_id: str | None = None) -> None:
        season.create_session(self.database, data, round_id)

    def create_token(self, role: Role, label: str = "") -> tuple[TokenInfo, str]:
        return tokens.create_token(self.database, self.clock, role, label)

    def verify_token(self, token: str) -> TokenInfo | None:
        return tokens.verify_token(self.database, token)

    def revoke_token(self, token_id: str, by: str) -> TokenInfo:
        return tokens.revoke_token(self.database, self.clock, token_id, by)

    def tokens(self) -> list[TokenInfo]:
        return tokens.list_tokens(self.database)

    # -- reads -------------------------------------------------------------------------------------
    def seasons(self) -> list[SeasonInfo]:
        with self.database.read() as conn:
            return season.seasons(conn)

    def season(self, season_id: str) -> SeasonInfo:
        with self.database.read() as conn:
            return season.season(conn, season_id)

    def rounds(self, season_id: str) -> list[Event]:
        with self.database.read() as conn:
            return season.rounds(conn, season_id)

    def sessions(self) -> list[SessionInfo]:
        with self.database.read() as conn:
            return season.sessions(conn)

    def session(self, session_id: str) -> SessionInfo:
        with self.database.read() as conn:
            return season.session_info(conn, session_id)

    def season_entries(self, season_id: str) -> list[Entry]:
        with self.database.read() as conn:
            season.season(conn, season_id)
            return season.season_entries(conn, season_id)

    def head(self, session_id: str, as_of: int | None = None, kind: str | None = None) -> int:
        with self.database.read() as conn:
            return log.head_in(conn, session_id, as_of, kind)

    def events(
        self,
        session_id: str,
        *,
        after: int = 0,
        upto: int | None = None,
        limit: int | None = None,
        kinds: Sequence[str] | None = None,
    ) -> list[StoredEvent]:
        with self.database.read() as conn:
            season.session_info(conn, session_id)
            return log.read(conn, session_id, upto=upto, after=after, limit=limit, kinds=kinds)

    def standing_events(
        self, session_id: str, *, after: int = 0, upto: int | None = None, kinds: Sequence[str] | None = None
    ) -> list[StoredEvent]:
        """``events`` but those of imports withdrawn at or before ``upto``: what a fold reads."""
        with self.database.read() as conn:
            season.session_info(conn, session_id)
            return log.read_standing(conn, session_id, upto=upto, after=after, kinds=kinds)

    def withdrawn_imports(self, session_id: str) -> dict[str, int]:
        with self.database.read() as conn:
            return log.withdrawn_imports(conn, session_id)

    def count(self, session_id: str | None = None) -> int:
        with self.database.read() as conn:
            return log.count(conn, session_id)

    def latest(self, session_id: str) -> int:
        """The session's head, fast: the hot path of every cached read."""
        seq = self.database.quick_scalar("SELECT max(seq) FROM event WHERE session_id = ?", (session_id,))
        if seq is None:
            return self.position(session_id)  # empty or unknown: the full path answers (or 404s)
        return int(cast(int, seq))

    def cached(self, key: Hashable) -> bytes | None:
        """A rendered read already in the cache, or None."""
        return cast(bytes | None, self._documents.peek(key))

    def position(self, session_id: str, as_of: int | None = None, at: datetime | None = None) -> int:
        """The session's log position for a read: its head, or its last event at/before a seq or time."""
        with self.database.read() as conn:
            if at is not None:
                found = log.seq_at_time(conn, self.database, session_id, at)
                if as_of is not None:
                    found = min(found, log.head_in(conn, session_id, as_of))
            else:
                found = log.head_in(conn, session_id, as_of)
            if found == 0:  # an empty answer: make sure the session exists (a clear 404 if not)
                season.session_info(conn, session_id)
            return found

    def heads(self, session_ids: Sequence[str]) -> dict[str, int]:
        """Each session's last seq (sessions without events are left out), in one query."""
        return log.heads(self.database, session_ids)

    def rulebook(self, name: str | None) -> Rulebook:
        return self._rulebook(name)

    def season_results(self, season_id: str) -> SeasonResults:
        """The season's published scoring sessions as points input (``store.championship``)."""
        return published_results(self, season_id)

    def state(self, session_id: str, seq: int) -> SessionState:
        """The session folded at log position ``seq`` (from ``position``), cached."""

        def build() -> SessionState:
            # A live session moves on a lap at a time: the latest state cached before ``seq`` is moved on
            # by the events after it, rather than the whole log read, decoded and folded again.
            earlier = self._states.latest(("state", session_id), seq)
            with self.database.read() as conn:
                info = season.session_info(conn, session_id)
                entries = season.season_entries(conn, info.season_id) if info.season_id else []
                # the live feed's clock ticks (one a second) and pit/sector crossings are not read here
                after = earlier[0] if earlier is not None else 0
                events = log.read_standing(conn, session_id, after=after, upto=seq, kinds=SCORING_KINDS)
                if after and any(e.kind == log.WITHDRAWN for e in events):
                    # an import withdrawn since: its events are in the earlier state, fold from the start
                    earlier = None
                    events = log.read_standing(conn, session_id, upto=seq, kinds=SCORING_KINDS)
            rulebook = self._rulebook(info.rulebook)
            if earlier is not None:
                return fold_more(cast(SessionState, earlier[1]), entries, events, rulebook, seq)
            return fold(info, entries, events, rulebook, seq)

        return cast(SessionState, self._states.get_or_build(("state", session_id, seq), build))

    def derived(self, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
        """A value derived from folded states (a season's published results), cached under ``key``,
        which must include the log positions it was read at."""
        return cast(T, self._states.get_or_build(key, build))

    def previous_while_building(self, key: tuple[Hashable, ...]) -> bytes | None:
        """While another reader builds ``key`` (``(*read, seq)``), the same read rendered at the latest
        earlier position, or None (then build or wait). A live session moves on a lap a second: the
        crowd of readers arriving during a build get the answer one lap old, which says so in its
        ``as_of``, instead of queueing behind each new lap; the reader that started the build gets the
        new one."""
        if not self._documents.building(key):
            return None
        seq = key[-1]
        earlier = self._documents.latest(key[:-1], seq) if isinstance(seq, int) else None
        return cast(bytes, earlier[1]) if earlier is not None else None

    def document(self, key: Hashable, build: Callable[[], bytes]) -> bytes:
        """A rendered read (JSON bytes) cached under ``key``, which must include the log position."""
        return cast(bytes, self._documents.get_or_build(key, build))

    def publication(self, session_id: str, status: Publication) -> int:
        """The log position of the latest publication of ``status``."""
        state = self.state(session_id, self.position(session_id))
        found = [p for p in state.publications if p.publication.status is status]
        if not found:
            raise NotFoundError(f"session {session_id!r} has no {status.value} results published yet")
        return found[-1].publication.as_of
