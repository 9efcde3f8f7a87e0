"""The SVG charts of the performance page, drawn by hand (no plotting library).

:func:`speedup_svg` draws the speed-up over Flask 3.1.3 per scenario, by time and, if
counted, by instructions, with each scenario's target marked. :func:`scale_svg` draws
the scale benchmark's curves against the number of routes.
"""

from __future__ import annotations

import math
import typing as t

from report import FLASK
from report import OURS
from report import OVER_FLASK
from report import SCALE_PROBES
from scenarios import SCENARIOS

_BLUE, _RED, _GREY, _ORANGE = "#2b7bba", "#c0392b", "#8fb8dc", "#e67e22"


def _svg(width: int, height: int, parts: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        ' font-family="sans-serif" font-size="12">'
    )
    return "\n".join([head, *parts, "</svg>"]) + "\n"


def speedup_svg(results: dict[str, t.Any]) -> str:
    """Bars of Flask 3.1.3's cost over ours per scenario (time, and instructions in a
    lighter bar below it when counted); a bar is red where its target is missed, and
    the line across each row is the target."""
    timing = results["in_process"]["values"]
    counted = results.get("instructions", {}).get("values", {})
    names = [s for s in SCENARIOS if s in timing[OURS] and s in timing.get(FLASK, {})]
    bars: list[tuple[str, list[float]]] = []
    for name in names:
        ratios = [timing[FLASK][name] / timing[OURS][name]]
        if name in counted.get(OURS, {}) and name in counted.get(FLASK, {}):
            ratios.append(counted[FLASK][name] / counted[OURS][name])
        bars.append((name, ratios))
    top = max([r for _name, ratios in bars for r in ratios] + [3.0]) * 1.1
    width, row_h, left, right = 680, 30, 100, 60
    height = row_h * len(bars) + 60
    scale = (width - left - right) / top
    parts = [
        f'<text x="{left}" y="16" font-weight="bold">Speed-up over Flask 3.1.3'
        " (dark: time, light: instructions; line: target)</text>",
    ]
    for index, (name, ratios) in enumerate(bars):
        y = 30 + index * row_h
        target = OVER_FLASK[name]
        parts.append(
            f'<text x="{left - 6}" y="{y + 16}" text-anchor="end">{name}</text>'
        )
        bar_h = (row_h - 8) / len(ratios)
        for which, ratio in enumerate(ratios):
            color = (_BLUE if which == 0 else _GREY) if ratio >= target else _RED
            top_y = y + 3 + which * bar_h
            parts += [
                f'<rect x="{left}" y="{top_y:.1f}" width="{ratio * scale:.1f}"'
                f' height="{bar_h - 1:.1f}" fill="{color}"/>',
                f'<text x="{left + ratio * scale + 4:.1f}" y="{top_y + bar_h - 3:.1f}"'
                f' font-size="10">{ratio:.1f}x</text>',
            ]
        x = left + target * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + row_h - 2}"'
            ' stroke="#333" stroke-width="2"/>'
        )
    return _svg(width, height, parts)


def _log_axis(low: float, high: float) -> tuple[float, float]:
    return math.floor(math.log10(low)), math.ceil(math.log10(high))


def scale_svg(results: dict[str, t.Any]) -> str:
    """Two panels against the number of routes (log scale): microseconds per request
    of each probe, and milliseconds to build the app; ours in blue, Flask's in
    orange."""
    values = results["scale"]["values"]
    counts = [int(c) for c in values[OURS]]
    panel_w, panel_h, pad = 330, 220, 50
    width, height = 2 * (panel_w + pad) + 20, panel_h + 110
    dashes = {"first": "", "middle": "6,3", "last": "2,3", "404": "10,3,2,3"}
    x_low, x_high = _log_axis(min(counts), max(counts))

    def x_of(count: int, left: float) -> float:
        return left + (math.log10(count) - x_low) / (x_high - x_low) * panel_w

    parts = [
        '<text x="10" y="16" font-weight="bold">Cost against the number of routes'
        " (blue: this package, orange: Flask 3.1.3)</text>"
    ]
    panels = [
        ("per request (us); line style: first, middle, last, 404", list(SCALE_PROBES)),
        ("building the app (ms), then its first request (ms, dashed)",
         ["build_ms", "first_request_ms"]),
    ]  # fmt: skip
    for number, (title, keys) in enumerate(panels):
        left, top = pad + number * (panel_w + pad + 20), 50
        series = [
            (impl, key, [values[impl][str(c)][key] for c in counts])
            for impl in (OURS, FLASK)
            for key in keys
        ]
        all_values = [v for _i, _k, ys in series for v in ys]
        y_low, y_high = _log_axis(min(all_values), max(all_values))
        if y_high == y_low:
            y_high += 1

        def y_of(value: float) -> float:
            share = (math.log10(value) - y_low) / (y_high - y_low)  # noqa: B023
            return top + panel_h - share * panel_h  # noqa: B023

        parts += [
            f'<text x="{left}" y="{top - 10}">{title}</text>',
            f'<rect x="{left}" y="{top}" width="{panel_w}" height="{panel_h}"'
            ' fill="none" stroke="#999"/>',
        ]
        for power in range(y_low, y_high + 1):
            y = y_of(10.0**power)
            parts.append(
                f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end"'
                f' font-size="10">{10.0**power:g}</text>'
            )
        for count in counts:
            x = x_of(count, left)
            parts.append(
                f'<text x="{x:.1f}" y="{top + panel_h + 14}" text-anchor="middle"'
                f' font-size="10">{count:,}</text>'
            )
        for impl, key, ys in series:
            color = _BLUE if impl == OURS else _ORANGE
            dash = dashes.get(key, "" if key == "build_ms" else "6,3")
            points = " ".join(
                f"{x_of(c, left):.1f},{y_of(v):.1f}"
                for c, v in zip(counts, ys, strict=True)
            )
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{color}"'
                f' stroke-width="2" stroke-dasharray="{dash}"/>'
            )
        parts.append(
            f'<text x="{left + panel_w / 2}" y="{top + panel_h + 32}"'
            ' text-anchor="middle">routes</text>'
        )
    return _svg(width, height, parts)
