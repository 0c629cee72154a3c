"""Charts as inline SVG, drawn on the server: no script, no CDN, and they print and render in WeasyPrint.

Horizontal bars, one row per category, so labels stay readable on a 360 px phone. Every bar carries its
value as text; series differ by fill *and* pattern (solid, hatched, dotted), so they read in black and
white. Each chart is `role="img"` with a <title> and a <desc> that says what it shows; the page shows the
same figures in a table beside it. A hidden figure ("< 5") gets no bar at all — a bar's length would
give its value away — only its text.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from apps.core.small_numbers import Cell, PercentCell

# Drawn for a phone: at 360 px the chart is shown about 1:1, so 13 units of font read as ~12 px.
WIDTH = 360
LABEL_WIDTH = 116  # category labels, right-aligned at this x, wrapped onto two lines
LABEL_CHARS = 14
BAR_X = LABEL_WIDTH + 6
BAR_WIDTH = 180  # the longest bar; its value text follows it
BAR_HEIGHT = 16
BAR_GAP = 3
ROW_GAP = 12
LEGEND_HEIGHT = 26
FONT = 13
INK = "#1d3557"
# Fill and pattern per series: this period, the same period last year, the whole area.
STYLES = ("solid", "hatched", "dotted")


@dataclass(frozen=True)
class Series:
    label: str
    cells: list[Cell | PercentCell]


def _value(cell: Cell | PercentCell) -> int | None:
    return cell.percent if isinstance(cell, PercentCell) else cell.value


def _fill(style: str, chart_id: str) -> str:
    return INK if style == "solid" else f"url(#{chart_id}-{style})"


def _defs(chart_id: str) -> SafeString:
    return format_html(
        '<defs><pattern id="{0}-hatched" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{1}" stroke-width="2.5"/></pattern>'
        '<pattern id="{0}-dotted" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.2" fill="{1}"/></pattern></defs>',
        chart_id,
        INK,
    )


def _label_lines(text: str) -> list[str]:
    """The label on at most two lines of about LABEL_CHARS characters, cut with "…" beyond that."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > LABEL_CHARS:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [line if len(line) <= LABEL_CHARS else line[: LABEL_CHARS - 1] + "…" for line in lines]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[Series],
    percent: bool = False,
) -> SafeString:
    """Grouped horizontal bars: for each category one bar per series."""
    values = [_value(cell) for s in series for cell in s.cells]
    maximum = 100 if percent else max([v for v in values if v is not None] + [1])
    per_row = max(len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, 2 * (FONT + 1) + 2)
    # The legend: one swatch and label per series, wrapped onto more lines when the chart is narrow.
    legend_parts: list[SafeString] = []
    x, line = 0, 0
    for index, s in enumerate(series if len(series) > 1 else []):
        width = 21 + int(len(s.label) * FONT * 0.6) + 14
        if x and x + width > WIDTH:
            x, line = 0, line + 1
        y = 4 + line * LEGEND_HEIGHT
        legend_parts.append(
            format_html(
                '<rect x="{}" y="{}" width="16" height="14" fill="{}" stroke="{}"/>'
                '<text x="{}" y="{}" font-size="{}">{}</text>',
                x,
                y,
                _fill(STYLES[index], chart_id),
                INK,
                x + 21,
                y + 12,
                FONT,
                s.label,
            )
        )
        x += width
    legend = (line + 1) * LEGEND_HEIGHT if legend_parts else 0
    height = legend + len(categories) * (per_row + ROW_GAP) + 4
    parts: list[SafeString] = [_defs(chart_id)]
    parts.append(format_html('<title id="{}-title">{}</title>', chart_id, title))
    parts.append(format_html('<desc id="{}-desc">{}</desc>', chart_id, description))
    parts.extend(legend_parts)
    for row, category in enumerate(categories):
        top = legend + row * (per_row + ROW_GAP)
        lines = _label_lines(category)
        first_baseline = top + per_row / 2 + FONT / 2 - 2 - (len(lines) - 1) * (FONT + 1) / 2
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH,
                first_baseline,
                FONT,
                format_html_join(
                    "",
                    '<tspan x="{}" dy="{}">{}</tspan>',
                    ((LABEL_WIDTH, 0 if i == 0 else FONT + 1, line) for i, line in enumerate(lines)),
                ),
            )
        )
        for index, s in enumerate(series):
            cell = s.cells[row]
            value = _value(cell)
            y = top + index * (BAR_HEIGHT + BAR_GAP)
            text = cell.text
            if value is None:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="{}" font-style="italic">{}</text>',
                        BAR_X + 2,
                        y + BAR_HEIGHT - 3,
                        FONT - 1,
                        text,
                    )
                )
                continue
            length = round(BAR_WIDTH * value / maximum, 1) if maximum else 0
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1">'
                    "<title>{}: {}</title></rect>"
                    '<text x="{}" y="{}" font-size="{}">{}</text>',
                    BAR_X,
                    y,
                    max(length, 0.5),
                    BAR_HEIGHT,
                    _fill(STYLES[index], chart_id),
                    INK,
                    s.label,
                    text,
                    BAR_X + length + 5,
                    y + BAR_HEIGHT - 3,
                    FONT - 1,
                    text,
                )
            )
    body = mark_safe("".join(parts))  # noqa: S308 — every part went through format_html
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-labelledby="{}-title {}-desc" font-family="sans-serif" fill="{}">{}</svg>',
        WIDTH,
        height,
        WIDTH,
        height,
        chart_id,
        chart_id,
        INK,
        body,
    )
