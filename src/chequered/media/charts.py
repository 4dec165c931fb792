"""Charts of a session drawn from its stored laps, as inline SVG (no script, no CDN): the lap chart
(position by lap), the gap to the leader by lap, the lap-time distribution per car and the stint chart
(who drove when, and the pit stops).

Every chart is a function of laps (and stints) and the order the cars are to be listed in; labels are
escaped here, so a car or driver named with markup is drawn as text. Each chart carries a title and a
description for screen readers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from html import escape
from statistics import quantiles

from chequered.core.model import Lap
from chequered.core.stints import CarStints

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#ff7f0e",
)
_W, _H, _LEFT, _RIGHT, _TOP, _BOTTOM = 720, 320, 48, 90, 16, 32


def _svg(title: str, description: str, body: list[str], height: int = _H) -> str:
    label = escape(title)
    return (
        f'<svg class="chart" viewBox="0 0 {_W} {height}" role="img" aria-label="{label}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{label}</title><desc>{escape(description)}</desc>'
        f'<rect x="0" y="0" width="{_W}" height="{height}" fill="#fff"/>{"".join(body)}</svg>'
    )


def _by_car(laps: Iterable[Lap], cars: Sequence[str]) -> dict[str, list[Lap]]:
    wanted = set(cars)
    grouped: dict[str, list[Lap]] = defaultdict(list)
    for lap in laps:
        if lap.car in wanted:
            grouped[lap.car].append(lap)
    for car_laps in grouped.values():
        car_laps.sort(key=lambda lap: lap.lap)
    return grouped


def _axes(x_label: str, y_label: str, plot_w: int, plot_h: int) -> list[str]:
    return [
        f'<line x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_LEFT + plot_w}" y2="{_TOP + plot_h}" stroke="#555"/>',
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_TOP + plot_h}" stroke="#555"/>',
        f'<text x="{_LEFT + plot_w // 2}" y="{_H - 6}" font-size="12" text-anchor="middle">'
        f"{escape(x_label)}</text>",
        f'<text x="12" y="{_TOP + plot_h // 2}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 12 {_TOP + plot_h // 2})">{escape(y_label)}</text>',
    ]


def _lines(
    series: dict[str, list[tuple[float, float]]],
    labels: dict[str, str],
    x_max: float,
    y_min: float,
    y_max: float,
    invert: bool,
) -> list[str]:
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    span_x = x_max or 1.0
    span_y = (y_max - y_min) or 1.0
    body: list[str] = []
    for index, (car, points) in enumerate(series.items()):
        if not points:
            continue
        colour = PALETTE[index % len(PALETTE)]

        def xy(x: float, y: float) -> tuple[float, float]:
            fraction = (y - y_min) / span_y
            return (_LEFT + plot_w * x / span_x, _TOP + plot_h * (fraction if invert else 1 - fraction))

        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in (xy(x, y) for x, y in points))
        body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{path}"/>')
        end_x, end_y = xy(*points[-1])
        body.append(
            f'<text x="{min(end_x + 4, _W - _RIGHT + 4):.1f}" y="{end_y + 4:.1f}" font-size="11" '
            f'fill="{colour}">{escape(labels.get(car, car))}</text>'
        )
    return body


def lap_chart(laps: Sequence[Lap], cars: Sequence[str], labels: dict[str, str], text: dict[str, str]) -> str:
    """Position by lap of ``cars`` (the order of the classification: the first few are drawn)."""
    at_lap: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for lap in laps:
        at_lap[lap.lap].append((lap.elapsed_ms, lap.car))
    series: dict[str, list[tuple[float, float]]] = {car: [] for car in cars}
    for number in sorted(at_lap):
        for position, (_, car) in enumerate(sorted(at_lap[number]), start=1):
            if car in series:
                series[car].append((number, position))
    last = max(at_lap, default=1)
    worst = max((p for points in series.values() for _, p in points), default=1)
    body = _axes(text["lap"], text["position"], _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM)
    body += _lines(series, labels, last, 1, worst, invert=True)
    return _svg(text["lap_chart"], text["lap_chart_desc"], body)


def gap_chart(laps: Sequence[Lap], cars: Sequence[str], labels: dict[str, str], text: dict[str, str]) -> str:
    """Gap to the leader (seconds) by lap: each car's crossing of lap n against the first car's."""
    first: dict[int, int] = {}
    for lap in laps:
        first[lap.lap] = min(first.get(lap.lap, lap.elapsed_ms), lap.elapsed_ms)
    grouped = _by_car(laps, cars)
    series: dict[str, list[tuple[float, float]]] = {
        car: [(float(lap.lap), (lap.elapsed_ms - first[lap.lap]) / 1000) for lap in grouped.get(car, [])]
        for car in cars
    }
    top = max((g for points in series.values() for _, g in points), default=1.0)
    body = _axes(text["lap"], text["gap_s"], _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM)
    body += _lines(series, labels, max(first, default=1), 0, top, invert=True)
    return _svg(text["gap_chart"], text["gap_chart_desc"], body)


def lap_time_chart(
    laps: Sequence[Lap], cars: Sequence[str], labels: dict[str, str], text: dict[str, str]
) -> str:
    """The spread of each car's green laps (in-laps, out-laps and laps over 110 % of its best left out):
    a box from the first to the third quartile, the median marked, whiskers to the fastest and slowest."""
    grouped = _by_car(laps, cars)
    stats: list[tuple[str, list[float]]] = []
    for car in cars:
        times: list[int] = [
            lap.lap_time_ms
            for lap in grouped.get(car, [])
            if lap.lap_time_ms and not lap.in_pit and lap.pit_time_ms is None and lap.lap > 1
        ]
        if len(times) >= 2:
            best = min(times)
            kept: list[float] = sorted(t / 1000 for t in times if t <= best * 1.1)
            if len(kept) >= 2:
                stats.append((car, kept))
    row = 22
    height = _TOP + _BOTTOM + row * max(len(stats), 1)
    if not stats:
        return _svg(text["lap_times"], text["lap_times_desc"], [], height)
    low = min(s[0] for _, s in stats)
    high = max(s[-1] for _, s in stats)
    span = (high - low) or 1.0
    plot_w = _W - _LEFT - _RIGHT - 40
    left = _LEFT + 60

    def x(value: float) -> float:
        return left + plot_w * (value - low) / span

    body: list[str] = []
    for index, (car, spread) in enumerate(stats):
        q1, median, q3 = (
            quantiles(spread, n=4) if len(spread) >= 4 else (spread[0], spread[len(spread) // 2], spread[-1])
        )
        y = _TOP + index * row + row / 2
        colour = PALETTE[index % len(PALETTE)]
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{escape(labels.get(car, car))}</text>"
        )
        body.append(
            f'<line x1="{x(spread[0]):.1f}" y1="{y:.1f}" x2="{x(spread[-1]):.1f}" y2="{y:.1f}" '
            f'stroke="#555"/>'
        )
        body.append(
            f'<rect x="{x(q1):.1f}" y="{y - 7:.1f}" width="{max(x(q3) - x(q1), 1):.1f}" height="14" '
            f'fill="{colour}" fill-opacity="0.45" stroke="{colour}"/>'
        )
        body.append(
            f'<line x1="{x(median):.1f}" y1="{y - 8:.1f}" x2="{x(median):.1f}" y2="{y + 8:.1f}" '
            f'stroke="#000" stroke-width="2"/>'
        )
    axis_y = _TOP + len(stats) * row + 14
    body.append(f'<text x="{left}" y="{axis_y}" font-size="11">{low:.3f} s</text>')
    body.append(
        f'<text x="{left + plot_w}" y="{axis_y}" font-size="11" text-anchor="end">{high:.3f} s</text>'
    )
    return _svg(text["lap_times"], text["lap_times_desc"], body, height)


def stint_chart(
    stints: dict[str, CarStints], cars: Sequence[str], labels: dict[str, str], text: dict[str, str]
) -> str:
    """Who drove when: one bar per car, a segment per stint coloured by crew slot (named inside), pit
    stops marked between them."""
    shown = [car for car in cars if car in stints and stints[car].stints]
    row = 24
    height = _TOP + _BOTTOM + row * max(len(shown), 1)
    end = max((s.end_ms for car in shown for s in stints[car].stints), default=1) or 1
    plot_w = _W - _LEFT - _RIGHT - 40
    left = _LEFT + 60
    body: list[str] = []
    for index, car in enumerate(shown):
        y = _TOP + index * row
        body.append(
            f'<text x="{left - 6}" y="{y + 15}" font-size="11" text-anchor="end">'
            f"{escape(labels.get(car, car))}</text>"
        )
        for stint in stints[car].stints:
            x0 = left + plot_w * stint.start_ms / end
            width = max(plot_w * (stint.end_ms - stint.start_ms) / end, 1)
            colour = PALETTE[(stint.driver - 1) % len(PALETTE)]
            body.append(
                f'<rect x="{x0:.1f}" y="{y + 3}" width="{width:.1f}" height="{row - 6}" fill="{colour}" '
                f'fill-opacity="0.8"><title>{escape(stint.driver_name)}: {stint.laps} {escape(text["laps"])}'
                f"</title></rect>"
            )
        for stop in stints[car].stops:
            px = left + plot_w * stop.entry_elapsed_ms / end
            body.append(
                f'<line x1="{px:.1f}" y1="{y + 1}" x2="{px:.1f}" y2="{y + row - 1}" stroke="#000" '
                f'stroke-width="2"/>'
            )
    return _svg(text["stints"], text["stints_desc"], body, height)
