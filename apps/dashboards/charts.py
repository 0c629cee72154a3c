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
LABEL_WIDTH = 116  # category labels, right-aligned at this x (more when a word is longer), wrapped
LABEL_CHARS = 14
BAR_WIDTH = 180  # the longest bar; its value text follows it
MIN_BAR_WIDTH = 120
VALUE_ROOM = 58  # after the longest bar, for its value text
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
    """The whole label, wrapped between words onto lines of about LABEL_CHARS characters: never cut and
    never broken inside a word (a word longer than that gets a line of its own, and the label column
    widens for it)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > LABEL_CHARS:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return lines


def _text_width(text: str, size: int = FONT) -> int:
    """A generous estimate of the drawn width of text in a sans-serif font (no font metrics on the server)."""
    return int(len(text) * size * 0.6) + 1


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
    # The legend: one swatch and label per series, wrapped onto more lines when the chart is narrow.
    legend_parts: list[SafeString] = []
    x, line = 0, 0
    for index, s in enumerate(series if len(series) > 1 else []):
        width = 21 + _text_width(s.label) + 14
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
    labels = [_label_lines(category) for category in categories]
    # A long word widens the label column and shortens the bars, rather than being cut.
    label_width = max([LABEL_WIDTH] + [_text_width(text) for lines in labels for text in lines])
    bar_x = label_width + 6
    bar_width = max(MIN_BAR_WIDTH, BAR_WIDTH - (label_width - LABEL_WIDTH))
    svg_width = max(WIDTH, bar_x + bar_width + VALUE_ROOM)
    bars_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    row_heights = [max(bars_height, len(lines) * (FONT + 1) + 2) for lines in labels]
    height = legend + sum(h + ROW_GAP for h in row_heights) + 4
    parts: list[SafeString] = [_defs(chart_id)]
    parts.append(format_html('<title id="{}-title">{}</title>', chart_id, title))
    parts.append(format_html('<desc id="{}-desc">{}</desc>', chart_id, description))
    parts.extend(legend_parts)
    top = legend
    for row, lines in enumerate(labels):
        per_row = row_heights[row]
        first_baseline = top + per_row / 2 + FONT / 2 - 2 - (len(lines) - 1) * (FONT + 1) / 2
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" text-anchor="end">{}</text>',
                label_width,
                first_baseline,
                FONT,
                format_html_join(
                    "",
                    '<tspan x="{}" dy="{}">{}</tspan>',
                    ((label_width, 0 if i == 0 else FONT + 1, line) for i, line in enumerate(lines)),
                ),
            )
        )
        bars_top = top + (per_row - bars_height) / 2
        top += per_row + ROW_GAP
        for index, s in enumerate(series):
            cell = s.cells[row]
            value = _value(cell)
            y = bars_top + index * (BAR_HEIGHT + BAR_GAP)
            text = cell.text
            if value is None:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="{}" font-style="italic">{}</text>',
                        bar_x + 2,
                        y + BAR_HEIGHT - 3,
                        FONT - 1,
                        text,
                    )
                )
                continue
            length = round(bar_width * value / maximum, 1) if maximum else 0
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1">'
                    "<title>{}: {}</title></rect>"
                    '<text x="{}" y="{}" font-size="{}">{}</text>',
                    bar_x,
                    y,
                    max(length, 0.5),
                    BAR_HEIGHT,
                    _fill(STYLES[index], chart_id),
                    INK,
                    s.label,
                    text,
                    bar_x + length + 5,
                    y + BAR_HEIGHT - 3,
                    FONT - 1,
                    text,
                )
            )
    body = mark_safe("".join(parts))  # noqa: S308 — every part went through format_html
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-labelledby="{}-title {}-desc" font-family="sans-serif" fill="{}">{}</svg>',
        svg_width,
        height,
        svg_width,
        height,
        chart_id,
        chart_id,
        INK,
        body,
    )
