"""Validated API inputs: every string bounded, car numbers and ids restricted to what they can be."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chequered.core.events import Publication
from chequered.core.model import DriverCategory, SessionKind, Status
from chequered.core.passings import Timeline
from chequered.store.tokens import Role

Car = Annotated[
    str,
    StringConstraints(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9#_-]*$"),
    Field(description='A car as printed on it: "7", "07" and "007" are different cars.'),
]
_NO_NUL = r"^[^\x00]*$"  # PostgreSQL's text refuses NUL: refused here on every backend alike
Reason = Annotated[str, StringConstraints(max_length=500, pattern=_NO_NUL)]
Name = Annotated[str, StringConstraints(max_length=200, pattern=_NO_NUL)]
Short = Annotated[str, StringConstraints(max_length=64, pattern=_NO_NUL)]
MAX_SESSION_MS = 10 * 86_400_000  # ten days of session time: more than any race, far inside 64 bits
SourceId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=56, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"),
    Field(description="Your id for this decision; sending the same id again stores it once."),
]
SessionId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PenaltyIn(_Input):
    car: Car
    kind: Literal["time", "laps", "lap_deleted"] = Field(
        description="time: add ms to race time; laps: take laps off; lap_deleted: strike lap out"
    )
    ms: int | None = Field(None, ge=1, le=86_400_000, description="for kind=time")
    laps: int | None = Field(None, ge=1, le=10_000, description="for kind=laps")
    lap: int | None = Field(None, ge=1, le=100_000, description="for kind=lap_deleted")
    reason: Reason = ""
    id: SourceId | None = None


class StatusIn(_Input):
    car: Car
    status: Status
    reason: Reason = ""
    id: SourceId | None = None


class PublicationIn(_Input):
    status: Publication


class WithdrawalIn(_Input):
    reason: Reason = ""


class LapIn(_Input):
    car: Car
    lap: int = Field(ge=0, le=100_000)
    lap_time_ms: int | None = Field(None, ge=0, le=86_400_000)
    elapsed_ms: int = Field(ge=0, le=MAX_SESSION_MS)
    driver: int = Field(1, ge=1, le=10)
    driver_name: Name = ""
    sectors: list[int | None] = Field(default_factory=list, max_length=20)
    in_pit: bool = False
    pit_time_ms: int | None = Field(None, ge=0, le=86_400_000)
    flag: Annotated[str, StringConstraints(max_length=8, pattern=_NO_NUL)] = ""
    kph: float | None = Field(None, ge=0, le=1000)
    counts: bool = Field(True, description="False: the timing system did not count the time (deleted).")


class PassingIn(_Input):
    car: Car
    timeline: Timeline
    at_ms: int = Field(ge=0, le=MAX_SESSION_MS, description="Session time of the passing, milliseconds.")
    sector: int = Field(default=0, ge=0, le=64)
    driver: Annotated[str, StringConstraints(max_length=120, pattern=_NO_NUL)] = ""


class PassingsIn(_Input):
    passings: list[PassingIn] = Field(max_length=5000)


class LapsIn(_Input):
    laps: list[LapIn] = Field(min_length=1, max_length=2_000)


class SessionIn(_Input):
    id: SessionId
    name: Name
    kind: SessionKind
    round: SessionId | None = None
    duration_min: int | None = Field(None, ge=1, le=48 * 60)
    laps: int | None = Field(None, ge=1, le=10_000)
    start: datetime | None = Field(None, description="UTC instant, with offset")


class DriverIn(_Input):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_NO_NUL)]
    category: DriverCategory | None = None
    nationality: Short = ""
    short_name: Short = ""


class EntryIn(_Input):
    car: Car
    number: Annotated[str, StringConstraints(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9]+$")]
    car_class: Short = Field("", alias="class")
    team: Name = ""
    car_model: Name = ""
    group: Short = ""
    manufacturer: Annotated[str, StringConstraints(max_length=100, pattern=_NO_NUL)] = ""
    drivers: list[DriverIn] = Field(default_factory=list, max_length=8)


class TokenIn(_Input):
    role: Role
    label: Name = ""
