"""Slow clients are cut off: uvicorn's HTTP/1.1 protocol with a deadline for a request's headers.

uvicorn restarts its keep-alive timer on every byte received and starts none for a new connection, so a
client sending its headers a byte at a time holds a connection (and its memory) for ever. Here a
connection must complete each request's headers within ``header_timeout_s`` of connecting or of the
previous response; the body has its own deadline (``web/limits.py``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


def bounded_h11(header_timeout_s: float) -> type[H11Protocol]:
    """An ``H11Protocol`` class whose connections get ``header_timeout_s`` for each request's headers."""

    class BoundedH11Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
            self._header_timer = self.loop.call_later(header_timeout_s, self._headers_overdue)

        def _headers_overdue(self) -> None:
            """Close the connection if the request's headers are still incomplete (an idle keep-alive
            connection included); a request being answered, or an upgraded WebSocket, is left alone."""
            self._header_timer = None
            if self.transport.is_closing() or self.transport.get_protocol() is not self:
                return
            if self.conn.their_state is h11.IDLE:
                self.transport.close()

    return BoundedH11Protocol
