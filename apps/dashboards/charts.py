"""Charts as inline SVG, drawn on the server: no script, no CDN, and they print and render in WeasyPrint.

Horizontal bars, one row per category. Short labels (months, quarters: "sept. 2026", "1. halvår 2026")
stand beside their bars; longer ones stand above their bars on the chart's whole width, wrapped onto as
many lines as they need and never cut, so labels stay readable on a 360 px phone. Every bar carries its
value as text; series differ by fill *and* pattern (solid, hatched, dotted), so they read in black and
white. Each chart is `role="img"` with a <title> and a <desc> that says what it shows; the page shows the
same figures in a table beside it. A hidden figure ("< 5") gets no bar at all — a bar's length would
give its value away — only its text.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from apps.core.small_numbers import Cell, PercentCell, percent_text

# Drawn for a phone: at 360 px the chart is shown about 1:1, so 13 units of font read as ~12 px.
WIDTH = 360
LABEL_CHARS = 44  # a label above its bars: about 44 characters of 13 units fit on a line
LABEL_GAP = 3  # between the label's last line and its bars
SHORT_LABEL = 14  # labels up to this long stand beside their bars, right-aligned at SHORT_LABEL_WIDTH
SHORT_LABEL_WIDTH = 108
BAR_WIDTH = 290  # the longest bar with labels above; its value text ("100 %") follows it
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
    """The label wrapped at spaces onto lines of about LABEL_CHARS characters; nothing is cut off."""
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
    bars = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    beside = all(len(category) <= SHORT_LABEL for category in categories)
    bar_x = SHORT_LABEL_WIDTH + 6 if beside else 1
    bar_width = BAR_WIDTH - bar_x + 1
    # Lines of each label above its bars (none when the labels stand beside them).
    labels = [[] if beside else _label_lines(category) for category in categories]
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
    height = legend + sum((len(lines) * (FONT + 1) + LABEL_GAP if lines else 0) + bars + ROW_GAP for lines in labels)
    height += 4
    parts: list[SafeString] = [_defs(chart_id)]
    parts.append(format_html('<title id="{}-title">{}</title>', chart_id, title))
    parts.append(format_html('<desc id="{}-desc">{}</desc>', chart_id, description))
    parts.extend(legend_parts)
    top = legend
    for row, lines in enumerate(labels):
        if beside:
            bars_top = top
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="{}" text-anchor="end">{}</text>',
                    SHORT_LABEL_WIDTH,
                    top + bars / 2 + FONT / 2 - 2,
                    FONT,
                    categories[row],
                )
            )
        else:
            bars_top = top + len(lines) * (FONT + 1) + LABEL_GAP
            parts.append(
                format_html(
                    '<text x="0" y="{}" font-size="{}" font-weight="600">{}</text>',
                    top + FONT,
                    FONT,
                    format_html_join(
                        "",
                        '<tspan x="0" dy="{}">{}</tspan>',
                        ((0 if i == 0 else FONT + 1, line) for i, line in enumerate(lines)),
                    ),
                )
            )
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
        top = bars_top + bars + ROW_GAP
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


# --- Stacked bars (issue 18: the round's report) -------------------------------------------------------------


@dataclass(frozen=True)
class StackedBar:
    """One group's answers as shares laid end to end: (label, percent) per answer, in the legend's order.
    `parts` is empty when the group's figures are not shown (`note` says why, e.g. "< 5")."""

    label: str
    parts: list[tuple[str, int]]
    note: str = ""


def stacked_bar_chart(*, chart_id: str, title: str, description: str, bars: list[StackedBar]) -> SafeString:
    """Horizontal bars of 100 % each, one per group, like the evaluation's figures: each answer's share a
    segment, told apart by fill and pattern (solid, hatched, dotted) and printed on the segment when it is
    wide enough. Whole percentages may add up to 99 or 101: the segments are scaled to fill the bar."""
    answers = [label for label, _percent in next((bar.parts for bar in bars if bar.parts), [])]
    parts: list[SafeString] = [_defs(chart_id)]
    parts.append(format_html('<title id="{}-title">{}</title>', chart_id, title))
    parts.append(format_html('<desc id="{}-desc">{}</desc>', chart_id, description))
    x = 0
    for index, answer in enumerate(answers):
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="16" height="14" fill="{}" stroke="{}"/>'
                '<text x="{}" y="16" font-size="{}">{}</text>',
                x,
                _fill(STYLES[index % len(STYLES)], chart_id),
                INK,
                x + 21,
                FONT,
                answer,
            )
        )
        x += 21 + int(len(answer) * FONT * 0.6) + 14
    top = LEGEND_HEIGHT if answers else 0
    bar_height = BAR_HEIGHT + 4
    for bar in bars:
        parts.append(
            format_html('<text x="0" y="{}" font-size="{}" font-weight="600">{}</text>', top + FONT, FONT, bar.label)
        )
        bar_top = top + FONT + LABEL_GAP + 1
        total = sum(percent for _label, percent in bar.parts)
        if not total:
            parts.append(
                format_html(
                    '<text x="2" y="{}" font-size="{}" font-style="italic">{}</text>',
                    bar_top + bar_height - 5,
                    FONT - 1,
                    bar.note,
                )
            )
        start = 0.0
        for index, (answer, percent) in enumerate(bar.parts if total else []):
            width = round((WIDTH - 2) * percent / total, 1)
            style = STYLES[index % len(STYLES)]
            if width:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1">'
                        "<title>{}: {}</title></rect>",
                        round(start, 1),
                        bar_top,
                        width,
                        bar_height,
                        _fill(style, chart_id),
                        INK,
                        answer,
                        percent_text(percent),
                    )
                )
            if width >= 34:  # room for "100 %"; a narrower segment's share is in the table beside the chart
                middle = round(start + width / 2, 1)
                if style != "solid":  # ink on a white patch: readable over the hatching and the dots
                    parts.append(
                        format_html(
                            '<rect x="{}" y="{}" width="30" height="{}" fill="#fff"/>',
                            round(middle - 15, 1),
                            bar_top + 3,
                            bar_height - 6,
                        )
                    )
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="{}" font-weight="700" text-anchor="middle" fill="{}">{}</text>',
                        middle,
                        bar_top + bar_height - 5,
                        FONT - 1,
                        "#fff" if style == "solid" else INK,
                        percent_text(percent),
                    )
                )
            start += width
        top = bar_top + bar_height + ROW_GAP
    body = mark_safe("".join(parts))  # noqa: S308 — every part went through format_html
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-labelledby="{}-title {}-desc" font-family="sans-serif" fill="{}">{}</svg>',
        WIDTH,
        top + 2,
        WIDTH,
        top + 2,
        chart_id,
        chart_id,
        INK,
        body,
    )
