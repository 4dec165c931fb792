"""Live timing: the state of a running session, folded one event at a time.

``state`` holds ``LiveState`` (events in, deltas out); ``car`` one car's laps and standing, ``order`` the
running order overall and per class, ``sectors`` the best sector times, ``flag`` when the chequered flag
falls, and ``view`` the rows the board and the API show.
"""

from chequered.core.live.state import LiveDelta, LiveState

__all__ = ["LiveDelta", "LiveState"]
