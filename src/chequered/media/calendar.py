"""Calendars (RFC 5545): the season's sessions, or one car's, as events a calendar app subscribes to.

Each session is one VEVENT whose UID is made from the session id (stable for ever), with its start and
end in UTC and the circuit's zone named in the location; when the store moves a session's start, the
event keeps its UID and its SEQUENCE is the number of moves, so subscribed calendars update it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from icalendar import Event as VEvent

from chequered.core.model import Event, Session
from chequered.media.i18n import gettext

DOMAIN = "chequered"
_DEFAULT_LENGTH = timedelta(hours=1)


def session_uid(session_id: str) -> str:
    return f"{session_id}@{DOMAIN}"


def session_length(session: Session) -> timedelta:
    if session.finish is not None and session.finish.duration_ms:
        return timedelta(milliseconds=session.finish.duration_ms)
    return _DEFAULT_LENGTH


def season_calendar(
    name: str,
    rounds: Sequence[Event],
    changes: Mapping[str, int],
    stamp: datetime,
    lang: str,
    url: str = "",
) -> bytes:
    """The ICS text of ``rounds``' sessions that have a start; ``changes`` gives each session's number of
    start moves (its SEQUENCE); ``stamp`` is the DTSTAMP (the store's clock, so output is reproducible)."""
    calendar = Calendar()
    calendar.add("prodid", "-//chequered//timing and championship//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in rounds:
        circuit = event.circuit
        for session in event.sessions:
            if session.start is None:
                continue
            start = session.start.astimezone(UTC)
            vevent = VEvent()
            vevent.add("uid", session_uid(session.id))
            vevent.add("sequence", changes.get(session.id, 0))
            vevent.add("dtstamp", stamp.astimezone(UTC))
            vevent.add("dtstart", start)
            vevent.add("dtend", start + session_length(session))
            vevent.add("summary", f"{event.name}: {gettext(session.name, lang)}")
            vevent.add(
                "location", f"{circuit.name}, {circuit.location} ({circuit.timezone})".replace(", (", " (")
            )
            vevent.add("x-chequered-timezone", circuit.timezone)
            if url:
                vevent.add("url", f"{url.rstrip('/')}/sessions/{session.id}")
            calendar.add_component(vevent)
    return bytes(calendar.to_ical())
