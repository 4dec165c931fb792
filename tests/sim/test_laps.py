"""Lap records of the simulator: a pit-out lap's sectors."""

from __future__ import annotations

import statistics

from chequered.sim.weekend import SimulatedWeekend


def test_a_pit_out_lap_has_track_sectors_at_pace_never_the_best(paul_ricard: SimulatedWeekend) -> None:
    """The stop and the pit lane fall in sector 1; sectors 2 and 3 are driven on track at about the
    driver's pace (cold tyres: never faster than their usual), so they never set a session best."""
    checked = 0
    for simulated in paul_ricard.sessions:
        laps = simulated.laps
        for k in (1, 2):
            best = min(lap.sectors[k] for lap in laps if lap.sectors[k] is not None)
            out_laps = [lap for lap in laps if lap.pit_time_ms]
            assert all((lap.sectors[k] or 0) > best for lap in out_laps), simulated.session.id
        for lap in (lap for lap in laps if lap.pit_time_ms):
            own = [
                x.sectors
                for x in laps
                if x.car == lap.car and x.driver == lap.driver and not x.pit_time_ms and not x.in_pit
            ]
            if len(own) < 3:
                continue
            for k in (1, 2):
                usual = statistics.median(s[k] or 0 for s in own)
                assert 0.96 * usual <= (lap.sectors[k] or 0) <= 1.15 * usual, (lap, usual)
            assert (lap.sectors[0] or 0) >= (lap.pit_time_ms or 0)
            assert sum(s or 0 for s in lap.sectors) == lap.lap_time_ms
            checked += 1
    assert checked > 50
