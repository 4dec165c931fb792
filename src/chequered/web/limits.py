"""A request-size limit enforced before any route reads the body: 413 with a problem document.

Timing-file uploads may be large (a 24 h race is tens of MB) and are counted as they stream; every other
body is small JSON, read whole (up to its limit) before the route sees it. Either way a client lying about
Content-Length, or sending chunks without one, is stopped at the limit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from chequered.web.problems import problem_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UPLOAD_SUFFIX = "/timing/alkamel"


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


def _deadline(receive: Receive, body_timeout_s: float, min_bytes_per_s: int) -> Receive:
    """``receive`` that gives up once the body takes longer than ``body_timeout_s`` plus the time its
    bytes so far take at ``min_bytes_per_s``: a client sending a byte at a time is cut off, a large
    upload on an honest link is not."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    received = 0

    async def bounded() -> Message:
        nonlocal received
        remaining = start + body_timeout_s + received / min_bytes_per_s - loop.time()
        try:
            message = await asyncio.wait_for(receive(), max(remaining, 0.001))
        except TimeoutError:
            raise _TooSlow from None
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
        return message

    return bounded


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        max_upload_bytes: int,
        max_json_bytes: int,
        body_timeout_s: float = 20.0,
        min_bytes_per_s: int = 50_000,
    ) -> None:
        self.app = app
        self.max_upload = max_upload_bytes
        self.max_json = max_json_bytes
        self.body_timeout_s = body_timeout_s
        self.min_bytes_per_s = min_bytes_per_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["path"].endswith(UPLOAD_SUFFIX)
        limit = self.max_upload if upload else self.max_json
        what = "a timing file" if upload else "a request body"
        detail = f"{what} may be at most {limit:,} bytes"
        # A read without Content-Length or Transfer-Encoding has no body (HTTP/1.1)
        bodiless = scope.get("method") in ("GET", "HEAD")
        for name, value in scope.get("headers", ()):
            if name == b"transfer-encoding":
                bodiless = False
            if name == b"content-length":
                bodiless = False
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > limit:
                    await problem_response(413 if declared > limit else 400, detail)(scope, receive, send)
                    return
        if bodiless:  # a read: nothing to wait for or count (and no task per receive on the hot path)
            await self.app(scope, receive, send)
            return
        receive = _deadline(receive, self.body_timeout_s, self.min_bytes_per_s)
        slow = f"the request body did not arrive within {self.body_timeout_s:g} s: the connection is closed"
        if not upload:
            # A small body is read whole first, however it is sent (chunked, or longer than declared):
            # the route never sees a cut-off body, which a JSON route would answer with 400.
            try:
                messages = await _buffered(receive, limit)
            except _TooSlow:
                await problem_response(408, slow, {"Connection": "close"})(scope, receive, send)
                return
            if messages is None:
                await problem_response(413, detail)(scope, receive, send)
                return
            await self.app(scope, _replay(messages, receive), send)
            return
        # A timing file is counted as it streams, and cut off once it passes the limit.
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await problem_response(413, detail)(scope, receive, send)
        except _TooSlow:
            if not started:
                await problem_response(408, slow, {"Connection": "close"})(scope, receive, send)


async def _buffered(receive: Receive, limit: int) -> list[Message] | None:
    """The request's body messages, or None as soon as they pass ``limit`` bytes."""
    messages: list[Message] = []
    received = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages  # (the client went away: the app sees it as it would have)
        received += len(message.get("body", b""))
        if received > limit:
            return None
        if not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` giving the buffered messages, then whatever comes next (a disconnect)."""
    pending = iter(messages)

    async def replayed() -> Message:
        message = next(pending, None)
        return message if message is not None else await receive()

    return replayed
