"""Bearer tokens and roles: timekeeper (timing data), steward (decisions, publishing), admin (everything).

A refused write answers 401 (no token, an unknown token, a revoked one) or 403 (a role too weak) before
the route runs, so it never touches the log. A write without any bearer token is answered 401 by
``AuthGate`` before its body is read. Failed token checks are counted per client address: past
``max_failures`` within ``window_s`` the address gets 429 without its token being checked, so tokens
cannot be guessed at speed. (Behind a proxy every client shares the proxy's address: run the proxy with
its own limit, or the server with uvicorn's ``--proxy-headers`` from a trusted proxy.)
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from chequered.store.tokens import Role, TokenInfo
from chequered.web.deps import store_of
from chequered.web.limits import ASGIApp, Receive, Scope, Send
from chequered.web.problems import Problem, problem_response

_bearer = HTTPBearer(auto_error=False, description="A token from `chequered token create --role ROLE`.")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
_READS = {"GET", "HEAD", "OPTIONS"}


class Throttle:
    """Failed token checks per client address in a sliding window (thread-safe; the clock injected)."""

    def __init__(
        self, max_failures: int = 20, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float] | None:
        failures = self._failures.get(address)
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        if failures is not None and not failures:
            del self._failures[address]
            return None
        return failures

    def retry_after(self, address: str) -> int | None:
        """Seconds until the address may try again, or None when it may now."""
        with self._lock:
            now = self.clock()
            failures = self._recent(address, now)
            if failures is None or len(failures) < self.max_failures:
                return None
            return max(1, int(failures[0] + self.window_s - now + 0.999))

    def failed(self, address: str) -> None:
        with self._lock:
            now = self.clock()
            self._recent(address, now)
            self._failures.setdefault(address, deque()).append(now)
            if len(self._failures) > 100_000:  # a flood of addresses: forget the oldest
                del self._failures[next(iter(self._failures))]


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _throttled(retry_s: int) -> Problem:
    detail = f"too many failed token checks from this address; try again in {retry_s} s"
    return Problem(429, detail, {"Retry-After": str(retry_s)})


class AuthGate:
    """Before any body is read: a write under ``/api/`` without a bearer token is 401, and an address
    past its failed-check limit is 429."""

    def __init__(self, app: ASGIApp, throttle: Throttle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in _READS and scope["path"].startswith("/api/"):
            retry_s = self.throttle.retry_after(client_address(scope))
            if retry_s is not None:
                refused = _throttled(retry_s)
                await problem_response(429, refused.detail, refused.headers)(scope, receive, send)
                return
            if not any(
                name == b"authorization" and value[:7].lower() == b"bearer "
                for name, value in scope["headers"]
            ):
                detail = "this write needs a bearer token (Authorization: Bearer <token>)"
                await problem_response(401, detail, _CHALLENGE)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def require(*roles: Role) -> Callable[..., TokenInfo]:
    """A dependency that admits a token of one of ``roles`` or admin."""
    allowed = {*roles, Role.ADMIN}
    names = " or ".join(sorted(r.value for r in allowed))

    def dependency(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> TokenInfo:
        throttle: Throttle = request.app.state.auth_throttle
        address = client_address(request.scope)
        retry_s = throttle.retry_after(address)
        if retry_s is not None:
            raise _throttled(retry_s)
        if credentials is None:
            raise Problem(401, f"this write needs a bearer token of role {names}", _CHALLENGE)
        token = store_of(request).verify_token(credentials.credentials)
        if token is None:
            throttle.failed(address)
            raise Problem(401, "the bearer token is not one this server issued", _CHALLENGE)
        if token.revoked_at is not None:
            throttle.failed(address)
            raise Problem(401, f"token {token.id} was revoked at {token.revoked_at.isoformat()}", _CHALLENGE)
        if token.role not in allowed:
            raise Problem(403, f"this write needs role {names}; token {token.id} is {token.role.value}")
        return token

    return dependency
