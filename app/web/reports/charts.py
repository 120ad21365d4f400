"""Horizontal bar charts drawn on the server as SVG geometry.

No script runs in the page (the CSP allows none inline, and a chart library
would be one more vendored asset to keep): Python computes the bars, the
template writes the ``<svg>`` with the labels escaped, and the table beside
each chart is its accessible alternative.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_decimal

from app.services.report_model import Table

WIDTH, LABEL_W, VALUE_W, ROW_H, BAR_H, TOP = 560, 190, 80, 24, 16, 8
MAX_BARS = 15
LABEL_CHARS = 28
# Colour-blind-safe (Okabe-Ito) and dark enough against white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")


@dataclass
class Segment:
    x: float
    width: float
    color: str


@dataclass
class Bar:
    label: str
    full_label: str
    y: float
    value_text: str
    segments: list[Segment] = field(default_factory=list)


@dataclass
class BarChart:
    key: str
    title: str
    width: int
    height: int
    bars: list[Bar]
    legend: list[tuple[str, str, float]]  # (colour, label, x)
    more: int                            # rows left out of the chart (still in the table)
    label_w: int = LABEL_W


def bar_chart(table: Table) -> BarChart | None:
    """The chart of ``table`` (None when it has no chart or nothing to draw)."""
    chart = table.chart
    if chart is None or not table.rows:
        return None
    rows = table.rows[:MAX_BARS]
    totals = [sum(_num(r.get(s)) for s in chart.series) for r in rows]
    peak = max(totals) or 1
    span = WIDTH - LABEL_W - VALUE_W
    legend_h = ROW_H if len(chart.series) > 1 else 0
    bars = []
    for n, (row, total) in enumerate(zip(rows, totals)):
        y = TOP + legend_h + n * ROW_H
        label = str(row.get(chart.label) or "")
        bar = Bar(_short(label), label, y, format_decimal(total))
        x = LABEL_W
        for s, series in enumerate(chart.series):
            width = span * _num(row.get(series)) / peak
            if width > 0:
                bar.segments.append(Segment(x, width, PALETTE[s % len(PALETTE)]))
            x += width
        bar.value_text = format_decimal(total)
        bars.append(bar)
    legend = [(PALETTE[s % len(PALETTE)], table.heading(series), LABEL_W + s * 140)
              for s, series in enumerate(chart.series)] if legend_h else []
    height = TOP * 2 + legend_h + len(rows) * ROW_H
    return BarChart(table.key, table.title, WIDTH, height, bars, legend,
                    len(table.rows) - len(rows))


def _num(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"
