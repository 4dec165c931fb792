"""Championship reads: standings and the compliance report (from the championship core)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/seasons/{season_id}", tags=["championship"])
