"""Errors of the store, each with a message a person can act on (the API turns them into problem+json)."""

from __future__ import annotations

from chequered.core.errors import ChequeredError


class StoreError(ChequeredError):
    """The database cannot be opened or used as asked (bad URL, unreachable server)."""


class NotFoundError(ChequeredError):
    """A season, round, session, car or token that the store does not hold."""


class ConflictError(ChequeredError):
    """A write that contradicts what is stored (a session id already taken, a car not entered)."""
