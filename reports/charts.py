"""Bar charts as inline SVG, drawn on the server: no JavaScript, no inline styles (the
Content-Security-Policy forbids them). Colours come from classes in static/css/site.css,
or from SVG presentation attributes (`fill`) where a bar has its own colour (the SDGs).

Every text goes through `format_html`, which escapes it. Each chart is a `<figure>` whose
caption names the SVG (`role="img"`, `aria-labelledby`); the table that follows it on the
page is its accessible equivalent. Bars carry their values as visible labels.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .figures import Report, cell_text

WIDTH = 560
FONT_SIZE = 12
CHAR_WIDTH = 6.8  # a generous average advance of a 12px sans-serif character
LABEL_MAX_CHARS = 34
SERIES_CLASSES = ["chart-series-1", "chart-series-2", "chart-series-3", "chart-series-4"]
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Series:
    """One set of bars: a name for the legend and a value per category (None: no bar)."""

    name: str
    values: Sequence[float | int | None]
    css_class: str = SERIES_CLASSES[0]
    colours: Sequence[str] | None = None  # one per bar, instead of css_class
    labels: Sequence[str] | None = None  # the value labels, when not the plain values

    def label(self, index: int) -> str:
        return self.labels[index] if self.labels is not None else cell_text(self.values[index])


def _join(parts) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _num(value: float) -> str:
    """A coordinate for an attribute: short, and never in a locale's format."""
    return f"{value:.1f}".removesuffix(".0")


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def truncate(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _scale_max(series: Sequence[Series]) -> float:
    """The largest value, or 1 when there is none (no division by zero, bars of height 0)."""
    return max((value for s in series for value in s.values if value), default=0) or 1


def _bar_fill(series: Series, index: int) -> SafeString:
    if series.colours is not None and HEX_COLOUR.match(series.colours[index] or ""):
        return format_html('fill="{}"', series.colours[index])
    return format_html('class="{}"', series.css_class)


def _legend(series: Sequence[Series], y: float) -> list[SafeString]:
    if len(series) < 2:
        return []
    parts, x = [], 0.0
    for s in series:
        parts.append(
            format_html('<rect x="{}" y="{}" width="12" height="12" class="{}"/>', _num(x), _num(y), s.css_class)
        )
        parts.append(
            format_html('<text x="{}" y="{}" class="chart-legend">{}</text>', _num(x + 17), _num(y + 10.5), s.name)
        )
        x += 17 + _text_width(s.name) + 20
    return parts


def _figure(
    *, chart_id: str, title: str, width: float, height: float, body: list[SafeString], show_caption: bool = True
) -> SafeString:
    """The chart in a figure. A caption that would repeat the heading just above it is
    kept for screen readers only (it still names the chart)."""
    caption_id = f"{chart_id}-caption"
    return format_html(
        '<figure class="chart-figure">'
        '<figcaption id="{}" class="{}">{}</figcaption>'
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{}" '
        'width="{}" height="{}" viewBox="0 0 {} {}" font-size="{}">'
        "<title>{}</title><desc>{}</desc>{}</svg></figure>",
        caption_id,
        "chart-caption" if show_caption else "visually-hidden",
        title,
        caption_id,
        _num(width),
        _num(height),
        _num(width),
        _num(height),
        FONT_SIZE,
        title,
        gettext("The table after the chart gives the same figures."),
        _join(body),
    )


def bar_chart(
    *, chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series], show_caption: bool = True
) -> SafeString:
    """Horizontal bars: a row per label (long labels fit beside the bars), one bar per series."""
    bar_height, group_gap = 16, 8
    legend_height = 24 if len(series) > 1 else 0
    shown = [truncate(str(label)) for label in labels]
    label_width = min(max((_text_width(label) for label in shown), default=0) + 10, WIDTH * 0.45)
    value_width = max((_text_width(s.label(i)) for s in series for i in range(len(labels))), default=0) + 8
    plot_width = WIDTH - label_width - value_width
    group_height = bar_height * len(series) + group_gap
    height = legend_height + group_height * len(labels) + 4
    top = _scale_max(series)
    parts = _legend(series, 0)
    for row, label in enumerate(shown):
        y0 = legend_height + row * group_height + group_gap / 2
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}<title>{}</title></text>',
                _num(label_width - 8),
                _num(y0 + bar_height * len(series) / 2 + 4),
                label,
                labels[row],
            )
        )
        for index, s in enumerate(series):
            value = s.values[row] or 0
            length = value / top * plot_width
            if value:
                length = max(length, 2)  # a small figure stays visible
            y = y0 + index * bar_height
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" {}><title>{}: {}</title></rect>',
                    _num(label_width),
                    _num(y + 1),
                    _num(length),
                    _num(bar_height - 2),
                    _bar_fill(s, row),
                    labels[row] if len(series) == 1 else f"{labels[row]} · {s.name}",
                    s.label(row),
                )
            )
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="chart-value">{}</text>',
                    _num(label_width + length + 4),
                    _num(y + bar_height - 4),
                    s.label(row),
                )
            )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-axis"/>',
            _num(label_width),
            legend_height,
            _num(label_width),
            _num(height),
        )
    )
    return _figure(chart_id=chart_id, title=title, width=WIDTH, height=height, body=parts, show_caption=show_caption)


