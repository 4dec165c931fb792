"""The plain server-rendered index: the season's rounds and sessions, and where the API is."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from chequered.web.deps import store_of

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> Response:
    store = store_of(request)
    seasons = [(season, store.rounds(season.id)) for season in store.seasons()]
    in_rounds = {s.id for _, rounds in seasons for r in rounds for s in r.sessions}
    others = [info.session for info in store.sessions() if info.session.id not in in_rounds]
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "index.html", {"seasons": seasons, "others": others})
