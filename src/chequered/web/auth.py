"""Bearer tokens and roles: timekeeper (timing data), steward (decisions, publishing), admin (everything).

A refused write answers 401 (no token, an unknown token, a revoked one) or 403 (a role too weak) before
the route runs, so it never touches the log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from chequered.store.tokens import Role, TokenInfo
from chequered.web.deps import store_of
from chequered.web.problems import Problem

_bearer = HTTPBearer(auto_error=False, description="A token from `chequered token create --role ROLE`.")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def require(*roles: Role) -> Callable[..., TokenInfo]:
    """A dependency that admits a token of one of ``roles`` or admin."""
    allowed = {*roles, Role.ADMIN}
    names = " or ".join(sorted(r.value for r in allowed))

    def dependency(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> TokenInfo:
        if credentials is None:
            raise Problem(401, f"this write needs a bearer token of role {names}", _CHALLENGE)
        token = store_of(request).verify_token(credentials.credentials)
        if token is None:
            raise Problem(401, "the bearer token is not one this server issued", _CHALLENGE)
        if token.revoked_at is not None:
            raise Problem(401, f"token {token.id} was revoked at {token.revoked_at.isoformat()}", _CHALLENGE)
        if token.role not in allowed:
            raise Problem(403, f"this write needs role {names}; token {token.id} is {token.role.value}")
        return token

    return dependency
