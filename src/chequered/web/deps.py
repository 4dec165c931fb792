"""What routes get from the app they run in: its store and settings (set by the app factory, no globals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from fastapi import Request

from chequered.store.store import Store


@dataclass(frozen=True, slots=True)
class Settings:
    """Limits of the API. Uploads are timing files; every other body is a small JSON document."""

    max_upload_bytes: int = 64 * 1024 * 1024
    max_json_bytes: int = 256 * 1024
    title: str = "chequered"


def store_of(request: Request) -> Store:
    return cast(Store, request.app.state.store)


def settings_of(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)
