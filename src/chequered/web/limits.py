"""A request-size limit enforced before any route reads the body: 413 with a problem document.

Timing-file uploads may be large (a 24 h race is tens of MB); every other body is small JSON. Bodies are
counted as they stream, so a client lying about Content-Length is cut off too.
"""

from __future__ import annotations

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


class BodyLimit:
    def __init__(self, app: ASGIApp, max_upload_bytes: int, max_json_bytes: int) -> None:
        self.app = app
        self.max_upload = max_upload_bytes
        self.max_json = max_json_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_upload if scope["path"].endswith(UPLOAD_SUFFIX) else self.max_json
        what = "a timing file" if limit == self.max_upload else "a request body"
        detail = f"{what} may be at most {limit:,} bytes"
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > limit:
                    await problem_response(413 if declared > limit else 400, detail)(scope, receive, send)
                    return
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