def _category_label(labels: Sequence[str], column: int, x: float, y: float) -> list[SafeString]:
    """A category under its bars; months ("2025-01") as the month's number, with the year
    beneath it at the first month and at each January, so twelve of them fit."""
    month = MONTH_LABEL.match(str(labels[column]))
    if not month:
        return [
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>',
                _num(x),
                _num(y),
                labels[column],
            )
        ]
    year, number = month.groups()
    parts = [
        format_html('<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>', _num(x), _num(y), number)
    ]
    if column == 0 or number == "01":
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>', _num(x), _num(y + 14), year
            )
        )
    return parts


def column_chart(
    *, chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series], show_caption: bool = True
) -> SafeString:
    """Vertical bars grouped by category (months), one bar per series. Value labels stand
    above their bars, turned upright when they are wider than the bar."""
    plot_height, axis_height, side = 180, 36, 4
    legend_height = 24 if len(series) > 1 else 0
    group_width = (WIDTH - 2 * side) / max(len(labels), 1)
    bar_width = group_width * 0.84 / max(len(series), 1)
    value_labels = [s.label(i) for s in series for i in range(len(labels)) if s.values[i] is not None]
    turned = any(_text_width(label) > bar_width + 2 for label in value_labels)
    headroom = (max((_text_width(label) for label in value_labels), default=0) if turned else FONT_SIZE) + 8
    base = legend_height + headroom + plot_height
    height = base + axis_height
    top = _scale_max(series)
    parts = _legend(series, 0)
    for column, label in enumerate(labels):
        x0 = side + column * group_width + group_width * 0.08
        for index, s in enumerate(series):
            value = s.values[column]
            if value is None:
                continue
            bar = value / top * plot_height
            if value:
                bar = max(bar, 2)
            x = x0 + index * bar_width
            centre = x + bar_width / 2
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" {}><title>{} · {}: {}</title></rect>',
                    _num(x + 0.5),
                    _num(base - bar),
                    _num(bar_width - 1),
                    _num(bar),
                    _bar_fill(s, column),
                    label,
                    s.name,
                    s.label(column),
                )
            )
            if turned:
                parts.append(
                    format_html(
                        '<text x="{x}" y="{y}" transform="rotate(-90 {x} {y})" class="chart-value">{}</text>',
                        s.label(column),
                        x=_num(centre + 4),
                        y=_num(base - bar - 4),
                    )
                )
            else:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" class="chart-value">{}</text>',
                        _num(centre),
                        _num(base - bar - 4),
                        s.label(column),
                    )
                )
        parts += _category_label(labels, column, side + column * group_width + group_width / 2, base + 16)
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-axis"/>',
            side,
            _num(base),
            _num(WIDTH - side),
            _num(base),
        )
    )
    return _figure(chart_id=chart_id, title=title, width=WIDTH, height=height, body=parts, show_caption=show_caption)


