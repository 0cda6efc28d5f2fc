"""Inline SVG charts, drawn when a report is built: no library, no script, no network.

Each chart is one ``<svg role="img">`` string with a ``<title>`` and every
quantity written as text beside its mark, so a chart reads without colour:
series are told apart by hatching patterns of distinct lightness as well as
by a legend, and survive greyscale printing.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from html import escape

FONT = 'font-family="sans-serif" font-size="12"'
CHAR = 12.5  # the width of one CJK character at font-size 12, for laying out labels
INK = "#222"

# (fill, pattern) per series: lightness falls as the index grows, and each has its own hatching
SWATCHES = (
    ("#1f4e79", ""),
    ("#9dc3e6", "diag"),
    ("#f4b183", "dots"),
    ("#548235", "cross"),
    ("#ffd966", "vert"),
    ("#7030a0", "horiz"),
    ("#c9c9c9", "rdiag"),
    ("#843c0c", "grid"),
)
DARK = frozenset({"#1f4e79", "#548235", "#7030a0", "#843c0c"})  # fills that take white text


def _width(text: str) -> float:
    return sum(CHAR if ord(c) > 0x2E80 else CHAR * 0.55 for c in text)


def _t(text: object) -> str:
    return escape(str(text), quote=True)


def _patterns(prefix: str, count: int) -> str:
    """``<defs>`` with one hatched fill per series."""
    strokes = {
        "diag": '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#000" stroke-width="1" stroke-opacity=".45"/>',
        "rdiag": '<path d="M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2" stroke="#000" stroke-width="1" stroke-opacity=".45"/>',
        "dots": '<circle cx="3" cy="3" r="1.2" fill="#000" fill-opacity=".5"/>',
        "cross": '<path d="M0,0 l6,6 M6,0 l-6,6" stroke="#fff" stroke-width="1" stroke-opacity=".7"/>',
        "vert": '<path d="M3,0 v6" stroke="#000" stroke-width="1" stroke-opacity=".4"/>',
        "horiz": '<path d="M0,3 h6" stroke="#fff" stroke-width="1" stroke-opacity=".7"/>',
        "grid": '<path d="M3,0 v6 M0,3 h6" stroke="#fff" stroke-width="1" stroke-opacity=".6"/>',
    }
    out = []
    for i in range(count):
        fill, kind = SWATCHES[i % len(SWATCHES)]
        out.append(
            f'<pattern id="{prefix}-p{i}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{fill}"/>{strokes.get(kind, "")}</pattern>'
        )
    return "<defs>" + "".join(out) + "</defs>"


def _svg(chart_id: str, title: str, width: float, height: float, body: list[str]) -> str:
    return (
        f'<svg id="{chart_id}" class="chart" role="img" aria-labelledby="{chart_id}-t" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" {FONT}>'
        f'<title id="{chart_id}-t">{_t(title)}</title>' + "".join(body) + "</svg>"
    )


def _legend(chart_id: str, series: Sequence[str], x: float, y: float) -> tuple[list[str], float]:
    """A row of swatches with their names from (x, y); returns the parts and the height used."""
    parts, cx = [], x
    for i, name in enumerate(series):
        w = 18 + _width(name) + 14
        parts.append(
            f'<rect x="{cx:.1f}" y="{y:.1f}" width="12" height="12" fill="url(#{chart_id}-p{i})" stroke="{INK}" stroke-width=".5"/>'
            f'<text x="{cx + 16:.1f}" y="{y + 10:.1f}" fill="{INK}">{_t(name)}</text>'
        )
        cx += w
    return parts, 20


def stacked_bars(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Mapping[str, int]]],
    series: Sequence[str],
    width: int = 760,
) -> str:
    """Horizontal bars, one per row label, stacked by series; each segment and each total is written as text."""
    series = [s for s in series if any(counts.get(s, 0) for _, counts in rows)]
    label_w = max([_width(label) for label, _ in rows] + [40]) + 10
    total_w = 40
    plot_w = max(width - label_w - total_w - 10, 120)
    most = max([sum(c.get(s, 0) for s in series) for _, c in rows] + [1])
    bar, gap = 18, 8
    legend, legend_h = _legend(chart_id, series, label_w, 4)
    top = 4 + legend_h + 6
    body = [_patterns(chart_id, len(series)), *legend]
    for r, (label, counts) in enumerate(rows):
        y = top + r * (bar + gap)
        body.append(f'<text x="{label_w - 6:.1f}" y="{y + 13:.1f}" text-anchor="end" fill="{INK}">{_t(label)}</text>')
        x = label_w
        for i, s in enumerate(series):
            n = counts.get(s, 0)
            if not n:
                continue
            w = plot_w * n / most
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar}" fill="url(#{chart_id}-p{i})" stroke="#fff" stroke-width="1">'
                f"<title>{_t(label)} · {_t(s)}: {n}</title></rect>"
            )
            if w >= _width(str(n)) + 6:
                fill = SWATCHES[i % len(SWATCHES)][0]
                ink = "#fff" if fill in DARK else INK
                body.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 13:.1f}" text-anchor="middle" fill="{ink}" font-weight="bold"'
                    + ("" if fill in DARK else ' stroke="#fff" stroke-width="3" paint-order="stroke"')
                    + f">{n}</text>"
                )
            x += w
        total = sum(counts.get(s, 0) for s in series)
        body.append(f'<text x="{x + 5:.1f}" y="{y + 13:.1f}" fill="{INK}" font-weight="bold">{total}</text>')
    height = top + len(rows) * (bar + gap) + 4
    return _svg(chart_id, title, width, height, body)


def matrix(
    chart_id: str,
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Mapping[tuple[str, str], int],
    width: int = 760,
) -> str:
    """A grid of rows × columns, each cell a circle sized by its count with the count written in it."""
    label_w = max([_width(r) for r in rows] + [40]) + 10
    col = max(min((width - label_w) / max(len(columns), 1), 90), max([_width(c) for c in columns] + [30]) + 10)
    row_h = 30
    most = max(list(counts.values()) + [1])
    top = 22
    body = []
    for j, c in enumerate(columns):
        body.append(f'<text x="{label_w + (j + .5) * col:.1f}" y="14" text-anchor="middle" fill="{INK}" font-weight="bold">{_t(c)}</text>')
    for i, r in enumerate(rows):
        y = top + i * row_h
        body.append(f'<text x="{label_w - 6:.1f}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end" fill="{INK}">{_t(r)}</text>')
        body.append(f'<line x1="{label_w:.1f}" x2="{label_w + len(columns) * col:.1f}" y1="{y + row_h / 2:.1f}" y2="{y + row_h / 2:.1f}" stroke="#ccc"/>')
        for j, c in enumerate(columns):
            n = counts.get((r, c), 0)
            if not n:
                continue
            cx, cy = label_w + (j + .5) * col, y + row_h / 2
            radius = max(row_h * .48 * math.sqrt(n / most), 8)
            body.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="#9dc3e6" stroke="#1f4e79" stroke-width="1.5">'
                f"<title>{_t(r)} · {_t(c)}: {n}</title></circle>"
                f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" fill="{INK}" font-weight="bold">{n}</text>'
            )
    height = top + len(rows) * row_h + 4
    return _svg(chart_id, title, label_w + len(columns) * col + 8, height, body)


def timeline(
    chart_id: str,
    title: str,
    lanes: Sequence[tuple[str, Sequence[dt.date]]],
    width: int = 760,
) -> str:
    """One lane per label along a year axis; a mark at each date, its count written above when several share a year."""
    dates = [d for _, ds in lanes for d in ds]
    label_w = max([_width(label) for label, _ in lanes] + [40]) + 10
    first = min(d.year for d in dates) if dates else 2000
    last = max(d.year for d in dates) + 1 if dates else 2001
    plot_w = width - label_w - 40  # room for a count beside a mark on the last year
    lane = 34
    top = 24

    def x_of(d: dt.date) -> float:
        start = dt.date(d.year, 1, 1)
        fraction = (d - start).days / ((dt.date(d.year + 1, 1, 1) - start).days)
        return label_w + plot_w * (d.year - first + fraction) / (last - first)

    body = []
    bottom = top + len(lanes) * lane
    for year in range(first, last + 1):
        x = label_w + plot_w * (year - first) / (last - first)
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{bottom:.1f}" stroke="#bbb" stroke-dasharray="2,3"/>'
            f'<text x="{x:.1f}" y="{top - 8}" text-anchor="middle" fill="{INK}">{year}</text>'
        )
    for i, (label, ds) in enumerate(lanes):
        y = top + i * lane + lane / 2
        body.append(
            f'<text x="{label_w - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{_t(label)}</text>'
            f'<line x1="{label_w}" x2="{label_w + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        per_day: dict[dt.date, int] = {}
        for d in ds:
            per_day[d] = per_day.get(d, 0) + 1
        for d, n in sorted(per_day.items()):
            x = x_of(d)
            body.append(
                f'<path d="M{x:.1f},{y - 7:.1f} l6,7 l-6,7 l-6,-7 z" fill="#1f4e79" stroke="#fff" stroke-width="1">'
                f"<title>{_t(label)}: {d.isoformat()} ×{n}</title></path>"
            )
            if n > 1:
                body.append(f'<text x="{x + 8:.1f}" y="{y - 5:.1f}" fill="{INK}" font-size="11">×{n}</text>')
    return _svg(chart_id, title, width, bottom + 6, body)
