"""The event store: an append-only log per session on SQLAlchemy Core, the season, tokens, read models."""