# --- The charts of each report ------------------------------------------------------------


def _series(report: Report, indexes: Sequence[int]) -> list[Series]:
    return [
        Series(name=report.columns[index], values=report.column(index), css_class=SERIES_CLASSES[n])
        for n, index in enumerate(indexes)
    ]


def _share(value: int, whole: int) -> str:
    """A percentage, with a decimal when small (52 inquiries from 29 231 views: 0.2%, not 0%)."""
    share = value / whole
    return f"{share:.1%}" if 0 < share < 0.1 else f"{share:.0%}"


def _funnel_charts(report: Report) -> list[SafeString]:
    months = report.column(0)
    steps = report.totals[1:] if report.totals else [0, 0, 0, 0]
    # Each step after the first also shows its share of the step before.
    labels = [cell_text(steps[0])] + [
        f"{cell_text(value)} ({_share(value, previous)})" if previous else cell_text(value)
        for previous, value in pairwise(steps)
    ]
    return [
        column_chart(
            chart_id="chart-funnel-views",
            title=gettext("Listing views by month"),
            labels=months,
            series=_series(report, [1]),
        ),
        column_chart(
            chart_id="chart-funnel-inquiries",
            title=gettext("Inquiries, discussions and agreements by month"),
            labels=months,
            series=_series(report, [2, 3, 4]),
        ),
        bar_chart(
            chart_id="chart-funnel-total",
            title=gettext("The funnel over the 12 months"),
            labels=report.columns[1:],
            series=[Series(name=gettext("Total"), values=steps, labels=labels)],
        ),
    ]


def _single_bars(label_index: int = 0, value_index: int = 1) -> Callable[[Report], list[SafeString]]:
    def charts(report: Report) -> list[SafeString]:
        return [
            bar_chart(
                chart_id=f"chart-{report.key}",
                title=report.title,
                show_caption=False,
                labels=[cell_text(value) for value in report.column(label_index)],
                series=[
                    Series(name=report.columns[value_index], values=report.column(value_index), colours=report.colours)
                ],
            )
        ]

    return charts


def _sdg_charts(report: Report) -> list[SafeString]:
    return [
        bar_chart(
            chart_id="chart-sdgs",
            title=report.title,
            show_caption=False,
            labels=[f"{number}. {name}" for number, name, _count in report.rows],
            series=[Series(name=report.columns[2], values=report.column(2), colours=report.colours)],
        )
    ]


def _monthly_columns(indexes: Sequence[int]) -> Callable[[Report], list[SafeString]]:
    def charts(report: Report) -> list[SafeString]:
        return [
            column_chart(
                chart_id=f"chart-{report.key}",
                title=report.title,
                show_caption=False,
                labels=report.column(0),
                series=_series(report, indexes),
            )
        ]

    return charts


def _event_charts(report: Report) -> list[SafeString]:
    if not report.rows:
        return []
    return [
        bar_chart(
            chart_id="chart-events",
            title=gettext("Registered and attended, by event"),
            labels=report.column(0),
            series=_series(report, [2, 4]),
        )
    ]


CHARTS: dict[str, Callable[[Report], list[SafeString]]] = {
    "funnel": _funnel_charts,
    "sectors": _single_bars(),
    "sdgs": _sdg_charts,
    "trl": _single_bars(),
    "countries": _single_bars(),
    "review-turnaround": _monthly_columns([2, 3]),
    "needs": _monthly_columns([1, 2, 3]),
    "need-status": _single_bars(),
    "events": _event_charts,
    "calls": _single_bars(value_index=1),
    "call-applicants": _single_bars(value_index=1),
}


def charts_for(report: Report) -> list[SafeString]:
    """The charts drawn from a report's own rows (none for an empty report)."""
    if not report.rows:
        return []
    return CHARTS[report.key](report)
