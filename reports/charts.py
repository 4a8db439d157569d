"""Charts drawn on the server as accessible SVG: no script, no third-party host. Each
chart is an image with a title and a description (`role="img"`, `aria-labelledby`);
the page follows it with the same figures in a table, for screen readers and for
reading exact values.

Pure functions: figures in, markup out. Values are integers (cents or counts) and
`value_label` formats them (« 12,50 € »)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR = "#1d4e89"  # 8.6:1 on white
TEXT = "#1f2328"
GRID = "#6e7781"  # 4.6:1 on white: the axis stays visible


@dataclass(frozen=True)
class Point:
    label: str
    value: int


def nice_ceiling(value: int) -> int:
    """The round number (1, 2, 2.5 or 5 × 10ⁿ) at or above `value`, for the axis."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return 10 * magnitude


def _ticks(top: int, count: int = 4) -> list[int]:
    """Evenly spaced values from 0 to `top`, never twice the same (a top of 2 orders)."""
    count = min(count, top)
    return [top * index // count for index in range(count + 1)]


def _frame(*, chart_id: str, title: str, description: str, width: int, height: int,
           body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="{id}-title {id}-desc" '
        'preserveAspectRatio="xMinYMin meet" font-family="system-ui, sans-serif" font-size="12">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<rect width="{width}" height="{height}" fill="#ffffff"/>{body}</svg>',
        id=chart_id, title=title, desc=description, width=width, height=height, body=body,
    )


def _empty(*, chart_id: str, title: str, description: str, empty_text: str) -> SafeString:
    body = format_html('<text x="16" y="36" fill="{}">{}</text>', TEXT, empty_text)
    return _frame(chart_id=chart_id, title=title, description=description, width=480,
                  height=60, body=body)


def _shorten(label: str, length: int) -> str:
    """Cut in the middle: names of one network often differ only by their end."""
    if len(label) <= length:
        return label
    head = (length - 1) // 2
    return label[:head] + "…" + label[len(label) - (length - 1 - head):]


def bar_chart(
    *, chart_id: str, title: str, description: str, points: Sequence[Point],
    value_label: Callable[[int], str], axis_label: str, empty_text: str,
    label_width: int = 220,
) -> SafeString:
    """Horizontal bars, one per named item (vendors, categories, projects), in the given
    order, each with its value at its end; the value axis at the bottom is labelled."""
    if not points:
        return _empty(chart_id=chart_id, title=title, description=description,
                      empty_text=empty_text)
    row, plot_width, value_room = 28, 400, 110
    top = nice_ceiling(max(max(p.value for p in points), 0))
    width = label_width + plot_width + value_room
    plot_height = row * len(points)
    height = plot_height + 56
    scale = plot_width / top
    bars = format_html_join("", (
        '<g><text x="{lx}" y="{ty}" text-anchor="end" fill="{text}">{label}</text>'
        '<rect x="{x}" y="{y}" width="{w}" height="18" fill="{bar}"><title>{full}: {value}'
        '</title></rect><text x="{vx}" y="{ty}" fill="{text}">{value}</text></g>'
    ), (
        {"lx": label_width - 8, "ty": index * row + 21, "text": TEXT,
         "label": _shorten(point.label, 32), "full": point.label, "x": label_width,
         "y": index * row + 8, "w": round(max(point.value, 0) * scale, 1), "bar": BAR,
         "vx": label_width + round(max(point.value, 0) * scale, 1) + 6,
         "value": value_label(point.value)}
        for index, point in enumerate(points)
    ))
    axis = _value_axis(x0=label_width, y=plot_height + 8, plot_width=plot_width, top=top,
                       value_label=value_label)
    caption = format_html(
        '<text x="{x}" y="{y}" text-anchor="middle" fill="{text}">{label}</text>',
        x=label_width + plot_width // 2, y=height - 6, text=TEXT,
        label=axis_label)
    return _frame(chart_id=chart_id, title=title, description=description, width=width,
                  height=height, body=bars + axis + caption)


def _value_axis(*, x0: int, y: int, plot_width: int, top: int,
                value_label: Callable[[int], str]) -> SafeString:
    line = format_html('<line x1="{x}" y1="{y}" x2="{x2}" y2="{y}" stroke="{c}"/>',
                       x=x0, y=y, x2=x0 + plot_width, c=GRID)
    ticks = format_html_join("", (
        '<line x1="{x}" y1="{y}" x2="{x}" y2="{y2}" stroke="{c}"/>'
        '<text x="{x}" y="{ty}" text-anchor="middle" fill="{text}">{label}</text>'
    ), (
        {"x": round(x0 + plot_width * tick / top, 1), "y": y, "y2": y + 4, "c": GRID,
         "ty": y + 17, "text": TEXT, "label": value_label(tick)}
        for tick in _ticks(top)
    ))
    return line + ticks


def column_chart(
    *, chart_id: str, title: str, description: str, points: Sequence[Point],
    value_label: Callable[[int], str], axis_label: str, empty_text: str,
) -> SafeString:
    """Vertical columns along a sequence (days), the value axis on the left; with many
    columns, one label in every few is written under the axis."""
    if not points:
        return _empty(chart_id=chart_id, title=title, description=description,
                      empty_text=empty_text)
    left, plot_height, plot_width = 96, 200, 600
    top = nice_ceiling(max(max(p.value for p in points), 0))
    step = plot_width / len(points)
    every = max(1, -(-len(points) // 12))
    columns = format_html_join("", (
        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{bar}">'
        '<title>{label}: {value}</title></rect>'
    ), (
        {"x": round(left + index * step + step * 0.15, 1),
         "y": round(16 + plot_height - max(point.value, 0) * plot_height / top, 1),
         "w": round(step * 0.7, 1), "h": round(max(point.value, 0) * plot_height / top, 1),
         "bar": BAR, "label": point.label, "value": value_label(point.value)}
        for index, point in enumerate(points)
    ))
    labels = format_html_join("", (
        '<text x="{x}" y="{y}" text-anchor="middle" fill="{text}">{label}</text>'
    ), (
        {"x": round(left + index * step + step / 2, 1), "y": 16 + plot_height + 18,
         "text": TEXT, "label": _shorten(point.label, 10)}
        for index, point in enumerate(points) if index % every == 0
    ))
    grid = format_html_join("", (
        '<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{c}" stroke-width="{sw}"/>'
        '<text x="{tx}" y="{ty}" text-anchor="end" fill="{text}">{label}</text>'
    ), (
        {"x0": left, "x1": left + plot_width, "y": round(16 + plot_height * (1 - tick / top), 1),
         "c": GRID, "sw": 1 if tick == 0 else 0.3, "tx": left - 6,
         "ty": round(20 + plot_height * (1 - tick / top), 1), "text": TEXT,
         "label": value_label(tick)}
        for tick in _ticks(top)
    ))
    caption = format_html(
        '<text x="{x}" y="{y}" text-anchor="middle" fill="{text}">{label}</text>',
        x=left + plot_width // 2, y=16 + plot_height + 42, text=TEXT,
        label=axis_label)
    return _frame(chart_id=chart_id, title=title, description=description,
                  width=left + plot_width + 16, height=plot_height + 66,
                  body=grid + columns + labels + caption)
