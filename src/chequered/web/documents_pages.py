"""Official documents served: ``/sessions/{id}/documents/{kind}.pdf|.csv|.json|.html`` (``?version=N``
for an earlier publication of the classification), ``/seasons/{id}/documents/standings.{fmt}`` and
``/seasons/{id}/rounds/{n}/documents/entry-list.{fmt}``. JSON shapes of the API live in ``documents``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from chequered.media.documents import (
    FORMATS,
    Document,
    DocumentError,
    entry_list,
    session_document,
    session_pdf,
    standings_document,
)
from chequered.web.deps import store_of
from chequered.web.problems import Problem

router = APIRouter(tags=["documents"])
_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
}


def _split(name: str) -> tuple[str, str]:
    kind, _, fmt = name.rpartition(".")
    if fmt not in FORMATS or not kind:
        raise Problem(404, f"{name!r}: ask for KIND.{'|'.join(FORMATS)}")
    return kind, fmt


async def _answer(doc: Document, fmt: str) -> Response:
    return Response(await run_in_threadpool(doc.render, fmt), media_type=_TYPES[fmt])


@router.get("/sessions/{session_id}/documents/{name}")
async def get_session_document(
    request: Request, session_id: str, name: str, version: Annotated[int | None, Query(ge=1)] = None
) -> Response:
    kind, fmt = _split(name)
    store = store_of(request)
    try:
        doc = await run_in_threadpool(session_document, store, session_id, kind, version)
        if fmt == "pdf":  # printed once per log position (the store's document cache)
            pdf = await run_in_threadpool(session_pdf, store, session_id, kind, version)
            return Response(pdf, media_type=_TYPES[fmt])
    except DocumentError as exc:
        raise Problem(404, str(exc)) from None
    return await _answer(doc, fmt)


@router.get("/seasons/{season_id}/documents/{name}")
async def get_season_document(request: Request, season_id: str, name: str) -> Response:
    kind, fmt = _split(name)
    if kind != "standings":
        raise Problem(404, f"season documents: standings, not {kind!r}")
    return await _answer(await run_in_threadpool(standings_document, store_of(request), season_id), fmt)


@router.get("/seasons/{season_id}/rounds/{round_}/documents/{name}")
async def get_round_document(request: Request, season_id: str, round_: int, name: str) -> Response:
    kind, fmt = _split(name)
    if kind != "entry-list":
        raise Problem(404, f"round documents: entry-list, not {kind!r}")
    try:
        doc = await run_in_threadpool(entry_list, store_of(request), season_id, round_)
    except DocumentError as exc:
        raise Problem(404, str(exc)) from None
    return await _answer(doc, fmt)
