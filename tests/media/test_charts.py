"""Charts from a simulated race's laps: well-formed SVG with a title, one line per car drawn, names with
markup drawn as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from chequered.core.stints import stints_by_car
from chequered.media import charts
from chequered.seasons import load_season
from chequered.sim.weekend import simulate_weekend

TEXT = {k: k for k in ("lap", "laps", "position", "gap_s", "lap_chart", "lap_chart_desc", "gap_chart",
                       "gap_chart_desc", "lap_times", "lap_times_desc", "stints", "stints_desc")}  # fmt: skip
SVG = "{http://www.w3.org/2000/svg}"


def test_charts_of_a_race() -> None:
    weekend = simulate_weekend(load_season("gt4-europe-2023"), 1, seed=3, grid_size=12)
    race = weekend.sessions[4]
    order = [r.car for r in race.classify(weekend.rulebook).results]
    labels = {car: f"#{car}" for car in order}
    labels[order[0]] = "<b>evil</b> & co"
    drawn = [
        charts.lap_chart(race.laps, order[:5], labels, TEXT),
        charts.gap_chart(race.laps, order[:5], labels, TEXT),
        charts.lap_time_chart(race.laps, order, labels, TEXT),
        charts.stint_chart(stints_by_car(race.laps), order, labels, TEXT),
    ]
    for svg in drawn:
        root = ET.fromstring(svg)  # well-formed: the label's markup is escaped
        assert root.find(f"{SVG}title") is not None
        assert "<b>" not in svg and "&lt;b&gt;evil&lt;/b&gt; &amp; co" in svg
    lap_chart = ET.fromstring(drawn[0])
    assert len(lap_chart.findall(f"{SVG}polyline")) == 5
    stints = ET.fromstring(drawn[3])
    assert len(stints.findall(f"{SVG}rect")) > len(order)  # a background, then at least one stint per car
