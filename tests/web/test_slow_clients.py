"""Slow clients are cut off: headers a byte at a time (a real uvicorn server), a body a byte at a time."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import uvicorn

from chequered.web.limits import BodyLimit
from chequered.web.slow_clients import bounded_h11


async def _echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            pass
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_a_client_sending_its_headers_a_byte_at_a_time_is_cut_off() -> None:
    """Seen: still held after 20 s. Here the deadline is 0.5 s; the trickle would last 60 s."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(_echo, port=port, http=bounded_h11(0.5), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.01)
        with socket.create_connection(("127.0.0.1", port)) as conn:
            conn.settimeout(5)
            closed = False
            for byte in b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 600:
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    closed = True
                    break
                time.sleep(0.1)
            if not closed:
                conn.setblocking(False)
                try:
                    closed = conn.recv(1) == b""
                except BlockingIOError:
                    closed = False
                except OSError:
                    closed = True
            assert closed, "the server still held a connection sending headers a byte at a time"
        # an honest request on a fresh connection is answered
        with socket.create_connection(("127.0.0.1", port)) as conn:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert conn.recv(100).startswith(b"HTTP/1.1 200")
    finally:
        server.should_exit = True
        thread.join(10)


def test_a_body_sent_a_byte_at_a_time_is_cut_off_with_408() -> None:
    sent: list[dict[str, Any]] = []
    reached: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(True)

    async def trickle() -> dict[str, Any]:
        await asyncio.sleep(0.05)
        return {"type": "http.request", "body": b"{", "more_body": True}

    async def record(message: dict[str, Any]) -> None:
        sent.append(message)

    limit = BodyLimit(app, 1_000_000, 16_384, body_timeout_s=0.3, min_bytes_per_s=1_000)
    scope = {"type": "http", "path": "/api/sessions/x/penalties", "headers": []}
    asyncio.run(asyncio.wait_for(limit(scope, trickle, record), 30))
    assert sent[0]["status"] == 408 and not reached
    upload = {"type": "http", "path": "/api/sessions/x/timing/alkamel", "headers": []}

    async def reader(scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass

    sent.clear()
    limit = BodyLimit(reader, 1_000_000, 16_384, body_timeout_s=0.3, min_bytes_per_s=1_000)
    asyncio.run(asyncio.wait_for(limit(upload, trickle, record), 30))
    assert sent[0]["status"] == 408


def test_a_read_without_a_body_goes_straight_through_and_one_with_a_body_is_still_limited() -> None:
    """A GET without Content-Length or Transfer-Encoding has no body: it reaches the route without the
    body limit waiting on it; a GET that declares a body is held to the limit like any request."""
    sent: list[dict[str, Any]] = []
    reached: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(True)

    async def nothing_read() -> dict[str, Any]:
        raise AssertionError("the body of a bodiless read was waited for")

    async def record(message: dict[str, Any]) -> None:
        sent.append(message)

    limit = BodyLimit(app, 1_000_000, 16_384)
    read = {"type": "http", "method": "GET", "path": "/api/sessions/x/classification", "headers": []}
    asyncio.run(limit(read, nothing_read, record))
    assert reached == [True] and sent == []
    declared = {**read, "headers": [(b"content-length", b"20000")]}
    asyncio.run(limit(declared, nothing_read, record))
    assert reached == [True] and sent[0]["status"] == 413
