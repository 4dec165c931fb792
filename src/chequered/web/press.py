"""The press kit served: ``/entries/{entry}/press/{round}?kind=preview|report&lang=sv`` (HTML, or a PDF
download with ``format=pdf``) and a car's result card, ``/sessions/{id}/cards/{number}.png``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from chequered.media.card import result_card
from chequered.media.pdf import render_pdf
from chequered.media.press import PressError, to_html, write_release
from chequered.web.deps import store_of
from chequered.web.problems import Problem
from chequered.web.season_view import current_season

router = APIRouter(tags=["press"])


@router.get("/entries/{entry}/press/{round_}", response_model=None)
async def get_release(
    request: Request,
    entry: str,
    round_: int,
    kind: Annotated[Literal["preview", "report"], Query()] = "preview",
    lang: Annotated[Literal["en", "sv"], Query()] = "en",
    fmt: Annotated[Literal["html", "pdf", "md"], Query(alias="format")] = "html",
    season: Annotated[str | None, Query(max_length=64, description="Default: the site's season.")] = None,
) -> Response:
    store = store_of(request)
    try:
        release = await run_in_threadpool(
            lambda: write_release(store, season or current_season(store).id, entry, round_, kind, lang)
        )
    except PressError as exc:
        raise Problem(404, str(exc)) from None
    if fmt == "md":
        return Response(release.markdown, media_type="text/markdown; charset=utf-8")
    page = to_html(release)
    if fmt == "html":
        return HTMLResponse(page)
    pdf = await run_in_threadpool(render_pdf, page)
    name = f"{entry}-round{round_}-{kind}-{lang}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/sessions/{session_id}/cards/{number}.png")
async def get_card(
    request: Request, session_id: str, number: str, lang: Literal["en", "sv"] = "en"
) -> Response:
    png = await run_in_threadpool(result_card, store_of(request), session_id, number, lang)
    return Response(png, media_type="image/png")
