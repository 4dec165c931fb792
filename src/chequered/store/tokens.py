"""API tokens: created with a role, shown once, stored as a SHA-256 hash, revoked by a new row.

A token reads ``chq_<id>_<secret>``: the id is public (it is what the log records as the actor of a write),
the secret is 32 random bytes. Only the hash of the whole token is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa

from chequered.store import schema
from chequered.store.database import Database
from chequered.store.errors import NotFoundError
from chequered.store.log import Clock, from_db_time, to_db_time

PREFIX = "chq"


class Role(StrEnum):
    """What a token may write: timing data; decisions and publications; or everything, tokens included."""

    TIMEKEEPER = "timekeeper"
    STEWARD = "steward"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: str
    role: Role
    label: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def actor(self) -> str:
        return f"token:{self.id}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(database: Database, clock: Clock, role: Role, label: str = "") -> tuple[TokenInfo, str]:
    """A new token: its record and the token itself, which is not stored and cannot be shown again."""
    token_id = secrets.token_hex(8)
    token = f"{PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
    now = clock()
    with database.write() as conn:
        conn.execute(
            schema.token.insert(),
            {
                "id": token_id,
                "secret_hash": _hash(token),
                "role": role.value,
                "label": label,
                "created_at": to_db_time(database, now),
            },
        )
    return TokenInfo(token_id, role, label, now, None), token


def verify_token(database: Database, token: str) -> TokenInfo | None:
    """The token's record when ``token`` is one we issued (revoked or not), else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 16:
        return None
    info = _lookup(database, parts[1])
    if info is None:
        return None
    stored, record = info
    return record if hmac.compare_digest(stored, _hash(token)) else None


def _lookup(database: Database, token_id: str) -> tuple[str, TokenInfo] | None:
    t, r = schema.token, schema.token_revocation
    with database.read() as conn:
        row = conn.execute(
            sa.select(t, r.c.revoked_at).outerjoin(r, r.c.token_id == t.c.id).where(t.c.id == token_id)
        ).first()
    if row is None:
        return None
    revoked = from_db_time(row.revoked_at) if row.revoked_at else None
    return row.secret_hash, TokenInfo(
        row.id, Role(row.role), row.label, from_db_time(row.created_at), revoked
    )


def revoke_token(database: Database, clock: Clock, token_id: str, by: str) -> TokenInfo:
    """Revoke a token from now on; revoking it again changes nothing."""
    found = _lookup(database, token_id)
    if found is None:
        raise NotFoundError(f"no token {token_id!r}; `chequered token list` shows them")
    record = found[1]
    if record.revoked_at is not None:
        return record
    now = clock()
    with database.write() as conn:
        conn.execute(
            schema.token_revocation.insert(),
            {"token_id": token_id, "revoked_at": to_db_time(database, now), "revoked_by": by},
        )
    return TokenInfo(record.id, record.role, record.label, record.created_at, now)


def list_tokens(database: Database) -> list[TokenInfo]:
    t, r = schema.token, schema.token_revocation
    with database.read() as conn:
        rows = conn.execute(
            sa.select(t, r.c.revoked_at).outerjoin(r, r.c.token_id == t.c.id).order_by(t.c.created_at)
        ).all()
    return [
        TokenInfo(
            row.id,
            Role(row.role),
            row.label,
            from_db_time(row.created_at),
            from_db_time(row.revoked_at) if row.revoked_at else None,
        )
        for row in rows
    ]
