"""Connecting to the database: an SQLite file by default, PostgreSQL by URL; migrations on open.

SQLite runs in WAL mode with one writer: every write transaction starts with ``BEGIN IMMEDIATE``, which
takes the database's write lock up front, so concurrent processes queue (``busy_timeout``) instead of
failing half-way; readers never block. ``synchronous=FULL`` makes an acknowledged commit durable.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

from chequered.store.errors import StoreError

DEFAULT_FILE = "chequered.sqlite"
_MIGRATION_LOCK = 0x63686571  # "cheq": the PostgreSQL advisory lock key held while migrating


def default_url(directory: Path) -> str:
    return f"sqlite:///{(directory / DEFAULT_FILE).resolve()}"


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` use psycopg 3; anything but SQLite or PostgreSQL is refused."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    if url in ("sqlite://", "sqlite:///:memory:"):
        raise StoreError("an in-memory SQLite database cannot be shared; give a file: sqlite:///PATH")
    if url.startswith(("sqlite:///", "postgresql+psycopg://", "sqlite+pysqlite:///")):
        return url
    raise StoreError(
        f"unsupported database URL {url.split(':')[0]!r}: use sqlite:///PATH or postgresql://..."
    )


@dataclass
class Database:
    """An engine plus the discipline of writing to it: one writer at a time per process, and on SQLite
    per file across processes."""

    engine: Engine
    url: str
    busy_timeout_s: float = 60.0
    _writer: threading.Lock = field(default_factory=threading.Lock)
    _local: threading.local = field(default_factory=threading.local)
    _raw: list[sqlite3.Connection] = field(default_factory=list)
    _raw_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self._writer, self.engine.connect() as conn:
            conn = conn.execution_options(chequered_write=True)
            try:
                begun = conn.begin()
            except sa.exc.OperationalError as exc:  # SQLite: another process held the lock too long
                reason = str(exc.orig).strip() if exc.orig else str(exc)
                raise StoreError(
                    f"the database did not take the write within {self.busy_timeout_s:g} s ({reason}); "
                    "nothing was stored: send it again"
                ) from None
            with begun:
                yield conn

    def quick_scalar(self, sql: str, parameters: tuple[object, ...]) -> object:
        """One read-only query on a per-thread DBAPI connection, bypassing SQLAlchemy's per-statement cost.

        Used on the hot path of cached reads (the log's head). On SQLite a single statement in autocommit
        mode reads one consistent snapshot; PostgreSQL goes through the pool as usual.
        """
        if not self.is_sqlite:
            with self.read() as conn:
                return conn.exec_driver_sql(sql.replace("?", "%s"), parameters).scalar()
        raw: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if raw is None:
            path = self.url.split(":///", 1)[1]
            raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=60)
            raw.isolation_level = None
            self._local.conn = raw
            with self._raw_lock:
                self._raw.append(raw)
        row = raw.execute(sql, parameters).fetchone()
        return row[0] if row else None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        for raw in self._raw:
            raw.close()
        self._raw.clear()
        self.engine.dispose()


def _sqlite_engine(url: str, busy_timeout_s: float) -> Engine:
    engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout_s})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("chequered_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def open_database(url: str, busy_timeout_s: float = 60.0) -> Database:
    """Open (creating if needed) the database at ``url`` and bring its schema to the latest migration.
    A write waits up to ``busy_timeout_s`` for another process's write lock (SQLite), then fails whole."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = Path(url.split(":///", 1)[1])
        if not path.parent.is_dir():
            raise StoreError(f"cannot create the database {path}: directory {path.parent} does not exist")
        engine = _sqlite_engine(url, busy_timeout_s)
    else:
        engine = sa.create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    database = Database(engine=engine, url=url, busy_timeout_s=busy_timeout_s)
    try:
        migrate(database)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot open the database {engine.url!r}: {reason}") from None
    return database


def migrate(database: Database) -> None:
    """Apply every Alembic migration not yet applied, under the write lock (one process at a time)."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("chequered.store") / "migrations"))
    with database.write() as conn:
        if not database.is_sqlite:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
