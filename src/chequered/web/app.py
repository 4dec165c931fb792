"""The app factory: a FastAPI app over a store it is handed, routers one module per subject.

A new subject (live timing) is one more module with a ``router`` and one more line in ``ROUTERS``.
The live hub fans deltas out over the bus it is handed (in-process unless a Redis bus is given); the
app's lifespan stops the hub's readers and closes the bus at shutdown.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import APIRouter, FastAPI
from fastapi.templating import Jinja2Templates

from chequered.bus import Bus, MemoryBus
from chequered.media.pdf import close_printer
from chequered.store.store import Store
from chequered.web import (
    admin,
    championship,
    decisions,
    documents_pages,
    live,
    pages,
    press,
    problems,
    results,
    seasons,
    timing,
)
from chequered.web.auth import AuthGate, Throttle
from chequered.web.deps import Settings
from chequered.web.headers import SecurityHeaders
from chequered.web.limits import BodyLimit
from chequered.web.live_hub import LiveHub

ROUTERS: tuple[APIRouter, ...] = (
    pages.router,
    seasons.router,
    results.router,
    championship.router,
    decisions.router,
    timing.router,
    admin.router,
    live.router,
    press.router,
    documents_pages.router,
)


def create_app(
    store: Store, settings: Settings, bus: Bus | None = None, throttle: Throttle | None = None
) -> FastAPI:
    """The app; ``throttle`` counts failed token checks per client address (20 a minute by default)."""
    hub = LiveHub(store, bus if bus is not None else MemoryBus())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await hub.close()  # (and the bus; never waits on it for long)
            await asyncio.to_thread(close_printer)  # the PDFs' Chromium, if one was launched

    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,  # served by web/pages.py from the package's own Swagger UI files (no CDN)
        redoc_url=None,
        title=settings.title,
        version="0.1.0",
        description="Timing, scoring and championship API. Reads are public; writes need a bearer token.",
    )
    app.state.store = store
    app.state.settings = settings
    app.state.live_hub = hub
    app.state.auth_throttle = throttle if throttle is not None else Throttle()
    app.state.templates = Jinja2Templates(directory=str(resources.files("chequered.web") / "templates"))
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    # The last added runs first: headers on every answer, then no body read for a write without a token.
    app.add_middleware(
        BodyLimit, max_upload_bytes=settings.max_upload_bytes, max_json_bytes=settings.max_json_bytes
    )
    app.add_middleware(AuthGate, throttle=app.state.auth_throttle)
    docs = (app.docs_url or "", app.redoc_url or "", app.swagger_ui_oauth2_redirect_url or "")
    app.add_middleware(SecurityHeaders, hashed_paths=docs)
    return app
