"""The tables of the store, on SQLAlchemy Core.

``event`` is the append-only log: one row per event of a session, identified by a stable ``event_id``
(a content hash, or an id supplied by the source) that is unique within the session, so a re-sent feed
or a re-imported file stores nothing new. ``seq`` orders the whole log and is what "as of" refers to.
The season tables (season, circuit, round, session, entry, crew) and the token tables are only ever
inserted into; a revoked token is a row in ``token_revocation``, not an edit.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)

season = sa.Table(
    "season",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("series_id", sa.String(64), nullable=False),
    sa.Column("series_name", sa.String(200), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("rulebook", sa.String(64), nullable=True),
)

circuit = sa.Table(
    "circuit",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("location", sa.String(200), nullable=False, server_default=""),
    sa.Column("country", sa.String(100), nullable=False, server_default=""),
    sa.Column("length_m", sa.Integer, nullable=True),
    sa.Column("corners", sa.Integer, nullable=True),
    sa.Column("timezone", sa.String(64), nullable=False),
)

round_ = sa.Table(
    "round",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("season_id", sa.String(64), sa.ForeignKey("season.id"), nullable=False, index=True),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("circuit_id", sa.String(64), sa.ForeignKey("circuit.id"), nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("end_date", sa.Date, nullable=False),
)

session = sa.Table(
    "session",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("round_id", sa.String(64), sa.ForeignKey("round.id"), nullable=True, index=True),
    sa.Column("ordinal", sa.Integer, nullable=False, server_default="0"),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("finish_mode", sa.String(16), nullable=True),
    sa.Column("duration_ms", sa.BigInteger, nullable=True),
    sa.Column("laps", sa.Integer, nullable=True),
    sa.Column("start", _WHEN, nullable=True),
    # how many times the start was moved (calendars bump their SEQUENCE with it); see store/schedule.py
    sa.Column("start_changes", sa.Integer, nullable=False, server_default="0"),
)

entry = sa.Table(
    "entry",
    metadata,
    sa.Column("season_id", sa.String(64), sa.ForeignKey("season.id"), primary_key=True),
    sa.Column("car", sa.String(32), primary_key=True),
    sa.Column("number", sa.String(16), nullable=False),
    sa.Column("car_class", sa.String(64), nullable=False, server_default=""),
    sa.Column("team", sa.String(200), nullable=False, server_default=""),
    sa.Column("car_model", sa.String(200), nullable=False, server_default=""),
    sa.Column("grp", sa.String(64), nullable=False, server_default=""),
    sa.Column("manufacturer", sa.String(100), nullable=False, server_default=""),
    # False: the car races on the grid without scoring (an invited car of a partner series)
    sa.Column("scores", sa.Boolean(), nullable=False, server_default=sa.true()),
)

crew = sa.Table(
    "crew",
    metadata,
    sa.Column("season_id", sa.String(64), primary_key=True),
    sa.Column("car", sa.String(32), primary_key=True),
    sa.Column("slot", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("category", sa.String(16), nullable=True),
    sa.Column("nationality", sa.String(64), nullable=False, server_default=""),
    sa.Column("short_name", sa.String(64), nullable=False, server_default=""),
    sa.ForeignKeyConstraint(["season_id", "car"], ["entry.season_id", "entry.car"]),
)

event = sa.Table(
    "event",
    metadata,
    sa.Column("seq", _SEQ, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String(64), sa.ForeignKey("session.id"), nullable=False),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("recorded_at", _WHEN, nullable=False),
    sa.UniqueConstraint("session_id", "event_id", name="uq_event_identity"),
    sa.Index("ix_event_session_seq", "session_id", "seq"),
)

token = sa.Table(
    "token",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("label", sa.String(200), nullable=False, server_default=""),
    sa.Column("created_at", _WHEN, nullable=False),
)

token_revocation = sa.Table(
    "token_revocation",
    metadata,
    sa.Column("token_id", sa.String(32), sa.ForeignKey("token.id"), primary_key=True),
    sa.Column("revoked_at", _WHEN, nullable=False),
    sa.Column("revoked_by", sa.String(64), nullable=False),
)
