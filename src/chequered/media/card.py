"""A result card for social media: one car in one session, 1200x630 PNG (Pillow, DejaVu fonts from the
Debian package fonts-dejavu-core that the Makefile installs)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from chequered.core.errors import ChequeredError
from chequered.core.model import Status
from chequered.core.timefmt import format_duration
from chequered.media.i18n import ordinal, status_text
from chequered.store.errors import NotFoundError
from chequered.store.store import Store

SIZE = (1200, 630)
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    raise ChequeredError(
        f"font {name} not found in {', '.join(map(str, FONT_DIRS))}: run make (fonts-dejavu-core)"
    )


def result_card(store: Store, session_id: str, number: str, lang: str = "en") -> bytes:
    """The card of car ``number`` in a session as a PNG."""
    state = store.state(session_id, store.position(session_id))
    result = next((r for r in state.classification.results if r.entry.number == number), None)
    if result is None:
        raise NotFoundError(f"no car #{number} in session {session_id}")
    info = state.info
    series = store.season(info.season_id).series.name if info.season_id else ""
    event = (
        next((e for e in store.rounds(info.season_id) if e.id == info.round_id), None)
        if info.season_id
        else None
    )
    image = Image.new("RGB", SIZE, (16, 24, 40))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1200, 16), fill=(220, 30, 40))
    heading = f"{series} · Round {event.round} · {event.name}" if event else series
    draw.text((60, 50), heading, font=_font(False, 34), fill=(200, 210, 230))
    draw.text((60, 110), info.session.name, font=_font(True, 56), fill="white")
    draw.text((60, 200), f"#{result.entry.number}", font=_font(True, 120), fill=(255, 200, 0))
    crew = " / ".join(d.name for d in result.entry.drivers)
    draw.text((360, 215), crew, font=_font(True, 40), fill="white")
    draw.text(
        (360, 275),
        f"{result.entry.team} · {result.entry.car_model}",
        font=_font(False, 30),
        fill=(200, 210, 230),
    )
    if result.status is Status.CLASSIFIED:
        overall, within = ordinal(result.position, lang), ordinal(result.class_position, lang)
        place = f"{overall} overall · {within} in {result.entry.car_class}"
    else:
        place = f"{status_text(result.status, lang)} · {result.entry.car_class}"
    draw.text((60, 400), place, font=_font(True, 60), fill="white")
    best = format_duration(result.best_lap_ms) if result.best_lap_ms else "–"
    draw.text((60, 500), f"Best lap {best}", font=_font(False, 44), fill=(200, 210, 230))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
