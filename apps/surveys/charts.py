"""Geometry for the server-rendered SVG charts (no JavaScript): the funnel's bars and the analysis' stacked
horizontal bars per group, like the evaluation's figures. Templates draw the shapes; colours come from CSS
classes in app.css (`chart-<key>`), so nothing here is inline style."""

from dataclasses import dataclass

# The SVG's viewBox is 200 units wide (in the templates) and scales to the page. Each row is its label on a line of its own,
# the whole width long, then the bar below it: a label beside the bar had about 70 units and ran into the
# bar (or was cut) as soon as it was longer than a few words, as Danish labels often are.
BAR_AREA = 180.0  # the longest bar; the funnel's count follows it
FUNNEL_ROW = 17  # label line (baseline at +5), bar at +7, 7 high
STACKED_ROW = 19  # label line (baseline at +5), bar at +7, 9 high


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    width: float  # in viewBox units, the widest bar BAR_AREA long
    y: int


def funnel_bars(steps: list[tuple[str, str, int]], *, row_height: int = FUNNEL_ROW) -> list[Bar]:
    """One bar per funnel step (key, label, count), widths relative to the first step."""
    top = max((count for _key, _label, count in steps), default=0) or 1
    return [
        Bar(key=key, label=label, value=count, width=round(BAR_AREA * count / top, 2), y=i * row_height)
        for i, (key, label, count) in enumerate(steps)
    ]


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    percent: int
    x: float
    width: float

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class StackedRow:
    group: str
    label: str
    n: int
    segments: list[Segment]
    y: int


def stacked_rows(
    groups: list[tuple[str, str, int, dict[str, int]]], labels: dict[str, str], *, row_height: int = STACKED_ROW
) -> list[StackedRow]:
    """Rows (group, label, n, percent per key) as segments laid end to end. Whole percentages may add up to
    99 or 101; the segments are scaled to fill the bar exactly, the printed figures stay as computed."""
    rows = []
    for i, (group, label, n, percent) in enumerate(groups):
        total = sum(percent.values())
        x = 0.0
        segments = []
        for key, value in percent.items():
            width = round(BAR_AREA * value / total, 2) if total else 0.0
            segments.append(Segment(key=key, label=labels.get(key, key), percent=value, x=round(x, 2), width=width))
            x += width
        rows.append(StackedRow(group=group, label=label, n=n, segments=segments, y=i * row_height))
    return rows


# --- Trends across rounds (issue 18): per round and group a point with its 95 % interval as a bar ---------

TREND_LEFT, TREND_RIGHT = 22.0, 198.0  # the plot's x range; the percent scale stands left of it
TREND_TOP, TREND_BOTTOM = 6.0, 86.0  # 100 % and 0 %
TREND_HEIGHT = 96  # the viewBox's height: the plot and the rounds' labels below it
TREND_TICKS = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class TrendMark:
    group: str
    x: float
    y: float
    y_low: float
    y_high: float
    percent: int
    low: int
    high: int
    uncertain: bool


@dataclass(frozen=True)
class TrendChart:
    ticks: list[tuple[int, float]]  # (percent, y)
    labels: list[tuple[str, float]]  # (round label, x)
    marks: list[TrendMark]
    lines: dict[str, str]  # per group the polyline through its shown points, oldest round first


def _trend_y(percent: float) -> float:
    return round(TREND_BOTTOM - (TREND_BOTTOM - TREND_TOP) * percent / 100, 2)


def trend_chart(rounds: list[tuple[str, list]], groups: tuple[str, ...]) -> TrendChart:
    """Geometry of one question's trend: `rounds` are (label, points) oldest first, each point with `group`,
    `percent`, `low`, `high` (whole percents, None when not shown) and `uncertain`. The groups of a round
    stand side by side around its place so their intervals do not hide one another."""
    slot = (TREND_RIGHT - TREND_LEFT) / max(len(rounds), 1)
    step = min(7.0, slot / (len(groups) + 1))
    marks, labels = [], []
    lines: dict[str, list[str]] = {g: [] for g in groups}
    for i, (label, points) in enumerate(rounds):
        centre = TREND_LEFT + slot * (i + 0.5)
        labels.append((label, round(centre, 2)))
        for point in points:
            if point.percent is None:
                continue
            x = round(centre + step * (groups.index(point.group) - (len(groups) - 1) / 2), 2)
            y = _trend_y(point.percent)
            marks.append(
                TrendMark(
                    group=point.group,
                    x=x,
                    y=y,
                    y_low=_trend_y(point.low),
                    y_high=_trend_y(point.high),
                    percent=point.percent,
                    low=point.low,
                    high=point.high,
                    uncertain=point.uncertain,
                )
            )
            lines[point.group].append(f"{x},{y}")
    return TrendChart(
        ticks=[(tick, _trend_y(tick)) for tick in TREND_TICKS],
        labels=labels,
        marks=marks,
        lines={g: " ".join(p) for g, p in lines.items() if len(p) > 1},
    )
